/// Reading JSON (RFC 8259): one walker over the bytes, in the manner of simdjson's On-Demand reader.
///
/// There is one object grammar (`walkObject`), one array grammar (`walkArray`) and one duplicate-member
/// rule (`checkName`); each value is either built (`parseValue`, a `JSON`) or skipped (`skipValue`: the same
/// checks, the same errors at the same line and column, nothing made). Everything that reads JSON goes
/// through it: the store, import, the trust file, tokens, the token cache and server answers.
///
/// The store (`JSON.parseStore`) is built, except the members of its top-level "profiles" object: each is
/// skipped and recorded as the byte range of its name and value, with where its server is when it flags
/// production (all a production check reads), so a switch builds one profile of ten thousand.
struct JSONParser {
  let bytes: UnsafeBufferPointer<UInt8>
  var index = 0
  var depth = 0
  /// Set by `JSON.parseStore`: the top-level member "profiles" is located, not built.
  var locateProfiles = false
  var foundProfiles = false
  /// With `foundProfiles`: whether every profile name was plain and after the one before in byte order.
  var indexed = false
  var found: [FoundProfile] = []
  /// The member names of the objects being read, innermost last (`checkName`): memory of its own, freed
  /// by `JSONParser.read` (an array checked its uniqueness and bounds at every name).
  var names: UnsafeMutablePointer<NameSpan>? = nil
  var namesCapacity = 0
  var namesCount = 0
  /// The names of the objects being read whose names are not in order, innermost last.
  var nameSets: [Set<String>] = []

  init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

  /// Runs `body` on a parser of `bytes`, then frees what the parser allocated.
  static func read<T>(
    _ bytes: UnsafeBufferPointer<UInt8>, locateProfiles: Bool = false, _ body: (inout JSONParser) throws(JSONSyntaxError) -> T
  )
    throws(JSONSyntaxError) -> T
  {
    var parser = JSONParser(bytes: bytes)
    parser.locateProfiles = locateProfiles
    defer { parser.names?.deallocate() }
    return try body(&parser)
  }

  /// The document: one value, whitespace around it, and a UTF-8 byte order mark tolerated at the start (as
  /// editors sometimes write one).
  mutating func parseDocument() throws(JSONSyntaxError) -> JSON {
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
    var column = 1
    for b in bytes[..<end] {
      if b == UInt8(ascii: "\n") {
        line += 1
        column = 1
      } else if b & 0xC0 != 0x80 {
        // Columns count characters, not bytes: UTF-8 continuation bytes are not counted.
        column += 1
      }
    }
    return JSONSyntaxError(line: line, column: column, reason: reason)
  }

  static let expectedValue = "expected a value (object, array, string, number, true, false or null)"

  // MARK: Values, built or skipped

