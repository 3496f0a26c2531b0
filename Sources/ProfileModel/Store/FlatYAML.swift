/// A reader for the flat YAML the conductor CLI writes (`~/.conductor-cli/config.yaml`): one
/// `key: value` a line, values plain, 'single-quoted' or "double-quoted", `#` comments, blank lines
/// and a leading `---`. Anything else (nesting, lists, block or flow scalars, anchors, tags) is refused
/// with the line it is on: reading half a file would be worse than reading none.
package enum FlatYAML {
  package struct Entry: Equatable {
    package let key: String
    /// Nil for an empty value, `~` or `null`.
    package let value: String?
    package let line: Int
  }

  package struct SyntaxError: Error, Equatable, CustomStringConvertible {
    package let line: Int
    package let reason: String
    package var description: String { "line \(line): \(reason)" }
  }

  package static func parse(_ bytes: [UInt8]) throws(SyntaxError) -> [Entry] {
    var body = bytes
    if body.starts(with: [0xEF, 0xBB, 0xBF]) { body.removeFirst(3) }
    guard let text = String(validating: body, as: UTF8.self) else {
      throw SyntaxError(line: 1, reason: "the file is not UTF-8 text")
    }
    var entries: [Entry] = []
    var seen: [String: Int] = [:]
    var sawContent = false
    var number = 0
    // "\r\n" is one Character in Swift: both line ends are separators.
    for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
      number += 1
      var line = Substring(rawLine)
      if line.hasSuffix("\r") { line = line.dropLast() }
      let trimmed = line.drop { $0 == " " || $0 == "\t" }
      if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
      if !sawContent, trimmed.hasPrefix("---"), stripComment(trimmed.dropFirst(3)).isEmpty {
        sawContent = true
        continue
      }
      sawContent = true
      if trimmed.count != line.count {
        throw SyntaxError(line: number, reason: "an indented line (nested YAML) is not supported; keep one key: value a line")
      }
      if line.hasPrefix("- ") || line == "-" {
        throw SyntaxError(line: number, reason: "a list item is not supported; keep one key: value a line")
      }
      if line.hasPrefix("---") || line.hasPrefix("...") {
        throw SyntaxError(line: number, reason: "more than one YAML document is not supported")
      }
      var rest: Substring
      let key: String
      if line.first == "\"" || line.first == "'" {
        var cursor = line
        key = try quoted(&cursor, line: number)
        rest = cursor
        guard rest.first == ":" else { throw SyntaxError(line: number, reason: "expected ':' after the quoted key") }
        rest = rest.dropFirst()
      } else {
        guard let colon = separator(in: line) else {
          throw SyntaxError(line: number, reason: "expected key: value (a key, ':' and a blank, then the value)")
        }
        key = String(line[..<colon]).trimmingTrailingBlanks()
        rest = line[line.index(after: colon)...]
      }
      guard !key.isEmpty else { throw SyntaxError(line: number, reason: "the key is empty") }
      if let first = seen[key] {
        throw SyntaxError(line: number, reason: "the key '\(key)' is given twice (first on line \(first))")
      }
      seen[key] = number
      let value = try scalar(rest.drop { $0 == " " || $0 == "\t" }, line: number)
      entries.append(Entry(key: key, value: value, line: number))
    }
    return entries
  }

  /// The index of the ':' that ends a plain key: followed by a blank or the end of the line.
  private static func separator(in line: Substring) -> Substring.Index? {
    var i = line.startIndex
    while i < line.endIndex {
      if line[i] == "#", i > line.startIndex, line[line.index(before: i)] == " " { return nil }
      if line[i] == ":" {
        let next = line.index(after: i)
        if next == line.endIndex || line[next] == " " || line[next] == "\t" { return i }
      }
      i = line.index(after: i)
    }
    return nil
  }

  /// A value after `key:`: empty (nil), quoted, or plain up to a ` #` comment.
  private static func scalar(_ text: Substring, line: Int) throws(SyntaxError) -> String? {
    if text.isEmpty || text.hasPrefix("#") { return nil }
    if text.first == "\"" || text.first == "'" {
      var cursor = text
      let value = try quoted(&cursor, line: line)
      guard stripComment(cursor).isEmpty else {
        throw SyntaxError(line: line, reason: "unexpected text after the closing quote")
      }
      return value
    }
    if let first = text.first, "[{|>&*!%@`".contains(first) {
      throw SyntaxError(
        line: line,
        reason:
          "a value starting with '\(first)' (a YAML \(first == "|" || first == ">" ? "block scalar" : "flow collection, anchor or tag")) is not supported; quote the value"
      )
    }
    let plain = String(stripComment(text))
    if plain == "~" || plain == "null" || plain == "Null" || plain == "NULL" { return nil }
    return plain
  }

  /// Text up to a ` #` comment, trailing blanks removed.
  private static func stripComment(_ text: Substring) -> String {
    var end = text.endIndex
    var i = text.startIndex
    while i < text.endIndex {
      if text[i] == "#", i == text.startIndex || text[text.index(before: i)] == " " || text[text.index(before: i)] == "\t" {
        end = i
        break
      }
      i = text.index(after: i)
    }
    return String(text[..<end]).trimmingTrailingBlanks()
  }

  /// A single- or double-quoted scalar at the start of `text`; `text` is left after the closing quote.
  private static func quoted(_ text: inout Substring, line: Int) throws(SyntaxError) -> String {
    let quote = text.first!
    var out = ""
    var i = text.index(after: text.startIndex)
    while i < text.endIndex {
      let c = text[i]
      if c == quote {
        let next = text.index(after: i)
        if quote == "'", next < text.endIndex, text[next] == "'" {
          out.append("'")
          i = text.index(after: next)
          continue
        }
        text = text[next...]
        return out
      }
      if quote == "\"", c == "\\" {
        i = text.index(after: i)
        guard i < text.endIndex else { break }
        let e = text[i]
        switch e {
        case "\"": out.append("\"")
        case "\\": out.append("\\")
        case "/": out.append("/")
        case "n": out.append("\n")
        case "t": out.append("\t")
        case "r": out.append("\r")
        case "0": out.append("\u{0}")
        case " ": out.append(" ")
        case "x", "u", "U":
          let width = e == "x" ? 2 : e == "u" ? 4 : 8
          var hex = ""
          var j = text.index(after: i)
          while hex.count < width, j < text.endIndex {
            hex.append(text[j])
            j = text.index(after: j)
          }
          guard hex.count == width, let n = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(n) else {
            throw SyntaxError(line: line, reason: "a \\\(e) escape is not a valid character")
          }
          out.unicodeScalars.append(scalar)
          i = text.index(before: j)
        default:
          throw SyntaxError(line: line, reason: "the escape \\\(e) is not supported in a double-quoted value")
        }
        i = text.index(after: i)
        continue
      }
      out.append(c)
      i = text.index(after: i)
    }
    throw SyntaxError(
      line: line, reason: "the \(quote == "'" ? "single" : "double")-quoted value has no closing quote on this line")
  }
}

extension String {
  func trimmingTrailingBlanks() -> String {
    var s = Substring(self)
    while s.last == " " || s.last == "\t" { s = s.dropLast() }
    return String(s)
  }
}
