/// A variable a switch exports.
///
/// A struct, not a `(name:, value:)` tuple: a tuple's type metadata is built at run time (the runtime
/// demangles its name), a non-generic struct's is static, and a switch is measured in microseconds.
public struct Variable: Equatable, Sendable {
  public var name: String
  public var value: String

  public init(_ name: String, _ value: String) {
    self.name = name
    self.value = value
  }
}

/// One change a switch makes: export `name` with `value`, or unset it (`value` nil).
public struct Assignment: Equatable, Sendable {
  public var name: String
  public var value: String?

  public init(_ name: String, _ value: String?) {
    self.name = name
    self.value = value
  }
}
