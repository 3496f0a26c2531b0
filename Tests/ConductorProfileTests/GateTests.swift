import Foundation
import Testing

@testable import ProfileModel

/// The gate (issue 21): every door a credential leaves by, walked through the built program for each rule
/// of docs/seatbelt.md's table — confirmProduction without a terminal (with and without --yes) and at a
/// terminal (through a pseudo-terminal), the guard in mode block, productionSession.
@Suite struct GateTests {
  /// One door: the command line that opens it for profile `name` (with `--yes` when `yes`), the
  /// environment it runs in, and whether a limited session applies to what it hands out.
  struct Door: CustomStringConvertible, Sendable {
    let description: String
    let arguments: @Sendable (_ name: String, _ yes: Bool) -> [String]
    var env: [String: String] = [:]
    /// A shell switch (or env's shell code): productionSession exports a deadline.
    var session = false
    /// Never asks (the directory and start-up switches): refused with confirmProduction, --yes or not.
    var neverAsks = false
  }

  static let hook = ["_CONDUCTOR_PROFILE_SHELL": "bash"]
  /// Prints the session's end the child got, or "none".
  static let printEnds = ["--", "sh", "-c", "printf '<%s>' \"${CONDUCTOR_PROFILE_SESSION_ENDS-none}\""]

  static let doors: [Door] = [
    Door(description: "use", arguments: { ["use", $0] + ($1 ? ["--yes"] : []) }, env: hook, session: true),
    Door(
      description: "use -", arguments: { _, yes in ["use", "-"] + (yes ? ["--yes"] : []) },
      env: hook.merging(["_CONDUCTOR_PROFILE_PREVIOUS": "PREVIOUS"]) { $1 }, session: true),
    Door(
      description: "directory switch", arguments: { _, yes in ["use"] + (yes ? ["--yes"] : []) }, session: true, neverAsks: true),
    Door(
      description: "start-up switch", arguments: { _, yes in ["use"] + (yes ? ["--yes"] : []) },
      env: hook.merging(["_CONDUCTOR_PROFILE_STARTUP": "1"]) { $1 }, session: true, neverAsks: true),
    Door(description: "env --shell", arguments: { ["env", $0, "--shell", "bash"] + ($1 ? ["--yes"] : []) }, session: true),
    Door(description: "env --format json", arguments: { ["env", $0, "--format", "json"] + ($1 ? ["--yes"] : []) }),
    Door(description: "env --format dotenv", arguments: { ["env", $0, "--format", "dotenv"] + ($1 ? ["--yes"] : []) }),
    Door(description: "exec", arguments: { ["exec", $0] + ($1 ? ["--yes"] : []) + printEnds }),
    Door(description: "exec fan-out", arguments: { ["exec", "\($0),\($0)"] + ($1 ? ["--yes"] : []) + printEnds }),
    Door(description: "token", arguments: { ["token", $0] + ($1 ? ["--yes"] : []) }),
    Door(description: "show --reveal", arguments: { ["show", $0, "--reveal"] + ($1 ? ["--yes"] : []) }),
    Door(description: "export --reveal", arguments: { ["export", $0, "--reveal"] + ($1 ? ["--yes"] : []) }),
  ]

  /// `dev` (key), `prod` (key, production), `risky` (a user token on prod's host, so production too),
  /// a trusted `.conductor-profile` per profile, and the store settings `settings` (JSON members).
  func sandbox(_ settings: String) throws -> Sandbox {
    let sandbox = try Sandbox()
    try sandbox.addKey("dev", id: "dev-id", secret: "dev-secret")
    try sandbox.addKey("prod", server: "https://prod.example.com", id: "prod-id", secret: "prod-secret", extra: ["--production"])
    let exp = Int(Date().timeIntervalSince1970) + 86400
    try sandbox.addToken("risky", server: "https://prod.example.com/api", token: makeJWT(["sub": "ann", "exp": exp]))
    for name in ["dev", "prod", "risky"] {
      let dir = sandbox.root.appendingPathComponent("trees/\(name)")
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
      try Data("\(name)\n".utf8).write(to: dir.appendingPathComponent(".conductor-profile"))
      #expect(try sandbox.run(["allow", dir.path]).status == 0)
    }
    var store = try String(contentsOfFile: sandbox.storePath, encoding: .utf8)
    store = store.replacingOccurrences(of: "\"profiles\" : {", with: settings + "\n  \"profiles\" : {")
    try sandbox.writeStore(store)
    return sandbox
  }

