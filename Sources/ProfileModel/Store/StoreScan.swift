import Platform

/// Reading a store without building every profile: a switch needs one profile of ten thousand.
///
/// `JSON.parseStore` parses the store as `JSON.parse` does, except the members of the top-level
/// "profiles" object: their syntax is checked (the same errors at the same line and column, duplicate
/// names included), and each is recorded as the byte range of its name and of its value, with where its
/// server is when it flags production (what a production check reads). No string is made for a profile
/// that is not asked for. `Store` decodes a profile's range when the profile is asked for.

/// What a profile's object says about `production`: `true`, `false`, or nothing (absent, or not a
/// boolean: the profile itself is refused when read, and the host's name judges it meanwhile).
enum ProductionMark: UInt8, Sendable {
  case unset, yes, no
}

/// A profile found by `JSON.parseStore`: where its value is in the store's text, its `server` string and
/// what it says about `production` (all a production judgement reads).
struct LocatedProfile: Sendable {
  var range: Range<Int>
  var server: String?
  var production: ProductionMark

  /// Its server when it flags `"production" : true`.
  var productionServer: String? { production == .yes ? server : nil }
}

/// What `skipProfileObject` read of a profile's object: where its "server" string is, and its
/// `production` (a struct: a tuple's metadata is built at run time).
struct ScannedProfile {
  var server: NameSpan?
  var production: ProductionMark
}

/// A member of "profiles" as the scan found it: only positions (a struct: an array of tuples builds
/// their metadata at run time).
struct FoundProfile: Sendable {
  var name: NameSpan
  /// The name's opening quote (where a duplicate is reported).
  var nameStart: Int
  var range: Range<Int>
  /// Its "server" string, when the value is an object that has one.
  var server: NameSpan?
  var production: ProductionMark

  /// Its "server" string, when the value is an object flagging `"production" : true`.
  var productionServer: NameSpan? { production == .yes ? server : nil }
}

/// The members of "profiles" in a store whose profile names are all plain and in ascending byte order
/// (as this program writes them): looked up by a binary search on the bytes, with no name made into a
/// string until it is asked for. Any other store's profiles are put in a dictionary (`JSONParser.located`).
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

  func string(_ span: NameSpan) -> String {
    text.withUnsafeBufferPointer { JSONParser(bytes: $0).name(span) }
  }

  func name(_ i: Int) -> String { string(found[i].name) }

  func located(_ i: Int) -> LocatedProfile {
    LocatedProfile(range: found[i].range, server: found[i].server.map(string), production: found[i].production)
  }

  /// Whether the string at `span` is `other`, as `String` compares them (two ASCII strings are equal
  /// when their bytes are).
  func equals(_ span: NameSpan, _ other: String) -> Bool {
    var other = other
    return other.withUTF8 { o in
      guard span.plain, o.allSatisfy({ $0 < 0x80 }) else { return string(span) == String(decoding: o, as: UTF8.self) }
      return text.withUnsafeBufferPointer { t in
        o.count == span.text.count
          && (o.count == 0 || System.compareBytes(t.baseAddress! + span.text.lowerBound, o.baseAddress!, o.count) == 0)
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
          let order = JSONParser.compare(
            t.baseAddress! + found[middle].name.text.lowerBound, found[middle].name.text.count, n.baseAddress, n.count)
          if order == 0 { return middle }
          if order < 0 { low = middle + 1 } else { high = middle }
        }
        return nil
      }
    }
  }
}

/// What `JSON.parseStore` read: the store's JSON, with `.object([:])` in place of the members of a
/// top-level "profiles" object, and those members located.
struct ParsedStore {
  enum Profiles {
    /// No top-level "profiles" object.
    case none
    case indexed([FoundProfile])
    case named([String: Store.RawProfile])
  }
  var json: JSON
  var profiles: Profiles
}

