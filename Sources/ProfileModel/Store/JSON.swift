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

// MARK: - Parsing

extension JSON {
  /// Parses UTF-8 JSON text (RFC 8259). Duplicate object keys are an error: a store that says two
  /// things is not guessed at.
  public static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSON {
    // The parser reads through a buffer pointer: every access is checked against `count` by hand,
    // and the array's own bounds checks were a fifth of the time of reading a large store.
    return try bytes.withUnsafeBufferPointer { (buffer) throws(JSONSyntaxError) -> JSON in
      var parser = JSONParser(bytes: buffer)
      return try parser.parseDocument()
    }
  }

  public static func parse(_ text: String) throws(JSONSyntaxError) -> JSON {
    try parse(Array(text.utf8))
  }
}

struct JSONParser {
  let bytes: UnsafeBufferPointer<UInt8>
  var index = 0
  var depth = 0
  /// Set by `JSON.parseStore`: the top-level member "profiles" is located, not built (StoreScan.swift).
  var locateProfiles = false
  /// What locating "profiles" found.
  /// (Not an optional with a flag beside it: destroying the optional's nil, when it is set, went
  /// through the optional's type metadata, made at run time.)
  var located: [String: Store.RawProfile] = [:]
  var foundProfiles = false
  /// With `foundProfiles`: true when the profiles are in `found` (names plain and in ascending byte
  /// order, so none repeats), false when they are in `located`.
  var indexed = false
  var found: [FoundProfile] = []
  /// Member names of the objects being skipped, innermost last (see `skipObject`): memory of its own,
  /// freed by `JSON.parseStore` (an array checked its uniqueness and bounds at every name).
  var skippedNames: UnsafeMutablePointer<NameSpan>? = nil
  var skippedCapacity = 0
  /// How many of `skippedNames` are in use.
  var skippedCount = 0
  /// The names of the large objects being skipped whose names are not in order, innermost last
  /// (see `checkRepeat`).
  var nameSets: [Set<String>] = []
  /// Members of the small objects being read, innermost last (see `parseObject`).
  var pending: [(key: String, value: JSON)] = []

  init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

  mutating func parseDocument() throws(JSONSyntaxError) -> JSON {
    // A UTF-8 byte order mark is tolerated at the start, as editors sometimes write one.
    if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
    skipWhitespace()
    let value = try parseValue()
    skipWhitespace()
    if index < bytes.count { throw fail("unexpected text after the end of the document") }
    return value
  }

  func fail(_ reason: String, at position: Int? = nil) -> JSONSyntaxError {
    let end = min(position ?? index, bytes.count)
    var line = 1
    var lineStart = 0
    var i = 0
    while i < end {
      if bytes[i] == UInt8(ascii: "\n") {
        line += 1
        lineStart = i + 1
      }
      i += 1
    }
    // Columns count characters, not bytes: skip UTF-8 continuation bytes.
    var column = 1
    i = lineStart
    while i < end {
      if bytes[i] & 0xC0 != 0x80 { column += 1 }
      i += 1
    }
    return JSONSyntaxError(line: line, column: column, reason: reason)
  }

  @inline(__always) mutating func skipWhitespace() {
    let i = index
    let count = bytes.count
    guard i < count, let base = bytes.baseAddress, base[i] <= 0x20 else { return }
    // The store's form at once: a line break, then up to eight spaces, then text (the spaces found a
    // word at a time: the first byte that is not a space ends them).
    if base[i] == 0x0A, i &+ 10 <= count {
      let spaces = UInt64(littleEndian: UnsafeRawPointer(base + i + 1).loadUnaligned(as: UInt64.self)) ^ 0x2020_2020_2020_2020
      let next = i &+ 1 &+ spaces.trailingZeroBitCount &>> 3
      if base[next] > 0x20 {
        index = next
        return
      }
    }
    skipWhitespaceRun()
  }

