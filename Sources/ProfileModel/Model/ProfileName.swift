// The validated values a profile is made of. Each has one failable constructor that says, when it
// refuses, what was wrong and how to fix it.

/// A profile name: 1–64 characters, `[A-Za-z0-9][A-Za-z0-9._-]*`.
public struct ProfileName: Hashable, Comparable, Sendable, CustomStringConvertible {
  public let value: String
  public var description: String { value }

  /// The longest name, in bytes.
  public static let maximumLength = 64

  public init(validating text: String) throws(Failure) {
    let bytes = Array(text.utf8)
    guard !bytes.isEmpty else { throw .invalid(.nameEmpty) }
    guard bytes.count <= ProfileName.maximumLength else { throw .invalid(.nameTooLong(text, limit: ProfileName.maximumLength)) }
    guard ProfileName.isAlnum(bytes[0]) else { throw .invalid(.nameStart(text)) }
    guard
      bytes.allSatisfy({
        ProfileName.isAlnum($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-")
      })
    else { throw .invalid(.nameCharacters(text)) }
    value = text
  }

  package static func isAlnum(_ b: UInt8) -> Bool {
    (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
  }

  public static func < (a: ProfileName, b: ProfileName) -> Bool {
    utf8Precedes(a.value, b.value)
  }
}
