import Foundation
import Testing

/// The environment the shell hook gives every command it runs.
private let hook = ["_CONDUCTOR_PROFILE_SHELL": "bash"]

@Suite struct DoctorTests {
  func lines(_ r: Sandbox.Result, _ prefix: String) -> [String] {
    r.stdout.split(separator: "\n").map(String.init).filter { $0.hasPrefix(prefix) }
  }

  @Test func aCleanSetupIsAllOK() throws {
    let s = try Sandbox()
    try s.addKey("dev")
    let r = try s.run(["doctor"], env: hook)
    #expect(r.status == 0, "\(r)")
    #expect(lines(r, "problem:").isEmpty, "\(r)")
    #expect(lines(r, "ok:").count >= 6, "\(r)")
    #expect(r.stdout.contains("ok: the store parses (1 profile)"))
    #expect(r.stdout.contains("ok: the shell hook is loaded in this shell (bash)"))
    #expect(r.stderr == "")
  }

  @Test func noStoreYetIsFine() throws {
    let s = try Sandbox()
    let r = try s.run(["doctor"], env: hook)
    #expect(r.status == 0, "\(r)")
    #expect(r.stdout.contains("ok: no store yet at \(s.storePath)"))
    #expect(s.storeBytes() == nil)
  }

  @Test func aReadableStoreIsAProblemThatFixMends() throws {
    let s = try Sandbox()
    try s.addKey("dev")
    chmod(s.storePath, 0o644)
    let before = try #require(s.storeBytes())
    let r = try s.run(["doctor"], env: hook)
    #expect(r.status == 1, "\(r)")
    #expect(r.stdout.contains("problem: the profile store \(s.storePath) can be read or written by group or others (mode 0644)"))
    #expect(r.stdout.contains("fix: chmod 600 \(s.storePath)"))
    #expect(r.stderr.contains("1 problem needs attention"))
    #expect(try s.mode(of: s.storePath) == 0o644)

    let fixed = try s.run(["doctor", "--fix"], env: hook)
    #expect(fixed.status == 0, "\(fixed)")
    #expect(fixed.stdout.contains("fixed: chmod 600 \(s.storePath)"))
    #expect(try s.mode(of: s.storePath) == 0o600)
    #expect(s.storeBytes() == before)
    #expect(try s.run(["list"]).status == 0)
  }

  @Test func aDirectoryOthersCanWriteIsFixed() throws {
    let s = try Sandbox()
    try s.addKey("dev")
    let dir = (s.storePath as NSString).deletingLastPathComponent
    chmod(dir, 0o777)
    let r = try s.run(["doctor"], env: hook)
    #expect(r.status == 1)
    #expect(r.stdout.contains("fix: chmod o-w \(dir)"))
    let fixed = try s.run(["doctor", "--fix"], env: hook)
    #expect(fixed.status == 0, "\(fixed)")
    #expect(try s.mode(of: dir) == 0o775)
  }

  @Test func brokenJSONIsReportedWithItsPosition() throws {
    let s = try Sandbox()
    try s.writeStore("{\n  \"profiles\": {,\n}\n")
    let before = try #require(s.storeBytes())
    let r = try s.run(["doctor", "--fix"], env: hook)
    #expect(r.status == 1, "\(r)")
    #expect(r.stdout.contains("problem: the profile store \(s.storePath) is not valid JSON: line 2, column 16"), "\(r)")
    #expect(s.storeBytes() == before)
  }

