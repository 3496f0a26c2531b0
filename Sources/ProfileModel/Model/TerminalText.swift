/// What reaches a terminal is text, never control: the one sanitiser for human-readable output.
///
/// Every line a person reads (`list`, `show`, `current`, `doctor`, `guard`, `verify`, `default`, warnings
/// and errors) goes through `Context.print`, `write`, `warn`, `note` or `error`, which pass it through
/// here: a control character from any source — a profile's description or extra variable, a token's
/// claims, the environment, a server's answer — is shown escaped (`\e`, `\r`, `\x07`, `\u{9b}`), so none
/// can move the cursor, retitle the window, or write the clipboard (OSC 52). Newline and tab are kept:
/// the program's own text is laid out with them. Machine output (`--json`, shell code, dotenv, `token`)
/// goes through `Context.emit` instead and stays exact.
public enum TerminalText {
  /// `text` with every C0 control except newline and tab, DEL, and every C1 control escaped.
  /// With `singleLine` (a row of the picker), newline and tab are escaped too (`\n`, `\t`).
  public static func sanitize(_ text: String, singleLine: Bool = false) -> String {
    func escape(_ scalar: Unicode.Scalar) -> Bool {
      needsEscape(scalar) || (singleLine && (scalar == "\n" || scalar == "\t"))
    }
    guard text.unicodeScalars.contains(where: escape) else { return text }
    var out = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      guard escape(scalar) else {
        out.append(scalar)
        continue
      }
      let escaped: String
      switch scalar.value {
      case 0x1B: escaped = "\\e"
      case 0x0D: escaped = "\\r"
      case 0x0A: escaped = "\\n"
      case 0x09: escaped = "\\t"
      case 0x80...0x9F: escaped = "\\u{" + String(scalar.value, radix: 16) + "}"
      default: escaped = "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
      }
      out.append(contentsOf: escaped.unicodeScalars)
    }
    return String(out)
  }

  static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
    let v = scalar.value
    return (v < 0x20 && v != 0x0A && v != 0x09) || (v >= 0x7F && v <= 0x9F)
  }

  /// An excerpt of someone else's text for one line of a message (a server's answer, a helper's
  /// error): control characters become blanks, and it stops at `limit` characters with `…`. The
  /// message it goes into is sanitised again at the edge.
  package static func clip(_ s: String, limit: Int = 200) -> String {
    let line = String(s.unicodeScalars.map { $0.value < 0x20 ? " " : Character($0) })
    return line.count > limit ? String(line.prefix(limit)) + "…" : line
  }
}
