import Foundation
import Testing

/// `set --all --secret-store STORE` (issue 23, item 7): every profile's secret leaves the store file in one
/// command, one profile at a time in the order `set NAME --secret-store` keeps (written and read back, the
/// store file changed, the old copy removed), and nothing is lost when a helper fails halfway.
@Suite struct SetAllTests {
  /// Profiles a, b, c (keys) and n (no auth); a fake `pass` (DoctorSeverityTests' FakePass) on PATH.
  static func sandbox() throws -> (Sandbox, [String: String], URL) {
    let s = try Sandbox()
    for name in ["a", "b", "c"] { try s.addKey(name, server: "https://\(name).example.com", secret: "secret-\(name)") }
    #expect(try s.run(["add", "n", "--server", "https://n.example.com", "--no-auth"]).status == 0)
    let bin = s.root.appendingPathComponent("fakebin")
    try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
    try FakePass.install(in: bin)
    let passDir = s.root.appendingPathComponent("passwords")
    let env = ["PASSWORD_STORE_DIR": passDir.path, "PATH": "\(bin.path):\(s.environment["PATH"]!)"]
    return (s, env, passDir)
  }

  static func auth(_ s: Sandbox, _ name: String) throws -> [String: String] {
    let profiles = try #require(try s.storeJSON()["profiles"] as? [String: Any])
    let auth = try #require((profiles[name] as? [String: Any])?["auth"] as? [String: Any])
    return auth.compactMapValues { $0 as? String }
  }

  /// The secret a switch would export for `name`.
  static func exported(_ s: Sandbox, _ name: String, env: [String: String]) throws -> String? {
    let r = try s.run(["env", name, "--format", "json"], env: env)
    #expect(r.status == 0, "\(r)")
    let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: String]
    return object?["CONDUCTOR_AUTH_SECRET"]
  }

  @Test func movesEverySecretAndBack() throws {
    let (s, env, passDir) = try Self.sandbox()
    var r = try s.run(["set", "--all", "--secret-store", "pass"], env: env)
    #expect(r.status == 0, "\(r)")
    #expect(
      r.stdout
        == "moved the secret of profile 'a' to pass\nmoved the secret of profile 'b' to pass\nmoved the secret of profile 'c' to pass\n3 secrets moved to pass\n",
      "\(r)")
    for name in ["a", "b", "c"] {
      #expect(try Self.auth(s, name) == ["keyId": "key-id", "kind": "key", "secretStore": "pass"])
      #expect(
        try String(contentsOf: passDir.appendingPathComponent("conductor-profile/\(name).gpg"), encoding: .utf8)
          == "secret-\(name)\n")
      #expect(try Self.exported(s, name, env: env) == "secret-\(name)")
    }
    #expect(!(s.storeText() ?? "").contains("secret-"), "no secret left in the store file")

    // Again: nothing to do. Then back into the file, the pass entries removed.
    r = try s.run(["set", "--all", "--secret-store", "pass"], env: env)
    #expect(r.stdout == "0 secrets moved to pass (3 already there)\n", "\(r)")
    r = try s.run(["set", "--all", "--secret-store", "file"], env: env)
    #expect(r.status == 0, "\(r)")
    for name in ["a", "b", "c"] {
      #expect(try Self.auth(s, name)["keySecret"] == "secret-\(name)")
      #expect(!FileManager.default.fileExists(atPath: passDir.appendingPathComponent("conductor-profile/\(name).gpg").path))
    }
  }

  /// The helper fails on the second profile: the first is moved, the second and third keep their secrets in
  /// the file (the store file names where each secret is, always), the error says how to go on, and the same
  /// command finishes the job.
  @Test func aHelperFailingHalfwayLosesNothing() throws {
    let (s, env, passDir) = try Self.sandbox()
    var failing = env
    failing["FAKE_PASS_FAIL"] = "b"
    var r = try s.run(["set", "--all", "--secret-store", "pass"], env: failing)
    #expect(r.status == 1, "\(r)")
    #expect(r.stdout == "moved the secret of profile 'a' to pass\n", "\(r)")
    #expect(r.stderr.hasPrefix("error: ") && r.stderr.split(separator: "\n").count == 1, "\(r)")
    for text in [
      "cannot store the secret of profile 'b' in pass: pass exited with status 2 and said \"gpg: decryption failed: No secret key\"",
      "set --all stopped at profile 'b': 1 profile was moved before it; every other profile keeps its secret where it was",
      "run the same command again to move the rest",
    ] {
      #expect(r.stderr.contains(text), "\(r)")
    }
    #expect(try Self.auth(s, "a")["secretStore"] == "pass")
    #expect(try Self.auth(s, "b") == ["keyId": "key-id", "keySecret": "secret-b", "kind": "key"])
    #expect(try Self.auth(s, "c") == ["keyId": "key-id", "keySecret": "secret-c", "kind": "key"])
    #expect(!FileManager.default.fileExists(atPath: passDir.appendingPathComponent("conductor-profile/b.gpg").path))
    for name in ["a", "b", "c"] { #expect(try Self.exported(s, name, env: env) == "secret-\(name)") }

    r = try s.run(["set", "--all", "--secret-store", "pass"], env: env)
    #expect(r.status == 0, "\(r)")
    #expect(r.stdout.hasSuffix("2 secrets moved to pass (1 already there)\n"), "\(r)")
    for name in ["a", "b", "c"] { #expect(try Self.exported(s, name, env: env) == "secret-\(name)") }
  }

  @Test(arguments: [
    (["set", "--all"], "--all needs --secret-store STORE"),
    (["set", "--all", "a", "--secret-store", "pass"], "--all moves every profile's secret: give no NAME ('a')"),
    (
      ["set", "--all", "--secret-store", "pass", "--color", "red"], "--all goes only with --secret-store STORE, not with --color"
    ),
    (["set", "--all", "--secret-store", "command", "--", "op", "read"], "--all cannot move secrets to the command store"),
    (["set"], "missing NAME (or --all --secret-store STORE for every profile)"),
  ])
  func usageErrors(arguments: [String], message: String) throws {
    let (s, env, _) = try Self.sandbox()
    let before = s.storeBytes()
    let r = try s.run(arguments, env: env)
    #expect(r.status == 64, "\(r)")
    #expect(r.stderr.hasPrefix("Error: \(message)"), "\(r)")
    #expect(s.storeBytes() == before)
  }
}
