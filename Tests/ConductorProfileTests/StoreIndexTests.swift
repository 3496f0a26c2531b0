import Testing

@testable import ConductorNetwork
@testable import ProfileCommands
@testable import ProfileModel
@testable import ShellOutput

/// The store's index (read by position when the program wrote the store, see docs/benchmarks.md) gives the same results and the
/// same errors as a full parse, and the server's quick checks agree with the full validation.
@Suite struct StoreIndexTests {
  static func object(_ count: Int, duplicateAt: Int? = nil) -> String {
    var members = (0..<count).map { "\"k\($0)\" : \($0)" }
    if let duplicateAt { members.append("\"k\(duplicateAt)\" : -1") }
    return "{" + members.joined(separator: ", ") + "}"
  }

  @Test(arguments: [1, 15, 16, 17, 40])
  func objectsOfAnySizeKeepEveryMember(count: Int) throws {
    let json = try JSON.parse(Self.object(count))
    let members = try #require(json.objectValue)
    #expect(members.count == count)
    #expect(members["k\(count - 1)"] == .number("\(count - 1)"))
  }

  @Test(arguments: [(3, 1), (16, 0), (16, 15), (17, 16), (40, 2)])
  func aDuplicateIsFoundWhereverItIs(count: Int, duplicate: Int) throws {
    let text = Self.object(count, duplicateAt: duplicate)
    let column = text.distance(from: text.startIndex, to: text.range(of: "\"k\(duplicate)\" : -1")!.lowerBound) + 1
    #expect(throws: JSONSyntaxError(line: 1, column: column, reason: "the member \"k\(duplicate)\" appears twice in one object"))
    {
      try JSON.parse(text)
    }
  }

  @Test func nestedObjectsDoNotMixTheirMembers() throws {
    let json = try JSON.parse(#"{"a" : {"a" : {"a" : 1, "b" : 2}, "b" : 3}, "b" : {"a" : []}}"#)
    #expect(
      json
        == .object([
          "a": .object(["a": .object(["a": .number("1"), "b": .number("2")]), "b": .number("3")]),
          "b": .object(["a": .array([])]),
        ]))
    #expect(throws: JSONSyntaxError.self) { try JSON.parse(#"{"a" : {"b" : 1}, "b" : {"b" : 2, "b" : 3}}"#) }
  }

