/// The shells (and formats) whose code or files `env` prints.
///
/// Input is an ordered list of changes: a name with a value to export, or nil to unset. Names are
/// validated before they get here and never quoted; values are always quoted, so no byte of a value can run.
public enum ShellSyntax: String, CaseIterable, Sendable {
  case bash, zsh, fish, sh
  /// Internal: bash/zsh/sh share one syntax.
  static let posix = ShellSyntax.sh

  public func quote(_ value: String) -> String {
    Self.withBytes(value) { value, out in appendQuoted(value, to: out) }
  }

  public func render(_ changes: [Assignment]) -> String {
    let out = ByteOutput()
    var erased = false
    for change in changes {
      precondition(isVariableName(change.name), "invalid variable name reached the renderer")
      erased = erased || change.value == nil
      var name = change.name
      name.withUTF8 { name in
        guard var value = change.value else { return appendChange(ByteSpan(name), nil, to: out) }
        value.withUTF8 { appendChange(ByteSpan(name), ByteSpan($0), to: out) }
      }
    }
    appendEnd(erased: erased, to: out)
    return out.string
  }

  /// A plain (not exported) shell variable, for the hook's private state.
  func setPrivate(_ name: String, _ value: String) -> String {
    var name = name
    return name.withUTF8 { name in Self.withBytes(value) { value, out in appendPrivate(ByteSpan(name), value, to: out) } }
  }

  // The code itself, on bytes: the full program's strings and the quick switch's spans (QuickSwitch.swift)
  // are written by these same lines.

  /// Appends `value` quoted: POSIX shells end the quote for a `'` (`'\''`); fish escapes `\` and `'`.
  func appendQuoted(_ value: ByteSpan, to out: ByteOutput) {
    out.append(UInt8(ascii: "'"))
    switch self {
    case .bash, .zsh, .sh: Self.appendEscaped(value, quote: "'\\''", backslash: nil, to: out)
    case .fish: Self.appendEscaped(value, quote: "\\'", backslash: "\\\\", to: out)
    }
    out.append(UInt8(ascii: "'"))
  }

  /// Appends `value` with each `'` written as `quote` and, when `backslash` is given, each `\` as it.
  static func appendEscaped(_ value: ByteSpan, quote: StaticString, backslash: StaticString?, to out: ByteOutput) {
    for index in 0..<value.count {
      let b = value[index]
      if b == UInt8(ascii: "'") {
        out.append(quote)
      } else if b == UInt8(ascii: "\\"), let backslash {
        out.append(backslash)
      } else {
        out.append(b)
      }
    }
  }

  /// One change: unset `name` (`value` nil), or export it with `value`. Names are never quoted.
  func appendChange(_ name: ByteSpan, _ value: ByteSpan?, to out: ByteOutput) {
    switch (self, value) {
    // -g: never erase a universal variable of the same name.
    case (.fish, nil): out.append("set -e -g ")
    case (.fish, _): out.append("set -gx ")
    case (_, nil): out.append("unset ")
    case (_, _): out.append("export ")
    }
    out.append(name)
    if let value {
      out.append(self == .fish ? " " : "=")
      appendQuoted(value, to: out)
    }
    out.append(";\n")
  }

  /// The end of a switch's code. fish's `set` keeps the status before it, and erasing a variable that
  /// is not set returns 4: end with a true status so `… | source; and …` sees the switch succeed.
  func appendEnd(erased: Bool, to out: ByteOutput) {
    if self == .fish && erased { out.append("true;\n") }
  }

  /// A plain (not exported) shell variable: `name='value';` (fish: `set -g name 'value';`).
  func appendPrivate(_ name: ByteSpan, _ value: ByteSpan, to out: ByteOutput) {
    if self == .fish { out.append("set -g ") }
    out.append(name)
    out.append(self == .fish ? " " : "=")
    appendQuoted(value, to: out)
    out.append(";\n")
  }

  /// What `body` writes, given the bytes of `value`, as a string.
  static func withBytes(_ value: String, _ body: (ByteSpan, ByteOutput) -> Void) -> String {
    let out = ByteOutput()
    var value = value
    value.withUTF8 { body(ByteSpan($0), out) }
    return out.string
  }
}

public enum FileFormat: String, CaseIterable, Sendable {
  case json, dotenv

  public func render(_ variables: [Variable]) -> String {
    switch self {
    case .json:
      var object: [String: JSON] = [:]
      for variable in variables { object[variable.name] = .string(variable.value) }
      return JSON.object(object).pretty()
    case .dotenv:
      // Single quotes with \\ and \' escaped: the form python-dotenv and docker compose read literally.
      let out = ByteOutput()
      for variable in variables {
        var name = variable.name
        var value = variable.value
        name.withUTF8 { out.append(ByteSpan($0)) }
        out.append("='")
        value.withUTF8 { ShellSyntax.appendEscaped(ByteSpan($0), quote: "\\'", backslash: "\\\\", to: out) }
        out.append("'\n")
      }
      return out.string
    }
  }
}
