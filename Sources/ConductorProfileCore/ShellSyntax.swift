/// The shells (and formats) whose code or files `env` prints.
///
/// Input is an ordered list of changes: a name with a value to export, or nil to unset. Names are
/// validated before they get here and never quoted; values are always quoted, so no byte of a value can run.
public enum ShellSyntax: String, CaseIterable, Sendable {
  case bash, zsh, fish, sh
  /// Internal: bash/zsh/sh share one syntax.
  static let posix = ShellSyntax.sh

  public func quote(_ value: String) -> String {
    var out = ""
    appendQuoted(value, to: &out)
    return out
  }

  /// Appends `value` quoted: POSIX shells end the quote for a `'` (`'\''`); fish escapes `\` and `'`.
  func appendQuoted(_ value: String, to out: inout String) {
    out += "'"
    switch self {
    case .bash, .zsh, .sh: Self.append(value, to: &out, quote: "'\\''", backslash: nil)
    case .fish: Self.append(value, to: &out, quote: "\\'", backslash: "\\\\")
    }
    out += "'"
  }

  /// Appends `value` with each `'` written as `quote` and, when `backslash` is given, each `\` as it.
  /// A loop over bytes (both are ASCII, never part of a longer character): `replacing(_:with:)` costs
  /// more than the rest of a switch.
  static func append(_ value: String, to out: inout String, quote: String, backslash: String?) {
    let utf8 = value.utf8
    var plain = utf8.startIndex
    var i = plain
    while i != utf8.endIndex {
      let b = utf8[i]
      let escape = b == UInt8(ascii: "'") ? quote : b == UInt8(ascii: "\\") ? backslash : nil
      if let escape {
        // append(contentsOf:) with a Substring: `+=` would take the unspecialised generic path.
        out.append(contentsOf: value[plain..<i])
        out += escape
        plain = utf8.index(after: i)
      }
      i = utf8.index(after: i)
    }
    if plain == utf8.startIndex {
      out += value
    } else {
      out.append(contentsOf: value[plain...])
    }
  }

  public func render(_ changes: [Assignment]) -> String {
    var out = ""
    for change in changes {
      let name = change.name
      precondition(isVariableName(name), "invalid variable name reached the renderer")
      switch (self, change.value) {
      // -g: never erase a universal variable of the same name.
      case (.fish, nil):
        out += "set -e -g "
        out += name
        out += ";\n"
      case (.fish, let v?):
        out += "set -gx "
        out += name
        out += " "
        appendQuoted(v, to: &out)
        out += ";\n"
      case (_, nil):
        out += "unset "
        out += name
        out += ";\n"
      case (_, let v?):
        out += "export "
        out += name
        out += "="
        appendQuoted(v, to: &out)
        out += ";\n"
      }
    }
    // fish's `set` keeps the status before it, and erasing a variable that is not set returns 4:
    // end with a true status so `… | source; and …` sees the switch succeed.
    if self == .fish, changes.contains(where: { $0.value == nil }) { out += "true;\n" }
    return out
  }

  /// A plain (not exported) shell variable, for the hook's private state.
  func setPrivate(_ name: String, _ value: String) -> String {
    switch self {
    case .fish: return "set -g \(name) \(quote(value));\n"
    default: return "\(name)=\(quote(value));\n"
    }
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
      var out = ""
      for variable in variables {
        out += variable.name
        out += "='"
        ShellSyntax.append(variable.value, to: &out, quote: "\\'", backslash: "\\\\")
        out += "'\n"
      }
      return out
    }
  }
}