  mutating func parseValue() throws(JSONSyntaxError) -> JSON {
    let start = index
    switch index < bytes.count ? bytes[index] : 0 {
    case UInt8(ascii: "{"): return try parseObject()
    case UInt8(ascii: "["):
      var elements: [JSON] = []
      try walkArray { (p) throws(JSONSyntaxError) in elements.append(try p.parseValue()) }
      return .array(elements)
    case UInt8(ascii: "\""): return .string(try parseString())
    default:
      // A number or a literal (or the error): checked as when skipped, then made from its first byte.
      try skipOtherValue()
      switch bytes[start] {
      case UInt8(ascii: "t"): return .bool(true)
      case UInt8(ascii: "f"): return .bool(false)
      case UInt8(ascii: "n"): return .null
      default: return .number(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
      }
    }
  }

  /// Moves past a value, checking it as `parseValue` does, without building it (a string at once: most are).
  @inline(__always) mutating func skipValue() throws(JSONSyntaxError) {
    if index < bytes.count, bytes[index] == UInt8(ascii: "\"") { try skipName() } else { try skipOtherValue() }
  }

  @inline(never) mutating func skipOtherValue() throws(JSONSyntaxError) {
    guard index < bytes.count else { throw fail("unexpected end of the document; expected a value") }
    switch bytes[index] {
    case UInt8(ascii: "{"): try skipObject()
    case UInt8(ascii: "["): try walkArray { (p) throws(JSONSyntaxError) in try p.skipValue() }
    case UInt8(ascii: "t"): try skipLiteral("true")
    case UInt8(ascii: "f"): try skipLiteral("false")
    case UInt8(ascii: "n"): try skipLiteral("null")
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try scanNumber()
    default: throw fail(JSONParser.expectedValue)
    }
  }

  mutating func parseObject() throws(JSONSyntaxError) -> JSON {
    var members: [String: JSON] = [:]
    try walkObject { (p, name) throws(JSONSyntaxError) in
      let key = p.name(name)
      if p.locateProfiles, p.depth == 1, key == "profiles", p.index < p.bytes.count, p.bytes[p.index] == UInt8(ascii: "{") {
        try p.locateProfileMembers()
        members[key] = .object([:])
      } else {
        members[key] = try p.parseValue()
      }
    }
    return .object(members)
  }

  @inline(never) mutating func skipObject() throws(JSONSyntaxError) {
    try walkObject { (p, _) throws(JSONSyntaxError) in try p.skipValue() }
  }

  @inline(__always) mutating func enter() throws(JSONSyntaxError) {
    depth += 1
    if depth > 512 { throw tooDeep() }
  }

  @inline(never) func tooDeep() -> JSONSyntaxError { fail("nested too deeply") }

  // MARK: The one object grammar and the one array grammar

  /// `{`, members `"name" : value` between `,`, then `}`. `member` reads each value (builds or skips it).
  /// A name that repeats one before it in the same object is an error at the repeat, after its value.
  /// Returns true when every name was plain and followed the one before in byte order.
  @inline(__always) @discardableResult
  mutating func walkObject(_ member: (inout JSONParser, NameSpan) throws(JSONSyntaxError) -> Void) throws(JSONSyntaxError) -> Bool
  {
    try enter()
    defer { depth -= 1 }
    index += 1
    skipWhitespace()
    if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
      index += 1
      return true
    }
    var order = NameOrder(base: namesCount)
    defer {
      namesCount = order.base
      if order.hasSet { nameSets.removeLast() }
    }
    while true {
      skipWhitespace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a member name in double quotes") }
      let keyStart = index
      let key = try skipName()
      try memberColon()
      try member(&self, key)
      try checkName(key, at: keyStart, &order)
      if try endOfElement(UInt8(ascii: "}")) { return order.ascending }
    }
  }

