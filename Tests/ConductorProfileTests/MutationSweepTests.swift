import Foundation
import Testing

@testable import ProfileModel

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
  // V12: text other than ':' after an IPv6 literal (without the check, "x8080" was read as the port 8080).
  BadInput(
    label: "text after an IPv6 address", arguments: addServer("https://[::1]x8080"),
    mentions: ["'https://[::1]x8080'", "unexpected text after the IPv6 address"]),
  // V15: an empty label inside the host.
  BadInput(
    label: "server host with '..'", arguments: addServer("https://a..b.example.com"),
    mentions: ["the host 'a..b.example.com' is not a valid host name"]),
  // V16: a host starting with '.'.
  BadInput(
    label: "server host starting with '.'", arguments: addServer("https://.x.example.com"),
    mentions: ["the host '.x.example.com' is not a valid host name"]),
  // V29: a control character (not whitespace) in a key id.
  BadInput(
    label: "key id with \\x01", arguments: ["add", "new", "--server", "https://x.example.com", "--key-id", "a\u{01}b"],
    stdin: "s", mentions: ["invalid key id 'a\\x01b'", "whitespace or a control character"]),
  // C04: a signature that is not base64url.
  BadInput(
    label: "token signature not base64url",
    arguments: ["add", "new", "--server", "https://x.example.com", "--user-token"], stdin: annToken + "sig!",
    mentions: ["its signature is not base64url", "Copy Token"]),
  // C05: 'Bearer ' before the token is refused by name, not as a header that is not base64url.
  BadInput(
    label: "token after 'Bearer '",
    arguments: ["add", "new", "--server", "https://x.example.com", "--user-token"], stdin: "Bearer " + annToken,
    mentions: ["it starts with 'Bearer '; give the token alone"]),
  // C07: base64url with text after its padding.
  BadInput(
    label: "token signature with text after '='",
    arguments: ["add", "new", "--server", "https://x.example.com", "--user-token"], stdin: annToken + "ab=c",
    mentions: ["its signature is not base64url"]),
  // C08: five base64url characters leave 6 bits no byte string makes.
  BadInput(
    label: "token signature of 5 characters",
    arguments: ["add", "new", "--server", "https://x.example.com", "--user-token"], stdin: annToken + "abcde",
    mentions: ["its signature is not base64url"]),
  // C08: three '=' of padding.
  BadInput(
    label: "token signature with '==='",
    arguments: ["add", "new", "--server", "https://x.example.com", "--user-token"], stdin: annToken + "ab===",
    mentions: ["its signature is not base64url"]),
  // H13: eight groups beside '::' (no group left for it to stand for).
  BadInput(
    label: "IPv6 with 8 groups and '::'", arguments: addServer("https://[1:2:3:4::5:6:7:8]"),
    mentions: ["'https://[1:2:3:4::5:6:7:8]'", "the IPv6 address is not valid"]),
  // H14: an IPv6 group of five hex digits (its value fits 16 bits).
  BadInput(
    label: "IPv6 group of 5 digits", arguments: addServer("https://[00001::1]"),
    mentions: ["'https://[00001::1]'", "the IPv6 address is not valid"]),
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

extension MutationSweepTests {
  /// L07: a secret on standard input that is not UTF-8 is refused, not stored with U+FFFD in its place.
  @Test func aSecretThatIsNotUTF8IsRefused() throws {
    let s = try Sandbox()
    try s.addKey("dev")
    let before = try #require(s.storeBytes())
    let r = try Child.run(
      Sandbox.program, ["add", "new", "--server", "https://x.example.com", "--key-id", "k"], environment: s.environment,
      stdin: [0x61, 0xFF, 0x62, 0x0A])
    #expect(r.status == 1, "\(r)")
    #expect(r.stdout == "", "\(r)")
    #expect(r.stderr == "error: the secret read from standard input is not UTF-8 text\n", "\(r)")
    #expect(s.storeBytes() == before)
  }
}