  @Test func anInvalidProfileAndAMissingDefaultAreProblems() throws {
    let s = try Sandbox()
    try s.writeStore(
      #"{"default": "gone", "profiles": {"bad": {"auth": {"kind": "key"}, "server": "https://x.example.com"}}, "version": 1}"#)
    let r = try s.run(["doctor"], env: hook)
    #expect(r.status == 1)
    #expect(r.stdout.contains("problem: profile 'bad': its auth has no \"keyId\""), "\(r)")
    #expect(r.stdout.contains("problem: the default profile 'gone' does not exist"))
  }

  @Test func theMissingHookIsAProblemThatSaysHowToInstallIt() throws {
    let s = try Sandbox()
    let r = try s.run(["doctor"], env: ["SHELL": "/usr/bin/zsh"])
    #expect(r.status == 1)
    #expect(r.stdout.contains("problem: the shell hook is not loaded in this shell"))
    #expect(r.stdout.contains("eval \"$(conductor-profile init zsh)\" to ~/.zshrc"))
  }

  @Test func strayVariablesAreNamedNeverShown() throws {
    let s = try Sandbox()
    let token = makeJWT(["sub": "x", "exp": 4_102_444_800])
    let r = try s.run(
      ["doctor"], env: hook.merging(["CONDUCTOR_AUTH_TOKEN": token, "CONDUCTOR_SERVER_URL": "https://x.example.com/api"]) { $1 })
    #expect(r.status == 1)
    #expect(
      r.stdout.contains(
        "problem: CONDUCTOR_SERVER_URL, CONDUCTOR_AUTH_TOKEN are set but no profile is active"), "\(r)")
    #expect(r.stdout.contains("conductor-profile import env NAME"))
    #expect(!r.stdout.contains(token) && !r.stderr.contains(token))
  }

  @Test func variablesChangedSinceTheSwitchAreAProblem() throws {
    let s = try Sandbox()
    try s.addKey("dev", secret: "the-secret")
    let env = try s.run(["env", "dev", "--format", "json"])
    var vars = try #require(try JSONSerialization.jsonObject(with: Data(env.stdout.utf8)) as? [String: String])
    let clean = try s.run(["doctor"], env: hook.merging(vars) { $1 })
    #expect(clean.status == 0, "\(clean)")
    #expect(clean.stdout.contains("ok: the CONDUCTOR_* variables are those of the active profile 'dev'"))
    vars["CONDUCTOR_AUTH_SECRET"] = "changed-by-hand"
    let r = try s.run(["doctor"], env: hook.merging(vars) { $1 })
    #expect(r.status == 1)
    #expect(r.stdout.contains("problem: CONDUCTOR_AUTH_SECRET differs from the active profile 'dev'"))
    #expect(r.stdout.contains("fix: switch again: conductor-profile use dev"))
    #expect(!r.stdout.contains("the-secret") && !r.stdout.contains("changed-by-hand"))
  }

  @Test func theConductorCLIProfileSelectorIsAProblem() throws {
    let s = try Sandbox()
    let r = try s.run(["doctor"], env: hook.merging(["CONDUCTOR_PROFILE": "prod"]) { $1 })
    #expect(r.status == 1)
    #expect(r.stdout.contains("problem: CONDUCTOR_PROFILE is set ('prod')"))
    #expect(r.stdout.contains("config-prod.yaml"))
  }

  @Test func expiredTokensAndTokensOnProductionAreProblemsExpiringOnesNotices() throws {
    let s = try Sandbox()
    let now = Int(Date().timeIntervalSince1970)
    try s.addToken("old", token: makeJWT(["sub": "a", "exp": now - 7200]))
    try s.addToken("soon", server: "https://soon.example.com", token: makeJWT(["sub": "a", "exp": now + 3 * 3600]))
    try s.addToken("later", server: "https://later.example.com", token: makeJWT(["sub": "a", "exp": now + 9 * 86400]))
    let r = try s.run(["doctor"], env: hook)
    #expect(r.status == 1)
    #expect(r.stdout.contains("problem: the user token of profile 'old' expired 2h"), "\(r)")
    // Within a day, not within an hour: a notice (DoctorSeverityTests has the boundaries).
    #expect(
      r.stdout.contains("notice: the user token of profile 'soon' expires in 2h")
        || r.stdout.contains("notice: the user token of profile 'soon' expires in 3h"))
    #expect(r.stdout.contains("conductor-profile set old --user-token"))
    #expect(!r.stdout.contains("'later'"))
    #expect(r.stdout.contains("ok: no user token is on a production server"))

    try s.addKey("prod", server: "https://soon.example.com", extra: ["--production"])
    let onProduction = try s.run(["doctor"], env: hook)
    #expect(
      onProduction.stdout.contains(
        "problem: profile 'soon' uses a user token on the production server https://soon.example.com/api"))
  }
}