  /// The environment that opens `door` for profile `name` in `sandbox`.
  func environment(_ door: Door, _ name: String, _ sandbox: Sandbox) throws -> [String: String] {
    var env = door.env
    if env["_CONDUCTOR_PROFILE_PREVIOUS"] != nil { env["_CONDUCTOR_PROFILE_PREVIOUS"] = name }
    if door.description == "directory switch" {
      env = Self.hook
      env["_CONDUCTOR_PROFILE_DIRFILE"] = sandbox.root.appendingPathComponent("trees/\(name)/.conductor-profile").path
    }
    if door.description == "start-up switch" {
      #expect(try sandbox.run(["default", name]).status == 0)
    }
    return env
  }

  func open(_ door: Door, _ name: String, yes: Bool, _ sandbox: Sandbox, env extra: [String: String] = [:]) throws
    -> Sandbox.Result
  {
    let env = try environment(door, name, sandbox).merging(extra) { $1 }
    return try sandbox.run(door.arguments(name, yes), env: env)
  }

  // MARK: confirmProduction, no terminal

  @Test(arguments: doors) func confirmProductionWithoutATerminalRefusesUnlessYes(door: Door) throws {
    let sandbox = try sandbox("\"confirmProduction\" : true,")
    let name = door.description == "token" ? "risky" : "prod"
    let refused = try open(door, name, yes: false, sandbox)
    let before = sandbox.storeBytes()
    #expect(refused.status == 3, "\(door): \(refused)")
    #expect(refused.stdout == "", "\(door) hands nothing out: \(refused)")
    #expect(refused.stderr.contains("(confirmProduction)"), "\(door): \(refused)")
    #expect(!refused.stdout.contains("prod-secret") && !refused.stderr.contains("prod-secret"))
    let confirmed = try open(door, name, yes: true, sandbox)
    if door.neverAsks {
      #expect(confirmed.status == 3 && confirmed.stdout == "", "\(door) never asks: \(confirmed)")
      #expect(confirmed.stderr.contains("switch by hand with: conductor-profile use \(name)"), "\(confirmed)")
    } else {
      #expect(confirmed.status == 0, "\(door) with --yes: \(confirmed)")
      #expect(!confirmed.stdout.isEmpty, "\(door) with --yes: \(confirmed)")
    }
    #expect(sandbox.storeBytes() == before, "the store is unchanged")
    // A profile that is not production passes every door without a question.
    if door.description != "token" {
      let dev = try open(door, "dev", yes: false, sandbox)
      #expect(dev.status == 0, "\(door) dev: \(dev)")
    }
  }

  // MARK: confirmProduction at a terminal

  /// Runs the door on a pseudo-terminal of its own, typing `answer` at the question.
  func atTerminal(_ door: Door, _ name: String, answer: String, _ sandbox: Sandbox) throws -> Sandbox.Result? {
    guard let python = try requireShell("python3") else { return nil }
    var env = try environment(door, name, sandbox)
    env["TERM"] = "dumb"
    let script: [[Any]] = [["expect", "Type its name to "], ["send", answer + "\n"]]
    let json = String(decoding: try JSONSerialization.data(withJSONObject: script), as: UTF8.self)
    return try sandbox.execute(
      python, [SeatbeltTests.sessionDriver, json, Sandbox.program] + door.arguments(name, false), env: env)
  }

