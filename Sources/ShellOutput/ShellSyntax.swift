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

  public func render(_ changes: [Assignment]) -> String {
    var out = ""
    var erased = false
    for change in changes {
      precondition(isVariableName(change.name), "invalid variable name reached the renderer")
      erased = erased || change.value == nil
      appendChange(change.name, change.value, to: &out)
    }
    // fish's `set` keeps the status before it, and erasing a variable that is not set returns 4: end with
    // a true status so `… | source; and …` sees the switch succeed.
    if self == .fish && erased { out += "true;\n" }
    return out
  }

  /// A plain (not exported) shell variable, for the hook's private state: `name='value';`
  /// (fish: `set -g name 'value';`).
  package func setPrivate(_ name: String, _ value: String) -> String {
    var out = self == .fish ? "set -g " : ""
    out += name
    out += self == .fish ? " " : "="
    appendQuoted(value, to: &out)
    out += ";\n"
    return out
  }

  /// Appends `value` quoted: POSIX shells end the quote for a `'` (`'\''`); fish escapes `\` and `'`.
  func appendQuoted(_ value: String, to out: inout String) {
    out += "'"
    switch self {
    case .bash, .zsh, .sh: Self.appendEscaped(value, quote: "'\\''", backslash: nil, to: &out)
    case .fish: Self.appendEscaped(value, quote: "\\'", backslash: "\\\\", to: &out)
    }
    out += "'"
  }

  /// Appends `value` with each `'` written as `quote` and, when `backslash` is given, each `\` as it.
  /// Runs without either are appended whole (a switch's values rarely hold one).
  static func appendEscaped(_ value: String, quote: String, backslash: String?, to out: inout String) {
    let utf8 = value.utf8
    var run = utf8.startIndex
    var i = run
    while i != utf8.endIndex {
      let b = utf8[i]
      if b == UInt8(ascii: "'") || (b == UInt8(ascii: "\\") && backslash != nil) {
        out += Substring(utf8[run..<i])
        out += b == UInt8(ascii: "'") ? quote : backslash!
        run = utf8.index(after: i)
      }
      i = utf8.index(after: i)
    }
    if run == utf8.startIndex {
      out += value
    } else {
      out += Substring(utf8[run...])
    }
  }

  /// One change: unset `name` (`value` nil), or export it with `value`. Names are never quoted.
  func appendChange(_ name: String, _ value: String?, to out: inout String) {
    switch (self, value) {
    // -g: never erase a universal variable of the same name.
    case (.fish, nil): out += "set -e -g "
    case (.fish, _): out += "set -gx "
    case (_, nil): out += "unset "
    case (_, _): out += "export "
    }
    out += name
    if let value {
      out += self == .fish ? " " : "="
      appendQuoted(value, to: &out)
    }
    out += ";\n"
  }
}
