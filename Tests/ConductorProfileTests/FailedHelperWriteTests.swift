import Foundation
import Testing

/// A secret store's helper that fails: its error quoted on one line, nothing left behind by the failed
/// write, and advice that names only a profile that exists.
@Suite struct FailedHelperWriteTests {
  /// pass before `pass init`: its three-line complaint becomes one quoted sentence, and the directories
  /// it made for the entry (~/.password-store/conductor-profile) are gone again; the store is unchanged.
  @Test(.requires("pass")) func passWithoutInitLeavesNothingBehind() throws {
    let sandbox = try Sandbox()
    try sandbox.addKey("dev")
    let before = try #require(sandbox.storeText())
    let r = try sandbox.run(
      ["add", "ci", "--server", "https://ci.example.com", "--key-id", "k", "--secret-store", "pass"], stdin: "s3cret\n")
    expectError(
      r,
      containing: [
        "cannot store the secret of profile 'ci' in pass: pass exited with status 1 and said \"Error: You must run: pass init your-gpg-id before you may use the password store.\""
      ])
    #expect(r.stderr.split(separator: "\n").count == 1, "one line: \(r)")
    #expect(!FileManager.default.fileExists(atPath: sandbox.home + "/.password-store"), "pass's directories are removed")
    #expect(sandbox.storeText() == before)
  }

  /// A password store that exists keeps everything it had: only the empty directories this write made go.
  @Test(.requires("pass")) func passKeepsAStoreThatWasThere() throws {
    let sandbox = try Sandbox()
    let root = sandbox.home + "/.password-store"
    try FileManager.default.createDirectory(atPath: root + "/other", withIntermediateDirectories: true)
    let r = try sandbox.run(
      ["add", "ci", "--server", "https://ci.example.com", "--key-id", "k", "--secret-store", "pass"], stdin: "s3cret\n")
    #expect(r.status == 1, "\(r)")
    #expect(FileManager.default.fileExists(atPath: root + "/other"))
    #expect(!FileManager.default.fileExists(atPath: root + "/conductor-profile"))
  }

  /// A failed `add` names no command for a profile that does not exist; over an existing one (`--force`) the
  /// advice may name it.
  @Test func addAdviceNamesOnlyExistingProfiles() throws {
    let sandbox = try Sandbox()
    let add = ["add", "ops", "--server", "https://ops.example.com", "--key-id", "k", "--secret-store", "command"]
    var r = try sandbox.run(add + ["--", "no-such-helper-23"])
    expectError(
      r,
      containing: [
        "cannot read the secret of profile 'ops' in command 'no-such-helper-23': 'no-such-helper-23' is not installed or not on PATH; install it, or give another command after --"
      ])
    #expect(!r.stderr.contains("conductor-profile set"), "\(r)")
    #expect(sandbox.storeBytes() == nil, "nothing was written")

    try sandbox.addKey("ops")
    r = try sandbox.run(add + ["--force", "--", "no-such-helper-23"])
    expectError(r, containing: ["set another with: conductor-profile set ops --secret-store command -- COMMAND"])
  }
}