  @Test(arguments: doors.filter { !$0.neverAsks }) func confirmProductionAtATerminalAsksForTheName(door: Door) throws {
    let sandbox = try sandbox("\"confirmProduction\" : true,")
    let name = door.description == "token" ? "risky" : "prod"
    guard let wrong = try atTerminal(door, name, answer: "dev", sandbox) else { return }
    #expect(wrong.status == 1, "\(door): \(wrong)")
    #expect(wrong.stdout.contains("is production (https://prod.example.com/api). Type its name to "), "\(wrong)")
    #expect(wrong.stdout.contains("not confirmed ('dev' is not '\(name)')"), "\(wrong)")
    #expect(!wrong.stdout.contains("prod-secret"), "nothing handed out: \(wrong)")
    guard let right = try atTerminal(door, name, answer: name, sandbox) else { return }
    #expect(right.status == 0, "\(door): \(right)")
  }

  /// The confirmation names the profile and its server as the store has them: through the one sanitiser.
  @Test func theConfirmationIsSanitised() throws {
    let sandbox = try sandbox("\"confirmProduction\" : true,")
    var store = try String(contentsOfFile: sandbox.storePath, encoding: .utf8)
    store = store.replacingOccurrences(
      of: "\"server\" : \"https://prod.example.com/api\"", with: "\"server\" : \"https://prod.example.com/\\u202ex/api\"")
    try sandbox.writeStore(store)
    guard let r = try atTerminal(Self.doors[0], "prod", answer: "prod", sandbox) else { return }
    // The question (the switch's code after it is machine output, exact).
    let question = try #require(r.stdout.components(separatedBy: "Type its name").first)
    #expect(!question.contains("\u{202E}"), "\(r)")
    #expect(question.contains("(https://prod.example.com/\\u{202E}x/api)"), "\(r)")
  }

  // MARK: the guard

  @Test(arguments: doors) func theGuardInModeBlockRefusesAUserTokenOnProductionAtEveryDoor(door: Door) throws {
    let sandbox = try sandbox("\"guard\" : \"block\",")
    let r = try open(door, "risky", yes: true, sandbox)
    #expect(r.status == 3, "\(door): \(r)")
    #expect(r.stdout == "", "\(door): \(r)")
    #expect(r.stderr.contains("refused by the guard (mode block): profile 'risky' uses a user token"), "\(door): \(r)")
  }

  // MARK: productionSession