  /// `[`, values between `,`, then `]`. `element` reads each value.
  @inline(__always) mutating func walkArray(_ element: (inout JSONParser) throws(JSONSyntaxError) -> Void) throws(JSONSyntaxError)
  {
    try enter()
    defer { depth -= 1 }
    index += 1
    skipWhitespace()
    if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
      index += 1
      return
    }
    while true {
      skipWhitespace()
      try element(&self)
      if try endOfElement(UInt8(ascii: "]")) { return }
    }
  }

  /// What the duplicate-member rule knows of the object being read: its names are names[base..<namesCount].
  struct NameOrder {
    let base: Int
    /// While every name is plain and follows the one before in byte order (a store as written), none can
    /// repeat an earlier one: no name is compared with more than the one before it.
    var ascending = true
    /// The `prefixWord` of the name before (the name itself is the last on `names`).
    var lastWord: UInt64 = 0
    /// Whether this object has a set of its names on `nameSets`.
    var hasSet = false
  }

  /// The one duplicate-member rule: fails when `key` repeats a name before it in its object (as `String`
  /// compares them). Compared with the name before while the names ascend; after that in a set of the
  /// object's names (made once).
  @inline(__always) mutating func checkName(_ key: NameSpan, at keyStart: Int, _ order: inout NameOrder) throws(JSONSyntaxError) {
    let word = prefixWord(key)
    if order.ascending {
      order.ascending = key.plain && follows(key, word, order.lastWord)
    }
    if !order.ascending { try checkRepeat(key, at: keyStart, &order) }
    if namesCount == namesCapacity { growNames() }
    (names! + namesCount).initialize(to: key)
    namesCount += 1
    order.lastWord = word
  }

  @inline(never) private mutating func checkRepeat(_ key: NameSpan, at keyStart: Int, _ order: inout NameOrder)
    throws(JSONSyntaxError)
  {
    if !order.hasSet {
      nameSets.append(Set((order.base..<namesCount).map { name(names![$0]) }))
      order.hasSet = true
    }
    guard nameSets[nameSets.count - 1].insert(name(key)).inserted else {
      throw fail("the member \"\(name(key))\" appears twice in one object", at: keyStart)
    }
  }

  private mutating func growNames() {
    let capacity = max(64, namesCapacity * 2)
    let grown = UnsafeMutablePointer<NameSpan>.allocate(capacity: capacity)
    if let old = names {
      grown.moveInitialize(from: old, count: namesCount)
      old.deallocate()
    }
    names = grown
    namesCapacity = capacity
  }

  // MARK: The store's profiles, located

  /// The members of the "profiles" object, skipped and located (`FoundProfile`).
  mutating func locateProfileMembers() throws(JSONSyntaxError) {
    var found: [FoundProfile] = []
    // Room for a profile every 256 bytes (a profile as written takes about 300): no copy as it grows.
    found.reserveCapacity((bytes.count - index) / 256 + 4)
    indexed = try walkObject { (p, name) throws(JSONSyntaxError) in
      let start = p.index
      if p.index < p.bytes.count, p.bytes[p.index] == UInt8(ascii: "{") {
        found.append(try p.skipProfileObject(name))
      } else {
        try p.skipValue()
        found.append(FoundProfile(name: name, range: start..<p.index, server: nil, production: .unset))
      }
    }
    self.found = found
    foundProfiles = true
  }

  /// Skips the object of the profile `name`, and returns where it is, where its "server" string is and what
  /// its "production" says.
  @inline(never) mutating func skipProfileObject(_ name: NameSpan) throws(JSONSyntaxError) -> FoundProfile {
    let start = index
    var production = ProductionMark.unset
    var server: NameSpan? = nil
    try walkObject { (p, name) throws(JSONSyntaxError) in
      let next = p.index < p.bytes.count ? p.bytes[p.index] : 0
      if next == UInt8(ascii: "\""), p.isName(name, "server") {
        server = try p.skipName()
      } else if next == UInt8(ascii: "t"), p.isName(name, "production") {
        try p.skipLiteral("true")
        production = .yes
      } else if next == UInt8(ascii: "f"), p.isName(name, "production") {
        try p.skipLiteral("false")
        production = .no
      } else {
        try p.skipValue()
      }
    }
    // A production flag with no "server" string still marks production: an empty text, no host (doubt).
    let missing = production == .yes && server == nil
    let located = missing ? NameSpan(text: index..<index, plain: true) : server
    return FoundProfile(name: name, range: start..<index, server: located, production: production)
  }

  // MARK: Strings and names

  /// Moves past a string, and returns where it is: its bytes between the quotes when plain (ASCII, no
  /// escape), else the whole string with its quotes (checked, as `parseString` checks it).
  @inline(__always) @discardableResult mutating func skipName() throws(JSONSyntaxError) -> NameSpan {
    let end = plainEnd(from: index + 1)
    if end < bytes.count, bytes[end] == UInt8(ascii: "\"") {
      defer { index = end &+ 1 }
      return NameSpan(text: Range(uncheckedBounds: (index &+ 1, end)), plain: true)
    }
    let start = index
    _ = try parseString()
    return NameSpan(text: start..<index, plain: false)
  }

  /// The string at `span` (`skipName` checked it).
  func name(_ span: NameSpan) -> String {
    if span.plain { return String(decoding: UnsafeBufferPointer(rebasing: bytes[span.text]), as: UTF8.self) }
    var parser = JSONParser(bytes: bytes)
    parser.index = span.text.lowerBound
    return (try? parser.parseString()) ?? ""
  }

  func isName(_ span: NameSpan, _ text: StaticString) -> Bool {
    guard span.plain else { return name(span) == text.description }
    let count = text.utf8CodeUnitCount
    return span.text.count == count
      && JSONParser.compare(bytes.baseAddress! + span.text.lowerBound, count, text.utf8Start, count) == 0
  }

  func compare(_ a: NameSpan, _ b: NameSpan) -> Int {
    JSONParser.compare(bytes.baseAddress! + a.text.lowerBound, a.text.count, bytes.baseAddress! + b.text.lowerBound, b.text.count)
  }

  /// The byte order of `a` and `b`: negative when `a` comes first, zero when they are equal.
  static func compare(_ a: UnsafePointer<UInt8>, _ aCount: Int, _ b: UnsafePointer<UInt8>?, _ bCount: Int) -> Int {
    var i = 0
    let common = min(aCount, bCount)
    while i < common {
      if a[i] != b![i] { return Int(a[i]) - Int(b![i]) }
      i += 1
    }
    return aCount - bCount
  }

  /// The first eight bytes of a plain name, the first the most significant, zeros after a shorter name:
  /// two names' words are in the names' byte order (a plain name holds no zero byte), and equal words of
  /// names of eight bytes or less mean equal names.
  @inline(__always) func prefixWord(_ span: NameSpan) -> UInt64 {
    let start = span.text.lowerBound
    let count = span.text.count
    guard let base = bytes.baseAddress else { return 0 }
    if start + 8 <= bytes.count {
      let word = UInt64(bigEndian: UnsafeRawPointer(base + start).loadUnaligned(as: UInt64.self))
      return count >= 8 ? word : word & ~(UInt64.max &>> (UInt64(truncatingIfNeeded: count) &<< 3))
    }
    var word: UInt64 = 0
    for k in 0..<8 { word = word << 8 | (k < count ? UInt64(base[start + k]) : 0) }
    return word
  }

  /// Whether the plain name `key` (its `prefixWord` `word`) comes after the name before it in its object, the
  /// last on `names`, whose word is `lastWord` (0 before the first name: only an empty name does not follow).
  @inline(__always) func follows(_ key: NameSpan, _ word: UInt64, _ lastWord: UInt64) -> Bool {
    if word != lastWord { return word > lastWord }
    // Equal words: a key of eight bytes or less is the name before or a prefix of it.
    if key.text.count <= 8 { return false }
    return compare(names![namesCount - 1], key) < 0
  }

  /// The string at `index` (its opening quote), decoded.
  mutating func parseString() throws(JSONSyntaxError) -> String {
    let open = index
    let start = index + 1
    // Plain ASCII text needs no validation; anything else is copied, decoded and validated below.
    index = plainEnd(from: start)
    if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
      index += 1
      return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index - 1]), as: UTF8.self)
    }
    var buffer = Array(bytes[start..<index])
    while index < bytes.count {
      let b = bytes[index]
      index += 1
      if b == UInt8(ascii: "\"") {
        guard let s = String(validating: buffer, as: UTF8.self) else { throw fail("the string is not valid UTF-8", at: open) }
        return s
      }
      if b < 0x20 {
        index -= 1
        throw fail("a control character must be escaped in a string")
      }
      guard b == UInt8(ascii: "\\") else {
        buffer.append(b)
        continue
      }
      guard index < bytes.count else { break }
      let e = bytes[index]
      index += 1
      switch e {
      case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(e)
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
    }
    throw fail("unexpected end of the document inside a string", at: open)
  }

  mutating func parseHex4() throws(JSONSyntaxError) -> UInt32 {
    guard index + 4 <= bytes.count else { throw fail("expected four hex digits after \\u") }
    var value: UInt32 = 0
    for _ in 0..<4 {
      // An ASCII byte's character is a hex digit only when it is 0-9, a-f or A-F; no byte above is one.
      guard let digit = Character(Unicode.Scalar(bytes[index])).hexDigitValue else {
        throw fail("expected four hex digits after \\u")
      }
      value = value << 4 | UInt32(digit)
      index += 1
    }
    return value
  }

  /// The index of the first byte at or after `start` that ends a plain run of string text (`plainStringEnd`).
  @inline(__always) func plainEnd(from start: Int) -> Int {
    guard let base = bytes.baseAddress else { return start }
    return plainStringEnd(base, from: start, count: bytes.count)
  }

  // MARK: Numbers and literals

  /// Moves past a number, checking its syntax.
  mutating func scanNumber() throws(JSONSyntaxError) {
    func digits() -> Bool {
      let start = index
      while index < bytes.count, bytes[index] &- UInt8(ascii: "0") < 10 { index += 1 }
      return index > start
    }
    if bytes[index] == UInt8(ascii: "-") { index += 1 }
    if index < bytes.count, bytes[index] == UInt8(ascii: "0") {
      index += 1
    } else if !digits() {
      throw fail("expected a digit")
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
      index += 1
      guard digits() else { throw fail("expected a digit after '.'") }
    }
    if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
      index += 1
      if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
      guard digits() else { throw fail("expected a digit in the exponent") }
    }
  }

  /// Moves past `word` (true, false or null), or fails as `parseValue` does.
  @inline(__always) mutating func skipLiteral(_ word: StaticString) throws(JSONSyntaxError) {
    let count = word.utf8CodeUnitCount
    guard index + count <= bytes.count, JSONParser.compare(bytes.baseAddress! + index, count, word.utf8Start, count) == 0 else {
      throw fail(JSONParser.expectedValue)
    }
    index += count
  }

  // MARK: Whitespace and punctuation (the store's own form at once, any other the long way)

  @inline(__always) mutating func skipWhitespace() {
    let i = index
    let count = bytes.count
    guard i < count, let base = bytes.baseAddress, base[i] <= 0x20 else { return }
    // A line break, then up to eight spaces (found a word at a time), then text.
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

  @inline(never) mutating func skipWhitespaceRun() {
    var i = index
    let count = bytes.count
    guard let base = bytes.baseAddress else { return }
    // Bits 0x09, 0x0A, 0x0D and 0x20: the four whitespace bytes.
    let whitespace: UInt64 = 0x1_0000_2600
    while i < count, base[i] <= 0x20, whitespace & (1 << UInt64(base[i])) != 0 { i += 1 }
    index = i
  }

  /// The `:` after a member's name and the whitespace around it: leaves `index` at the value.
  @inline(__always) mutating func memberColon() throws(JSONSyntaxError) {
    // `"name" : value` in one four-byte load: a space, the colon, a space, then the value.
    if index + 4 <= bytes.count, let base = bytes.baseAddress {
      let four = UInt32(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt32.self))
      if four & 0x00FF_FFFF == 0x0020_3A20, four >> 24 > 0x20 {
        index += 3
        return
      }
    }
    skipWhitespace()
    guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':' after the member name") }
    index += 1
    skipWhitespace()
  }

  /// After a member or an element: true at the closing bracket (consumed), false after a ','.
  @inline(__always) mutating func endOfElement(_ close: UInt8) throws(JSONSyntaxError) -> Bool {
    if index < bytes.count, bytes[index] == UInt8(ascii: ",") {
      index += 1
      return false
    }
    skipWhitespace()
    if index < bytes.count, bytes[index] == close {
      index += 1
      return true
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: ",") {
      index += 1
      return false
    }
    throw endOfElementError(close)
  }

  @inline(never) func endOfElementError(_ close: UInt8) -> JSONSyntaxError {
    let object = close == UInt8(ascii: "}")
    if index >= bytes.count { return fail("unexpected end of the document; expected ',' or \(object ? "'}'" : "']'")") }
    return fail(object ? "expected ',' or '}' after an object member" : "expected ',' or ']' after an array element")
  }
}

