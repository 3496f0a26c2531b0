import Foundation
import Testing

@testable import ProfileModel

/// A store edited by hand, wrong in one value: every command that reads it refuses it, naming the value,
/// and the store is never rewritten.
@Suite struct HandEditedStoreTests {
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