  @Test(arguments: doors) func productionSessionLimitsEveryShellSwitchAndEnvCode(door: Door) throws {
    let sandbox = try sandbox("\"productionSession\" : \"1h\",")
    let start = Int(Date().timeIntervalSince1970)
    let r = try open(door, door.description == "token" ? "risky" : "prod", yes: false, sandbox)
    #expect(r.status == 0, "\(door): \(r)")
    let ends = try Regex("CONDUCTOR_PROFILE_SESSION_ENDS='([0-9]+)'")
    if door.session {
      let match = try #require(r.stdout.firstMatch(of: ends), "\(door) exports the session's end: \(r)")
      let deadline = try #require(Int(match.output[1].substring ?? ""))
      #expect(deadline >= start + 3600 && deadline <= Int(Date().timeIntervalSince1970) + 3600, "\(door): \(r)")
    } else {
      #expect(r.stdout.firstMatch(of: ends) == nil && !r.stdout.contains("SESSION_ENDS"), "\(door): no session: \(r)")
    }
    if door.description.hasPrefix("exec") { #expect(r.stdout.hasPrefix("<none>"), "\(door) runs one command: \(r)") }
  }

  /// The gate comes before the secret: a door it refuses runs no secret helper.
  @Test func aRefusedDoorRunsNoSecretHelper() throws {
    let sandbox = try sandbox("\"confirmProduction\" : true,")
    let marker = sandbox.root.appendingPathComponent("helper-ran").path
    let add = try sandbox.run([
      "add", "vault", "--server", "https://prod.example.com", "--key-id", "vault-id", "--production", "--secret-store",
      "command", "--", "sh", "-c", "echo ran >> '\(marker)'; echo helper-secret",
    ])
    #expect(add.status == 0, "\(add)")
    try? FileManager.default.removeItem(atPath: marker)
    for door in Self.doors where !["token", "show --reveal", "export --reveal", "directory switch"].contains(door.description) {
      let r = try open(door, "vault", yes: false, sandbox)
      #expect(r.status == 3 && r.stdout == "", "\(door): \(r)")
      #expect(!FileManager.default.fileExists(atPath: marker), "\(door) ran the helper before the gate: \(r)")
    }
    let yes = try open(Self.doors[4], "vault", yes: true, sandbox)
    #expect(yes.status == 0 && yes.stdout.contains("helper-secret"), "\(yes)")
    #expect(FileManager.default.fileExists(atPath: marker))
  }

  /// `use -` back to a profile whose limited session ended comes back limited the same way.
  @Test func useDashBringsBackTheSessionLength() throws {
    let sandbox = try sandbox("")
    let r = try sandbox.run(["use", "-"], env: Self.hook.merging(["_CONDUCTOR_PROFILE_PREVIOUS": "dev 1800"]) { $1 })
    #expect(r.status == 0, "\(r)")
    #expect(r.stderr.contains("the session on 'dev' ends in 30m"), "\(r)")
    #expect(r.stdout.contains("_CONDUCTOR_PROFILE_SESSION='"), "\(r)")
    // And a switch away from a limited session remembers its length for the next `use -`.
    let away = try sandbox.run(
      ["use", "prod"],
      env: Self.hook.merging([
        "CONDUCTOR_PROFILE_ACTIVE": "dev", "CONDUCTOR_PROFILE_SESSION_ENDS": "4000000000",
        "_CONDUCTOR_PROFILE_SESSION": "4000000000 1800 CONDUCTOR_AUTH_KEY",
      ]) { $1 })
    #expect(away.stdout.hasSuffix("_CONDUCTOR_PROFILE_PREVIOUS='dev 1800';\n"), "\(away)")
  }
}

/// When in doubt, production (issue 21): a production-flagged profile whose server does not validate still
/// marks the host its text names; when no host can be read, every user token counts as on production.
@Suite struct FailClosedTests {
  func sandbox(prodServer: String) throws -> Sandbox {
    let sandbox = try Sandbox()
    try sandbox.addKey("prod", server: "https://prod.example.com", id: "prod-id", extra: ["--production"])
    let exp = Int(Date().timeIntervalSince1970) + 86400
    try sandbox.addToken("play", server: "https://prod.example.com", token: makeJWT(["sub": "ann", "exp": exp]))
    try sandbox.addToken("other", server: "https://other.example.com", token: makeJWT(["sub": "ann", "exp": exp]))
    var store = try String(contentsOfFile: sandbox.storePath, encoding: .utf8)
    let old = "\"production\" : true,\n      \"server\" : \"https://prod.example.com/api\""
    #expect(store.contains(old))
    store = store.replacingOccurrences(of: old, with: "\"production\" : true,\n      \"server\" : \(prodServer)")
    try sandbox.writeStore(store)
    return sandbox
  }

  static let block = ["CONDUCTOR_PROFILE_GUARD": "block"]

  @Test(arguments: [
    "\"https://prod.example.com/api?x=1\"", "\"https://user@prod.example.com/api\"", "\" https://prod.example.com/api\"",
    "\"https://prod.example.com/api#top\"", "\"prod.example.com\"",
  ])
  func aBrokenServerStillMarksTheHostItNames(server: String) throws {
    let sandbox = try sandbox(prodServer: server)
    let r = try sandbox.run(["env", "play"], env: Self.block)
    #expect(r.status == 3 && r.stdout == "", "\(server): \(r)")
    #expect(r.stderr.contains("user token on the production server https://prod.example.com/api"), "\(r)")
    // Another host is not production: its token passes.
    #expect(try sandbox.run(["env", "other"], env: Self.block).status == 0)
    let doctor = try sandbox.run(["doctor"])
    #expect(doctor.status == 1, "\(doctor)")
    #expect(
      doctor.stdout.contains("the production profile 'prod' has the server")
        && doctor.stdout.contains("its host prod.example.com still counts as production"),
      "\(doctor)")
    #expect(
      doctor.stdout.contains("by hand to give it an http or https URL with a host, or remove it: conductor-profile remove prod"),
      "\(doctor)")
  }

  @Test(arguments: ["\"https://prod .example.com/api\"", "\"\"", "42", "null", "\"https:///api\""])
  func noHostMakesEveryUserTokenProduction(server: String) throws {
    let sandbox = try sandbox(prodServer: server)
    for name in ["play", "other"] {
      let r = try sandbox.run(["env", name], env: Self.block)
      #expect(r.status == 3 && r.stdout == "", "\(server) \(name): \(r)")
      // play's own host, prod.example.com, is production by its name (docs/guard.md): refused as such.
      let doubt = r.stderr.contains("the production profile 'prod' has a server whose host cannot be read")
      let byName = name == "play" && r.stderr.contains("user token on the production server https://prod.example.com/api")
      #expect(doubt || byName, "\(r)")
    }
    // A key is no user token: it passes.
    let guardRun = try sandbox.run(
      ["guard"], env: ["CONDUCTOR_AUTH_TOKEN": "x.y.z", "CONDUCTOR_SERVER_URL": "https://other.example.com/api"])
    #expect(guardRun.status == 3, "\(guardRun)")
    let doctor = try sandbox.run(["doctor"])
    #expect(doctor.stdout.contains("no host can be read from it, so every user token counts as on production"), "\(doctor)")
  }
}