// MARK: - Entry points

extension JSON {
  /// Parses UTF-8 JSON text (RFC 8259). Duplicate member names are an error: a document that says two
  /// things is not guessed at.
  public static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSON { try parse(bytes, in: bytes.indices) }

  public static func parse(_ text: String) throws(JSONSyntaxError) -> JSON {
    try parse(Array(text.utf8))
  }

  /// The value at `range` of `bytes` (a profile's, which `parseStore` checked).
  package static func parse(_ bytes: [UInt8], in range: Range<Int>) throws(JSONSyntaxError) -> JSON {
    try bytes.withUnsafeBufferPointer { (buffer) throws(JSONSyntaxError) -> JSON in
      try JSONParser.read(UnsafeBufferPointer(rebasing: buffer[range])) { (p) throws(JSONSyntaxError) in try p.parseDocument() }
    }
  }

  /// The store's JSON, with `.object([:])` in place of the members of a top-level "profiles" object, and
  /// those members located. Errors as `parse(_:)` gives them.
  static func parseStore(_ bytes: [UInt8]) throws(JSONSyntaxError) -> ParsedStore {
    try bytes.withUnsafeBufferPointer { (buffer) throws(JSONSyntaxError) in
      try JSONParser.read(buffer, locateProfiles: true) { (p) throws(JSONSyntaxError) in
        let json = try p.parseDocument()
        guard p.foundProfiles else { return ParsedStore(json: json, profiles: .none) }
        if p.indexed { return ParsedStore(json: json, profiles: .indexed(p.found)) }
        var named = [String: Store.RawProfile](minimumCapacity: p.found.count)
        for member in p.found {
          named[p.name(member.name)] = .located(
            LocatedProfile(range: member.range, server: member.server.map(p.name), production: member.production))
        }
        return ParsedStore(json: json, profiles: .named(named))
      }
    }
  }
}