extension JSON {
  /// The store's JSON and its located profiles. Errors as `parse(_:)` gives them.
  static func parseStore(_ bytes: [UInt8]) throws(JSONSyntaxError) -> ParsedStore {
    try bytes.withUnsafeBufferPointer { (buffer) throws(JSONSyntaxError) in
      var parser = JSONParser(bytes: buffer)
      parser.locateProfiles = true
      defer { parser.skippedNames?.deallocate() }
      let json = try parser.parseDocument()
      if !parser.foundProfiles { return ParsedStore(json: json, profiles: .none) }
      return ParsedStore(json: json, profiles: parser.indexed ? .indexed(parser.found) : .named(parser.located))
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
struct NameSpan: Sendable {
  var text: Range<Int>
  var plain: Bool
}

extension JSONParser {
  /// The "profiles" object, as `parseObject` reads it, its members located rather than built.
  ///
  /// Names in ascending byte order, all plain (the store as written), cannot repeat: they are kept as
  /// found. Others are put into a dictionary made at its size once they are all read. A duplicate name
  /// is still the error it was, at the same place: the first repeated name is looked for before any
  /// later error is reported.
  mutating func locateProfileMembers() throws(JSONSyntaxError) -> JSON {
    try enter()
    defer { depth -= 1 }
    var found: [FoundProfile] = []
    // Room for a profile every 256 bytes (a profile as written takes about 300): no copy as it grows.
    found.reserveCapacity((bytes.count - index) / 256 + 4)
    var ascending = true
    do throws(JSONSyntaxError) {
      try scanProfileMembers(into: &found, ascending: &ascending)
    } catch {
      if !ascending { _ = try profileDictionary(found) }
      throw error
    }
    indexed = ascending
    if ascending {
      self.found = found
    } else {
      located = try profileDictionary(found)
    }
    foundProfiles = true
    return .object([:])
  }

  /// The members of the "profiles" object, in their order; fails at the first syntax error. `ascending`
  /// stays true while every name is plain and follows the one before in byte order.
  private mutating func scanProfileMembers(into found: inout [FoundProfile], ascending: inout Bool) throws(JSONSyntaxError) {
    index += 1
    skipWhitespace()
    if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
      index += 1
      return
    }
    var previous = NameSpan(text: 0..<0, plain: true)
    var previousWord: UInt64 = 0
    var first = true
    while true {
      let keyStart = try memberNameStart()
      let key = try skipName()
      if ascending {
        let word = prefixWord(key)
        ascending = key.plain && (first || follows(key, word, previous, previousWord))
        previous = key
        previousWord = word
        first = false
      }
      try memberColon()
      let start = index
      var scanned = ScannedProfile(server: nil, production: .unset)
      if index < bytes.count, bytes[index] == UInt8(ascii: "{") {
        scanned = try skipProfileObject()
      } else {
        try skipValue()
      }
      found.append(
        FoundProfile(
          name: key, nameStart: keyStart, range: start..<index, server: scanned.server, production: scanned.production))
      if try endOfElement(UInt8(ascii: "}")) { return }
    }
  }

  /// The profiles by name, or the error for the first name that repeats an earlier one.
  private func profileDictionary(_ found: [FoundProfile]) throws(JSONSyntaxError) -> [String: Store.RawProfile] {
    var members = [String: Store.RawProfile](minimumCapacity: found.count)
    for member in found {
      let name = name(member.name)
      let located = LocatedProfile(range: member.range, server: member.server.map(self.name), production: member.production)
      if members.updateValue(.located(located), forKey: name) != nil {
        throw fail("the member \"\(name)\" appears twice in one object", at: member.nameStart)
      }
    }
    return members
  }

  /// Moves past a value, checking it as `parseValue` does, without building it.
  mutating func skipValue() throws(JSONSyntaxError) {
    guard index < bytes.count else { throw fail("unexpected end of the document; expected a value") }
    switch bytes[index] {
    case UInt8(ascii: "\""): try skipString()
    case UInt8(ascii: "{"): try skipNestedObject()
    case UInt8(ascii: "["): try skipArray()
    case UInt8(ascii: "t"): try skipLiteral("true")
    case UInt8(ascii: "f"): try skipLiteral("false")
    case UInt8(ascii: "n"): try skipLiteral("null")
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try scanNumber()
    default: throw fail("expected a value (object, array, string, number, true, false or null)")
    }
  }

  /// `parseString` without making the string, when it is ASCII without escapes.
  @inline(__always) mutating func skipString() throws(JSONSyntaxError) {
    let i = plainEnd(from: index + 1)
    if i < bytes.count, bytes[i] == UInt8(ascii: "\"") {
      index = i + 1
      return
    }
    _ = try parseString()
  }

  /// Moves past a member name, without making a string of it when it is plain.
  @inline(__always) mutating func skipName() throws(JSONSyntaxError) -> NameSpan {
    let end = plainEnd(from: index + 1)
    if end < bytes.count, bytes[end] == UInt8(ascii: "\"") {
      defer { index = end &+ 1 }
      return NameSpan(text: Range(uncheckedBounds: (index &+ 1, end)), plain: true)
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
  @inline(__always) func same(_ a: NameSpan, _ b: NameSpan) -> Bool {
    guard a.plain && b.plain else { return name(a) == name(b) }
    return a.text.count == b.text.count && equalBytes(at: a.text.lowerBound, a.text.count, bytes.baseAddress! + b.text.lowerBound)
  }

  /// The byte order of two plain names: negative when `a` comes first, zero when they are equal.
  func compare(_ a: NameSpan, _ b: NameSpan) -> Int {
    JSONParser.compare(bytes.baseAddress! + a.text.lowerBound, a.text.count, bytes.baseAddress! + b.text.lowerBound, b.text.count)
  }

  /// The byte order of `a` and `b` (memcmp, then the shorter first).
  static func compare(_ a: UnsafePointer<UInt8>, _ aCount: Int, _ b: UnsafePointer<UInt8>?, _ bCount: Int) -> Int {
    let common = min(aCount, bCount)
    let order = common == 0 ? 0 : Int(System.compareBytes(a, b!, common))
    return order != 0 ? order : aCount - bCount
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

  /// Whether the plain name `key` (its `prefixWord` `word`) comes after the plain name `last` in byte
  /// order: when it does for each name of an object, no name repeats.
  @inline(__always) func follows(_ key: NameSpan, _ word: UInt64, _ last: NameSpan, _ lastWord: UInt64) -> Bool {
    if word != lastWord { return word > lastWord }
    if key.text.count <= 8 && last.text.count <= 8 { return false }
    return compare(last, key) < 0
  }

  /// Whether the plain name whose `prefixWord` is `word` is `text` (eight bytes or less).
  @inline(__always) func isShortName(_ span: NameSpan, _ word: UInt64, _ text: StaticString) -> Bool {
    guard span.plain else { return name(span) == text.description }
    guard span.text.count == text.utf8CodeUnitCount else { return false }
    var expected: UInt64 = 0
    for k in 0..<8 { expected = expected << 8 | (k < text.utf8CodeUnitCount ? UInt64(text.utf8Start[k]) : 0) }
    return word == expected
  }

  @inline(__always) func isName(_ span: NameSpan, _ text: StaticString) -> Bool {
    guard span.plain else { return name(span) == text.description }
    return span.text.count == text.utf8CodeUnitCount && equalBytes(at: span.text.lowerBound, span.text.count, text.utf8Start)
  }

  /// Whether the `count` bytes at `start` are those at `other` (memcmp: `elementsEqual` on two slices
  /// went through the generic iterator, a tenth of the scan).
  @inline(__always) private func equalBytes(at start: Int, _ count: Int, _ other: UnsafePointer<UInt8>) -> Bool {
    count == 0 || System.compareBytes(bytes.baseAddress! + start, other, count) == 0
  }

  /// Room for one more name on `skippedNames`.
  @inline(__always) private mutating func reserveSkippedName() {
    if skippedCount == skippedCapacity { growSkippedNames() }
  }

  private mutating func growSkippedNames() {
    let capacity = max(64, skippedCapacity * 2)
    let grown = UnsafeMutablePointer<NameSpan>.allocate(capacity: capacity)
    if let old = skippedNames {
      grown.moveInitialize(from: old, count: skippedCount)
      old.deallocate()
    }
    skippedNames = grown
    skippedCapacity = capacity
  }

  /// Moves past an object as `parseObject` reads it (a duplicate name is the same error at the same
  /// place). With `readingProductionServer`, returns where its "server" string is and what its
  /// "production" says.
  /// A profile's object (`skipObject`, reading its server and production).
  @inline(never) mutating func skipProfileObject() throws(JSONSyntaxError) -> ScannedProfile {
    try skipObject(readingProductionServer: true)
  }

  /// Any other object (`skipObject`): made apart from the profile's, it keeps fewer values about.
  @inline(never) mutating func skipNestedObject() throws(JSONSyntaxError) {
    _ = try skipObject(readingProductionServer: false)
  }

  @inline(__always) mutating func skipObject(readingProductionServer: Bool) throws(JSONSyntaxError) -> ScannedProfile {
    try enter()
    defer { depth -= 1 }
    index += 1
    // This object's names so far: skippedNames[base..<skippedCount] (nested objects push and pop
    // above them).
    let base = skippedCount
    // Whether this object has a set of its names on `nameSets` (see `checkRepeat`).
    var hasSet = false
    defer {
      skippedCount = base
      if hasSet { nameSets.removeLast() }
    }
    var production = ProductionMark.unset
    // Where the "server" string is.
    var server: NameSpan? = nil
    skipWhitespace()
    if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
      index += 1
      return ScannedProfile(server: nil, production: .unset)
    }
    // While every name is plain and follows the one before in byte order (a store as written), none
    // can repeat an earlier one: no name is compared with more than the one before it.
    var ascending = true
    var last = NameSpan(text: 0..<0, plain: true)
    var lastWord: UInt64 = 0
    while true {
      let keyStart = try memberNameStart()
      let key = try skipName()
      let word = prefixWord(key)
      try memberColon()
      let next = index < bytes.count ? bytes[index] : 0
      if next == UInt8(ascii: "\"") {
        if readingProductionServer, isShortName(key, word, "server") {
          server = try skipName()
        } else {
          try skipString()
        }
      } else if next == UInt8(ascii: "{") {
        try skipNestedObject()
      } else if readingProductionServer, next == UInt8(ascii: "t"), isName(key, "production") {
        try skipLiteral("true")
        production = .yes
      } else if readingProductionServer, next == UInt8(ascii: "f"), isName(key, "production") {
        try skipLiteral("false")
        production = .no
      } else {
        try skipValue()
      }
      if ascending {
        // (The first name follows the empty `last`, unless it is empty itself: then it is checked.)
        ascending = key.plain && follows(key, word, last, lastWord)
      }
      if !ascending { try checkRepeat(key, at: keyStart, from: base, hasSet: &hasSet) }
      reserveSkippedName()
      (skippedNames! + skippedCount).initialize(to: key)
      skippedCount += 1
      last = key
      lastWord = word
      // A production flag with no "server" string still marks production: an empty text, no host (doubt).
      if try endOfElement(UInt8(ascii: "}")) {
        let missing = production == .yes && server == nil
        return ScannedProfile(server: missing ? NameSpan(text: index..<index, plain: true) : server, production: production)
      }
    }
  }

  /// Fails when `key` repeats one of the names skippedNames[base..<skippedCount]: compared one by one in
  /// a small object, looked up in a set of them (made once, on `nameSets`) in a larger one.
  @inline(never) private mutating func checkRepeat(_ key: NameSpan, at keyStart: Int, from base: Int, hasSet: inout Bool)
    throws(JSONSyntaxError)
  {
    var duplicate = false
    if !hasSet && skippedCount - base < JSONParser.smallObject {
      for i in base..<skippedCount where same(skippedNames![i], key) { duplicate = true }
    } else {
      if !hasSet {
        nameSets.append(Set((base..<skippedCount).map { name(skippedNames![$0]) }))
        hasSet = true
      }
      duplicate = !nameSets[nameSets.count - 1].insert(name(key)).inserted
    }
    if duplicate {
      throw fail("the member \"\(name(key))\" appears twice in one object", at: keyStart)
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