extension MutationSweepTests {
  /// H04, H06, H09: a host that no spelling of inet_aton reads as an IPv4 address is a name, not the address
  /// its digits would make (five parts; a last part over 255; a part over 64 bits): a user token on it is
  /// not on the production server 10.0.1.5, and nothing traps. The same address spelled otherwise is.
  @Test func aHostThatIsNoIPv4SpellingIsNotTheProductionAddress() throws {
    let s = try Sandbox()
    try s.addKey("prod", server: "https://10.0.1.5", extra: ["--production"])
    for (i, host) in ["10.0.1.5.0", "10.0.0.261", "99999999999999999999"].enumerated() {
      let r = try s.run(["add", "t\(i)", "--server", "https://\(host)", "--user-token"], stdin: annToken + "\n")
      #expect(r.status == 0, "\(host): \(r)")
      #expect(r.stdout == "added profile 't\(i)' (user-token, https://\(host)/api)\n", "\(host): \(r)")
      #expect(r.stderr == "", "\(host): \(r)")
    }
    let r = try s.run(["add", "same", "--server", "https://10.0.261", "--user-token"], stdin: annToken + "\n")
    #expect(r.status == 0, "\(r)")
    #expect(r.stderr.hasPrefix("warning: profile 'same' uses a user token on the production server"), "\(r)")
  }
}