/// Where a string is in a document: `text` holds its bytes between the quotes when it is plain (ASCII,
/// no escape: the same bytes are the same string), else the whole string, quotes included.
struct NameSpan: Sendable {
  var text: Range<Int>
  var plain: Bool
}

/// What a profile's object says about `production`: `true`, `false`, or nothing (absent, or not a
/// boolean: the profile itself is refused when read, and the host's name judges it meanwhile).
enum ProductionMark: UInt8, Sendable {
  case unset, yes, no
}

/// A profile as located: where its value is in the store's text, its `server` string and what it says
/// about `production` (all a production judgement reads).
struct LocatedProfile: Sendable {
  var range: Range<Int>
  var server: String?
  var production: ProductionMark
}

/// A member of "profiles" as the walker found it: only positions.
struct FoundProfile: Sendable {
  var name: NameSpan
  var range: Range<Int>
  /// Its "server" string, when the value is an object that has one.
  var server: NameSpan?
  var production: ProductionMark

  /// Its "server" string, when the value is an object flagging `"production" : true`.
  var productionServer: NameSpan? { production == .yes ? server : nil }
}

/// What `JSON.parseStore` read.
struct ParsedStore {
  enum Profiles {
    /// No top-level "profiles" object.
    case none
    /// Names all plain and in ascending byte order (as this program writes them): kept as found.
    case indexed([FoundProfile])
    case named([String: Store.RawProfile])
  }
  var json: JSON
  var profiles: Profiles
}

