/// Reading a store without building every profile: a switch needs one profile of ten thousand.
///
/// `JSON.parseStore` parses the store as `JSON.parse` does, except the members of the top-level
/// "profiles" object: their syntax is checked (the same errors at the same line and column, duplicate
/// names included), and each is recorded as the byte range of its value, with the two fields a
/// production check reads. `Store` decodes a profile's range when the profile is asked for.

/// A profile found by `JSON.parseStore`: where its value is in the store's text, and, when the value is
/// an object flagging `"production" : true`, its `server` string (what `Store.isProduction` reads).
struct LocatedProfile: Sendable {
  var range: Range<Int>
  var productionServer: String?
}

/// A member of "profiles" as the scan found it (a struct: an array of tuples builds their metadata at run time).
struct FoundProfile {
  var name: String
  var nameStart: Int
  var located: LocatedProfile
}

extension JSON {
  /// The store's JSON, with `.object([:])` in place of the members of a top-level "profiles" object,
  /// and those members located (nil when there is no such object). Errors as `parse(_:)` gives them.
  static func parseStore(_ bytes: [UInt8]) throws(JSONSyntaxError) -> (json: JSON, profiles: [String: Store.RawProfile]?) {
    try bytes.withUnsafeBufferPointer { (buffer) throws(JSONSyntaxError) in
      var parser = JSONParser(bytes: buffer)
      parser.locateProfiles = true
      let json = try parser.parseDocument()
      return (json, parser.foundProfiles ? parser.located : nil)
    }
  }

  /// The value at `range` of `bytes`, which `parseStore` checked.
  package static func parse(_ bytes: [UInt8], in range: Range<Int>) throws(JSONSyntaxError) -> JSON {
    try bytes.withUnsafeBufferPointer { (buffer) throws(JSONSyntaxError) -> JSON in
      var parser = JSONParser(bytes: UnsafeBufferPointer(rebasing: buffer[range]))
      return try parser.parseDocument()
    }
  }
}

/// Where a member name is: `text` holds its bytes between the quotes when it is plain (ASCII, no
/// escape: the same bytes are the same name), else the whole string, quotes included.
struct NameSpan {
  var text: Range<Int>
  var plain: Bool
}

extension JSONParser {
  /// The "profiles" object, as `parseObject` reads it, its members located rather than built.
  ///
  /// The members are gathered first and put into a dictionary made at its size once they are all read
  /// (filling it as they came rehashed every name at each doubling). A duplicate name is still the error
  /// it was, at the same place: the first repeated name is looked for before any later error is reported.
  mutating func locateProfileMembers() throws(JSONSyntaxError) -> JSON {
    try enter()
    defer { depth -= 1 }
    var found: [FoundProfile] = []
    do throws(JSONSyntaxError) {
      try scanProfileMembers(into: &found)
    } catch {
      _ = try profileDictionary(found)
      throw error
    }
    located = try profileDictionary(found)
    foundProfiles = true
    return .object([:])
  }

