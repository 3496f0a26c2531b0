import Foundation
import Testing

/// What a newcomer meets in the first minutes (issue 23, item 6): a helper's error quoted on one line, and
/// nothing left behind by a failed helper write.
@Suite struct RoughEdgeTests {
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

  /// The picker's columns stay apart when a kind fills its column: `user-token production`, never glued.
  @Test func pickerColumnsStayApart() throws {
    let sandbox = try Sandbox()
    try sandbox.addKey("dev")
    try sandbox.addToken(
      "ui", server: "https://ui.example.com", token: makeJWT(["sub": "ann", "exp": nowSeconds() + 86400]),
      extra: ["--production"])
    let steps: [SeatbeltTests.Step] = [
      .send("conductor-profile use\n"), .expect("use> "), .sleep(0.3), .send("\u{1B}"), .expect("$ "),
    ]
    guard let r = try SeatbeltTests().atTerminal(.bash, sandbox, steps, env: ["NO_COLOR": "1"]) else { return }
    #expect(r.status == 0, "\(r)")
    // Every row's kind padded to the same 11 columns, so the production column lines up.
    #expect(r.stdout.contains("dev  key        "), "\(r)")
    #expect(r.stdout.contains("  ui   user-token production"), "\(r)")
    #expect(!r.stdout.contains("user-tokenproduction"), "\(r)")
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