extension MutationSweepTests {
  /// Hand-edited stores, each wrong in one value a surviving mutant let through.
  static let handEditedStores: [(label: String, store: String, message: String)] = [
    // R02
    (
      "description a number",
      storeWith(profile: #"{ "auth" : { "kind" : "none" }, "description" : 5, "server" : "https://x.example.com/api" }"#),
      #"profile 'p': "description" is not a string"#
    ),
    // R03
    (
      "serverType unknown",
      storeWith(profile: #"{ "auth" : { "kind" : "none" }, "server" : "https://x.example.com/api", "serverType" : "Foo" }"#),
      #"profile 'p': "serverType" is "Foo", not "OSS" or "Enterprise""#
    ),
    // R04
    (
      "env value a number",
      storeWith(profile: #"{ "auth" : { "kind" : "none" }, "env" : { "A" : 5 }, "server" : "https://x.example.com/api" }"#),
      "profile 'p': env A is not a string"
    ),
    // R07
    (
      "auth kind unknown",
      storeWith(profile: #"{ "auth" : { "kind" : "password" }, "server" : "https://x.example.com/api" }"#),
      "profile 'p': its auth kind 'password' is not key, user-token or none"
    ),
    // R08
    (
      "key id with a space",
      storeWith(
        profile: #"{ "auth" : { "keyId" : "a b", "keySecret" : "s", "kind" : "key" }, "server" : "https://x.example.com/api" }"#),
      "profile 'p': invalid key id 'a b': it contains whitespace or a control character"
    ),
    // R09
    (
      "key secret with a control character",
      storeWith(
        profile:
          #"{ "auth" : { "keyId" : "k", "keySecret" : "a\u0001b", "kind" : "key" }, "server" : "https://x.example.com/api" }"#),
      "profile 'p': the key secret contains a control character"
    ),
    // R10
    (
      "key without a secret",
      storeWith(profile: #"{ "auth" : { "keyId" : "k", "kind" : "key" }, "server" : "https://x.example.com/api" }"#),
      #"profile 'p': its auth has no "keySecret""#
    ),
    // R11
    (
      "user token without a token",
      storeWith(profile: #"{ "auth" : { "kind" : "user-token" }, "server" : "https://x.example.com/api" }"#),
      #"profile 'p': its auth has no "token""#
    ),
    // S02
    (
      "version 1.0",
      #"{ "profiles" : { "p" : { "auth" : { "kind" : "none" }, "server" : "https://x.example.com/api" } }, "version" : 1.0 }"#
        + "\n",
      #""version" is not a whole number of 1 or more"#
    ),
    // S05
    (
      "default a number",
      #"{ "default" : 5, "profiles" : { "p" : { "auth" : { "kind" : "none" }, "server" : "https://x.example.com/api" } }, "version" : 1 }"#
        + "\n",
      #""default" is not a string"#
    ),
    // K03
    (
      "secretCommand with NUL",
      storeWith(
        profile:
          #"{ "auth" : { "keyId" : "k", "kind" : "key", "secretCommand" : [ "a\u0000b" ], "secretStore" : "command" }, "server" : "https://x.example.com/api" }"#
      ),
      #"profile 'p': its auth "secretCommand" holds a NUL byte"#
    ),
    // K04
    (
      "secretCommand with an empty program",
      storeWith(
        profile:
          #"{ "auth" : { "keyId" : "k", "kind" : "key", "secretCommand" : [ "", "x" ], "secretStore" : "command" }, "server" : "https://x.example.com/api" }"#
      ),
      #"profile 'p': its auth "secretCommand" starts with an empty program name"#
    ),
  ]

  /// R02-R04, R07-R11, S02, S05, K03, K04: `show` and a switch refuse each store, naming the value; it is never rewritten.
  @Test(arguments: handEditedStores.indices)
  func aHandEditedValueOfTheWrongShapeIsRefused(_ index: Int) throws {
    let (_, store, message) = Self.handEditedStores[index]
    for arguments in [["show", "p"], ["env", "p", "--shell", "sh"]] {
      try expectRefusal(store: store, arguments, message: message)
    }
  }
}

extension MutationSweepTests {
  /// G05, G06: a switch to a user token that has expired says so and how to replace it; one that expires
  /// within the hour says when. A token with days left says nothing.
  @Test func aSwitchWarnsOfAnExpiredOrExpiringToken() throws {
    let s = try Sandbox()
    let now = Int(Date().timeIntervalSince1970)
    try s.addToken("old", token: makeJWT(["email": "ann@example.com", "exp": 1_000_000_000]))
    try s.addToken("soon", token: makeJWT(["email": "ann@example.com", "exp": now + 1200]))
    try s.addToken("later", token: makeJWT(["email": "ann@example.com", "exp": now + 86_400 * 3]))
    let old = try s.run(["use", "old"], env: ["_CONDUCTOR_PROFILE_SHELL": "bash"])
    #expect(old.status == 0, "\(old)")
    #expect(old.stderr.hasPrefix("warning: the user token of profile 'old' expired "), "\(old)")
    #expect(
      old.stderr.hasSuffix(
        " (2001-09-09 01:46 UTC); copy a new one from the Conductor UI and run: conductor-profile set old --user-token\n"),
      "\(old)")
    let soon = try s.run(["use", "soon"], env: ["_CONDUCTOR_PROFILE_SHELL": "bash"])
    #expect(soon.status == 0, "\(soon)")
    #expect(soon.stderr.hasPrefix("warning: the user token of profile 'soon' expires in "), "\(soon)")
    #expect(soon.stderr.split(separator: "\n").count == 1, "\(soon)")
    let later = try s.run(["use", "later"], env: ["_CONDUCTOR_PROFILE_SHELL": "bash"])
    #expect(later.status == 0, "\(later)")
    #expect(later.stderr == "", "\(later)")
  }
}

extension MutationSweepTests {
  /// K05, K06, K12: what a `command` secret store's helper prints, and the helper itself, are checked: more
  /// than 64 KiB, a NUL byte, a directory where the program should be are each an error naming it; the
  /// store is unchanged.
  @Test func aCommandHelperIsCheckedAndSoIsWhatItPrints() throws {
    let (sandbox, _, script) = try SecretStoreTests().commandSandbox()
    let dir = sandbox.environment["SECRETS"]!
    try Data(repeating: UInt8(ascii: "a"), count: 64 * 1024 + 1).write(to: URL(fileURLWithPath: dir + "/big"))
    try Data([0x61, 0x00, 0x62, 0x0A]).write(to: URL(fileURLWithPath: dir + "/nul"))
    let directory = sandbox.root.appendingPathComponent("not-a-program").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    try sandbox.addKey("keep")
    let before = try #require(sandbox.storeBytes())
    let add = ["add", "c", "--server", "https://c.example.com", "--key-id", "cid", "--secret-store", "command", "--"]
    for (words, said) in [
      ([script, "big"], "print-secret' printed more than 64 KiB"),
      ([script, "nul"], "it printed something that is not UTF-8 text"),
      ([directory, "x"], "'\(directory)' is not installed or not on PATH"),
    ] {
      let r = try sandbox.run(add + words)
      expectError(r, containing: ["profile 'c'", said])
      #expect(r.stderr.split(separator: "\n").count == 1, "\(r)")
    }
    #expect(sandbox.storeBytes() == before)
  }

  /// K11: a store-level `"secretStore" : "command"` is refused (a command is given per profile).
  @Test func aStoreLevelCommandSecretStoreIsRefused() throws {
    let store = """
      { "profiles" : { "p" : { "auth" : { "kind" : "none" }, "server" : "https://x.example.com/api" } }, "secretStore" : "command", "version" : 1 }

      """
    let s = try Sandbox()
    try s.writeStore(store)
    let r = try s.run(["add", "n", "--server", "https://x.example.com", "--key-id", "k"], stdin: "s\n")
    expectError(
      r,
      containing: [
        #"the store's "secretStore" is "command", not one of file, secret-service, pass or keychain (command needs a command for each profile: give it with add --secret-store command -- COMMAND)"#
      ])
    #expect(s.storeText() == store)
  }

  /// K08: `security -i` reports a failed command as `NAME: returned N` on standard error, and may exit 0
  /// all the same: that is a failure, said as the keychain's own message.
  @Test(.enabled(if: SecretStoreTests.installed("python3"))) func aKeychainCommandThatReturnedAnErrorFails() throws {
    guard let (sandbox, _) = try SecretStoreTests().keychainSandbox() else { return }
    let wrapper = sandbox.root.appendingPathComponent("bin/security").path
    try FileManager.default.removeItem(atPath: wrapper)
    try "#!/bin/sh\n'\(SecretStoreTests.fakeSecurity)' \"$@\"\nexit 0\n".write(toFile: wrapper, atomically: true, encoding: .utf8)
    #expect(chmod(wrapper, 0o755) == 0)
    let add = ["add", "m", "--server", "https://m.example.com", "--key-id", "k", "--secret-store", "keychain"]
    #expect(try sandbox.run(add, stdin: "s3cret\n").status == 0)
    let r = try sandbox.run(["exec", "m", "--", "/bin/true"], env: ["FAKE_KEYCHAIN_LOCKED": "1"])
    expectError(r, containing: ["cannot read the secret of profile 'm'", "User interaction is not allowed"])
  }
}

extension MutationSweepTests {
  /// J05: a member named twice inside one profile is the store scan's parse error too, at the second name;
  /// the store is never rewritten.
  @Test func aMemberNamedTwiceInAProfileIsAnErrorAtTheSecondName() throws {
    let store = """
      {
        "profiles" : {
          "a" : { "auth" : { "kind" : "none" }, "server" : "https://x.example.com/api", "server" : "https://y.example.com/api" }
        },
        "version" : 1
      }

      """
    let s = try Sandbox()
    for arguments in [["list"], ["show", "a"], ["add", "b", "--server", "https://y.example.com", "--no-auth"]] {
      try s.writeStore(store)
      let r = try s.run(arguments)
      #expect(r.status == 1, "\(r)")
      #expect(r.stdout == "", "\(r)")
      #expect(
        r.stderr
          == "error: the profile store \(s.storePath) is not valid JSON: line 3, column 83: the member \"server\" appears twice in one object; fix it by hand (it was not changed)\n",
        "\(r)")
      #expect(s.storeText() == store)
    }
  }

  /// J07: a control character after an escape in a string is refused as one before it is.
  @Test func aControlCharacterAfterAnEscapeIsRefused() {
    for text in ["\"a\\n\u{01}\"", "\"\\t\u{1F}b\""] {
      #expect(JSONParserTests().failure(text)?.reason.contains("a control character must be escaped") == true, "\(text)")
    }
  }
}

extension MutationSweepTests {
  /// J16: '-' must be followed by a digit (`[-]` is not a number).
  @Test func aMinusWithoutADigitIsNoNumber() {
    for text in ["[-]", "-x", "{\"a\":-}"] {
      #expect(JSONParserTests().failure(text)?.reason.contains("expected a digit") == true, "\(text)")
    }
  }

  /// D07, D08: a value with a `'` and a backquote or a `"` has no dotenv form (in double quotes sh would run
  /// the backquote, and end the value at the `"`): refused by name, nothing written.
  @Test func aQuoteWithABackquoteOrADoubleQuoteHasNoDotenvForm() throws {
    for (name, value) in [("X_BACKQUOTE", "it's `id`"), ("X_DOUBLE_QUOTE", "it's \"x\"")] {
      let s = try Sandbox()
      try s.addKey("dev", extra: ["--env", "\(name)=\(value)"])
      let r = try s.run(["env", "dev", "--format", "dotenv"])
      #expect(r.status == 1, "\(r)")
      #expect(r.stdout == "", "\(r)")
      #expect(
        r.stderr
          == "error: \(name) cannot be written to a dotenv file that sh, python-dotenv and docker compose all read back exactly: its value has a ' together with one of $ ` \\ \"; use --format json, or --shell sh for a file to source (docs/security.md#dotenv-files)\n",
        "\(r)")
    }
  }
}

extension MutationSweepTests {
  /// K10: `security -i` reads lines of at most 4096 bytes: a longer secret is refused before it is cut.
  @Test(.enabled(if: SecretStoreTests.installed("python3"))) func aSecretTooLongForTheKeychainIsRefused() throws {
    guard let (sandbox, _) = try SecretStoreTests().keychainSandbox() else { return }
    try sandbox.addKey("keep")
    let before = try #require(sandbox.storeBytes())
    let add = ["add", "m", "--server", "https://m.example.com", "--key-id", "k", "--secret-store", "keychain"]
    let r = try sandbox.run(add, stdin: String(repeating: "s", count: 4001) + "\n")
    expectError(
      r,
      containing: [
        "profile 'm' in the keychain: security -i reads lines of at most 4096 bytes, and this secret is too long; keep it in another store (--secret-store)"
      ])
    #expect(sandbox.storeBytes() == before)
  }

  /// E02, E06, E07: a .conductor-profile over 4096 bytes, a directory switch given a relative path, and a
  /// trust file whose "trusted" is not an object are each refused; nothing is trusted or switched.
  @Test func directoryTrustRefusals() throws {
    let trust = DirectoryTrustTests()
    let (sandbox, project) = try trust.treeSandbox("dev\n" + String(repeating: "#", count: 4100) + "\n")
    var r = try trust.run(sandbox, ["allow"], in: project)
    expectError(r, containing: ["is larger than 4096 bytes; a .conductor-profile file holds one profile name"])
    #expect(!FileManager.default.fileExists(atPath: trust.trustPath(sandbox)))
    try Data("dev\n".utf8).write(to: project.appendingPathComponent(".conductor-profile"))
    #expect(try trust.run(sandbox, ["allow"], in: project).status == 0)
    r = try trust.run(
      sandbox, ["use", "dev"], in: sandbox.root,
      env: ["_CONDUCTOR_PROFILE_SHELL": "bash", "_CONDUCTOR_PROFILE_DIRFILE": "project/.conductor-profile"])
    expectError(r, containing: ["_CONDUCTOR_PROFILE_DIRFILE is not an absolute path"])
    try Data(#"{ "trusted" : 5 }"#.utf8).write(to: URL(fileURLWithPath: trust.trustPath(sandbox)))
    r = try trust.run(sandbox, ["allow"], in: project)
    expectError(r, containing: [#"has no "trusted" object"#])
    #expect(FileManager.default.contents(atPath: trust.trustPath(sandbox)) == Data(#"{ "trusted" : 5 }"#.utf8))
  }

  /// I05: an import file of version 0 is refused. I06: importing a file others can read that holds secrets
  /// warns, and says how to restrict it.
  @Test func importFileVersionAndModeChecks() throws {
    let s = try Sandbox()
    try s.addKey("dev")
    let before = try #require(s.storeBytes())
    let file = s.root.appendingPathComponent("in.json").path
    try #"{"profiles": {"a": {"auth": {"kind": "none"}, "server": "https://a.example.com"}}, "version": 0}"#.write(
      toFile: file, atomically: true, encoding: .utf8)
    let r = try s.run(["import", "file", file, "--force"])
    expectError(r, containing: [#""version" is not a whole number of 1 or more"#])
    #expect(s.storeBytes() == before)
    let other = try Sandbox()
    try other.addKey("k", secret: "other-secret")
    try other.run(["export", "--reveal"]).stdout.write(toFile: file, atomically: true, encoding: .utf8)
    #expect(chmod(file, 0o644) == 0)
    let imported = try s.run(["import", "file", file, "--force"])
    #expect(imported.status == 0, "\(imported)")
    #expect(
      imported.stderr.contains(
        "warning: \(file) holds secrets and can be read by group or others; restrict it with: chmod 600 \(file), or delete it\n"),
      "\(imported)")
  }

  /// T05: a picker row escapes newline and tab (one row per profile); elsewhere they are kept.
  @Test func aPickerRowEscapesNewlineAndTab() {
    #expect(TerminalText.sanitize("a\nb\tc", singleLine: true) == "a\\nb\\tc")
    #expect(TerminalText.sanitize("a\nb\tc") == "a\nb\tc")
  }
}
