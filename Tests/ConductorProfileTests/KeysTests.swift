import Foundation
import Testing

@testable import ProfileModel

/// whoami, promote and rotate against the fake Conductor's application API (Tests/Support/fake_conductor.py):
/// the happy paths, every server call failed in turn, and the program killed (kill -9) at every step, each
/// time checking that nothing is lost: the profile works at every instant, and the next `rotate NAME`
/// finishes what was started, naming any key whose secret never reached the store.
@Suite struct KeysTests {
  static let userToken = makeJWT(["sub": "jane", "email": "jane@example.com", "exp": 4_102_444_800])

  /// A sandbox with the fake server, the user-token profile `play` and the key profile `dev` (key `key-id`
  /// of the seeded application `app-1`).
  struct World {
    let sandbox: Sandbox
    let server: FakeConductor

    /// With `keychain`, the stand-in `security` (Tests/Support/fake_security.py) is first on PATH, its
    /// items in `keychainItems`, and `dev` keeps its secret there.
    init?(_ arguments: [String] = [], keychain: Bool = false) throws {
      sandbox = try Sandbox()
      guard let server = try FakeConductor.start(["--user-token", KeysTests.userToken] + arguments) else { return nil }
      self.server = server
      if keychain {
        let bin = sandbox.root.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
          atPath: bin.appendingPathComponent("security").path, withDestinationPath: SecretStoreTests.fakeSecurity)
        sandbox.environment["PATH"] = bin.path + ":" + sandbox.environment["PATH"]!
        sandbox.environment["FAKE_KEYCHAIN"] = sandbox.root.appendingPathComponent("keychain.json").path
      }
      try sandbox.addToken("play", server: server.url, token: KeysTests.userToken)
      try sandbox.addKey("dev", server: server.url, extra: keychain ? ["--secret-store", "keychain"] : [])
    }

    /// The keychain stand-in's items: account → secret (service conductor-profile).
    func keychainItems() -> [String: String] {
      guard let path = sandbox.environment["FAKE_KEYCHAIN"], let data = FileManager.default.contents(atPath: path),
        let object = try? JSONSerialization.jsonObject(with: data) as? [String: String]
      else { return [:] }
      var items: [String: String] = [:]
      for (key, value) in object where key.hasPrefix("conductor-profile\u{0}") {
        items[String(key.dropFirst("conductor-profile\u{0}".count))] = value
      }
      return items
    }

    /// Every argument vector the keychain stand-in was run with.
    func keychainArguments() -> String {
      guard let path = sandbox.environment["FAKE_KEYCHAIN"] else { return "" }
      return (try? String(contentsOfFile: path + ".argv", encoding: .utf8)) ?? ""
    }

