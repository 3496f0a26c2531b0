import Foundation
import Testing

/// `exec NAME,NAME… -- COMMAND` and `exec 'GLOB' -- COMMAND`: one child per profile, in order, each with
/// only its own profile's variables and its own guard judgement.
@Suite struct ExecFanOutTests {
  /// a-dev (key, X_DEV), b-play (a user token on a production server), c-oss (no auth, X_OSS).
  func fixture() throws -> Sandbox {
    let s = try Sandbox()
    try s.addKey("a-dev", server: "https://dev.example.com", id: "dev-key", secret: "dev-secret", extra: ["--env", "X_DEV=1"])
    try s.addToken("b-play", server: "https://play.example.com", token: annToken, extra: ["--production"])
    #expect(try s.run(["add", "c-oss", "--server", "http://localhost:8080", "--no-auth", "--env", "X_OSS=2"]).status == 0)
    try FileManager.default.createDirectory(at: s.out, withIntermediateDirectories: true)
    return s
  }

  /// Each child dumps its environment to OUT/<its profile>.env.
  let dump = ["/bin/sh", "-c", "exec /usr/bin/env -0 > \"$OUT/$CONDUCTOR_PROFILE_ACTIVE.env\""]

  /// What the parent shell had: another profile's variables, and the conductor CLI's old selector.
  func stale(_ s: Sandbox) -> [String: String] {
    [
      "OUT": s.out.path, "CONDUCTOR_PROFILE_GUARD": "block", "CONDUCTOR_PROFILE_ACTIVE": "old", "CONDUCTOR_PROFILE_VARS": "X_OLD",
      "X_OLD": "1", "CONDUCTOR_AUTH_TOKEN": "stale", "ORKES_PROFILE": "old",
    ]
  }

