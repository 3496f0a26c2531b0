/// A JSON value that keeps everything it read, so a store rewritten by this program loses no key.
///
/// Numbers keep their source text: a value the program does not understand is written back as it was.
public enum JSON: Equatable, Sendable {
  case null
  case bool(Bool)
  case number(String)
  case string(String)
  case array([JSON])
  case object([String: JSON])

  public var stringValue: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  public var objectValue: [String: JSON]? {
    if case .object(let o) = self { return o }
    return nil
  }

  public var boolValue: Bool? {
    if case .bool(let b) = self { return b }
    return nil
  }

  public static func integer(_ value: Int64) -> JSON { .number(String(value)) }

  /// A number's value in whole units (fractions dropped), when it is a number that fits.
  public var integerValue: Int64? {
    guard case .number(let text) = self else { return nil }
    if let whole = Int64(text) { return whole }
    guard let d = Double(text), d.isFinite, abs(d) < 9.2e18 else { return nil }
    return Int64(d.rounded(.down))
  }
}

/// Where and why a JSON text failed to parse.
public struct JSONSyntaxError: Error, Equatable, Sendable {
  public var line: Int
  public var column: Int
  public var reason: String

  public var description: String { "line \(line), column \(column): \(reason)" }
}

// MARK: - Writing

extension JSON {
  /// The store's form: two-space indent, `"key" : value`, keys sorted by their UTF-8 bytes, a final newline.
  public func pretty() -> String {
    var out = ""
    out.reserveCapacity(256)
    write(to: &out, indent: 0, pretty: true)
    out.append("\n")
    return out
  }

  /// One line, keys sorted, `"key":value`.
  public func compact() -> String {
    var out = ""
    write(to: &out, indent: 0, pretty: false)
    return out
  }

  private func write(to out: inout String, indent: Int, pretty: Bool) {
    switch self {
    case .null: out.append("null")
    case .bool(let b): out.append(b ? "true" : "false")
    case .number(let n): out.append(n)
    case .string(let s): JSON.writeString(s, to: &out)
    case .array(let elements): JSON.write(elements.map { (nil, $0) }, "[", "]", to: &out, indent: indent, pretty: pretty)
    case .object(let members):
      let sorted = members.keys.sorted { utf8Precedes($0, $1) }.map { ($0, members[$0]!) }
      JSON.write(sorted, "{", "}", to: &out, indent: indent, pretty: pretty)
    }
  }

  /// An array's elements (no keys) or an object's members, between `open` and `close`.
  private static func write(
    _ items: [(key: String?, value: JSON)], _ open: String, _ close: String, to out: inout String, indent: Int, pretty: Bool
  ) {
    guard !items.isEmpty else { return out.append(open + close) }
    out.append(open)
    for (i, item) in items.enumerated() {
      if i > 0 { out.append(",") }
      if pretty { newline(&out, indent + 1) }
      if let key = item.key {
        writeString(key, to: &out)
        out.append(pretty ? " : " : ":")
      }
      item.value.write(to: &out, indent: indent + 1, pretty: pretty)
    }
    if pretty { newline(&out, indent) }
    out.append(close)
  }

  private static func newline(_ out: inout String, _ indent: Int) {
    out.append("\n")
    for _ in 0..<indent { out.append("  ") }
  }

  static func writeString(_ s: String, to out: inout String) {
    out.append("\"")
    for c in s.unicodeScalars {
      switch c {
      case "\"": out.append("\\\"")
      case "\\": out.append("\\\\")
      case "\n": out.append("\\n")
      case "\r": out.append("\\r")
      case "\t": out.append("\\t")
      case "\u{08}": out.append("\\b")
      case "\u{0C}": out.append("\\f")
      case _ where c.value < 0x20 || c.value == 0x7F:
        let hex = String(c.value, radix: 16)
        out.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
      default: out.unicodeScalars.append(c)
      }
    }
    out.append("\"")
  }
}

/// The index of the first byte at or after `start` (and before `count`) that ends a plain run of JSON
/// string text: `"`, `\`, a control character, or a byte that is not ASCII. Eight bytes at a time.
/// The reader (JSONReader.swift) reads strings with it.
@inline(__always) func plainStringEnd(_ base: UnsafePointer<UInt8>, from start: Int, count: Int) -> Int {
  var i = start
  let ones: UInt64 = 0x0101_0101_0101_0101
  let highs: UInt64 = 0x8080_8080_8080_8080
  // `start` is at most `count`, so no sum here overflows.
  while i &+ 8 <= count {
    // Little-endian: the first byte in memory is the lowest of the word.
    let w = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
    // A byte of w is zero when (w - 0x01…) & ~w has its high bit; less than 0x20 likewise with 0x20….
    // A byte is flagged when it is `"` or `\` (the xor makes it zero, and zero minus one sets the high
    // bit), less than 0x20 (minus 0x20 sets it) or 0x80 and above (its own high bit). An ordinary byte
    // (0x20...0x7F, not a quote or backslash) sets no high bit and borrows nothing, in any of the three.
    let special = (((w ^ (ones &* 0x22)) &- ones) | ((w ^ (ones &* 0x5C)) &- ones) | (w &- ones &* 0x20) | w) & highs
    // The subtractions' borrows can flag a byte only after a byte truly flagged, so the lowest
    // flag is the first special byte: found without going through the word a byte at a time.
    if special != 0 { return i &+ special.trailingZeroBitCount &>> 3 }
    i &+= 8
  }
  while i < count {
    let b = base[i]
    if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b < 0x20 || b >= 0x80 { break }
    i += 1
  }
  return i
}
