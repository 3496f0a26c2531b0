import Foundation
import Testing

// Tests written for the mutants of Tests/Support/mutants.txt that no earlier test killed (docs/mutations.md):
// each fails when its rule is deleted from the source, and passes with it.

/// Inputs the contract refuses, each the one a surviving mutant let through.
let mutationSweepInputs: [BadInput] = [
  // V05: a C0 control character in a server's path.
  BadInput(
    label: "server with \\x01 in its path", arguments: addServer("https://x.example.com/a\u{01}b"),
    mentions: ["'https://x.example.com/a\\x01b'", "whitespace or a control character"]),
  // V06: DEL in a server's path.
  BadInput(
    label: "server with DEL in its path", arguments: addServer("https://x.example.com/a\u{7F}b"),
    mentions: ["'https://x.example.com/a\\x7fb'", "whitespace or a control character"]),
  // V19: a port with a sign (Int("+8080") is 8080).
  BadInput(
    label: "server port +8080", arguments: addServer("https://x.example.com:+8080"),
    mentions: ["port '+8080'", "1 to 65535"]),
  // C01: a fourth segment after a valid JWT.
  BadInput(
    label: "token with four segments",
    arguments: ["add", "new", "--server", "https://x.example.com", "--user-token"], stdin: annToken + ".",
    mentions: ["4 dot-separated segments, not 3", "Copy Token"]),
]

@Suite struct MutationSweepTests {
  /// As `BadInputTests.refusedWithTheStoreUnchanged`: the exact status, one `error:` line naming the value,
  /// nothing on standard output, the store unchanged byte for byte.
  @Test(arguments: mutationSweepInputs)
  func refusedWithTheStoreUnchanged(_ input: BadInput) throws {
    let s = try Sandbox()
    try s.addKey("dev")
    let before = try #require(s.storeBytes())
    let listing = s.storeDirectoryListing()
    let r = try s.run(input.arguments, stdin: input.stdin)
    #expect(r.status == input.status, "\(r)")
    #expect(r.stdout == "", "\(r)")
    #expect(r.stderr.hasPrefix(input.status == 64 ? "Error: " : "error: "), "\(r)")
    #expect(r.stderr.split(separator: "\n").count == 1, "one line: \(r)")
    for word in input.mentions { #expect(r.stderr.contains(word), "missing \(word): \(r)") }
    #expect(s.storeBytes() == before)
    #expect(s.storeDirectoryListing() == listing)
  }
}

extension MutationSweepTests {
  /// The names docs/security.md lists in its table of refused families, as written there (`NAME*` and `*NAME`
  /// made concrete with an X, `PS#` with a 7).
  static func documentedRefusedNames() throws -> [String] {
    let docs = try String(
      contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/security.md"), encoding: .utf8)
    let lines = docs.split(separator: "\n", omittingEmptySubsequences: false)
    let start = try #require(lines.firstIndex { $0.hasPrefix("| family | names |") })
    var names: [String] = []
    for line in lines[(start + 2)...] {
      guard line.hasPrefix("|") else { break }
      let cells = line.split(separator: "|", omittingEmptySubsequences: false)
      guard cells.count > 3 else { continue }
      for (i, part) in cells[2].split(separator: "`", omittingEmptySubsequences: false).enumerated() where i % 2 == 1 {
        names.append(part.replacingOccurrences(of: "*", with: "X").replacingOccurrences(of: "#", with: "7"))
      }
    }
    return names
  }

  /// P10-P15: the docs are the reference here, not the source's own table (a test that walks
  /// `VariablePolicy.families` cannot see a pattern deleted from it). Every name the table lists is refused.
  @Test func everyDocumentedNameIsRefused() throws {
    let names = try Self.documentedRefusedNames()
    #expect(names.count > 120, "\(names.count) names read from docs/security.md")
    for required in [
      "CONDUCTOR_AUTH_X", "CONDUCTOR_SERVER_AUTH_X", "MALLOC_X", "LOCPATH", "NLSPATH", "KUBECONFIG", "DOCKER_HOST",
      "DOCKER_CONFIG", "XDG_X", "PS7",
    ] {
      #expect(names.contains(required), "docs/security.md no longer lists \(required)")
    }
    let s = try Sandbox()
    try s.addKey("dev")
    let before = try #require(s.storeBytes())
    for name in names {
      let r = try s.run(["set", "dev", "--env", "\(name)=x"])
      #expect(r.status == 1, "\(name): \(r)")
      #expect(r.stdout == "", "\(name): \(r)")
      #expect(r.stderr.hasPrefix("error: a profile cannot set \(name) ("), "\(name): \(r)")
    }
    #expect(s.storeBytes() == before)
  }
}

extension MutationSweepTests {
  /// A store of one hand-written profile `p`, its object given as JSON text.
  static func storeWith(profile: String) -> String {
    "{\n  \"profiles\" : {\n    \"p\" : \(profile)\n  },\n  \"version\" : 1\n}\n"
  }

