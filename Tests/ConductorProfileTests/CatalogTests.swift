import Foundation
import Testing

/// Issue 25: a team catalog (docs/catalog.md). Each person is a sandbox with their own store; the
/// catalog is a file they all read.
@Suite struct CatalogTests {
  static let token = makeJWT(["sub": "ann@acme.com", "exp": 4_102_444_800])

  /// A catalog file in `dir` named `team.json` with `profiles` (JSON text of the members).
  func writeCatalog(_ dir: URL, _ profiles: String, name: String = "team.json") throws -> String {
    let path = dir.appendingPathComponent(name).path
    try "{\n  \"profiles\" : {\n\(profiles)\n  },\n  \"version\" : 1\n}\n".write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  static let teamProfiles = """
        "dev" : { "auth" : { "keyId" : "team-dev", "keySecret" : null, "kind" : "key" }, "color" : "green", "description" : "team dev", "server" : "https://dev.acme.com/api" },
        "prod" : { "auth" : { "keyId" : "team-prod", "kind" : "key" }, "color" : "red", "env" : { "ACME_REGION" : "eu" }, "production" : true, "server" : "https://conductor.acme.com/api" },
        "play" : { "auth" : { "kind" : "user-token" }, "server" : "https://play.acme.com/api" }
    """

  func profiles(_ box: Sandbox) throws -> [String: [String: Any]] {
    try #require(try box.storeJSON()["profiles"] as? [String: [String: Any]])
  }

  @Test func roundTripWithThreePeoplesStores() throws {
    let shared = try Sandbox()
    let catalog = try writeCatalog(shared.root, Self.teamProfiles)
    let ann = try Sandbox()
    let bob = try Sandbox()
    let cem = try Sandbox()
    // Bob has a local profile of his own, with a name the catalog also uses.
    try bob.addKey("dev", server: "https://bob.example.com", id: "bob")
    for person in [ann, bob, cem] {
      let add = try person.run(["catalog", "add", catalog])
      #expect(add.status == 0, "\(add)")
      #expect(add.stdout.contains("added the catalog 'team'"), "\(add)")
      let sync = try person.run(["catalog", "sync", "--yes"])
      #expect(sync.status == 0, "\(sync)")
      #expect(sync.stdout.contains("catalog 'team'"), "\(sync)")
    }
    for person in [ann, cem] {
      let p = try profiles(person)
      #expect(Set(p.keys) == ["dev", "prod", "play"])
      #expect(p["prod"]?["production"] as? Bool == true)
      #expect(p["prod"]?["color"] as? String == "red")
      #expect((p["prod"]?["env"] as? [String: String]) == ["ACME_REGION": "eu"])
      #expect((p["dev"]?["auth"] as? [String: Any])?["keySecret"] == nil)
      let list = try person.run(["list"])
      #expect(list.stdout.contains("SOURCE"), "\(list)")
      #expect(list.stdout.contains("catalog team"), "\(list)")
    }
    // Bob's own dev is kept as it was, and said so.
    let bobs = try profiles(bob)
    #expect(bobs["dev"]?["server"] as? String == "https://bob.example.com/api")
    let again = try bob.run(["catalog", "sync", "--yes"])
    #expect(again.stdout.contains("a profile 'dev' from you exists already: kept as it is"), "\(again)")
    let list = try bob.run(["list"])
    #expect(list.stdout.contains("local"), "\(list)")
    // No secret yet: a switch without a terminal says how to set it; after set, it works.
    let env = try ann.run(["env", "prod", "--shell", "bash"])
    expectError(
      env, containing: ["comes from the team catalog 'team' and has no secret yet", "conductor-profile set prod --secret"])
    #expect(try ann.run(["set", "prod", "--secret"], stdin: "ann-secret\n").status == 0)
    let ok = try ann.run(["env", "prod", "--shell", "bash"])
    #expect(ok.status == 0, "\(ok)")
    #expect(ok.stdout.contains("export CONDUCTOR_AUTH_SECRET='ann-secret';"), "\(ok)")
    #expect(ok.stdout.contains("export ACME_REGION='eu';"), "\(ok)")
    #expect(ok.stdout.contains("export CONDUCTOR_PROFILE_PRODUCTION='1';"), "\(ok)")
    // The secret stays through the next sync; the catalog marker stays too.
    #expect(try ann.run(["catalog", "sync", "--yes"]).status == 0)
    let kept = try ann.run(["env", "prod", "--shell", "bash"])
    #expect(kept.stdout.contains("export CONDUCTOR_AUTH_SECRET='ann-secret';"), "\(kept)")
    let catalogList = try ann.run(["catalog", "list"])
    #expect(catalogList.stdout.contains("team  \(catalog)  synced  3 profiles"), "\(catalogList)")
  }

  @Test(arguments: [
    (#""keySecret" : "leak""#, "profiles.dev.auth.keySecret"),
    (#""token" : "eyJ""#, "profiles.dev.auth.token"),
    (#""keySecret" : null, "note" : "JWT""#, "profiles.dev.auth.note"),
  ])
  func aCatalogHoldingASecretIsRefusedWhole(field: String, named: String) throws {
    let box = try Sandbox()
    try box.addKey("mine")
    let before = try #require(box.storeBytes())
    let text = field.replacingOccurrences(of: "\"JWT\"", with: "\"\(Self.token)\"")
    let catalog = try writeCatalog(
      box.root,
      """
          "dev" : { "auth" : { \(text), "keyId" : "k", "kind" : "key" }, "server" : "https://dev.acme.com/api" },
          "ok" : { "auth" : { "kind" : "none" }, "server" : "https://ok.acme.com/api" }
      """)
    let r = try box.run(["catalog", "add", catalog])
    expectError(r, containing: ["holds a secret at \(named)", "refused whole"])
    #expect(box.storeBytes() == before)
    #expect(!FileManager.default.fileExists(atPath: box.home + "/.config/conductor-profile/trusted-directories.json"))
  }

  @Test func aCatalogWithAJWTAnywhereIsRefused() throws {
    let box = try Sandbox()
    let catalog = try writeCatalog(
      box.root,
      """
          "dev" : { "auth" : { "kind" : "none" }, "env" : { "TOKEN_X" : "Bearer \(Self.token)" }, "server" : "https://dev.acme.com/api" }
      """)
    expectError(try box.run(["catalog", "add", catalog]), containing: ["holds a secret at profiles.dev.env.TOKEN_X"])
  }

  @Test func productionFlagsFromACatalogAreAFloor() throws {
    let box = try Sandbox()
    let catalog = try writeCatalog(box.root, Self.teamProfiles)
    #expect(try box.run(["catalog", "add", catalog]).status == 0)
    #expect(try box.run(["catalog", "sync", "--yes"]).status == 0)
    // A local profile on the same host that says it is not production, with a user token.
    let add = try box.run(
      ["add", "mine", "--server", "https://conductor.acme.com:443/x", "--user-token", "--no-production"], stdin: Self.token + "\n"
    )
    #expect(add.status == 0, "\(add)")
    #expect(add.stderr.contains("a catalog's production flags are a floor"), "\(add)")
    // The catalog's own profile edited locally to say not production.
    let set = try box.run(["set", "prod", "--no-production"])
    #expect(set.status == 0, "\(set)")
    #expect(set.stderr.contains("the team catalog 'team' marks conductor.acme.com production"), "\(set)")
    let env = try box.run(["env", "mine", "--shell", "bash"], env: ["CONDUCTOR_PROFILE_GUARD": "block"])
    #expect(env.status == 3, "\(env)")
    let show = try box.run(["show", "mine"])
    #expect(show.stdout.contains("production:    yes (the team catalog 'team' marks this host production)\n"), "\(show)")
    let showProd = try box.run(["show", "prod"])
    #expect(showProd.stdout.contains("source:        catalog team (\(catalog))\n"), "\(showProd)")
    let guarded = try box.run(
      ["guard"], env: ["CONDUCTOR_SERVER_URL": "https://conductor.acme.com/api", "CONDUCTOR_AUTH_TOKEN": Self.token])
    #expect(guarded.status == 3, "\(guarded)")
    // The local edit is kept and reported at the next sync; the floor still holds.
    let sync = try box.run(["catalog", "sync", "--yes"])
    #expect(sync.stdout.contains("production: your local edit false is kept"), "\(sync)")
    #expect(try box.run(["env", "mine", "--shell", "bash"], env: ["CONDUCTOR_PROFILE_GUARD": "block"]).status == 3)
    // Removing the catalog removes the floor; its profiles stay, as local ones.
    let removed = try box.run(["catalog", "remove", catalog])
    #expect(removed.status == 0, "\(removed)")
    #expect(removed.stdout.contains("its profiles stay as local ones: dev, play, prod"), "\(removed)")
    #expect(try box.run(["env", "mine", "--shell", "bash"], env: ["CONDUCTOR_PROFILE_GUARD": "block"]).status == 0)
  }

  @Test func syncShowsTheDiffAndAppliesOnlyWhenConfirmed() throws {
    let box = try Sandbox()
    let catalog = try writeCatalog(box.root, Self.teamProfiles)
    #expect(try box.run(["catalog", "add", catalog]).status == 0)
    let notYet = try box.run(["doctor"])
    #expect(notYet.stdout.contains("notice: the team catalog 'team' (\(catalog)) is added but not synced yet"), "\(notYet)")
    let unconfirmed = try box.run(["catalog", "sync"])
    #expect(unconfirmed.status == 3, "\(unconfirmed)")
    #expect(
      unconfirmed.stdout.contains(
        "  add dev\n      auth.keyId: \"team-dev\"\n      auth.kind: \"key\"\n      color: \"green\"\n"), "\(unconfirmed)")
    #expect(unconfirmed.stderr.contains("catalog sync --yes"), "\(unconfirmed)")
    let store = try #require(box.storeBytes())
    #expect(try profiles(box).isEmpty)
    #expect(try box.run(["catalog", "sync", "--yes"]).status == 0)
    // A local edit, then the catalog changes: the diff names both, the edit is kept.
    #expect(try box.run(["set", "dev", "--description", "mine"]).status == 0)
    _ = try writeCatalog(
      box.root,
      Self.teamProfiles.replacingOccurrences(of: "\"description\" : \"team dev\"", with: "\"description\" : \"dev, renamed\"")
        .replacingOccurrences(of: "\"color\" : \"green\"", with: "\"color\" : \"blue\"")
        .replacingOccurrences(
          of: "\"play\" : { \"auth\" : { \"kind\" : \"user-token\" }, \"server\" : \"https://play.acme.com/api\" }",
          with: "\"qa\" : { \"auth\" : { \"kind\" : \"none\" }, \"server\" : \"https://qa.acme.com/api\" }"))
    let before = try #require(box.storeBytes())
    let diff = try box.run(["catalog", "sync"])
    #expect(diff.status == 3)
    #expect(diff.stdout.contains("  change dev\n"), "\(diff)")
    #expect(diff.stdout.contains("color: \"green\" → \"blue\""), "\(diff)")
    #expect(diff.stdout.contains("description: the catalog now says \"dev, renamed\", your local \"mine\" is kept"), "\(diff)")
    #expect(diff.stdout.contains("  add qa\n"), "\(diff)")
    #expect(diff.stdout.contains("  remove play\n      removed from the catalog\n"), "\(diff)")
    #expect(box.storeBytes() == before)
    #expect(try box.run(["catalog", "sync", "--yes"]).status == 0)
    let p = try profiles(box)
    #expect(p["dev"]?["color"] as? String == "blue")
    #expect(p["dev"]?["description"] as? String == "mine")
    #expect(p["play"] == nil && p["qa"] != nil)
    _ = store
  }

  @Test func aCatalogEditedBetweenSyncAndUseAppliesNothing() throws {
    let box = try Sandbox()
    let catalog = try writeCatalog(box.root, Self.teamProfiles)
    #expect(try box.run(["catalog", "add", catalog]).status == 0)
    #expect(try box.run(["catalog", "sync", "--yes"]).status == 0)
    #expect(try box.run(["set", "dev", "--secret"], stdin: "s\n").status == 0)
    // Someone edits the catalog: another server, and a command to run for the secret.
    let marker = box.root.appendingPathComponent("ran").path
    _ = try writeCatalog(
      box.root,
      Self.teamProfiles.replacingOccurrences(of: "https://dev.acme.com/api", with: "https://evil.example.com/api")
        .replacingOccurrences(
          of: "\"keyId\" : \"team-dev\", \"keySecret\" : null, \"kind\" : \"key\"",
          with:
            "\"keyId\" : \"team-dev\", \"kind\" : \"key\", \"secretCommand\" : [ \"/bin/sh\", \"-c\", \"touch \(marker)\" ], \"secretStore\" : \"command\""
        ))
    let env = try box.run(["env", "dev", "--shell", "bash"])
    #expect(env.status == 0, "\(env)")
    #expect(env.stdout.contains("export CONDUCTOR_SERVER_URL='https://dev.acme.com/api';"), "\(env)")
    #expect(env.stdout.contains("export CONDUCTOR_AUTH_SECRET='s';"), "\(env)")
    let doctor = try box.run(["doctor"])
    #expect(doctor.stdout.contains("the team catalog 'team' (\(catalog)) is changed since the last sync"), "\(doctor)")
    #expect(try box.run(["catalog", "list"]).stdout.contains("changed since the last sync"))
    // The next sync shows it; once applied, the command still needs this user's approval.
    let sync = try box.run(["catalog", "sync", "--yes"])
    #expect(sync.status == 0, "\(sync)")
    #expect(sync.stdout.contains("server: \"https://dev.acme.com/api\" → \"https://evil.example.com/api\""), "\(sync)")
    #expect(sync.stderr.contains("it runs only once you approve it: conductor-profile allow --command dev"), "\(sync)")
    let after = try box.run(["env", "dev", "--shell", "bash"])
    #expect(after.status == 1, "\(after)")
    #expect(after.stderr.contains("which you have not approved"), "\(after)")
    #expect(!FileManager.default.fileExists(atPath: marker))
    // A moved catalog: doctor says so.
    try FileManager.default.moveItem(atPath: catalog, toPath: catalog + ".moved")
    let moved = try box.run(["doctor"])
    #expect(moved.stdout.contains("is missing (moved or deleted)"), "\(moved)")
  }

  @Test func concurrentSyncAndAddLoseNothing() throws {
    let box = try Sandbox()
    var members: [String] = []
    for i in 0..<30 {
      members.append("    \"team\(i)\" : { \"auth\" : { \"kind\" : \"none\" }, \"server\" : \"https://t\(i).acme.com/api\" }")
    }
    let catalog = try writeCatalog(box.root, members.joined(separator: ",\n"))
    #expect(try box.run(["catalog", "add", catalog]).status == 0)
    var children: [TestProcess] = []
    for i in 0..<12 {
      let arguments =
        i % 4 == 0
        ? ["catalog", "sync", "--yes"] : ["add", "mine\(i)", "--server", "https://m\(i).example.com", "--no-auth"]
      children.append(try TestProcess(Sandbox.program, arguments, environment: box.environment, stdin: .bytes([])))
    }
    let statuses = children.map { $0.wait() }
    #expect(statuses.allSatisfy { $0 == 0 }, "\(statuses)")
    let p = try profiles(box)
    #expect(p.count == 39, "\(p.keys.sorted())")
  }

  @Test func aRenamedCatalogProfileBecomesLocal() throws {
    let box = try Sandbox()
    let catalog = try writeCatalog(box.root, Self.teamProfiles)
    #expect(try box.run(["catalog", "add", catalog]).status == 0)
    #expect(try box.run(["catalog", "sync", "--yes"]).status == 0)
    #expect(try box.run(["rename", "dev", "my-dev"]).status == 0)
    let sync = try box.run(["catalog", "sync", "--yes"])
    #expect(sync.status == 0, "\(sync)")
    #expect(sync.stdout.contains("  add dev\n"), "\(sync)")
    #expect(!sync.stdout.contains("my-dev"), "\(sync)")
    let p = try profiles(box)
    #expect(p["dev"] != nil && p["my-dev"] != nil)
    let list = try box.run(["list"])
    #expect(list.stdout.split(separator: "\n").contains { $0.contains("my-dev") && $0.hasSuffix("local") }, "\(list)")
  }

  @Test func usageErrors() throws {
    let box = try Sandbox()
    expectUsageError(
      try box.run(["catalog", "ad", "x"]), command: "catalog", containing: "unknown catalog action 'ad'", suggestion: "add")
    expectUsageError(try box.run(["catalog", "add"]), command: "catalog", containing: "catalog add needs a PATH")
    expectUsageError(try box.run(["catalog", "list", "--yes"]), command: "catalog", containing: "--yes goes with catalog sync")
    expectError(try box.run(["catalog", "sync"]), containing: ["no team catalog was added"])
    expectError(
      try box.run(["catalog", "add", "/dev/zero"]),
      containing: ["/dev/zero is a character device, not a regular file; a team catalog must be a file"])
    expectError(try box.run(["catalog", "add", box.root.path + "/none.json"]), containing: ["does not exist"])
  }
}

/// The questions the catalog and the approval of commands ask at a real terminal (Tests/Support/pty_run.py).
@Suite struct CatalogTerminalTests {
  func atTerminal(_ box: Sandbox, prompt: String, answer: String, _ arguments: [String]) throws -> Sandbox.Result? {
    guard let python = try requireShell("python3") else { return nil }
    return try box.execute(python, [TerminalTests.driver, prompt, answer, Sandbox.program] + arguments)
  }

  @Test func syncAsksAndUseAsksForTheMissingSecret() throws {
    let box = try Sandbox()
    let catalog = try CatalogTests().writeCatalog(box.root, CatalogTests.teamProfiles)
    #expect(try box.run(["catalog", "add", catalog]).status == 0)
    guard
      let no = try atTerminal(
        box, prompt: "Apply these 3 changes from the catalog 'team'? [y/N] ", answer: "n", ["catalog", "sync"])
    else { return }
    #expect(no.status == 1, "\(no)")
    #expect(no.stdout.contains("not applied; nothing was changed"), "\(no)")
    #expect(try CatalogTests().profiles(box).isEmpty)
    let yes = try #require(
      try atTerminal(box, prompt: "Apply these 3 changes from the catalog 'team'? [y/N] ", answer: "y", ["catalog", "sync"]))
    #expect(yes.status == 0, "\(yes)")
    #expect(try CatalogTests().profiles(box).count == 3)
    // The first switch asks for the secret (no echo) and keeps it.
    let secret = "typed-at-the-terminal"
    let env = try #require(
      try atTerminal(
        box, prompt: "Key secret for prod (from the team catalog 'team'): ", answer: secret, ["env", "prod", "--shell", "bash"]))
    #expect(env.status == 0, "\(env)")
    #expect(env.stdout.contains("export CONDUCTOR_AUTH_SECRET='\(secret)';"), "\(env)")
    #expect(!env.stdout.contains("prod'): \(secret)"), "the secret was echoed: \(env)")
    let again = try box.run(["env", "prod", "--shell", "bash"])
    #expect(again.status == 0 && again.stdout.contains("export CONDUCTOR_AUTH_SECRET='\(secret)';"), "\(again)")
  }

  @Test func allowCommandAsksAtATerminal() throws {
    let box = try Sandbox()
    let (script, marker) = try CommandApprovalTests().helper(in: box)
    try CommandApprovalTests().handWritten(box, script: script)
    let prompt = "Run this command whenever profile 'ci' needs its secret? [y/N] "
    guard let no = try atTerminal(box, prompt: prompt, answer: "", ["allow", "--command", "ci"]) else { return }
    #expect(no.status == 1, "\(no)")
    #expect(no.stdout.contains("  \(script) s3cret\r\n"), "the vector is shown first: \(no)")
    #expect(try box.run(["env", "ci", "--shell", "bash"]).status == 1)
    let yes = try #require(try atTerminal(box, prompt: prompt, answer: "y", ["allow", "--command", "ci"]))
    #expect(yes.status == 0, "\(yes)")
    #expect(CommandApprovalTests().runs(marker) == 0)
    #expect(try box.run(["env", "ci", "--shell", "bash"]).status == 0)
    #expect(CommandApprovalTests().runs(marker) == 1)
  }
}
