import Foundation
import Testing

@testable import ConductorNetwork
@testable import ProfileCommands
@testable import ProfileModel

/// A catalog someone else can write, attacked: it never moves this user's secret to another host, plants key
/// records, drops a profile holding a secret, or puts raw text on the terminal; each test failed before its fix.
@Suite struct HostileCatalogTests {
  /// A catalog file `team.json` in `dir` with `profiles` (JSON text of the members).
  func writeCatalog(_ dir: URL, _ profiles: String) throws -> String {
    let path = dir.appendingPathComponent("team.json").path
    try "{\n  \"profiles\" : {\n\(profiles)\n  },\n  \"version\" : 1\n}\n".write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }
  /// Someone who can write the shared catalog moves a profile to their own host: the secret this user gave
  /// for the team's host must not follow it there (every store kind: a file secret, or a secret store's entry
  /// kept by the profile's name).
  @Test(arguments: [false, true]) func aCatalogNeverMovesYourSecretToAnotherHost(keptInACommand: Bool) throws {
    let shared = try Sandbox()
    let auth =
      keptInACommand
      ? #"{ "keyId" : "team-prod", "kind" : "key", "secretCommand" : [ "printf", "ann-secret" ], "secretStore" : "command" }"#
      : #"{ "keyId" : "team-prod", "kind" : "key" }"#
    func prod(_ server: String) -> String {
      #"    "prod" : { "auth" : \#(auth), "color" : "red", "server" : "\#(server)" }"#
    }
    let catalog = try writeCatalog(shared.root, prod("https://conductor.acme.com/api"))
    let ann = try Sandbox()
    #expect(try ann.run(["catalog", "add", catalog]).status == 0)
    #expect(try ann.run(["catalog", "sync", "--yes"]).status == 0)
    if keptInACommand {
      #expect(try ann.run(["allow", "--command", "prod", "--yes"]).status == 0)
    } else {
      #expect(try ann.run(["set", "prod", "--secret"], stdin: "ann-secret\n").status == 0)
    }
    // The catalog is changed: the same profile, on another host, and its colour.
    _ = try writeCatalog(shared.root, prod("https://evil.example.net/api").replacingOccurrences(of: "red", with: "blue"))
    let sync = try ann.run(["catalog", "sync", "--yes"])
    #expect(sync.status == 0, "\(sync)")
    #expect(
      sync.stdout.contains(
        "server: the catalog now says \"https://evil.example.net/api\"; your secret was given for \"https://conductor.acme.com/api\", so the profile stays there"
      ), "\(sync)")
    let env = try ann.run(["env", "prod", "--shell", "bash"])
    #expect(env.status == 0, "\(env)")
    #expect(env.stdout.contains("export CONDUCTOR_SERVER_URL='https://conductor.acme.com/api';"), "\(env)")
    #expect(!env.stdout.contains("evil.example.net"), "\(env)")
    // The other fields still follow the catalog, and the next sync keeps the server as a local edit.
    let profile = try #require((try ann.storeJSON()["profiles"] as? [String: [String: Any]])?["prod"])
    #expect(profile["color"] as? String == "blue")
    let again = try ann.run(["catalog", "sync", "--yes"])
    #expect(again.status == 0, "\(again)")
    #expect(!again.stdout.contains("evil.example.net/api\" →"), "\(again)")
    #expect(try ann.run(["env", "prod", "--shell", "bash"]).stdout.contains("conductor.acme.com"))
  }
  /// Without a secret yet, there is nothing to send elsewhere: the profile follows the catalog's move.
  @Test func aCatalogMovesAProfileThatHasNoSecretYet() throws {
    let shared = try Sandbox()
    let prod = #"    "prod" : { "auth" : { "keyId" : "team-prod", "kind" : "key" }, "server" : "SERVER" }"#
    let catalog = try writeCatalog(shared.root, prod.replacingOccurrences(of: "SERVER", with: "https://old.acme.com/api"))
    let ann = try Sandbox()
    #expect(try ann.run(["catalog", "add", catalog]).status == 0)
    #expect(try ann.run(["catalog", "sync", "--yes"]).status == 0)
    _ = try writeCatalog(shared.root, prod.replacingOccurrences(of: "SERVER", with: "https://new.acme.com/api"))
    let sync = try ann.run(["catalog", "sync", "--yes"])
    #expect(sync.status == 0, "\(sync)")
    #expect(sync.stdout.contains("server: \"https://old.acme.com/api\" → \"https://new.acme.com/api\""), "\(sync)")
    let profile = try #require((try ann.storeJSON()["profiles"] as? [String: [String: Any]])?["prod"])
    #expect(profile["server"] as? String == "https://new.acme.com/api")
  }
  /// A shared catalog's description cannot forge a line of `show`: a production profile never reads as
  /// "production: no".
  @Test func showKeepsACatalogsTextOnItsLine() throws {
    let shared = try Sandbox()
    let catalog = try writeCatalog(
      shared.root,
      #"    "prod" : { "auth" : { "keyId" : "team-prod", "kind" : "key" }, "description" : "team\nproduction:    no\tx", "production" : true, "server" : "https://c.acme.com/api" }"#
    )
    let ann = try Sandbox()
    #expect(try ann.run(["catalog", "add", catalog]).status == 0)
    #expect(try ann.run(["catalog", "sync", "--yes"]).status == 0)
    let show = try ann.run(["show", "prod"])
    #expect(show.status == 0, "\(show)")
    #expect(show.stdout.contains("description:   team\\nproduction:    no\\tx\n"), "\(show)")
    #expect(show.stdout.split(separator: "\n").filter { $0.hasPrefix("production:") }.count == 1, "\(show)")
  }
  /// What this user's own commands record of their key (`keyInfo`, `pendingKey`, as `export` writes them) is no
  /// team definition: a catalog that carries them brings nothing of them — no planted rotation to resume (one
  /// that deletes this user's key), no roles that hide an admin key — and a sync keeps the user's own.
  @Test func aCatalogCannotPlantKeyRecords() throws {
    let shared = try Sandbox()
    let planted =
      #""keyInfo" : { "keyId" : "team-prod", "roles" : [ "WORKER" ], "status" : "INACTIVE" }, "#
      + #""pendingKey" : { "operation" : "rotate", "step" : "created", "applicationId" : "app-1", "keyId" : "evil-key", "oldKeyId" : "team-prod", "oldKey" : "delete", "keySecret" : null }"#
    let catalog = try writeCatalog(
      shared.root,
      #"    "prod" : { "auth" : { "keyId" : "team-prod", "kind" : "key", \#(planted) }, "server" : "https://c.acme.com/api" }"#
    )
    let ann = try Sandbox()
    #expect(try ann.run(["catalog", "add", catalog]).status == 0)
    let sync = try ann.run(["catalog", "sync", "--yes"])
    #expect(sync.status == 0, "\(sync)")
    #expect(!sync.stdout.contains("pendingKey") && !sync.stdout.contains("keyInfo"), "\(sync)")
    func auth() throws -> [String: Any] {
      let profiles = try #require(try ann.storeJSON()["profiles"] as? [String: [String: Any]])
      return try #require(profiles["prod"]?["auth"] as? [String: Any])
    }
    let synced = try auth()
    #expect(synced["pendingKey"] == nil && synced["keyInfo"] == nil, "\(synced)")
    let show = try ann.run(["show", "prod"])
    #expect(!show.stdout.contains("pending key") && !show.stdout.contains("key state"), "\(show)")
    // The user's own record stays through the next sync (and is not reported as a local edit).
    var store = try ann.storeJSON()
    var profiles = try #require(store["profiles"] as? [String: [String: Any]])
    var prod = try #require(profiles["prod"])
    var own = try #require(prod["auth"] as? [String: Any])
    own["keyInfo"] = ["keyId": "team-prod", "roles": ["ADMIN"]]
    prod["auth"] = own
    profiles["prod"] = prod
    store["profiles"] = profiles
    try ann.writeStore(String(decoding: try JSONSerialization.data(withJSONObject: store), as: UTF8.self))
    let again = try ann.run(["catalog", "sync", "--yes"])
    #expect(again.status == 0, "\(again)")
    #expect(!again.stdout.contains("keyInfo"), "\(again)")
    #expect((try auth()["keyInfo"] as? [String: Any])?["roles"] as? [String] == ["ADMIN"])
  }
  /// `set --all --secret-store` over a store with a catalog's profile that has no secret yet: that profile is
  /// skipped (no empty entry written to the keychain and left there), and the profiles after it still move.
  @Test func setAllSkipsACatalogProfileWithoutItsSecret() throws {
    let box = try Sandbox()
    let bin = box.root.appendingPathComponent("bin")
    try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(
      atPath: bin.appendingPathComponent("security").path, withDestinationPath: SecretStoreTests.fakeSecurity)
    box.environment["PATH"] = bin.path + ":" + box.environment["PATH"]!
    let keychain = box.root.appendingPathComponent("keychain.json").path
    box.environment["FAKE_KEYCHAIN"] = keychain
    let catalog = try writeCatalog(
      box.root, #"    "prod" : { "auth" : { "keyId" : "team-prod", "kind" : "key" }, "server" : "https://c.acme.com/api" }"#)
    #expect(try box.run(["catalog", "add", catalog]).status == 0)
    #expect(try box.run(["catalog", "sync", "--yes"]).status == 0)
    try box.addKey("zed", secret: "zed-secret")
    let r = try box.run(["set", "--all", "--secret-store", "keychain"])
    #expect(r.status == 0, "\(r)")
    #expect(r.stderr == "profile 'prod' has no secret yet: nothing to move\n", "\(r)")
    #expect(r.stdout.contains("moved the secret of profile 'zed' to keychain"), "\(r)")
    let items = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: keychain))) as? [String: String])
    #expect(items == ["conductor-profile\u{0}zed": "zed-secret"], "\(items)")
  }
  /// A careless reading of `show`: a catalog's profile without its secret yet must not look as if it had one.
  @Test func showSaysACatalogProfileHasNoSecretYet() throws {
    let box = try Sandbox()
    let catalog = try writeCatalog(
      box.root,
      #"    "prod" : { "auth" : { "keyId" : "team-prod", "kind" : "key" }, "server" : "https://c.acme.com/api" },"#
        + "\n" + #"    "play" : { "auth" : { "kind" : "user-token" }, "server" : "https://p.acme.com/api" }"#)
    #expect(try box.run(["catalog", "add", catalog]).status == 0)
    #expect(try box.run(["catalog", "sync", "--yes"]).status == 0)
    let prod = try box.run(["show", "prod"])
    #expect(prod.stdout.contains("key secret:    (none yet: conductor-profile set prod --secret)\n"), "\(prod)")
    let play = try box.run(["show", "play"])
    #expect(play.stdout.contains("token:         (none yet: conductor-profile set play --user-token)\n"), "\(play)")
    #expect(try box.run(["set", "prod", "--secret"], stdin: "s\n").status == 0)
    #expect(try box.run(["show", "prod"]).stdout.contains("key secret:    ******** (--reveal to show)\n"))
  }
  /// `set NAME --secret-store STORE` for a catalog's profile without its secret: a clear error, nothing
  /// written to the keychain, the store unchanged; giving the secret with it works.
  @Test func setSecretStoreOfACatalogProfileWithoutItsSecret() throws {
    let box = try Sandbox()
    let bin = box.root.appendingPathComponent("bin")
    try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(
      atPath: bin.appendingPathComponent("security").path, withDestinationPath: SecretStoreTests.fakeSecurity)
    box.environment["PATH"] = bin.path + ":" + box.environment["PATH"]!
    let keychain = box.root.appendingPathComponent("keychain.json").path
    box.environment["FAKE_KEYCHAIN"] = keychain
    let catalog = try writeCatalog(
      box.root, #"    "prod" : { "auth" : { "keyId" : "team-prod", "kind" : "key" }, "server" : "https://c.acme.com/api" }"#)
    #expect(try box.run(["catalog", "add", catalog]).status == 0)
    #expect(try box.run(["catalog", "sync", "--yes"]).status == 0)
    let before = try String(contentsOfFile: box.storePath, encoding: .utf8)
    let r = try box.run(["set", "prod", "--secret-store", "keychain"])
    #expect(r.status == 1, "\(r)")
    #expect(
      r.stderr.contains(
        "profile 'prod' has no secret yet, so --secret-store has nothing to move; give it and choose where it goes at once: conductor-profile set prod --secret --secret-store keychain"
      ), "\(r)")
    #expect(!FileManager.default.fileExists(atPath: keychain))
    #expect(try String(contentsOfFile: box.storePath, encoding: .utf8) == before)
    let given = try box.run(["set", "prod", "--secret", "--secret-store", "keychain"], stdin: "s\n")
    #expect(given.status == 0, "\(given)")
    let items = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: keychain))) as? [String: String])
    #expect(items == ["conductor-profile\u{0}prod": "s"], "\(items)")
  }
  /// A profile dropped from the catalog after this user gave it a secret stays, as a local one: removed, its
  /// secret store's entry (kept by the name) would be left for the next profile of that name — which the same
  /// catalog could bring back on another host.
  @Test func aCatalogDropsNoProfileThatHoldsYourSecret() throws {
    let box = try Sandbox()
    let prod = #"    "prod" : { "auth" : { "keyId" : "team-prod", "kind" : "key" }, "server" : "https://c.acme.com/api" }"#
    let dev = #"    "dev" : { "auth" : { "keyId" : "team-dev", "kind" : "key" }, "server" : "https://d.acme.com/api" }"#
    let catalog = try writeCatalog(box.root, prod + ",\n" + dev)
    #expect(try box.run(["catalog", "add", catalog]).status == 0)
    #expect(try box.run(["catalog", "sync", "--yes"]).status == 0)
    #expect(try box.run(["set", "prod", "--secret"], stdin: "ann-secret\n").status == 0)
    _ = try writeCatalog(box.root, "")
    let sync = try box.run(["catalog", "sync", "--yes"])
    #expect(sync.status == 0, "\(sync)")
    #expect(
      sync.stdout.contains(
        "removed from the catalog; it holds your secret, so it stays as a local profile (remove it with: conductor-profile remove prod)"
      ), "\(sync)")
    let profiles = try #require(try box.storeJSON()["profiles"] as? [String: [String: Any]])
    #expect(Set(profiles.keys) == ["prod"])
    #expect(profiles["prod"]?["catalog"] == nil)
    // The catalog brings prod back on another host: the local one is kept, its secret never goes there.
    _ = try writeCatalog(box.root, prod.replacingOccurrences(of: "c.acme.com", with: "evil.example.net"))
    let back = try box.run(["catalog", "sync", "--yes"])
    #expect(back.stdout.contains("a profile 'prod' from you exists already: kept as it is"), "\(back)")
    #expect(try box.run(["env", "prod", "--shell", "bash"]).stdout.contains("https://c.acme.com/api"))
  }
  /// The question `catalog sync` asks on the terminal names the catalog by its file's name: a file named with
  /// a terminal escape (a window title, OSC 52) is shown escaped, never acted on.
  @Test func catalogSyncsQuestionIsSanitised() throws {
    let box = try Sandbox()
    let path = box.root.appendingPathComponent("t\u{1B}]0;pwned\u{07}.json").path
    try "{\"profiles\": {\"dev\": {\"auth\": {\"kind\": \"none\"}, \"server\": \"https://d.acme.com\"}}}"
      .write(toFile: path, atomically: true, encoding: .utf8)
    #expect(try box.run(["catalog", "add", path]).status == 0)
    guard
      let no = try CatalogTerminalTests().atTerminal(
        box, prompt: "Apply these 1 change from the catalog 't\\e]0;pwned\\x07'? [y/N] ", answer: "n", ["catalog", "sync"])
    else { return }
    #expect(no.status == 1, "\(no)")
    #expect(!no.stdout.contains("\u{1B}]0;"), "\(no)")
  }
}