  /// Runs `arguments` against a hand-written store and expects one `error:` line with `message`, exit 1,
  /// and the store unchanged byte for byte.
  func expectRefusal(store: String, _ arguments: [String], message: String, sourceLocation: SourceLocation = #_sourceLocation)
    throws
  {
    let s = try Sandbox()
    try s.writeStore(store)
    let before = try #require(s.storeBytes())
    let r = try s.run(arguments)
    #expect(r.status == 1, "\(r)", sourceLocation: sourceLocation)
    #expect(r.stdout == "", "\(r)", sourceLocation: sourceLocation)
    #expect(r.stderr.hasPrefix("error: "), "\(r)", sourceLocation: sourceLocation)
    #expect(r.stderr.contains(message), "missing \(message): \(r)", sourceLocation: sourceLocation)
    #expect(s.storeBytes() == before, sourceLocation: sourceLocation)
  }

  /// R01: `"production" : "true"` (a string) is an error, never read as false: a user token on that server
  /// would otherwise pass the guard.
  @Test func productionThatIsNotABooleanIsRefused() throws {
    let profile = """
      { "auth" : { "kind" : "user-token", "token" : "\(annToken)" }, "production" : "true", "server" : "https://prod.example.com/api" }
      """
    for arguments in [["show", "p"], ["env", "p", "--shell", "sh"]] {
      try expectRefusal(
        store: Self.storeWith(profile: profile), arguments, message: "profile 'p': \"production\" is not true or false")
    }
  }

  /// K01: a `secretStore` on a profile without a credential is an error, not a helper to run.
  @Test func secretStoreWithoutACredentialIsRefused() throws {
    let profile = """
      { "auth" : { "kind" : "none", "secretStore" : "pass" }, "server" : "https://x.example.com/api" }
      """
    try expectRefusal(
      store: Self.storeWith(profile: profile), ["show", "p"],
      message: "profile 'p': it has auth kind none, so there is no secret to keep in pass; remove \"secretStore\"")
  }
}

extension MutationSweepTests {
  /// J04: two profiles of one name in a store are the parse error they are (the store scan reads "profiles"
  /// without building it), at the second name; the store is never rewritten.
  @Test func aProfileNamedTwiceIsAnErrorAtTheSecondName() throws {
    let profile = "{ \"auth\" : { \"kind\" : \"none\" }, \"server\" : \"https://x.example.com/api\" }"
    let store = "{\n  \"profiles\" : {\n    \"a\" : \(profile),\n    \"a\" : \(profile)\n  },\n  \"version\" : 1\n}\n"
    let s = try Sandbox()
    for arguments in [["list"], ["show", "a"], ["add", "b", "--server", "https://y.example.com", "--no-auth"]] {
      try s.writeStore(store)
      let r = try s.run(arguments)
      #expect(r.status == 1, "\(r)")
      #expect(r.stdout == "", "\(r)")
      #expect(
        r.stderr
          == "error: the profile store \(s.storePath) is not valid JSON: line 4, column 5: the member \"a\" appears twice in one object; fix it by hand (it was not changed)\n",
        "\(r)")
      #expect(s.storeText() == store)
    }
  }
}
