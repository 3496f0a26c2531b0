import Foundation
import Testing

@testable import ConductorNetwork
@testable import ProfileCommands
@testable import ProfileModel
@testable import ShellOutput

/// The guard outside the shell: which servers are production, the warnings of add and set, refusals
/// of env and exec in block mode, and the guard command for CI.
@Suite struct GuardRuleTests {
  static func reason(_ name: String, _ server: String) -> String {
    "warning: profile '\(name)' uses a user token on the production server \(server). A user token carries one person's full access and dies with their UI session, so it must never be used in production. Use an application access key instead: create one under Access Control > Applications and add it with: conductor-profile add NAME --server \(server) --key-id ID\n"
  }

  /// A production key profile on https://x.example.com, written in a different form.
  func production() throws -> Sandbox {
    let s = try Sandbox()
    try s.addKey("prod", server: "https://X.example.com:443/", extra: ["--production"])
    return s
  }

  @Test func productionFollowsTheHost() throws {
    let s = try production()
    // Same host, other spellings, schemes, ports or paths: production.
    let same = [
      "https://x.example.com/api", "https://x.example.com", "https://X.EXAMPLE.COM:443/api/", "https://x.example.com:8443",
      "http://x.example.com", "https://x.example.com/other",
    ]
    for (i, server) in same.enumerated() {
      let r = try s.run(["add", "play\(i)", "--server", server, "--user-token"], stdin: annToken)
      #expect(r.status == 0, "\(r)")
      let normal = try Server(validating: server).url
      // (http:// also gets the clear-text warning, after the guard's.)
      #expect(r.stderr.hasPrefix(Self.reason("play\(i)", normal)), "\(server): \(r)")
    }
    // Another host: not production.
    for (i, server) in ["https://y.example.com", "https://x.example.com.y", "https://xx.example.com"].enumerated() {
      let r = try s.run(["add", "dev\(i)", "--server", server, "--user-token"], stdin: annToken)
      #expect(r.status == 0 && r.stderr == "", "\(server): \(r)")
    }
    let list = try s.run(["list", "--json"]).stdout
    let rows = try #require(try JSONSerialization.jsonObject(with: Data(list.utf8)) as? [[String: Any]])
    let production = Set(rows.filter { $0["production"] as? Bool == true }.map { $0["name"] as! String })
    #expect(production == Set(["prod"] + same.indices.map { "play\($0)" }))
  }

  @Test func aUserTokenFlaggedProductionItselfWarns() throws {
    let s = try Sandbox()
    let r = try s.run(["add", "p", "--server", "https://z.example.com", "--user-token", "--production"], stdin: annToken)
    #expect(r.status == 0 && r.stdout == "added profile 'p' (user-token, https://z.example.com/api)\n", "\(r)")
    #expect(r.stderr == Self.reason("p", "https://z.example.com/api"))
  }

  @Test func setWarnsOnceForTheProfileItChanges() throws {
    let s = try production()
    try s.addToken("play", server: "https://y.example.com", token: annToken)
    // Moving the token onto the production server.
    var r = try s.run(["set", "play", "--server", "https://x.example.com"])
    #expect(r.status == 0 && r.stdout == "updated profile 'play'\n", "\(r)")
    #expect(r.stderr == Self.reason("play", "https://x.example.com/api"))
    // Any change to it warns again, once.
    r = try s.run(["set", "play", "--description", "still here"])
    #expect(r.stderr == Self.reason("play", "https://x.example.com/api"), "\(r)")
    // A new token, same story.
    r = try s.run(["set", "play", "--user-token"], stdin: annToken)
    #expect(r.stderr == Self.reason("play", "https://x.example.com/api"), "\(r)")
    // Turned into a key profile: quiet.
    r = try s.run(["set", "play", "--key-id", "k", "--secret"], stdin: "s")
    #expect(r.status == 0 && r.stderr == "", "\(r)")
  }

  @Test func flaggingAnotherProfileProductionWarnsAboutTheToken() throws {
    let s = try Sandbox()
    try s.addToken("play", server: "https://x.example.com", token: annToken)
    try s.addKey("svc", server: "https://x.example.com:443")
    var r = try s.run(["set", "svc", "--production"])
    #expect(r.status == 0 && r.stdout == "updated profile 'svc'\n", "\(r)")
    #expect(r.stderr == Self.reason("play", "https://x.example.com/api"))
    r = try s.run(["set", "svc", "--no-production"])
    #expect(r.stderr == "", "\(r)")
    // add of a production profile on the token's server says it too.
    r = try s.run(["add", "svc2", "--server", "https://x.example.com/api", "--no-auth", "--production"])
    #expect(r.status == 0 && r.stderr == Self.reason("play", "https://x.example.com/api"), "\(r)")
  }

