import Foundation
import Testing

/// `doctor` tells problems (exit 1) from notices (exit 0) (issue 23, items 2, 4 and 7): a user token
/// expiring within an hour is a problem, within a day a notice; zsh without compinit, and secrets that
/// could leave the store file, are notices; every file the tool writes is named.
@Suite struct DoctorSeverityTests {
  static let hook = ["_CONDUCTOR_PROFILE_SHELL": "bash"]

  /// A store with one user token expiring `seconds` from now (and nothing else to report).
  static func doctor(tokenExpiringIn seconds: Int) throws -> Sandbox.Result {
    let s = try Sandbox()
    try s.addToken("play", token: makeJWT(["sub": "ann", "exp": nowSeconds() + seconds]))
    return try s.run(["doctor"], env: hook)
  }

  @Test(arguments: [
    (-60, "problem", Int32(1)), (30 * 60, "problem", 1), (3500, "problem", 1), (3 * 3600, "notice", 0),
    (23 * 3600, "notice", 0),
  ])
  func tokenExpiry(seconds: Int, severity: String, status: Int32) throws {
    let r = try Self.doctor(tokenExpiringIn: seconds)
    #expect(r.status == status, "\(r)")
    let line = r.stdout.split(separator: "\n").first { $0.contains("the user token of profile 'play'") }
    #expect(line?.hasPrefix("\(severity): the user token of profile 'play' ") == true, "\(r)")
    #expect(line?.contains("fix: copy a new one from the Conductor UI") == true, "\(r)")
    // The summary on standard error counts problems only.
    #expect(r.stderr == (status == 1 ? "1 problem needs attention\n" : ""), "\(r)")
  }

  @Test func aTokenValidForTwoDaysIsNotMentioned() throws {
    let r = try Self.doctor(tokenExpiringIn: 2 * 86400)
    #expect(r.status == 0, "\(r)")
    #expect(r.stdout.contains("ok: no user token has expired or expires within a day\n"), "\(r)")
    #expect(!r.stdout.contains("notice:") && !r.stdout.contains("problem:"), "\(r)")
  }

  // MARK: zsh completions

  @Test(arguments: [("0", true), ("1", false)]) func zshWithoutCompinit(compinit: String, noticed: Bool) throws {
    let s = try Sandbox()
    let r = try s.run(["doctor"], env: ["_CONDUCTOR_PROFILE_SHELL": "zsh", "_CONDUCTOR_PROFILE_COMPINIT": compinit])
    #expect(r.status == 0, "a notice only: \(r)")
    let notice =
      "notice: zsh has not run compinit, so Tab completes nothing for conductor-profile; fix: add autoload -Uz compinit && compinit to ~/.zshrc, before the init line, then open a new terminal\n"
    #expect(r.stdout.contains(notice) == noticed, "\(r)")
    #expect(r.stdout.contains("ok: zsh's completion system is loaded") == !noticed, "\(r)")
  }

  /// Through the real zsh hook: the wrapper tells doctor whether compinit ran in that shell.
  @Test(arguments: [false, true]) func zshHookSaysWhetherCompinitRan(compinit: Bool) throws {
    let s = try Sandbox()
    let setup = compinit ? "autoload -Uz compinit && compinit -u -d \"$OUT/zcompdump\"\n" : ""
    guard let r = try s.shell(.zsh, setup + HookShell.zsh.load + "\nconductor-profile doctor > doctor\n") else { return }
    #expect(r.status == 0, "\(r)")
    let text = try s.outText("doctor")
    #expect(text.contains("notice: zsh has not run compinit") == !compinit, "\(text)")
    #expect(text.contains("ok: zsh's completion system is loaded") == compinit, "\(text)")
  }

  // MARK: Secrets that could leave the file

  /// With pass set up (a `.gpg-id` and the program on PATH), profiles with secrets in the file get one
  /// notice naming the command that moves them all; a profile without a secret is not counted.
  @Test func suggestsMovingSecretsWhenASecretStoreIsReady() throws {
    let s = try Sandbox()
    try s.addKey("dev")
    try s.addKey("ops", server: "https://ops.example.com")
    #expect(try s.run(["add", "oss", "--server", "https://oss.example.com", "--no-auth"]).status == 0)
    let bin = s.root.appendingPathComponent("fakebin")
    try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
    try FakePass.install(in: bin)
    let passDir = s.root.appendingPathComponent("passwords")
    var env = Self.hook.merging(["PASSWORD_STORE_DIR": passDir.path, "PATH": "\(bin.path):\(s.environment["PATH"]!)"]) {
      $1
    }
    env["DBUS_SESSION_BUS_ADDRESS"] = ""
    var r = try s.run(["doctor"], env: env)
    #expect(!r.stdout.contains("set --all"), "pass is not set up yet (no .gpg-id): \(r)")
    try FileManager.default.createDirectory(at: passDir, withIntermediateDirectories: true)
    try Data("test@example.invalid\n".utf8).write(to: passDir.appendingPathComponent(".gpg-id"))
    r = try s.run(["doctor"], env: env)
    #expect(r.status == 0, "\(r)")
    #expect(
      r.stdout.contains(
        "notice: 2 profiles keep their secrets in the store file (0600); pass is set up on this machine and would keep them out of it; fix: conductor-profile set --all --secret-store pass\n"
      ), "\(r)")
  }

  // MARK: Files

  @Test func namesEveryFileItWrites() throws {
    let s = try Sandbox()
    try s.addKey("dev")
    let r = try s.run(["doctor"], env: Self.hook)
    #expect(r.status == 0, "\(r)")
    let config = s.home + "/.config/conductor-profile"
    let files = r.stdout.split(separator: "\n").filter { $0.hasPrefix("file: ") }.map(String.init)
    #expect(
      files == [
        "file: \(config)/profiles.json (the store)",
        "file: \(config)/profiles.json.lock (the store's lock)",
        "file: \(config)/trusted-directories.json (the trust file: allowed directory files, approved secret commands, team catalogs, not created yet)",
        "file: \(config)/trusted-directories.json.lock (the trust file's lock, not created yet)",
        "file: \(config)/recent (the picker's recent profiles, not created yet)",
        "file: \(s.home)/.cache/conductor-profile/tokens/ (minted tokens, until they expire, not created yet)",
      ], "\(r)")
  }
}

/// A stand-in for `pass` (insert -m -f ENTRY, show ENTRY, rm -f ENTRY) keeping entries as plain files under
/// $PASSWORD_STORE_DIR; `insert` fails for the entry named by FAKE_PASS_FAIL, as a locked gpg would.
enum FakePass {
  static let script = """
    #!/bin/sh
    dir=${PASSWORD_STORE_DIR:?}
    case $1 in
      insert)
        [ -n "${FAKE_PASS_FAIL-}" ] && [ "$4" = "conductor-profile/$FAKE_PASS_FAIL" ] && { echo 'gpg: decryption failed: No secret key' >&2; exit 2; }
        mkdir -p "$dir/conductor-profile" && cat > "$dir/$4.gpg" ;;
      show) cat "$dir/$2.gpg" 2>/dev/null || { echo "Error: $2 is not in the password store." >&2; exit 1; } ;;
      rm) rm -f "$dir/$3.gpg" ;;
      *) exit 1 ;;
    esac

    """

  static func install(in directory: URL) throws {
    let path = directory.appendingPathComponent("pass").path
    _ = FileManager.default.createFile(atPath: path, contents: Data(script.utf8), attributes: [.posixPermissions: 0o755])
  }
}