/// The profiles of a store whose names are all plain and in ascending byte order, looked up by a binary
/// search on the bytes: no name is made into a string until it is asked for.
final class ProfileIndex: Sendable {
  let text: [UInt8]
  let found: [FoundProfile]

  /// No profiles (a store not read from a file, or changed).
  static let empty = ProfileIndex(text: [], found: [])

  init(text: [UInt8], found: [FoundProfile]) {
    self.text = text
    self.found = found
  }

  var count: Int { found.count }

  func string(_ span: NameSpan) -> String { text.withUnsafeBufferPointer { JSONParser(bytes: $0).name(span) } }

  func name(_ i: Int) -> String { string(found[i].name) }

  func located(_ i: Int) -> LocatedProfile {
    LocatedProfile(range: found[i].range, server: found[i].server.map(string), production: found[i].production)
  }

  /// Whether the string at `span` is `other`, as `String` compares them (two ASCII strings are equal when
  /// their bytes are).
  func equals(_ span: NameSpan, _ other: String) -> Bool {
    var other = other
    return other.withUTF8 { o in
      guard span.plain, o.allSatisfy({ $0 < 0x80 }) else { return string(span) == String(decoding: o, as: UTF8.self) }
      return text.withUnsafeBufferPointer { t in
        JSONParser.compare(t.baseAddress! + span.text.lowerBound, span.text.count, o.baseAddress, o.count) == 0
      }
    }
  }

  /// The position of the profile named `name`, or nil. Names are plain ASCII here, so an ASCII `name` is
  /// equal to one exactly when their bytes are; any other is compared as `String` compares.
  func position(of name: String) -> Int? {
    var name = name
    return name.withUTF8 { n -> Int? in
      guard n.allSatisfy({ $0 < 0x80 }) else {
        return found.indices.first { self.name($0) == String(decoding: n, as: UTF8.self) }
      }
      return text.withUnsafeBufferPointer { t -> Int? in
        var low = 0
        var high = found.count
        while low < high {
          let middle = (low + high) / 2
          let span = found[middle].name.text
          let order = JSONParser.compare(t.baseAddress! + span.lowerBound, span.count, n.baseAddress, n.count)
          if order == 0 { return middle }
          if order < 0 { low = middle + 1 } else { high = middle }
        }
        return nil
      }
    }
  }
}