  @Test func theOthersRunTheRefusedOneDoesNotAndTheStatusIs3() throws {
    let s = try fixture()
    let r = try s.run(["exec", "a-dev,b-play,c-oss", "--"] + dump, env: stale(s))
    #expect(r.status == 3 && r.stdout == "", "\(r)")
    let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(lines.count == 7, "\(r)")
    guard lines.count == 7 else { return }
    #expect(
      lines[0]
        == "warning: cleared ORKES_PROFILE (ORKES_PROFILE selects a conductor CLI config file that would override the profile)")
    #expect(lines[1] == "==> a-dev (https://dev.example.com/api)")
    #expect(lines[2] == "==> b-play (https://play.example.com/api)")
    #expect(
      lines[3].hasPrefix("error: refused by the guard (mode block): profile 'b-play' uses a user token on the production server"))
    #expect(lines[4] == "==> c-oss (http://localhost:8080/api)")
    #expect(lines[5] == "exec: 2 of 3 succeeded; failed: b-play (refused)")
    #expect(lines[6] == "")

    let dev = try s.environmentDump("a-dev.env")
    #expect(
      conductorNames(dev) == [
        "CONDUCTOR_AUTH_KEY", "CONDUCTOR_AUTH_SECRET", "CONDUCTOR_PROFILE_ACTIVE", "CONDUCTOR_PROFILE_AUTH",
        "CONDUCTOR_PROFILE_VARS", "CONDUCTOR_SERVER_TYPE", "CONDUCTOR_SERVER_URL", "CONDUCTOR_UI_SERVER_URL", "X_DEV",
      ])
    #expect(dev["CONDUCTOR_AUTH_SECRET"] == bytes("dev-secret") && dev["X_DEV"] == bytes("1"))
    #expect(dev["ORKES_PROFILE"] == nil)
    #expect(!FileManager.default.fileExists(atPath: s.out.appendingPathComponent("b-play.env").path), "the refused one never ran")
    let oss = try s.environmentDump("c-oss.env")
    #expect(
      conductorNames(oss) == [
        "CONDUCTOR_PROFILE_ACTIVE", "CONDUCTOR_PROFILE_AUTH", "CONDUCTOR_PROFILE_VARS", "CONDUCTOR_SERVER_TYPE",
        "CONDUCTOR_SERVER_URL", "CONDUCTOR_UI_SERVER_URL", "X_OSS",
      ], "no key, no stale token, not the previous child's X_DEV")
    #expect(oss["CONDUCTOR_SERVER_TYPE"] == bytes("OSS") && oss["CONDUCTOR_PROFILE_VARS"] == bytes("X_OSS"))
    // The hook's private variables are not passed on; everything else is.
    #expect(dev["OUT"] == bytes(s.out.path) && dev["PATH"] != nil)
  }

  @Test func failFastStopsAtTheFirstFailure() throws {
    let s = try fixture()
    // A glob's matches run sorted by name: a-dev, then b-play is refused, and c-oss never runs.
    var r = try s.run(["exec", "*", "--fail-fast", "--"] + dump, env: stale(s))
    #expect(r.status == 3, "\(r)")
    #expect(
      r.stderr.hasSuffix("exec: 1 of 3 succeeded; failed: b-play (refused); not run (--fail-fast): c-oss\n"), "\(r)")
    #expect(FileManager.default.fileExists(atPath: s.out.appendingPathComponent("a-dev.env").path))
    #expect(!FileManager.default.fileExists(atPath: s.out.appendingPathComponent("c-oss.env").path))
    // The status is the first non-zero one; the list runs in the order given.
    let exitByName = ["/bin/sh", "-c", "case $CONDUCTOR_PROFILE_ACTIVE in c-oss) exit 5;; a-dev) exit 6;; esac"]
    r = try s.run(["exec", "c-oss,a-dev", "--"] + exitByName)
    #expect(r.status == 5, "\(r)")
    #expect(
      r.stderr == """
        ==> c-oss (http://localhost:8080/api)
        ==> a-dev (https://dev.example.com/api)
        exec: 0 of 2 succeeded; failed: c-oss (exit 5), a-dev (exit 6)

        """)
    r = try s.run(["exec", "c-oss,a-dev", "--fail-fast", "--"] + exitByName)
    #expect(r.status == 5 && r.stderr.hasSuffix("not run (--fail-fast): a-dev\n"), "\(r)")
    // Warn mode: the user token on production runs, with the warning after its header; all succeed, exit 0.
    r = try s.run(["exec", "[ab]-*", "--", "/bin/sh", "-c", "printf '%s\\n' \"$CONDUCTOR_PROFILE_ACTIVE\""])
    #expect(r.status == 0 && r.stdout == "a-dev\nb-play\n", "\(r)")
    #expect(
      r.stderr.hasPrefix(
        "==> a-dev (https://dev.example.com/api)\n==> b-play (https://play.example.com/api)\nwarning: profile 'b-play'"), "\(r)")
  }

  @Test func badListsAndGlobsRunNothing() throws {
    let s = try fixture()
    let marker = ["/bin/sh", "-c", "touch \"$OUT/ran\""]
    let env = ["OUT": s.out.path]
    expectUsageError(
      try s.run(["exec", "a-dev,c-os", "--"] + marker, env: env), command: "exec", containing: "no profile named 'c-os'",
      suggestion: "c-oss")
    expectUsageError(
      try s.run(["exec", "a-dev,,c-oss", "--"] + marker, env: env), command: "exec", containing: "has an empty name")
    expectError(
      try s.run(["exec", "prod-*", "--"] + marker, env: env),
      containing: ["no profile matches 'prod-*'; the profiles: a-dev b-play c-oss"])
    #expect(!FileManager.default.fileExists(atPath: s.out.appendingPathComponent("ran").path))
    // A child killed by a signal counts as 128 + the signal; an exit status above 128 is still an exit status.
    var r = try s.run([
      "exec", "a-dev,c-oss", "--", "/bin/sh", "-c", "[ $CONDUCTOR_PROFILE_ACTIVE = a-dev ] && kill -KILL $$; exit 130",
    ])
    #expect(r.status == 137, "\(r)")
    #expect(r.stderr.hasSuffix("exec: 0 of 2 succeeded; failed: a-dev (signal 9), c-oss (exit 130)\n"), "\(r)")
    // A command that cannot be found fails each profile with 127.
    r = try s.run(["exec", "a-dev,c-oss", "--", "no-such-program-here"])
    #expect(r.status == 127 && r.stderr.contains("error: cannot run 'no-such-program-here': command not found"), "\(r)")
    #expect(r.stderr.hasSuffix("exec: 0 of 2 succeeded; failed: a-dev (exit 127), c-oss (exit 127)\n"), "\(r)")
    // One that is there but cannot run, with 126 (as env(1)).
    let plain = s.root.appendingPathComponent("plain").path
    _ = FileManager.default.createFile(atPath: plain, contents: Data("x".utf8), attributes: [.posixPermissions: 0o644])
    r = try s.run(["exec", "a-dev,c-oss", "--", plain])
    #expect(r.status == 126 && r.stderr.contains("error: cannot run '\(plain)': \(plain) is not an executable file"), "\(r)")
    #expect(r.stderr.hasSuffix("exec: 0 of 2 succeeded; failed: a-dev (exit 126), c-oss (exit 126)\n"), "\(r)")
  }
}
