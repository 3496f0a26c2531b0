/// What reaches a terminal is text, never control: the one sanitiser for human-readable output.
///
/// Every line a person reads (`list`, `show`, `current`, `doctor`, `guard`, `verify`, `default`, warnings
/// and errors) goes through `Context.print`, `write`, `warn`, `note` or `error`, which pass it through
/// here: a control character from any source — a profile's description or extra variable, a token's
/// claims, the environment, a server's answer — is shown escaped (`\e`, `\r`, `\x07`, `\u{9b}`), so none
/// can move the cursor, retitle the window, or write the clipboard (OSC 52); a bidirectional or
/// invisible format control (`\u{202E}`) is shown escaped too, so no row can display as something it
/// is not (`isHiddenFormat`). Newline and tab are kept:
/// the program's own text is laid out with them. Machine output (`--json`, shell code, dotenv, `token`)
/// goes through `Context.emit` instead and stays exact.
public enum TerminalText {
  /// `text` with every C0 control except newline and tab, DEL, every C1 control, and every format
  /// control that reorders or hides text escaped.
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
      case 0x80...: escaped = "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
      default: escaped = "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
      }
      out.append(contentsOf: escaped.unicodeScalars)
    }
    return String(out)
  }

  static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
    let v = scalar.value
    if v < 0xA0 { return (v < 0x20 && v != 0x0A && v != 0x09) || v >= 0x7F }
    return isHiddenFormat(v)
  }

  /// The format controls (Unicode category Cf) that reorder text or hide characters: the bidirectional
  /// embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), the marks (U+200E, U+200F,
  /// U+061C), the zero-width characters (U+200B–U+200D, U+2060–U+2064, U+FEFF), the soft hyphen, the
  /// deprecated format characters (U+206A–U+206F), the interlinear annotation controls (U+FFF9–U+FFFB),
  /// U+180E, and the tag characters (U+E0001, U+E0020–U+E007F).
  static func isHiddenFormat(_ v: UInt32) -> Bool {
    switch v {
    case 0x00AD, 0x061C, 0x180E, 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2064, 0x2066...0x206F, 0xFEFF,
      0xFFF9...0xFFFB, 0xE0001, 0xE0020...0xE007F:
      return true
    default:
      return false
    }
  }

  /// An excerpt of someone else's text for one line of a message (a server's answer, a helper's
  /// error): control characters become blanks, and it stops at `limit` characters with `…`. The
  /// message it goes into is sanitised again at the edge.
  package static func clip(_ s: String, limit: Int = 200) -> String {
    let line = String(s.unicodeScalars.map { $0.value < 0x20 ? " " : Character($0) })
    return line.count > limit ? String(line.prefix(limit)) + "…" : line
  }
}