/// Bidirectional and invisible format controls (issue 21): escaped in every human-facing output, exact in
/// machine output.
@Suite struct FormatControlTests {
  @Test func theSanitiserEscapesThemAndKeepsOtherText() {
    #expect(
      TerminalText.sanitize("a\u{202E}b\u{2066}c\u{200B}d\u{FEFF}e\u{AD}f\u{E0041}g")
        == "a\\u{202E}b\\u{2066}c\\u{200B}d\\u{FEFF}e\\u{AD}f\\u{E0041}g")
    #expect(TerminalText.sanitize("é ü ✓ 日本 \u{A0}") == "é ü ✓ 日本 \u{A0}")
  }

  @Test func listAndShowEscapeThemAndJSONKeepsThem() throws {
    let sandbox = try Sandbox()
    let description = "looks like \u{202E}doc.exe\u{202C} fine"
    try sandbox.addKey("dev", server: "https://dev.example.com/\u{202E}doc.exe\u{202C}", extra: ["--description", description])
    for arguments in [["list"], ["show", "dev"]] {
      let r = try sandbox.run(arguments)
      #expect(r.status == 0, "\(r)")
      #expect(!r.stdout.unicodeScalars.contains { (0x202A...0x202E).contains($0.value) }, "\(arguments): \(r)")
      #expect(r.stdout.contains("\\u{202E}doc.exe\\u{202C}"), "\(arguments): \(r)")
    }
    let json = try sandbox.run(["show", "dev", "--json"])
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    #expect(object["description"] as? String == description, "\(json)")
  }
}

/// The secret prompt (issue 21 item 5): through the one sanitiser, and asked only once echo is off.
@Suite struct SecretPromptTests {
  @Test func theSecretPromptIsSanitisedAndNeverEchoes() throws {
    let sandbox = try Sandbox()
    try sandbox.addKey("dev")
    var store = try String(contentsOfFile: sandbox.storePath, encoding: .utf8)
    store = store.replacingOccurrences(of: "\"dev\" : {", with: "\"x\\u001b]0;pwned\\u0007\" : {")
    try sandbox.writeStore(store)
    guard let python = try requireShell("python3") else { return }
    let script: [[Any]] = [["expect", "Key secret for "], ["expect", ": "], ["send", "typed-secret\n"]]
    let json = String(decoding: try JSONSerialization.data(withJSONObject: script), as: UTF8.self)
    let r = try sandbox.execute(
      python, [SeatbeltTests.sessionDriver, json, Sandbox.program, "set", "x\u{1B}]0;pwned\u{07}", "--secret"],
      env: ["TERM": "dumb"])
    #expect(!r.stdout.contains("\u{1B}"), "\(r)")
    #expect(r.stdout.contains("Key secret for x\\e]0;pwned\\x07: "), "\(r)")
    #expect(!r.stdout.contains("typed-secret"), "the secret is never echoed: \(r)")
  }
}