  // MARK: env and exec

  func tokenOnProduction(guardMode: String? = nil) throws -> Sandbox {
    let s = try production()
    try s.addToken("play", server: "https://x.example.com", token: annToken)
    if let guardMode {
      var text = try #require(s.storeText())
      text = text.replacing("{\n  \"profiles\"", with: "{\n  \"guard\" : \"\(guardMode)\",\n  \"profiles\"")
      try s.writeStore(text)
    }
    return s
  }

  @Test(arguments: ["store", "variable", "both"])
  func blockModeRefusesEnvAndExec(_ how: String) throws {
    let s = try tokenOnProduction(guardMode: how == "variable" ? "warn" : "block")
    let env = how == "store" ? [:] : ["CONDUCTOR_PROFILE_GUARD": "block"]
    let before = s.storeBytes()
    let marker = s.root.appendingPathComponent("ran").path
    for args in [
      ["env", "play"], ["env", "play", "--shell", "fish"], ["env", "play", "--format", "json"],
      ["exec", "play", "--", "sh", "-c", "touch \(marker)"],
    ] {
      let r = try s.run(args, env: env)
      #expect(r.status == 3, "\(args): \(r)")
      #expect(r.stdout == "", "\(args): \(r)")
      #expect(
        r.stderr.hasPrefix(
          "error: refused by the guard (mode block): profile 'play' uses a user token on the production server https://x.example.com/api."
        ), "\(r)")
      #expect(r.stderr.split(separator: "\n").count == 1)
    }
    #expect(!FileManager.default.fileExists(atPath: marker), "the command ran")
    #expect(s.storeBytes() == before)
    // Key profiles on the same server pass.
    let r = try s.run(["env", "prod"], env: env)
    #expect(r.status == 0 && r.stderr == "", "\(r)")
  }

  @Test func theVariableOverridesTheStore() throws {
    let s = try tokenOnProduction(guardMode: "block")
    let r = try s.run(["env", "play"], env: ["CONDUCTOR_PROFILE_GUARD": "warn"])
    #expect(r.status == 0 && r.stdout.contains("export CONDUCTOR_AUTH_TOKEN="), "\(r)")
  }

  @Test func warnModeWarnsOnceAndGoesAhead() throws {
    let s = try tokenOnProduction()
    var r = try s.run(["env", "play", "--shell", "bash"])
    #expect(r.status == 0 && r.stdout.contains("export CONDUCTOR_PROFILE_PRODUCTION='1';"), "\(r)")
    #expect(r.stderr == Self.reason("play", "https://x.example.com/api"))
    r = try s.run(["exec", "play", "--", "sh", "-c", "printf %s \"$CONDUCTOR_PROFILE_PRODUCTION\"; exit 5"])
    #expect(r.status == 5 && r.stdout == "1", "\(r)")
    #expect(r.stderr == Self.reason("play", "https://x.example.com/api"))
  }

  @Test func anInvalidGuardVariableIsAnError() throws {
    let s = try tokenOnProduction()
    for args in [["env", "play"], ["env", "prod"], ["exec", "prod", "--", "true"]] {
      let r = try s.run(args, env: ["CONDUCTOR_PROFILE_GUARD": "blok"])
      expectError(r, containing: ["CONDUCTOR_PROFILE_GUARD is 'blok'", "warn or block"])
    }
    // An empty one counts as unset.
    let r = try s.run(["env", "prod"], env: ["CONDUCTOR_PROFILE_GUARD": ""])
    #expect(r.status == 0, "\(r)")
    // add and set never refuse, so they neither need nor judge it.
    let a = try s.run(["add", "k2", "--server", "https://k.example.com", "--no-auth"], env: ["CONDUCTOR_PROFILE_GUARD": "blok"])
    #expect(a.status == 0, "\(a)")
  }

  // MARK: the guard command

  @Test func guardJudgesVariablesSetByHand() throws {
    let s = try production()
    var r = try s.run(
      ["guard"], env: ["CONDUCTOR_AUTH_TOKEN": annToken, "CONDUCTOR_SERVER_URL": "https://x.example.com:443/"])
    #expect(r.status == 3 && r.stdout == "", "\(r)")
    #expect(
      r.stderr
        == "error: a user token (ann@example.com) from variables set by hand is set for the production server https://x.example.com/api (profile 'prod' flags it as production). A user token carries one person's full access and dies with their UI session; use an application access key: create one under Access Control > Applications, then conductor-profile add NAME --server https://x.example.com/api --key-id ID\n"
    )
    r = try s.run(
      ["guard", "--quiet"], env: ["CONDUCTOR_AUTH_TOKEN": annToken, "CONDUCTOR_SERVER_URL": "https://x.example.com/api"])
    #expect(r.status == 3 && r.stdout == "" && r.stderr == "", "\(r)")
    // CONDUCTOR_PROFILE_PRODUCTION=1 says production without any profile.
    r = try s.run(
      ["guard"],
      env: [
        "CONDUCTOR_AUTH_TOKEN": annToken, "CONDUCTOR_SERVER_URL": "https://q.example.com", "CONDUCTOR_PROFILE_PRODUCTION": "1",
      ])
    #expect(r.status == 3 && r.stderr.contains("(CONDUCTOR_PROFILE_PRODUCTION=1)"), "\(r)")
    // Any token counts, even one that is not a JWT.
    r = try s.run(
      ["guard", "--quiet"], env: ["CONDUCTOR_AUTH_TOKEN": "opaque", "CONDUCTOR_SERVER_URL": "https://x.example.com"])
    #expect(r.status == 3, "\(r)")
  }

  @Test func guardPassesWhatIsFine() throws {
    let s = try production()
    let cases: [([String: String], String)] = [
      ([:], "ok: no user token ((CONDUCTOR_SERVER_URL not set))\n"),
      (
        ["CONDUCTOR_SERVER_URL": "https://x.example.com", "CONDUCTOR_AUTH_KEY": "k", "CONDUCTOR_AUTH_SECRET": "s"],
        "ok: no user token (https://x.example.com/api)\n"
      ),
      (
        ["CONDUCTOR_SERVER_URL": "https://y.example.com", "CONDUCTOR_AUTH_TOKEN": annToken],
        "ok: a user token on a non-production server (https://y.example.com/api)\n"
      ),
    ]
    for (env, out) in cases {
      var r = try s.run(["guard"], env: env)
      #expect(r.status == 0 && r.stdout == out && r.stderr == "", "\(r)")
      r = try s.run(["guard", "--quiet"], env: env)
      #expect(r.status == 0 && r.stdout == "" && r.stderr == "", "\(r)")
    }
  }

  @Test func aTokenMintedForAKeyProfileIsNotAUserToken() throws {
    let s = try production()
    let minted = makeJWT(["sub": "app:svc", "exp": 4_102_444_800])
    let dir = s.home + "/.cache/conductor-profile/tokens"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    _ = FileManager.default.createFile(
      atPath: dir + "/prod.json", contents: Data("{\"token\":\"\(minted)\",\"expires\":4102444800}".utf8),
      attributes: [.posixPermissions: 0o600])
    let r = try s.run(["guard"], env: ["CONDUCTOR_AUTH_TOKEN": minted, "CONDUCTOR_SERVER_URL": "https://x.example.com"])
    #expect(r.status == 0 && r.stdout == "ok: a token minted for an access key (https://x.example.com/api)\n", "\(r)")
    let r2 = try s.run(["guard"], env: ["CONDUCTOR_AUTH_TOKEN": annToken, "CONDUCTOR_SERVER_URL": "https://x.example.com"])
    #expect(r2.status == 3, "\(r2)")
  }

  @Test func guardAfterASwitchNamesTheProfile() throws {
    let s = try tokenOnProduction()
    let json = try s.run(["env", "play", "--format", "json"]).stdout
    let env = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: String])
    let r = try s.run(["guard"], env: env)
    #expect(r.status == 3 && r.stderr.contains("from profile 'play'"), "\(r)")
  }

  @Test func guardWithoutAStoreStillJudgesTheVariables() throws {
    let s = try Sandbox()
    var r = try s.run(
      ["guard", "--quiet"], env: ["CONDUCTOR_AUTH_TOKEN": annToken, "CONDUCTOR_PROFILE_PRODUCTION": "1"])
    #expect(r.status == 3, "\(r)")
    r = try s.run(["guard", "--quiet"], env: ["CONDUCTOR_AUTH_TOKEN": annToken])
    #expect(r.status == 0, "\(r)")
    #expect(s.storeBytes() == nil)
  }
}

// Written for mutants of Tests/Support/mutants.txt that no earlier test killed (docs/mutations.md).
extension GuardRuleTests {
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