  @Test func stringsKeepTheirText() throws {
    #expect(
      try JSON.parse(#"["plain", "caf\u00e9", "café", "a\"b", "", "😀"]"#)
        == .array([.string("plain"), .string("café"), .string("café"), .string("a\"b"), .string(""), .string("😀")]))
    #expect(throws: JSONSyntaxError.self) { try JSON.parse([0x5B, 0x22, 0xFF, 0x22, 0x5D]) }
    #expect(throws: JSONSyntaxError(line: 1, column: 4, reason: "a control character must be escaped in a string")) {
      try JSON.parse("[\"a\tb\"]")
    }
  }

  static func store(_ servers: [(String, Bool)]) throws -> Store {
    var profiles: [String: JSON] = [:]
    for (i, (server, production)) in servers.enumerated() {
      profiles["p\(i)"] = .object([
        "server": .string(server), "production": .bool(production), "auth": .object(["kind": .string("none")]),
      ])
    }
    // "productionFalse": a false is an explicit "not production" (else the host's name would judge it).
    return try Store(json: .object(["profiles": .object(profiles), "productionFalse": .string("explicit")]))
  }

  @Test(arguments: [
    ("https://prod.example.com/api", true), ("https://PROD.example.com:443/", true), ("https://prod.example.com", true),
    ("http://prod.example.com/api", true), ("https://prod.example.com:8443", true), ("https://other.example.com/api", false),
    // When in doubt, production: a flagged server that does not validate still marks the host it names.
    ("not a url", false), ("https://user@prod.example.com", true), ("https://prod.example.com/api?x=1", true),
    (" https://prod.example.com/api ", true), ("prod.example.com", true), ("https://prod.example.com/api#top", true),
  ])
  func productionIsJudgedOnTheHost(flagged: String, matches: Bool) throws {
    let store = try Self.store([(flagged, true), ("https://prod.example.com/api", false)])
    let server = try Server(validating: "https://prod.example.com")
    #expect(store.isProduction(server) == matches)
    #expect(store.isProduction(server) == store.productionHosts().contains(server.host))
  }

  @Test func aServerInNormalFormIsTakenAsItIs() {
    let texts = [
      "https://prod.example.com/api", "http://localhost:8080/api", "https://a.b/x/y/api", "https://h:65535/api",
      "https://h:65536/api", "https://h:443/api", "http://h:80/api", "https://h:443x/api", "http://h:0080/api",
      "https://h:0/api", "https://h:/api", "https://h:123456/api", "https://Prod.example.com/api",
      "HTTPS://prod.example.com/api", "https://prod.example.com/api/", "https://prod.example.com", "https://.a/api",
      "https://a..b/api", "https://a./api", "https:///api", "https://[::1]:8443/api", "https://u@h/api",
      "https://h/a?b/api", "https://h/a#b/api", "https://h/a b/api", "https://h/caf\u{E9}/api", "https://h//api",
      "https://h_-.x/api", "ftp://h/api", "https://h/API", "https://h/api\u{7F}", "", "https://h/./api", "https://h/x/../api",
      "https://h./api", "https://h/../api", "https://h/.x/..y/api", "https://h/a/.../api",
    ]
    for text in texts {
      let normal = try? Server.normalize(text)
      if Server.isNormalForm(text) { #expect(normal == text, "\(text)") }
      #expect((try? Server(validating: text))?.url == normal, "\(text)")
    }
    #expect(texts.filter(Server.isNormalForm).count == 7)
  }

  @Test func utf8OrderIsTheOrderOfTheBytes() {
    let words = [
      "", "a", "A", "ab", "abc", "abd", "b", "é", "e\u{301}", "z", "CONDUCTOR_AUTH_KEY", "CONDUCTOR_AUTH", "😀", "\u{0}",
    ]
    for a in words {
      for b in words { #expect(utf8Precedes(a, b) == a.utf8.lexicographicallyPrecedes(b.utf8), "\(a) \(b)") }
    }
  }

  /// `plainEnd` reads eight bytes at a time: the same answer as a byte at a time, wherever the
  /// byte that ends the run is, and whatever comes after it.
  @Test func plainEndFindsTheFirstSpecialByte() {
    func byteByByte(_ bytes: [UInt8], from start: Int) -> Int {
      var i = start
      while i < bytes.count, bytes[i] != 0x22, bytes[i] != 0x5C, bytes[i] >= 0x20, bytes[i] < 0x80 { i += 1 }
      return i
    }
    let specials: [UInt8] = [0x22, 0x5C, 0x00, 0x01, 0x1F, 0x80, 0xC3, 0xFF]
    let fillers: [UInt8] = [0x20, 0x21, 0x23, 0x5B, 0x5D, 0x7F, 0x41]
    for length in 0..<20 {
      for position in 0...length {
        for special in specials {
          for after in specials + [0x41] {
            var bytes = (0..<length).map { fillers[$0 % fillers.count] }
            if position < length {
              bytes[position] = special
              if position + 1 < length { bytes[position + 1] = after }
            }
            bytes.withUnsafeBufferPointer { buffer in
              let parser = JSONParser(bytes: buffer)
              for start in 0...min(2, length) {
                #expect(parser.plainEnd(from: start) == byteByByte(bytes, from: start), "\(bytes) from \(start)")
              }
            }
          }
        }
      }
    }
  }

  // MARK: A store read without building its profiles (JSON.parseStore)

  /// A store with what a profile can hold: nested objects and arrays, escapes, non-ASCII text,
  /// numbers, an object of more than 16 members, production flags in several spellings.
  static let storeText = """
    {
      "default" : "a",
      "extra" : {"profiles" : {"x" : 1}, "list" : [1, -2.5e+3, true, false, null, "s", [], {}]},
      "profiles" : {
        "a" : {"auth" : {"kind" : "none"}, "production" : true, "server" : "https://prod.example.com/api"},
        "b\\u0063" : {"auth" : {"kind" : "key", "keyId" : "id", "keySecret" : "s\\"e\\\\c"}, "server" : "https://x.example.com"},
        "café" : {"production" : false, "server" : "https://café.example.com", "env" : {"A" : "é😀\\n"}},
        "d" : [1, {"a" : 1, "b" : 2}],
        "e" : {"k0" : 0, "k1" : 1, "k2" : 2, "k3" : 3, "k4" : 4, "k5" : 5, "k6" : 6, "k7" : 7, "k8" : 8, "k9" : 9,
               "k10" : 10, "k11" : 11, "k12" : 12, "k13" : 13, "k14" : 14, "k15" : 15, "k16" : 16, "k17" : 17},
        "f" : {"server" : "https://PROD.example.com:443/", "production" : true, "unknown" : {"production" : true}},
        "g" : "not an object",
        "h" : {"production" : "true", "server" : "https://h.example.com"}
      },
      "version" : 1
    }
    """

  /// Every way `parseStore` can end, compared with `parse`: the same error, or the same store.
  static func expectSameAsFullParse(_ bytes: [UInt8]) {
    let full: Result<JSON, JSONSyntaxError> = Result { () throws(JSONSyntaxError) in try JSON.parse(bytes) }
    let lazy = Result { () throws(JSONSyntaxError) in try JSON.parseStore(bytes) }
    switch (full, lazy) {
    case (.failure(let a), .failure(let b)):
      #expect(a == b, "\(String(decoding: bytes, as: UTF8.self))")
    case (.success(let json), .success(let parsed)):
      let fullStore = try? Store(json: json)
      let lazyStore = try? Store(text: bytes, json: parsed.json, located: parsed.profiles)
      #expect((fullStore == nil) == (lazyStore == nil))
      if let fullStore, let lazyStore {
        #expect(fullStore.rawProfiles == lazyStore.rawProfiles)
        #expect(fullStore.json() == lazyStore.json())
        #expect(fullStore.names == lazyStore.names)
        #expect(fullStore.productionHosts() == lazyStore.productionHosts())
        for name in fullStore.names { #expect(fullStore.rawProfile(named: name) == lazyStore.rawProfile(named: name)) }
      }
    default:
      Issue.record("parse gave \(full), parseStore gave \(lazy) for \(String(decoding: bytes, as: UTF8.self))")
    }
  }

  @Test func aStoreReadLazilyHoldsWhatAFullParseHolds() throws {
    let bytes = Array(Self.storeText.utf8)
    Self.expectSameAsFullParse(bytes)
    let store = try StoreFile(path: "/nonexistent/profiles.json").decode(bytes)
    #expect(store.names == ["a", "bc", "café", "d", "e", "f", "g", "h"])
    #expect(store.productionHosts() == ["prod.example.com"])
    #expect(try store.profile(named: "a")?.isFlaggedProduction == true)
  }

  @Test func aStoreReadLazilyFailsWhereAFullParseFails() {
    let bytes = Array(Self.storeText.utf8)
    // Cut short anywhere, and one byte changed anywhere into each of a few that break or change things.
    for end in 0..<bytes.count { Self.expectSameAsFullParse(Array(bytes[..<end])) }
    for i in bytes.indices {
      for b in Array("\"}],:\\x 1tu".utf8) + [0x01, 0xFF] where bytes[i] != b {
        var changed = bytes
        changed[i] = b
        Self.expectSameAsFullParse(changed)
      }
    }
  }

  /// A store as the program writes it (plain ASCII names in ascending order) is indexed by position, not
  /// by a dictionary: the same store, the same errors, and a repeated or out-of-order name still found.
  static let orderedStoreText = """
    {
      "default" : "b-2",
      "profiles" : {
        "a" : {"server" : "https://a.example.com/api", "auth" : {"kind" : "none"}},
        "b-2" : {"server" : "https://PROD.example.com/api", "production" : true, "auth" : {"kind" : "none"}},
        "b.3" : {"server" : "https://c.example.com/api", "auth" : {"kind" : "none"}, "env" : {"X" : "1"}},
        "z_9" : {"server" : "https://prod.example.com/api", "auth" : {"kind" : "none"}}
      },
      "version" : 1
    }
    """

  @Test func anOrderedStoreReadByPositionHoldsWhatAFullParseHolds() throws {
    let bytes = Array(Self.orderedStoreText.utf8)
    Self.expectSameAsFullParse(bytes)
    let store = try StoreFile(path: "/nonexistent/profiles.json").decode(bytes)
    #expect(store.names == ["a", "b-2", "b.3", "z_9"])
    #expect(store.productionHosts() == ["prod.example.com"])
    #expect(try store.profile(named: "z_9")?.server.url == "https://prod.example.com/api")
    #expect(try store.profile(named: "b") == nil)
    #expect(store.isProduction(try #require(try store.profile(named: "z_9")).server))
    for end in stride(from: 0, to: bytes.count, by: 3) { Self.expectSameAsFullParse(Array(bytes[..<end])) }
    for i in bytes.indices {
      for b in Array("\"}a-.Z ".utf8) + [0x01, 0xC3] where bytes[i] != b {
        var changed = bytes
        changed[i] = b
        Self.expectSameAsFullParse(changed)
      }
    }
    for text in [
      #"{"profiles" : {"a" : {}, "b" : {}, "b" : {}}}"#,
      #"{"profiles" : {"a" : {}, "c" : {}, "b" : {}}}"#,
      #"{"profiles" : {"a" : {}, "b" : {}, "a" : {}}}"#,
      #"{"profiles" : {"A" : {}, "a" : {}, "a" : {}}}"#,
    ] {
      Self.expectSameAsFullParse(Array(text.utf8))
    }
  }

  @Test func duplicatesAreFoundInALazilyReadStore() {
    for text in [
      #"{"profiles" : {"a" : {}, "b" : {}, "a" : {}}}"#,
      #"{"profiles" : {"a" : {}, "\u0061" : {}}}"#,
      #"{"profiles" : {"é" : {}, "e\u0301" : {}}}"#,
      #"{"profiles" : {"a" : {"server" : "x", "server" : "y"}}}"#,
      #"{"profiles" : {"a" : {"k" : [{"x" : 1, "x" : 2}]}}}"#,
      #"{"profiles" : {}, "profiles" : {"a" : {}}}"#,
      // The profiles' names are checked for repeats once all are read: a repeat is still the error
      // reported before a later one, and the first repeat is the one reported.
      #"{"profiles" : {"a" : {}, "b" : {}, "a" : {}, "b" : {}, "c" : }}"#,
      #"{"profiles" : {"a" : {}, "a" : {"x" : [}}}"#,
      #"{"profiles" : {"a" : {}, "b" : {}, "a" : 1 "#,
      #"{"profiles" : {"a" : {}, "a" : {}}, "profiles" : {}}"#,
      #"{"profiles" : {"a" : {"production" : true, "server" : "s\u0061"}, "b" : {"server" : "t", "production" : true}}}"#,
      "{\"profiles\" : {\"a\" : {" + (0..<20).map { "\"k\($0)\" : 0, " }.joined() + "\"k17\" : 1}}}",
      "{\"profiles\" : {\"a\" : " + String(repeating: "[", count: 600) + String(repeating: "]", count: 600) + "}}",
    ] {
      Self.expectSameAsFullParse(Array(text.utf8))
    }
  }
  /// The scan's shortcuts (names in byte order compared with the one before by their first eight bytes,
  /// a line break and its indentation stepped over at once, the store's `"name" : value` and `,`) give
  /// what a full parse gives, at the edges of each: names around eight bytes, bytes that sort before a
  /// quote, empty names, objects past the size where a set takes over, indentation of seven to ten
  /// spaces, tabs and carriage returns.
  @Test func theScansShortcutsReadWhatAFullParseReads() {
    func store(_ profile: String) -> [UInt8] {
      Array(#"{"profiles" : {"a" : \#(profile), "b" : {}}}"#.utf8)
    }
    let objects = [
      #"{"abcdefgh" : 1, "abcdefgh!" : 2, "abcdefgh\"" : 3, "abcdefghi" : 4}"#,
      #"{"abcdefgh" : 1, "abcdefgh" : 2}"#,
      #"{"abcdefghij" : 1, "abcdefghij" : 2}"#,
      #"{"abcdefghi" : 1, "abcdefghj" : 2, "abcdefghj" : 3}"#,
      #"{"abcdefghj" : 1, "abcdefghi" : 2, "abcdefghj" : 3}"#,
      #"{"ab" : 1, "ab!" : 2, "ab " : 3, "ab" : 4}"#,
      #"{"ab " : 1, "ab" : 2, "ab!" : 3}"#,
      #"{"" : 1, "" : 2}"#, #"{"" : 1, "a" : 2, "" : 3}"#, #"{"a" : 1, "" : 2, "a" : 3}"#,
      #"{"a" : 1, "\u0061" : 2}"#, #"{"\u0061" : 1, "a" : 2}"#, #"{"é" : 1, "e" : 2, "é" : 3}"#,
      #"{"production" : true, "server" : "https://p.example.com", "server" : "x"}"#,
      #"{"production" : true, "production" : true, "server" : "https://p.example.com"}"#,
      #"{"server" : "https://p.example.com", "productio" : true, "production" : true}"#,
      #"{"server" : "https://p.example.com", "production" : tru}"#,
      #"{"server" : "https://p.example.com", "production" : true}"#,
      #"{"server" : "https://p.example.com", "production" : false}"#,
      #"{"serve\u0072" : "https://p.example.com", "production" : true}"#,
    ]
    for object in objects { Self.expectSameAsFullParse(store(object)) }
    // Objects of 40 members: in order, in order but for a repeat near the end (the set made then),
    // in reverse (the set from the seventeenth name on), nested two deep.
    let names = (0..<40).map { "k\(String(1000 + $0))" }
    func object(_ names: [String], inner: String = "0") -> String {
      "{" + names.map { "\"\($0)\" : \(inner)" }.joined(separator: ", ") + "}"
    }
    for list in [
      names, names + [names[3]], names + [names[39]], Array(names.reversed()), Array(names.reversed()) + [names[0]],
      names[..<20] + [names[2]] + names[20...], Array(names[..<17]) + [names[16]],
    ] {
      Self.expectSameAsFullParse(store(object(Array(list))))
      Self.expectSameAsFullParse(store(object(Array(list), inner: object(Array(list.reversed())))))
    }
    // Whitespace of every kind around the members, and indentation about a word long.
    for space in ["", " ", "\t", "\r\n", "\n       ", "\n        ", "\n         ", "\n          ", "\n\t", "\n        \n  "] {
      let text =
        "{\(space)\"profiles\"\(space):\(space){\(space)\"a\"\(space):\(space){\(space)\"k\"\(space):\(space)1\(space),"
        + "\(space)\"l\"\(space):\(space)\"x\"\(space)}\(space),\(space)\"b\" : {\(space)}\(space)}\(space)}\(space)"
      Self.expectSameAsFullParse(Array(text.utf8))
    }
  }

  /// A store in the program's own form (JSON.pretty: two-space indent, names sorted), cut short anywhere
  /// and with each byte changed: the form the scan's shortcuts are made for.
  @Test func aStoreInTheProgramsFormFailsWhereAFullParseFails() throws {
    let json = JSON.object([
      "profiles": .object([
        "abcdefgh": .object([
          "auth": .object(["kind": .string("key"), "keyId": .string("id-0123456789"), "keySecret": .string("s\"e\\c")]),
          "production": .bool(true), "server": .string("https://prod.example.com/api"),
        ]),
        "abcdefgh-2": .object([
          "env": .object(["A": .string("é"), "B": .array([.number("1"), .null])]), "server": .string("https://x.example.com"),
        ]),
      ]),
      "version": .number("1"),
    ])
    let bytes = Array(json.pretty().utf8)
    Self.expectSameAsFullParse(bytes)
    for end in 0..<bytes.count { Self.expectSameAsFullParse(Array(bytes[..<end])) }
    for i in bytes.indices {
      for b in Array("\"}],: \t\na!".utf8) + [0x01, 0xC3] where bytes[i] != b {
        var changed = bytes
        changed[i] = b
        Self.expectSameAsFullParse(changed)
      }
    }
  }
}
