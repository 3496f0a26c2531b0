/// The shells (and formats) whose code or files `env` prints.
///
/// Input is an ordered list of changes: a name with a value to export, or nil to unset. Names are
/// validated before they get here and never quoted; values are always quoted, so no byte of a value can run.
public enum ShellSyntax: String, CaseIterable, Sendable {
  case bash, zsh, fish, sh
  /// Internal: bash/zsh/sh share one syntax.
  static let posix = ShellSyntax.sh

  public func quote(_ value: String) -> String {
    var out: [UInt8] = []
    appendQuoted(value, to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  /// The code of `changes`, written as bytes and made a string once (appending to a `String` piece by
  /// piece cost a tenth of a switch).
  public func render(_ changes: [Assignment]) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(1024)
    var erased = false
    for change in changes {
      precondition(isVariableName(change.name), "invalid variable name reached the renderer")
      erased = erased || change.value == nil
      appendChange(change.name, change.value, to: &out)
    }
    // fish's `set` keeps the status before it, and erasing a variable that is not set returns 4: end with
    // a true status so `… | source; and …` sees the switch succeed.
    if self == .fish && erased { ShellSyntax.append("true;\n", to: &out) }
    return String(decoding: out, as: UTF8.self)
  }

  /// What the hook reads before it evaluates a switch (`use`, `off`): the first line, a comment naming
  /// every variable the code after it sets or unsets. The hook checks those names (read-only ones stop
  /// the switch) from this line alone, never by reading the code, so no value — whatever newlines, quotes
  /// or `unset …` text it holds — can add, hide or change a name: it is the first line, written before any value.
  package static let namesPrefix = "# conductor-profile switch sets:"

  /// `code` behind its names line (`namesPrefix`, then the names, space separated).
  package static func withNames(_ names: [String], _ code: String) -> String {
    var line = namesPrefix
    for name in names {
      precondition(isVariableName(name), "invalid variable name reached the names line")
      line += " " + name
    }
    return line + "\n" + code
  }

  /// A plain (not exported) shell variable, for the hook's private state: `name='value';`
  /// (fish: `set -g name 'value';`).
  package func setPrivate(_ name: String, _ value: String) -> String {
    var out: [UInt8] = []
    if self == .fish { ShellSyntax.append("set -g ", to: &out) }
    out.append(contentsOf: name.utf8)
    out.append(self == .fish ? UInt8(ascii: " ") : UInt8(ascii: "="))
    appendQuoted(value, to: &out)
    ShellSyntax.append(";\n", to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  @inline(__always) static func append(_ text: StaticString, to out: inout [UInt8]) {
    out.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
  }

  /// Appends `value` quoted: POSIX shells end the quote for a `'` (`'\''`); fish escapes `\` and `'`.
  func appendQuoted(_ value: String, to out: inout [UInt8]) {
    out.append(UInt8(ascii: "'"))
    switch self {
    case .bash, .zsh, .sh: Self.appendEscaped(value, quote: "'\\''", backslash: nil, to: &out)
    case .fish: Self.appendEscaped(value, quote: "\\'", backslash: "\\\\", to: &out)
    }
    out.append(UInt8(ascii: "'"))
  }

  /// Appends `value` with each `'` written as `quote` and, when `backslash` is given, each `\` as it.
  /// Runs without either are appended whole (a switch's values rarely hold one).
  static func appendEscaped(_ value: String, quote: StaticString, backslash: StaticString?, to out: inout [UInt8]) {
    var value = value
    value.withUTF8 { bytes in
      var run = 0
      for i in 0..<bytes.count {
        let b = bytes[i]
        guard b == UInt8(ascii: "'") || (b == UInt8(ascii: "\\") && backslash != nil) else { continue }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<i]))
        append(b == UInt8(ascii: "'") ? quote : backslash!, to: &out)
        run = i + 1
      }
      out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run...]))
    }
  }

  /// One change: unset `name` (`value` nil), or export it with `value`. Names are never quoted.
  func appendChange(_ name: String, _ value: String?, to out: inout [UInt8]) {
    switch (self, value) {
    // -g: never erase a universal variable of the same name.
    case (.fish, nil): Self.append("set -e -g ", to: &out)
    case (.fish, _): Self.append("set -gx ", to: &out)
    case (_, nil): Self.append("unset ", to: &out)
    case (_, _): Self.append("export ", to: &out)
    }
    out.append(contentsOf: name.utf8)
    if let value {
      out.append(self == .fish ? UInt8(ascii: " ") : UInt8(ascii: "="))
      appendQuoted(value, to: &out)
    }
    Self.append(";\n", to: &out)
  }
}