  /// `skipWhitespace` for any other whitespace.
  @inline(never) mutating func skipWhitespaceRun() {
    var i = index
    let count = bytes.count
    guard let base = bytes.baseAddress else { return }
    // Bits 0x09, 0x0A, 0x0D and 0x20: the four whitespace bytes.
    let whitespace: UInt64 = 0x1_0000_2600
    while i < count {
      let b = base[i]
      guard b <= 0x20, whitespace & (1 << UInt64(b)) != 0 else { break }
      i += 1
      // After a line break, the indentation of a pretty-printed store is measured a word at a time.
      if b == 0x0A, i + 8 <= count {
        let other = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)) ^ 0x2020_2020_2020_2020
        i += other.trailingZeroBitCount / 8
      }
    }
    index = i
  }

  /// The index of the first byte at or after `start` that ends a plain run of string text (`plainStringEnd`).
  @inline(__always) func plainEnd(from start: Int) -> Int {
    guard let base = bytes.baseAddress else { return start }
    return plainStringEnd(base, from: start, count: bytes.count)
  }

  /// Where an object member's name starts (after whitespace), or the error when no name is there.
  @inline(__always) mutating func memberNameStart() throws(JSONSyntaxError) -> Int {
    skipWhitespace()
    guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
      throw fail("expected a member name in double quotes")
    }
    return index
  }

  /// The `:` after a member's name, and the whitespace around it: leaves `index` at the value.
  @inline(__always) mutating func memberColon() throws(JSONSyntaxError) {
    // The store's own form, `"name" : value`, at once: one space, the colon, one space, the value
    // (one four-byte load; any other form goes the long way).
    if index + 4 <= bytes.count, let base = bytes.baseAddress {
      let four = UInt32(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt32.self))
      if four & 0x00FF_FFFF == 0x0020_3A20, four >> 24 > 0x20 {
        index += 3
        return
      }
    }
    try memberColonSpaced()
  }

  /// `memberColon` for any other spacing (out of line: the store's form is the common one).
  @inline(never) mutating func memberColonSpaced() throws(JSONSyntaxError) {
    skipWhitespace()
    guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
      throw fail("expected ':' after the member name")
    }
    index += 1
    skipWhitespace()
  }

  /// After an object member or array element: true at the closing bracket (consumed), false after
  /// a ',' (the next member or element follows).
  @inline(__always) mutating func endOfElement(_ close: UInt8) throws(JSONSyntaxError) -> Bool {
    // A ',' right after the value, or the closing bracket on a line of its own (the store's form), at
    // once; anything else the long way.
    if index < bytes.count, bytes[index] == UInt8(ascii: ",") {
      index += 1
      return false
    }
    skipWhitespace()
    if index < bytes.count, bytes[index] == close {
      index += 1
      return true
    }
    return try endOfElementSpaced(close)
  }

  @inline(never) mutating func endOfElementSpaced(_ close: UInt8) throws(JSONSyntaxError) -> Bool {
    skipWhitespace()
    let object = close == UInt8(ascii: "}")
    guard index < bytes.count else { throw fail("unexpected end of the document; expected ',' or \(object ? "'}'" : "']'")") }
    if bytes[index] == UInt8(ascii: ",") {
      index += 1
      return false
    }
    if bytes[index] == close {
      index += 1
      return true
    }
    throw fail(object ? "expected ',' or '}' after an object member" : "expected ',' or ']' after an array element")
  }

  mutating func parseValue() throws(JSONSyntaxError) -> JSON {
    guard index < bytes.count else { throw fail("unexpected end of the document; expected a value") }
    switch bytes[index] {
    case UInt8(ascii: "{"): return try parseObject()
    case UInt8(ascii: "["): return try parseArray()
    case UInt8(ascii: "\""): return .string(try parseString())
    case UInt8(ascii: "t"): return try parseLiteral("true", .bool(true))
    case UInt8(ascii: "f"): return try parseLiteral("false", .bool(false))
    case UInt8(ascii: "n"): return try parseLiteral("null", .null)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
    default: throw fail("expected a value (object, array, string, number, true, false or null)")
    }
  }

  mutating func parseLiteral(_ word: StaticString, _ value: JSON) throws(JSONSyntaxError) -> JSON {
    try skipLiteral(word)
    return value
  }

  /// Moves past `word` (true, false or null), or fails as `parseValue` does.
  @inline(__always) mutating func skipLiteral(_ word: StaticString) throws(JSONSyntaxError) {
    let count = word.utf8CodeUnitCount
    guard index + count <= bytes.count, let base = bytes.baseAddress else { throw failLiteral() }
    let w = word.utf8Start
    var k = 0
    while k < count {
      guard base[index + k] == w[k] else { throw failLiteral() }
      k += 1
    }
    index += count
  }

  @inline(never) func failLiteral() -> JSONSyntaxError {
    fail("expected a value (object, array, string, number, true, false or null)")
  }

  mutating func enter() throws(JSONSyntaxError) {
    depth += 1
    if depth > 512 { throw fail("nested too deeply") }
  }

  /// Objects of up to this many members are gathered on `pending` (a duplicate found by comparing
  /// names) and hashed into a dictionary of the right size once, at their end; larger ones go into a
  /// dictionary as they are read. Same result and same errors either way, fewer hashes and no regrowth.
  static var smallObject: Int { 16 }

  mutating func parseObject() throws(JSONSyntaxError) -> JSON {
    try enter()
    defer { depth -= 1 }
    index += 1
    // This object's members so far are pending[base...] (nested objects push and pop above them).
    let base = pending.count
    var members: [String: JSON] = [:]
    skipWhitespace()
    if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
      index += 1
      return .object(members)
    }
    while true {
      let keyStart = try memberNameStart()
      let key = try parseString()
      try memberColon()
      let value: JSON
      if locateProfiles, depth == 1, key == "profiles", index < bytes.count, bytes[index] == UInt8(ascii: "{") {
        value = try locateProfileMembers()
      } else {
        value = try parseValue()
      }
      var duplicate = false
      if members.isEmpty && pending.count - base < JSONParser.smallObject {
        for i in base..<pending.count where pending[i].key == key { duplicate = true }
        pending.append((key, value))
      } else {
        if members.isEmpty { members = take(from: base, capacity: 4 * JSONParser.smallObject) }
        duplicate = members.updateValue(value, forKey: key) != nil
      }
      if duplicate {
        throw fail("the member \"\(key)\" appears twice in one object", at: keyStart)
      }
      if try endOfElement(UInt8(ascii: "}")) {
        return .object(members.isEmpty ? take(from: base, capacity: pending.count - base) : members)
      }
    }
  }

  /// Moves pending[base...] into a dictionary made with room for `capacity` members.
  mutating func take(from base: Int, capacity: Int) -> [String: JSON] {
    var members = [String: JSON](minimumCapacity: capacity)
    while pending.count > base {
      let (key, value) = pending.removeLast()
      members[key] = value
    }
    return members
  }

  mutating func parseArray() throws(JSONSyntaxError) -> JSON {
    try enter()
    defer { depth -= 1 }
    index += 1
    var elements: [JSON] = []
    skipWhitespace()
    if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
      index += 1
      return .array(elements)
    }
    while true {
      skipWhitespace()
      elements.append(try parseValue())
      if try endOfElement(UInt8(ascii: "]")) { return .array(elements) }
    }
  }

  mutating func parseNumber() throws(JSONSyntaxError) -> JSON {
    let start = index
    try scanNumber()
    return .number(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
  }

  /// Moves past a number, checking its syntax.
  mutating func scanNumber() throws(JSONSyntaxError) {
    func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
    if bytes[index] == UInt8(ascii: "-") { index += 1 }
    guard index < bytes.count, isDigit(bytes[index]) else { throw fail("expected a digit") }
    if bytes[index] == UInt8(ascii: "0") {
      index += 1
    } else {
      while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
      index += 1
      guard index < bytes.count, isDigit(bytes[index]) else { throw fail("expected a digit after '.'") }
      while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
      index += 1
      if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
        index += 1
      }
      guard index < bytes.count, isDigit(bytes[index]) else { throw fail("expected a digit in the exponent") }
      while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }
  }

  mutating func parseString() throws(JSONSyntaxError) -> String {
    let open = index
    index += 1
    let start = index
    // Fast path: no escapes. ASCII needs no validation, and `String(decoding:)` on a buffer is
    // specialised, where `String(validating:)` looks up generic metadata on every call.
    var high: UInt8 = 0
    var i = index
    let count = bytes.count
    while true {
      i = plainEnd(from: i)
      guard i < count, bytes[i] >= 0x80 else { break }
      high = 0x80
      i += 1
    }
    index = i
    if i < count, bytes[i] == UInt8(ascii: "\"") {
      let s: String
      if high < 0x80 {
        s = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
      } else {
        guard let valid = String(validating: bytes[start..<i], as: UTF8.self) else {
          throw fail("the string is not valid UTF-8", at: open)
        }
        s = valid
      }
      index = i + 1
      return s
    }
    if i < count, bytes[i] < 0x20 { throw fail("a control character must be escaped in a string") }
    var buffer = Array(bytes[start..<index])
    while index < bytes.count {
      let b = bytes[index]
      switch b {
      case UInt8(ascii: "\""):
        guard let s = String(validating: buffer, as: UTF8.self) else {
          throw fail("the string is not valid UTF-8", at: open)
        }
        index += 1
        return s
      case UInt8(ascii: "\\"):
        index += 1
        guard index < bytes.count else { break }
        let e = bytes[index]
        index += 1
        switch e {
        case UInt8(ascii: "\""): buffer.append(0x22)
        case UInt8(ascii: "\\"): buffer.append(0x5C)
        case UInt8(ascii: "/"): buffer.append(0x2F)
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"):
          var scalar = try parseHex4()
          if (0xD800...0xDBFF).contains(scalar) {
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
            else { throw fail("a lone surrogate \\u escape") }
            index += 2
            let low = try parseHex4()
            guard (0xDC00...0xDFFF).contains(low) else { throw fail("a lone surrogate \\u escape") }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
          } else if (0xDC00...0xDFFF).contains(scalar) {
            throw fail("a lone surrogate \\u escape")
          }
          guard let u = Unicode.Scalar(scalar) else { throw fail("an invalid \\u escape") }
          buffer.append(contentsOf: String(Character(u)).utf8)
        default:
          throw fail("an invalid escape '\\\(Character(Unicode.Scalar(e)))' in a string", at: index - 2)
        }
      default:
        if b < 0x20 { throw fail("a control character must be escaped in a string") }
        buffer.append(b)
        index += 1
      }
    }
    throw fail("unexpected end of the document inside a string", at: open)
  }

  mutating func parseHex4() throws(JSONSyntaxError) -> UInt32 {
    guard index + 4 <= bytes.count else { throw fail("expected four hex digits after \\u") }
    var value: UInt32 = 0
    for _ in 0..<4 {
      let b = bytes[index]
      let digit: UInt32
      switch b {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(b - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(b - UInt8(ascii: "a") + 10)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(b - UInt8(ascii: "A") + 10)
      default: throw fail("expected four hex digits after \\u")
      }
      value = value << 4 | digit
      index += 1
    }
    return value
  }
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
    case .array(let elements):
      if elements.isEmpty {
        out.append("[]")
        return
      }
      out.append("[")
      for (i, element) in elements.enumerated() {
        if i > 0 { out.append(",") }
        if pretty { JSON.newline(&out, indent + 1) }
        element.write(to: &out, indent: indent + 1, pretty: pretty)
      }
      if pretty { JSON.newline(&out, indent) }
      out.append("]")
    case .object(let members):
      if members.isEmpty {
        out.append("{}")
        return
      }
      out.append("{")
      let keys = members.keys.sorted { utf8Precedes($0, $1) }
      for (i, key) in keys.enumerated() {
        if i > 0 { out.append(",") }
        if pretty { JSON.newline(&out, indent + 1) }
        JSON.writeString(key, to: &out)
        out.append(pretty ? " : " : ":")
        members[key]!.write(to: &out, indent: indent + 1, pretty: pretty)
      }
      if pretty { JSON.newline(&out, indent) }
      out.append("}")
    }
  }

  private static func newline(_ out: inout String, _ indent: Int) {
    out.append("\n")
    for _ in 0..<indent { out.append("  ") }
  }

  static func writeString(_ s: String, to out: inout String) {
    out.append("\"")
    var plainStart = s.unicodeScalars.startIndex
    var i = plainStart
    let scalars = s.unicodeScalars
    while i != scalars.endIndex {
      let c = scalars[i]
      let escape: String?
      switch c {
      case "\"": escape = "\\\""
      case "\\": escape = "\\\\"
      case "\n": escape = "\\n"
      case "\r": escape = "\\r"
      case "\t": escape = "\\t"
      case "\u{08}": escape = "\\b"
      case "\u{0C}": escape = "\\f"
      default:
        if c.value < 0x20 || c.value == 0x7F {
          let hex = String(c.value, radix: 16)
          escape = "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          escape = nil
        }
      }
      if let escape {
        out.unicodeScalars.append(contentsOf: scalars[plainStart..<i])
        out.append(escape)
        plainStart = scalars.index(after: i)
      }
      i = scalars.index(after: i)
    }
    out.unicodeScalars.append(contentsOf: scalars[plainStart..<scalars.endIndex])
    out.append("\"")
  }
}

/// The index of the first byte at or after `start` (and before `count`) that ends a plain run of JSON
/// string text: `"`, `\`, a control character, or a byte that is not ASCII. Eight bytes at a time.
/// The parser and the store scan (StoreScan.swift) both read strings with it.
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