    func run(_ arguments: [String], env: [String: String] = [:], sourceLocation: SourceLocation = #_sourceLocation) throws
      -> Sandbox.Result
    {
      let r = try sandbox.run(arguments, env: env)
      // A secret the server made never reaches standard output or error.
      #expect(r.stdout.range(of: "secret-[0-9]+-", options: .regularExpression) == nil, "\(r)", sourceLocation: sourceLocation)
      #expect(r.stderr.range(of: "secret-[0-9]+-", options: .regularExpression) == nil, "\(r)", sourceLocation: sourceLocation)
      return r
    }

    /// Replaces the server's faults (and releases any held request).
    func faults(fail: [String: Int] = [:], stall: [String] = [], stallAfter: [String] = []) throws {
      let body = try JSONSerialization.data(withJSONObject: ["fail": fail, "stall": stall, "stallAfter": stallAfter])
      let r = try sandbox.execute(
        "/usr/bin/env",
        [
          "curl", "-s", "--max-time", "5", "-X", "POST", "--data-binary", String(decoding: body, as: UTF8.self),
          "\(server.url)/_faults",
        ])
      #expect(r.status == 0, "\(r)")
    }

    /// The server's applications: id → {name, roles, keys: id → {status, createdAt}}.
    func state() throws -> [String: [String: Any]] {
      let r = try sandbox.execute("/usr/bin/env", ["curl", "-s", "--max-time", "5", "\(server.url)/_state"])
      return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: [String: Any]])
    }

    func keys(of application: String) throws -> [String: String] {
      let keys = try #require(try state()[application]?["keys"] as? [String: [String: Any]])
      return keys.mapValues { $0["status"] as? String ?? "?" }
    }

    func profile(_ name: String) throws -> [String: Any]? {
      (try sandbox.storeJSON()["profiles"] as? [String: Any])?[name] as? [String: Any]
    }

    func auth(_ name: String) throws -> [String: Any] {
      try #require(try profile(name)?["auth"] as? [String: Any])
    }

    /// Starts the program, waits until the server holds `call`, then kills it (and its curl) with SIGKILL.
    func killDuring(_ arguments: [String], call: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
      let child = try TestProcess(Sandbox.program, arguments, environment: sandbox.environment, timeout: 60)
      var held = false
      for _ in 0..<400 {
        if let stalled = try server.stats(sandbox)["stalled"] as? String, stalled.hasSuffix(call) || stalled.contains(call + "#")
        {
          held = true
          break
        }
        if !child.isRunning { break }
        usleep(25_000)
      }
      #expect(held, "the server never held \(call)", sourceLocation: sourceLocation)
      kill(-child.pid, SIGKILL)
      let status = child.wait()
      #expect(status != 0, sourceLocation: sourceLocation)
    }
  }

  // MARK: network loss

  /// Runs the program while the server holds `call` after doing it, then lets the server drop the
  /// connection without an answer (curl: empty reply): the network lost at the worst moment.
  func loseAnswer(_ world: World, _ arguments: [String], call: String) throws -> Sandbox.Result {
    let out = world.sandbox.root.appendingPathComponent("lost-out").path
    let err = world.sandbox.root.appendingPathComponent("lost-err").path
    let child = try TestProcess(
      Sandbox.program, arguments, environment: world.sandbox.environment, stdout: .file(out), stderr: .file(err), timeout: 60)
    var held = false
    for _ in 0..<400 where !held {
      held = (try world.server.stats(world.sandbox)["stalled"] as? String) == "after " + call
      if !held { usleep(25_000) }
    }
    #expect(held, "the server never held \(call)")
    try world.faults()
    let status = child.wait()
    return Sandbox.Result(
      status: status, stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
      stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
  }

  @Test func rotateLosingTheAnswerWithTheNewKeyNamesIt() throws {
    guard let world = try World() else { return }
    try world.faults(stallAfter: ["createKey"])
    let r = try loseAnswer(world, ["rotate", "dev"], call: "createKey")
    #expect(r.status == 1, "\(r)")
    // The server made a key whose secret never arrived: it is named, with the command that deletes it.
    let stray = try #require(try world.keys(of: "app-1").keys.first { $0 != "key-id" })
    #expect(r.stderr.contains("the key '\(stray)' of application 'app-1' was made by the interrupted rotate"), "\(r)")
    #expect(r.stderr.contains("curl -X DELETE"), "\(r)")
    #expect(try world.auth("dev")["pendingKey"] == nil)
    try checkRotateRecovers(world, said: r.stdout + r.stderr)
  }

  @Test func promoteLosingTheAnswerOfTheApplicationNamesIt() throws {
    guard let world = try World() else { return }
    try world.faults(stallAfter: ["createApp"])
    let r = try loseAnswer(world, ["promote", "play"], call: "createApp")
    #expect(r.status == 1, "\(r)")
    #expect(r.stderr.contains("an application named 'play-key-jane' may exist"), "\(r)")
    #expect(try world.auth("play")["pendingKey"] == nil)
    #expect(world.sandbox.storeBytes().map { !String(decoding: $0, as: UTF8.self).contains("play-key\"") } == true)
  }

  // MARK: whoami

  @Test func whoamiUserAndApplication() throws {
    guard let world = try World() else { return }
    let user = try world.run(["whoami", "play"])
    #expect(user.status == 0, "\(user)")
    let server = world.server.url + "/api"
    let expected = [
      "profile: play", "server:  \(server)", "kind:    user", "name:    Jane Doe", "id:      jane@example.com",
      "roles:   USER, ADMIN", "groups:  engineering", "expires: 2100-01-01 00:00 UTC (in ",
    ].joined(separator: "\n")
    #expect(user.stdout.hasPrefix(expected), "\(user)")
    #expect(user.stderr == "")

    let app = try world.run(["whoami", "dev", "--json"])
    #expect(app.status == 0, "\(app)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(app.stdout.utf8)) as? [String: Any])
    #expect(json["kind"] as? String == "application")
    #expect(json["roles"] as? [String] == ["WORKER"])
    #expect((json["application"] as? [String: Any])?["id"] as? String == "app-1")
    #expect((json["key"] as? [String: Any])?["status"] as? String == "ACTIVE")
    // What it learnt is kept with the profile, and list and show say the key's age.
    let info = try #require(try world.auth("dev")["keyInfo"] as? [String: Any])
    #expect(info["applicationId"] as? String == "app-1" && info["roles"] as? [String] == ["WORKER"])
    let list = try world.run(["list"])
    #expect(list.stdout.contains("key 10d old"), "\(list)")
    let show = try world.run(["show", "dev"])
    #expect(show.stdout.contains("key state:     active\n"), "\(show)")
    #expect(show.stdout.contains("application:   seeded (app-1)\n"), "\(show)")
  }

  @Test func whoamiWarnsOfAdminOnProduction() throws {
    guard let world = try World(["--app-roles", "WORKER,ADMIN"]) else { return }
    #expect(try world.run(["set", "dev", "--production"]).status == 0)
    let r = try world.run(["whoami", "dev"])
    #expect(r.status == 0, "\(r)")
    #expect(r.stderr.contains("warning: profile 'dev' is on the production server"), "\(r)")
    #expect(r.stderr.contains("an everyday shell does not need admin on production"), "\(r)")
  }

  // MARK: adminOnProduction

  @Test(arguments: ["warn", "block"])
  func adminOnProduction(mode: String) throws {
    guard let world = try World(["--app-roles", "WORKER,ADMIN"]) else { return }
    #expect(try world.run(["set", "dev", "--production"]).status == 0)
    #expect(try world.run(["whoami", "dev"]).status == 0)
    // Not set: nothing said.
    let quiet = try world.run(["env", "dev", "--shell", "bash"])
    #expect(quiet.status == 0 && !quiet.stderr.contains("admin"), "\(quiet)")
    let exported = try world.run(["env", "dev", "--format", "json"])
    let variables = try #require(try JSONSerialization.jsonObject(with: Data(exported.stdout.utf8)) as? [String: String])
    var store = try world.sandbox.storeJSON()
    store["adminOnProduction"] = mode
    try world.sandbox.writeStore(String(decoding: try JSONSerialization.data(withJSONObject: store), as: UTF8.self))
    for command in [["env", "dev", "--shell", "bash"], ["token", "dev"], ["exec", "dev", "--", "/bin/true"]] {
      let r = try world.run(command)
      #expect(r.stderr.contains("admin role (ADMIN) on the production server"), "\(command) \(r)")
      #expect(r.status == (mode == "block" ? 3 : 0), "\(command) \(r)")
      if mode == "block" { #expect(r.stdout == "", "\(command) \(r)") }
    }
    // guard judges this environment the same way, from the profile that holds the key.
    let judged = try world.sandbox.run(["guard"], env: variables)
    #expect(judged.status == (mode == "block" ? 3 : 0), "\(judged)")
    #expect(judged.stderr.contains("admin role (ADMIN)"), "\(judged)")
    // A profile that is not production: fine whatever the mode.
    #expect(try world.run(["set", "dev", "--no-production"]).status == 0)
    let fine = try world.run(["env", "dev", "--shell", "bash"])
    #expect(fine.status == 0 && !fine.stderr.contains("admin"), "\(fine)")
  }

  @Test func badStoreSettingsAreProblems() throws {
    guard let world = try World() else { return }
    var store = try world.sandbox.storeJSON()
    store["keyMaxAge"] = "ninety days"
    try world.sandbox.writeStore(String(decoding: try JSONSerialization.data(withJSONObject: store), as: UTF8.self))
    let r = try world.run(["doctor"])
    #expect(r.status == 1)
    #expect(r.stdout.contains("problem: the store's \"keyMaxAge\" is \"ninety days\", not a duration"), "\(r)")
  }

  // MARK: promote

  @Test func promoteMakesAWorkingKeyProfile() throws {
    guard let world = try World() else { return }
    let before = try world.auth("play")
    let r = try world.run(["promote", "play"])
    #expect(r.status == 0, "\(r)")
    #expect(r.stdout.hasPrefix("promoted: profile 'play-key' uses the application key 'key-"), "\(r)")
    #expect(r.stdout.hasSuffix("Switch to it with: conductor-profile use play-key\n"), "\(r)")
    let auth = try world.auth("play-key")
    #expect(auth["kind"] as? String == "key")
    let keyID = try #require(auth["keyId"] as? String)
    #expect(auth["pendingKey"] == nil)
    // On the server: an application named from the profile and the user, WORKER only, the key active.
    let state = try world.state()
    let (appID, app) = try #require(state.first { ($0.value["name"] as? String) == "play-key-jane" })
    #expect(app["roles"] as? [String] == ["WORKER"])
    #expect(try world.keys(of: appID) == [keyID: "ACTIVE"])
    // It works, and the user-token profile is as it was.
    #expect(try world.run(["verify", "play-key"]).status == 0)
    #expect(try NSDictionary(dictionary: world.auth("play")).isEqual(to: before))
    // The store file is still private.
    #expect(try world.sandbox.mode(of: world.sandbox.storePath) == 0o600)
  }

  @Test func promoteToReplacesTheProfileWithRoles() throws {
    guard let world = try World() else { return }
    let r = try world.run([
      "promote", "play", "--to", "play", "--role", "WORKER", "--role", "METADATA_API", "--application", "ci",
    ])
    #expect(r.status == 0, "\(r)")
    let auth = try world.auth("play")
    #expect(auth["kind"] as? String == "key" && auth["token"] == nil)
    let app = try #require(try world.state().first { ($0.value["name"] as? String) == "ci" })
    #expect(app.value["roles"] as? [String] == ["WORKER", "METADATA_API"])
    #expect(try world.run(["verify", "play"]).status == 0)
  }

  @Test func promoteRefusedAdminRoleNamesWhatItMade() throws {
    guard let world = try World(["--user-roles", "USER"]) else { return }
    let before = try #require(world.sandbox.storeBytes())
    let r = try world.run(["promote", "play", "--role", "ADMIN"])
    #expect(r.status == 1, "\(r)")
    #expect(r.stderr.contains("HTTP 403"), "\(r)")
    #expect(r.stderr.contains("Remove it with: curl -X DELETE -H \"$(conductor-profile token --header play)\""), "\(r)")
    // No key was made, and the store is byte for byte as it was.
    let made = try #require(try world.state().first { ($0.value["name"] as? String) == "play-key-jane" })
    #expect(try world.keys(of: made.key).isEmpty)
    #expect(r.stderr.contains("/api/applications/\(made.key) — "), "\(r)")
    #expect(world.sandbox.storeBytes() == before)
  }

  @Test func promoteChecksBeforeCallingTheServer() throws {
    guard let world = try World() else { return }
    let notToken = try world.run(["promote", "dev"])
    #expect(notToken.status == 1 && notToken.stderr.contains("conductor-profile rotate dev"), "\(notToken)")
    let taken = try world.run(["promote", "play", "--to", "dev"])
    #expect(taken.status == 1 && taken.stderr.contains("a profile named 'dev' already exists"), "\(taken)")
    let badRole = try world.run(["promote", "play", "--role", "worker"])
    #expect(badRole.status == 64, "\(badRole)")
    let command = try world.run(["promote", "play", "--secret-store", "command"])
    #expect(command.status == 64, "\(command)")
    #expect(try world.server.stats(world.sandbox)["calls"] as? [String] == [])
  }

  /// The calls of one promote, in order.
  static let promoteCalls = ["userInfo", "createApp", "addRole", "createKey", "token"]

  @Test(arguments: promoteCalls)
  func promoteFailingEachCallLosesNothing(call: String) throws {
    guard let world = try World() else { return }
    try world.faults(fail: [call: 500])
    let r = try world.run(["promote", "play"])
    #expect(r.status == 1, "\(r)")
    try world.faults()
    try checkPromoteRecovers(world, after: r)
  }

  @Test(arguments: promoteCalls.map { ($0, false) } + ["createApp", "addRole", "createKey", "token"].map { ($0, true) })
  func promoteKilledAtEachStepLosesNothing(call: String, after: Bool) throws {
    guard let world = try World() else { return }
    try world.faults(stall: after ? [] : [call], stallAfter: after ? [call] : [])
    try world.killDuring(["promote", "play"], call: call)
    try world.faults()
    try checkPromoteRecovers(world, after: nil)
  }

  /// After an interrupted promote: `play` still works; `rotate play` finishes it (play-key works) or rolls
  /// it back (no pending record, and what the server made is named); no key with a lost secret is left
  /// unnamed.
  func checkPromoteRecovers(_ world: World, after first: Sandbox.Result?) throws {
    #expect(try world.run(["verify", "play"]).status == 0)
    var said = (first?.stdout ?? "") + (first?.stderr ?? "")
    if try world.auth("play")["pendingKey"] != nil {
      let doctor = try world.run(["doctor"])
      #expect(doctor.stdout.contains("problem: profile 'play': a promote was interrupted"), "\(doctor)")
      let resumed = try world.run(["rotate", "play"])
      #expect(resumed.status == 0, "\(resumed)")
      said += resumed.stdout + resumed.stderr
    }
    #expect(try world.auth("play")["pendingKey"] == nil)
    #expect(try world.auth("play")["kind"] as? String == "user-token")
    let app = try world.state().first { ($0.value["name"] as? String) == "play-key-jane" }
    if let made = try world.profile("play-key") {
      let auth = try #require(made["auth"] as? [String: Any])
      #expect(try world.run(["verify", "play-key"]).status == 0)
      let id = try #require(app?.key)
      for (key, status) in try world.keys(of: id) where key != auth["keyId"] as? String && status == "ACTIVE" {
        #expect(said.contains("'\(key)'"), "key \(key) is active and unnamed: \(said)")
      }
    } else if let app {
      // Rolled back: the application (and any key in it) is named.
      #expect(said.contains("play-key-jane") || said.contains(app.key), "\(said)")
      #expect(try world.keys(of: app.key).allSatisfy { said.contains("'\($0.key)'") }, "\(said)")
    }
  }

  // MARK: rotate

  @Test(arguments: ["pause", "keep", "delete"])
  func rotateReplacesTheKey(mode: String) throws {
    guard let world = try World() else { return }
    let flags = ["pause": [], "keep": ["--keep-old"], "delete": ["--delete-old"]][mode]!
    let r = try world.run(["rotate", "dev"] + flags)
    #expect(r.status == 0, "\(r)")
    let newID = try #require(try world.auth("dev")["keyId"] as? String)
    #expect(newID != "key-id")
    let expected = ["pause": "INACTIVE", "keep": "ACTIVE", "delete": nil][mode]!
    var keys = [newID: "ACTIVE"]
    keys["key-id"] = expected
    #expect(try world.keys(of: "app-1") == keys)
    #expect(r.stdout.contains("run 'conductor-profile use dev' in them to pick up the new one"), "\(r)")
    #expect(try world.run(["verify", "dev"]).status == 0)
    #expect(try world.auth("dev")["pendingKey"] == nil)
  }

  @Test func rotateUsesAUserTokenWhenTheKeyMayNotManageItsApplication() throws {
    guard let world = try World(["--no-self-manage"]) else { return }
    // Killed after the switch: the record names the user-token profile, and the resumed run uses it.
    try world.faults(stall: ["listKeys"])
    try world.killDuring(["rotate", "dev"], call: "listKeys")
    try world.faults()
    let pending = try #require(try world.auth("dev")["pendingKey"] as? [String: Any])
    #expect(pending["manager"] as? String == "play", "\(pending)")
    try checkRotateRecovers(world, said: "")
    let again = try world.run(["rotate", "dev", "--delete-old"])
    #expect(again.status == 0, "\(again)")
    #expect(again.stderr.contains("using the user token of profile 'play'"), "\(again)")
    // Without a user token for the server, it says what to add, and records nothing.
    #expect(try world.run(["remove", "play"]).status == 0)
    let alone = try world.run(["rotate", "dev"])
    #expect(alone.status == 1, "\(alone)")
    #expect(alone.stderr.contains("add a user-token profile for \(world.server.url)/api"), "\(alone)")
    #expect(try world.auth("dev")["pendingKey"] == nil)
  }

  @Test func aNewKeyRefusedAtFirstIsAskedAgain() throws {
    guard let world = try World() else { return }
    // Refused once (a cluster whose nodes learn of the key a moment later), then accepted.
    try world.faults(fail: ["token#2": 401])
    let r = try world.run(["rotate", "dev"])
    #expect(r.status == 0, "\(r)")
    #expect(try world.keys(of: "app-1")["key-id"] == "INACTIVE")
  }

  @Test func aNewKeyThatNeverWorksIsDeletedAndTheOldOneKept() throws {
    guard let world = try World() else { return }
    try world.faults(fail: ["token#2": 401, "token#3": 401, "token#4": 401, "token#5": 401])
    let r = try world.run(["rotate", "dev"])
    #expect(r.status == 1, "\(r)")
    #expect(r.stderr.contains("does not work (HTTP 401 INJECTED"), "\(r)")
    #expect(r.stderr.contains("so profile 'dev' keeps its old key; it was deleted"), "\(r)")
    #expect(try world.keys(of: "app-1") == ["key-id": "ACTIVE"])
    #expect(try world.auth("dev")["pendingKey"] == nil && world.auth("dev")["keyId"] as? String == "key-id")
    #expect(try world.run(["verify", "dev"]).status == 0)
  }

  @Test func rotateNeedsAKeyProfile() throws {
    guard let world = try World() else { return }
    let r = try world.run(["rotate", "play"])
    #expect(r.status == 1 && r.stderr.contains("conductor-profile promote play"), "\(r)")
    let both = try world.run(["rotate", "dev", "--keep-old", "--delete-old"])
    #expect(both.status == 64, "\(both)")
  }

  @Test func pausedKeyIsSaidAsSuch() throws {
    guard let world = try World() else { return }
    #expect(try world.run(["copy", "dev", "dev2"]).status == 0)
    #expect(try world.run(["rotate", "dev"]).status == 0)
    // dev2 still holds the old key, now paused: the store knows, so verify, list, show and doctor say so.
    let verify = try world.run(["verify", "dev2"])
    #expect(verify.status == 1)
    #expect(verify.stderr.hasPrefix("error: key paused: the application key 'key-id' of profile 'dev2' is INACTIVE"), "\(verify)")
    #expect(try world.run(["list"]).stdout.contains("paused"))
    #expect(try world.run(["show", "dev2"]).stdout.contains("key state:     paused (INACTIVE)"))
    let doctor = try world.run(["doctor"])
    #expect(doctor.stdout.contains("problem: the application key 'key-id' of profile 'dev2' is paused (INACTIVE)"), "\(doctor)")
    // Resumed on the server (the toggle, as the UI does it): verify works and the store forgets "paused".
    let token = try world.run(["token", "dev"]).stdout.trimmingCharacters(in: .newlines)
    let toggled = try world.sandbox.execute(
      "/usr/bin/env",
      [
        "curl", "-s", "-X", "POST", "-H", "X-Authorization: \(token)",
        "\(world.server.url)/api/applications/app-1/accessKeys/key-id/status",
      ])
    #expect(toggled.stdout.contains("\"ACTIVE\""), "\(toggled)")
    #expect(try world.run(["verify", "dev2"]).status == 0)
    #expect(!(try world.run(["doctor"]).stdout.contains("is paused")))
  }

  @Test func doctorNoticesOldKeys() throws {
    guard let world = try World(["--key-age-days", "120"]) else { return }
    #expect(try world.run(["whoami", "dev"]).status == 0)
    var store = try world.sandbox.storeJSON()
    store["keyMaxAge"] = "90d"
    try world.sandbox.writeStore(String(decoding: try JSONSerialization.data(withJSONObject: store), as: UTF8.self))
    let r = try world.run(["doctor"])
    #expect(
      r.stdout.contains(
        "notice: the application key 'key-id' of profile 'dev' is 120d old, older than keyMaxAge (90d); fix: conductor-profile rotate dev\n"
      ), "\(r)")
    #expect(!r.stdout.contains("problem: the application key"), "\(r)")
  }

  /// The calls of one rotate (pausing the old key), in order.
  static let rotateCalls = ["token#1", "keyApp", "createKey", "token#2", "listKeys", "toggleKey"]

  @Test(arguments: rotateCalls)
  func rotateFailingEachCallLosesNothing(call: String) throws {
    guard let world = try World() else { return }
    try world.faults(fail: [call: 500])
    let r = try world.run(["rotate", "dev"])
    #expect(r.status == 1, "\(r)")
    try world.faults()
    try checkRotateRecovers(world, said: r.stdout + r.stderr)
  }

  @Test(
    arguments: rotateCalls.map { ($0, false) } + ["createKey", "token#2", "listKeys", "toggleKey"].map { ($0, true) })
  func rotateKilledAtEachStepLosesNothing(call: String, after: Bool) throws {
    guard let world = try World() else { return }
    try world.faults(stall: after ? [] : [call], stallAfter: after ? [call] : [])
    try world.killDuring(["rotate", "dev"], call: call.components(separatedBy: "#")[0])
    try world.faults()
    try checkRotateRecovers(world, said: "")
  }

  /// The profile works at every instant; `rotate dev` then finishes (or rolls back and starts again) and
  /// leaves exactly: the profile's new key active, the old one paused (never toggled back), and any other
  /// active key named as made by the interrupted run.
  func checkRotateRecovers(_ world: World, said first: String) throws {
    #expect(try world.run(["verify", "dev"]).status == 0)
    var said = first
    let resumed = try world.run(["rotate", "dev"])
    #expect(resumed.status == 0, "\(resumed)")
    said += resumed.stdout + resumed.stderr
    let auth = try world.auth("dev")
    #expect(auth["pendingKey"] == nil)
    let current = try #require(auth["keyId"] as? String)
    #expect(try world.run(["verify", "dev"]).status == 0)
    let keys = try world.keys(of: "app-1")
    #expect(keys[current] == "ACTIVE")
    #expect(keys["key-id"] == "INACTIVE", "\(keys)")
    for (key, status) in keys where key != current && status == "ACTIVE" {
      #expect(said.contains("'\(key)'"), "key \(key) is active and unnamed: \(said)")
    }
  }

  @Test func doctorFixFinishesAnInterruptedRotate() throws {
    guard let world = try World() else { return }
    try world.faults(stall: ["listKeys"])
    try world.killDuring(["rotate", "dev"], call: "listKeys")
    try world.faults()
    let auth = try world.auth("dev")
    #expect((auth["pendingKey"] as? [String: Any])?["step"] as? String == "switched", "\(auth)")
    let report = try world.run(["doctor"])
    #expect(
      report.stdout.contains("problem: profile 'dev': a rotate was interrupted after the switch to the new key"), "\(report)")
    // The record holds no secret once the profile uses the key; export never shows one anyway.
    let export = try world.run(["export", "dev"])
    #expect(!export.stdout.contains("secret-"), "\(export)")
    let fixed = try world.run(["doctor", "--fix"])
    #expect(fixed.stdout.contains("fixed: the interrupted rotate of profile 'dev'"), "\(fixed)")
    #expect(try world.auth("dev")["pendingKey"] == nil)
    #expect(try world.keys(of: "app-1")["key-id"] == "INACTIVE")
  }

  @Test func pendingSecretIsRedactedInExportAndShow() throws {
    guard let world = try World() else { return }
    try world.faults(stall: ["token#2"])
    try world.killDuring(["rotate", "dev"], call: "token")
    try world.faults()
    let pending = try #require(try world.auth("dev")["pendingKey"] as? [String: Any])
    #expect(pending["step"] as? String == "created")
    #expect((pending["keySecret"] as? String)?.hasPrefix("secret-") == true)
    #expect(try world.sandbox.mode(of: world.sandbox.storePath) == 0o600)
    for command in [["export", "dev"], ["show", "dev", "--json"], ["show", "dev"], ["list", "--json"]] {
      let r = try world.run(command)
      #expect(r.status == 0 && !r.stdout.contains("secret-"), "\(command) \(r)")
    }
  }

  // MARK: secrets in a secret store

  @Test func promoteIntoASecretStore() throws {
    guard let world = try World(keychain: true) else { return }
    let r = try world.run(["promote", "play", "--secret-store", "keychain"])
    #expect(r.status == 0, "\(r)")
    let auth = try world.auth("play-key")
    #expect(auth["secretStore"] as? String == "keychain" && auth["keySecret"] == nil, "\(auth)")
    let items = world.keychainItems()
    #expect(items["play-key"]?.hasPrefix("secret-") == true, "\(items)")
    #expect(items["play-key~pending"] == nil, "\(items)")
    #expect(!String(decoding: world.sandbox.storeBytes() ?? Data(), as: UTF8.self).contains("secret-"))
    #expect(!world.keychainArguments().contains("secret-"))
    #expect(try world.run(["verify", "play-key"]).status == 0)
  }

  @Test func rotateKilledWithTheSecretInASecretStore() throws {
    guard let world = try World(keychain: true) else { return }
    try world.faults(stall: ["token#2"])
    try world.killDuring(["rotate", "dev"], call: "token")
    try world.faults()
    // The secret is in the entry dev~pending, the store file names where, and holds no secret.
    let pending = try #require(try world.auth("dev")["pendingKey"] as? [String: Any])
    #expect(pending["secretStore"] as? String == "keychain" && pending["keySecret"] == nil, "\(pending)")
    #expect(world.keychainItems()["dev~pending"]?.hasPrefix("secret-") == true)
    #expect(!String(decoding: world.sandbox.storeBytes() ?? Data(), as: UTF8.self).contains("secret-"))
    try checkRotateRecovers(world, said: "")
    let items = world.keychainItems()
    #expect(items["dev~pending"] == nil && items["dev"]?.hasPrefix("secret-") == true, "\(items)")
    #expect(!world.keychainArguments().contains("secret-"))
  }

  @Test func aFailingSecretStoreNeverLosesTheSecret() throws {
    guard let world = try World(keychain: true) else { return }
    // The keychain is locked: the new secret goes to the store file (0600) instead, and the promote
    // stops before writing the profile; unlocked, rotate play finishes it.
    let r = try world.run(["promote", "play", "--secret-store", "keychain"], env: ["FAKE_KEYCHAIN_LOCKED": "1"])
    #expect(r.status == 1, "\(r)")
    #expect(r.stderr.contains("warning: could not keep the new secret in keychain"), "\(r)")
    let pending = try #require(try world.auth("play")["pendingKey"] as? [String: Any])
    #expect((pending["keySecret"] as? String)?.hasPrefix("secret-") == true, "\(pending)")
    #expect(try world.sandbox.mode(of: world.sandbox.storePath) == 0o600)
    #expect(try world.profile("play-key") == nil)
    let resumed = try world.run(["rotate", "play"])
    #expect(resumed.status == 0, "\(resumed)")
    #expect(try world.auth("play")["pendingKey"] == nil)
    #expect(try world.run(["verify", "play-key"]).status == 0)
    #expect(world.keychainItems()["play-key"]?.hasPrefix("secret-") == true)
  }

  @Test func noSecretOrTokenIsEverAnArgument() throws {
    guard let world = try World() else { return }
    // A curl on PATH that records its arguments, then runs the real one.
    let curl = try #require(try requireShell("curl"))
    let bin = world.sandbox.root.appendingPathComponent("shim")
    try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
    let log = world.sandbox.root.appendingPathComponent("curl-argv").path
    let shim = bin.appendingPathComponent("curl").path
    try "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '\(log)'\nexec '\(curl)' \"$@\"\n".write(
      toFile: shim, atomically: true, encoding: .utf8)
    chmod(shim, 0o755)
    let path = bin.path + ":" + world.sandbox.environment["PATH"]!
    for command in [["whoami", "play"], ["promote", "play"], ["rotate", "play-key"], ["rotate", "dev", "--delete-old"]] {
      let r = try world.run(command, env: ["PATH": path])
      #expect(r.status == 0, "\(command) \(r)")
    }
    let argv = try String(contentsOfFile: log, encoding: .utf8)
    #expect(argv.split(separator: "\n").count >= 10, "\(argv)")
    #expect(argv.split(separator: "\n").allSatisfy { $0 == "-q --config -" }, "\(argv)")
  }

  @Test func removeTakesThePendingSecretAlongAndNamesTheKey() throws {
    guard let world = try World(keychain: true) else { return }
    try world.faults(stall: ["token#2"])
    try world.killDuring(["rotate", "dev"], call: "token")
    try world.faults()
    let key = try #require((try world.auth("dev")["pendingKey"] as? [String: Any])?["keyId"] as? String)
    let r = try world.run(["remove", "dev"])
    #expect(r.status == 0, "\(r)")
    #expect(r.stderr.contains("its new key '\(key)' of application 'app-1' stays on the server"), "\(r)")
    #expect(world.keychainItems().isEmpty, "\(world.keychainItems())")
  }

  @Test func aPendingKeyWithoutItsSecretIsLetGo() throws {
    guard let world = try World() else { return }
    try world.faults(stall: ["token#2"])
    try world.killDuring(["rotate", "dev"], call: "token")
    try world.faults()
    // As an export without --reveal, imported elsewhere, leaves it: the record without its secret.
    var store = try world.sandbox.storeJSON()
    var profiles = try #require(store["profiles"] as? [String: Any])
    var dev = try #require(profiles["dev"] as? [String: Any])
    var auth = try #require(dev["auth"] as? [String: Any])
    var pending = try #require(auth["pendingKey"] as? [String: Any])
    pending["keySecret"] = NSNull()
    auth["pendingKey"] = pending
    dev["auth"] = auth
    profiles["dev"] = dev
    store["profiles"] = profiles
    try world.sandbox.writeStore(String(decoding: try JSONSerialization.data(withJSONObject: store), as: UTF8.self))
    let r = try world.run(["rotate", "dev"])
    #expect(r.status == 0, "\(r)")
    #expect(r.stderr.contains("has no secret here"), "\(r)")
    #expect(try world.auth("dev")["pendingKey"] == nil)
    #expect(try world.run(["verify", "dev"]).status == 0)
  }

  // MARK: values

  static let durations: [(String, Int64?)] = [
    ("90d", 90 * 86400), ("12h", 12 * 3600), ("30m", 1800), ("45s", 45), ("2w", 14 * 86400), ("0d", nil), ("d", nil),
    ("90", nil), ("90 d", nil), ("-1d", nil), ("1y", nil), ("99999999999w", nil), ("", nil), ("9d ", nil), ("１d", nil),
  ]

  @Test(arguments: durations)
  func keyMaxAgeDurations(text: String, seconds: Int64?) {
    #expect(StoreDuration.seconds(text) == seconds)
  }

  @Test(arguments: [("ADMIN", true), ("USER_MANAGER", true), ("METADATA_MANAGER", true), ("WORKER", false), ("USER", false)])
  func adminRoles(role: String, admin: Bool) {
    #expect(KeyInfo.isAdminRole(role) == admin)
  }

  @Test func keyInfoDescribesOnlyItsKey() throws {
    var profile = Profile(
      server: try Server(validating: "https://x.example.com"), credential: .key(id: "k1", secret: Secret("s")))
    var info = KeyInfo(keyID: "k1")
    info.status = .inactive
    info.createdAt = 1_000_000
    profile.keyInfo = info
    #expect(profile.keyInfo == info)
    #expect(profile.keyInfo?.age(now: 1_000 + 3600) == 3600)
    profile.credential = .key(id: "k2", secret: Secret("s"))
    #expect(profile.keyInfo == nil)
    // Out-of-range times are not ages.
    #expect(KeyInfo.milliseconds(.number("-1")) == nil && KeyInfo.milliseconds(.number("1e30")) == nil)
  }

  // MARK: completion

  @Test func bashCompletesTheKeyCommands() throws {
    guard let shell = try requireShell("bash") else { return }
    let completion = CompletionTests()
    let (s, script) = try completion.setUp("bash")
    #expect(try completion.bash(s, shell, script, ["conductor-profile", "rot"]) == ["rotate"])
    #expect(try completion.bash(s, shell, script, ["conductor-profile", "whoami", ""]) == ["dev", "local", "staging"])
    #expect(try completion.bash(s, shell, script, ["conductor-profile", "rotate", "dev", "--"]).contains("--delete-old"))
    #expect(
      try completion.bash(s, shell, script, ["conductor-profile", "promote", "dev", "--role", "METADATA_"]) == [
        "METADATA_API", "METADATA_MANAGER",
      ])
  }
}
