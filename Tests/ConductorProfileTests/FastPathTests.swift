import Testing

@testable import ConductorProfileCore

/// The fast paths added for start-up time (see docs/benchmarks.md) give the same results and the
/// same errors as the plain code they shortcut.
@Suite struct FastPathTests {
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
    return try Store(json: .object(["profiles": .object(profiles)]))
  }

  @Test(arguments: [
    ("https://prod.example.com/api", true), ("https://PROD.example.com:443/", true), ("https://prod.example.com", true),
    ("http://prod.example.com/api", false), ("https://prod.example.com:8443", false), ("https://other.example.com/api", false),
    ("not a url", false), ("https://user@prod.example.com", false),
  ])
  func productionIsJudgedOnTheNormalForm(flagged: String, matches: Bool) throws {
    let store = try Self.store([(flagged, true), ("https://prod.example.com/api", false)])
    let server = try Server(validating: "https://prod.example.com")
    #expect(store.isProduction(server) == matches)
    #expect(store.isProduction(server) == store.productionServers().contains(server.url))
  }

  @Test func hostKeyReadsTheHostOrGivesUp() {
    #expect(Store.hostKey("https://Prod.Example.com:443/x") == Array("prod.example.com".utf8))
    #expect(Store.hostKey("http://[::1]:8080/api") == nil)
    #expect(Store.hostKey("https://user@host/api") == nil)
    #expect(Store.hostKey("no scheme") == nil)
    #expect(Store.hostKey("https:///path") == nil)
  }
}