  /// The members of the "profiles" object, in their order; fails at the first syntax error.
  private mutating func scanProfileMembers(into found: inout [FoundProfile]) throws(JSONSyntaxError) {
    index += 1
    skipWhitespace()
    if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
      index += 1
      return
    }
    while true {
      let keyStart = try memberNameStart()
      let key = try parseString()
      try memberColon()
      let start = index
      var server: String? = nil
      if index < bytes.count, bytes[index] == UInt8(ascii: "{") {
        server = try skipObject(readingProductionServer: true)
      } else {
        try skipValue()
      }
      found.append(
        FoundProfile(name: key, nameStart: keyStart, located: LocatedProfile(range: start..<index, productionServer: server)))
      if try endOfElement(UInt8(ascii: "}")) { return }
    }
  }

  /// The profiles by name, or the error for the first name that repeats an earlier one.
  private func profileDictionary(_ found: [FoundProfile]) throws(JSONSyntaxError) -> [String: Store.RawProfile] {
    var members = [String: Store.RawProfile](minimumCapacity: found.count)
    for member in found where members.updateValue(.located(member.located), forKey: member.name) != nil {
      throw fail("the member \"\(member.name)\" appears twice in one object", at: member.nameStart)
    }
    return members
  }

  /// Moves past a value, checking it as `parseValue` does, without building it.
  mutating func skipValue() throws(JSONSyntaxError) {
    guard index < bytes.count else { throw fail("unexpected end of the document; expected a value") }
    switch bytes[index] {
    case UInt8(ascii: "{"): _ = try skipObject(readingProductionServer: false)
    case UInt8(ascii: "["): try skipArray()
    case UInt8(ascii: "\""): try skipString()
    case UInt8(ascii: "t"): _ = try parseLiteral("true", .bool(true))
    case UInt8(ascii: "f"): _ = try parseLiteral("false", .bool(false))
    case UInt8(ascii: "n"): _ = try parseLiteral("null", .null)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try scanNumber()
    default: throw fail("expected a value (object, array, string, number, true, false or null)")
    }
  }

  /// `parseString` without making the string, when it is ASCII without escapes.
  mutating func skipString() throws(JSONSyntaxError) {
    let i = plainEnd(from: index + 1)
    if i < bytes.count, bytes[i] == UInt8(ascii: "\"") {
      index = i + 1
      return
    }
    _ = try parseString()
  }

  /// Moves past a member name, without making a string of it when it is plain.
  mutating func skipName() throws(JSONSyntaxError) -> NameSpan {
    let end = plainEnd(from: index + 1)
    if end < bytes.count, bytes[end] == UInt8(ascii: "\"") {
      defer { index = end + 1 }
      return NameSpan(text: index + 1..<end, plain: true)
    }
    let start = index
    _ = try parseString()
    return NameSpan(text: start..<index, plain: false)
  }

  /// The name at `span` (`skipName` checked it).
  func name(_ span: NameSpan) -> String {
    if span.plain { return String(decoding: UnsafeBufferPointer(rebasing: bytes[span.text]), as: UTF8.self) }
    var parser = JSONParser(bytes: bytes)
    parser.index = span.text.lowerBound
    return (try? parser.parseString()) ?? ""
  }

  /// Whether two names are the same string (as `String` compares them).
  func same(_ a: NameSpan, _ b: NameSpan) -> Bool {
    guard a.plain && b.plain else { return name(a) == name(b) }
    return a.text.count == b.text.count && equalBytes(at: a.text.lowerBound, a.text.count, bytes.baseAddress! + b.text.lowerBound)
  }

  func isName(_ span: NameSpan, _ text: StaticString) -> Bool {
    guard span.plain else { return name(span) == text.description }
    return span.text.count == text.utf8CodeUnitCount && equalBytes(at: span.text.lowerBound, span.text.count, text.utf8Start)
  }

  /// Whether the `count` bytes at `start` are those at `other` (memcmp: `elementsEqual` on two slices
  /// went through the generic iterator, a tenth of the scan).
  private func equalBytes(at start: Int, _ count: Int, _ other: UnsafePointer<UInt8>) -> Bool {
    count == 0 || memcmp(bytes.baseAddress! + start, other, count) == 0
  }

  /// Moves past an object as `parseObject` reads it (a duplicate name is the same error at the same
  /// place). With `readingProductionServer`, returns its "server" string when it has "production": true.
  mutating func skipObject(readingProductionServer: Bool) throws(JSONSyntaxError) -> String? {
    try enter()
    defer { depth -= 1 }
    index += 1
    // This object's names so far: skippedNames[base..<skippedCount] (nested objects push and pop
    // above them; popping only moves skippedCount, the array keeps its elements to be overwritten),
    // and in `names` too once there are more than a few.
    let base = skippedCount
    defer { skippedCount = base }
    var names: Set<String> = []
    var production = false
    // Where the "server" string is: made a String only when the object flags production.
    var server: NameSpan? = nil
    skipWhitespace()
    if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
      index += 1
      return nil
    }
    while true {
      let keyStart = try memberNameStart()
      let key = try skipName()
      try memberColon()
      let next = index < bytes.count ? bytes[index] : 0
      if readingProductionServer, next == UInt8(ascii: "\""), isName(key, "server") {
        server = try skipName()
      } else if readingProductionServer, next == UInt8(ascii: "t"), isName(key, "production") {
        production = try parseLiteral("true", .bool(true)) == .bool(true)
      } else {
        try skipValue()
      }
      var duplicate = false
      if names.isEmpty && skippedCount - base < JSONParser.smallObject {
        for i in base..<skippedCount where same(skippedNames[i], key) { duplicate = true }
        if skippedCount < skippedNames.count {
          skippedNames[skippedCount] = key
        } else {
          skippedNames.append(key)
        }
        skippedCount += 1
      } else {
        if names.isEmpty { names = Set(skippedNames[base..<skippedCount].map(name)) }
        duplicate = !names.insert(name(key)).inserted
      }
      if duplicate {
        throw fail("the member \"\(name(key))\" appears twice in one object", at: keyStart)
      }
      if try endOfElement(UInt8(ascii: "}")) { return production ? server.map(name) : nil }
    }
  }

  /// Moves past an array as `parseArray` reads it.
  mutating func skipArray() throws(JSONSyntaxError) {
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
      try skipValue()
      if try endOfElement(UInt8(ascii: "]")) { return }
    }
  }
}
