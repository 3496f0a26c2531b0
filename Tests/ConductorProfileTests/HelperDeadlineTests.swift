import Foundation
import Testing

@testable import ProfileModel

/// Every child timed and ended whole: a helper past its deadline, one that leaves a child holding the pipe,
/// and what a helper's environment holds.

/// A helper script whose behaviour a file decides, so one approved argument vector can succeed, hang, or
/// leave a child behind (the vector never changes, only the file it reads).
func switchableHelper(_ s: Sandbox) throws -> (script: String, mode: String) {
  let mode = s.root.appendingPathComponent("mode").path
  let script = s.root.appendingPathComponent("helper.sh").path
  let text = """
    #!/bin/sh
    echo $$ > "\(s.root.path)/helper.pid"
    case $(cat "\(mode)") in
    ok) printf 's3cret\\n' ;;
    env) env > "\(s.root.path)/helper.env"; printf 's3cret\\n' ;;
    hang) sleep 300 & echo $! > "\(s.root.path)/child.pid"; wait ;;
    orphan) sleep 300 & echo $! > "\(s.root.path)/child.pid"; printf 's3cret\\n' ;;
    esac

    """
  #expect(FileManager.default.createFile(atPath: script, contents: Data(text.utf8), attributes: [.posixPermissions: 0o755]))
  #expect(FileManager.default.createFile(atPath: mode, contents: Data("ok".utf8)))
  return (script, mode)
}

func setHelperMode(_ path: String, _ mode: String) {
  _ = FileManager.default.createFile(atPath: path, contents: Data(mode.utf8))
}

/// Whether a process of that pid (read from `file`) is still alive 2 s from now (a killed process takes a
/// moment to die on a busy machine).
func processAlive(_ file: String) -> Bool {
  for _ in 0..<40 {
    if !processAliveNow(file) { return false }
    usleep(50_000)
  }
  return true
}

func processAliveNow(_ file: String) -> Bool {
  guard let text = try? String(contentsOfFile: file, encoding: .utf8),
    let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines))
  else { return false }
  // A zombie is not alive: it was killed and only waits to be reaped by its parent.
  if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
    let close = stat.lastIndex(of: ")")
  {
    return stat[stat.index(close, offsetBy: 2)] != "Z"
  }
  return kill(pid, 0) == 0
}

@Suite struct HelperDeadlineTests {
  func fixture(timeout: String?) throws -> (Sandbox, mode: String) {
    let s = try Sandbox()
    let (script, mode) = try switchableHelper(s)
    let r = try s.run(
      ["add", "dev", "--server", "https://dev.example.com", "--key-id", "k", "--secret-store", "command", "--", script])
    #expect(r.status == 0, "\(r)")
    if let timeout {
      var text = try #require(s.storeText())
      text = text.replacingOccurrences(of: "\"profiles\" : {", with: "\"helperTimeout\" : \"\(timeout)\",\n  \"profiles\" : {")
      try s.writeStore(text)
    }
    return (s, mode)
  }

  /// A helper that never ends is killed with its whole process group at the deadline, and the error names
  /// the helper and the setting.
  @Test func aHungHelperIsStoppedAtHelperTimeoutWithItsChildren() throws {
    let (s, mode) = try fixture(timeout: "1s")
    setHelperMode(mode, "hang")
    let before = s.storeBytes()
    let start = Date()
    let r = try s.run(["env", "dev"])
    let took = Date().timeIntervalSince(start)
    #expect(r.status == 1 && r.stdout == "", "\(r)")
    #expect(
      r.stderr.hasPrefix(
        "error: cannot read the secret of profile 'dev' in command '\(s.root.path)/helper.sh': '\(s.root.path)/helper.sh' did not finish within 1 s and was stopped"
      ), "\(r)")
    #expect(r.stderr.contains("\"helperTimeout\" (now 1s)"), "\(r)")
    #expect(took < 10, "took \(took) s")
    #expect(
      !processAlive(s.root.path + "/helper.pid") && !processAlive(s.root.path + "/child.pid"), "the helper's group was not killed"
    )
    #expect(s.storeBytes() == before)
  }

  /// `doctor` runs an approved helper to check it: a hung one is a problem that names the deadline, the
  /// helper is stopped, and doctor goes on to the next profile.
  @Test func doctorReportsAHungHelperAndGoesOn() throws {
    let (s, mode) = try fixture(timeout: "1s")
    setHelperMode(mode, "hang")
    try s.addKey("later")
    let start = Date()
    let r = try s.run(["doctor"], env: ["_CONDUCTOR_PROFILE_SHELL": "bash"])
    #expect(r.status == 1, "\(r)")
    #expect(r.stdout.contains("problem: ") && r.stdout.contains("did not finish within 1 s and was stopped"), "\(r)")
    // The report goes on after the hung helper: its last line is the list of files it writes.
    #expect(r.stdout.contains("file: \(s.storePath)"), "\(r)")
    #expect(Date().timeIntervalSince(start) < 20)
    #expect(!processAlive(s.root.path + "/helper.pid") && !processAlive(s.root.path + "/child.pid"))
  }

  /// The default deadline is 10 s; a bad helperTimeout is an error that names it.
  @Test func theDefaultIsTenSecondsAndABadSettingIsAnError() throws {
    #expect(SecretHelper.defaultTimeout == 10)
    let (s, _) = try fixture(timeout: "soon")
    let r = try s.run(["env", "dev"])
    #expect(r.status == 1, "\(r)")
    #expect(r.stderr.contains("\"helperTimeout\" in \(s.storePath) is \"soon\", not a duration"), "\(r)")
  }

  /// A helper that exits but leaves a child holding its standard output does not stall the program.
  @Test func aHelperThatLeavesAChildHoldingThePipeDoesNotStall() throws {
    let (s, mode) = try fixture(timeout: "30s")
    setHelperMode(mode, "orphan")
    let start = Date()
    let r = try s.execute(Sandbox.program, ["env", "dev"], timeout: 20)
    let took = Date().timeIntervalSince(start)
    #expect(r.status == 0 && r.stdout.contains("export CONDUCTOR_AUTH_SECRET='s3cret';"), "\(r)")
    #expect(took < 5, "took \(took) s")
    #expect(!processAlive(s.root.path + "/child.pid"), "the child left behind still runs")
  }

  /// Helpers get the environment the shell had before any switch: no profile's variables.
  @Test func helpersSeeNoProfilesVariables() throws {
    let (s, mode) = try fixture(timeout: nil)
    setHelperMode(mode, "env")
    let r = try s.run(
      ["env", "dev"],
      env: [
        "CONDUCTOR_PROFILE_VARS": "X_OLD Y_OLD", "X_OLD": "1", "Y_OLD": "2", "CONDUCTOR_AUTH_TOKEN": "stale",
        "CONDUCTOR_PROFILE_ACTIVE": "old", "CONDUCTOR_SERVER_URL": "https://old.example.com/api", "KEEP_ME": "yes",
      ])
    #expect(r.status == 0, "\(r)")
    let seen = try String(contentsOfFile: s.root.path + "/helper.env", encoding: .utf8).split(separator: "\n")
      .map { String($0.prefix { $0 != "=" }) }
    for gone in [
      "CONDUCTOR_PROFILE_VARS", "X_OLD", "Y_OLD", "CONDUCTOR_AUTH_TOKEN", "CONDUCTOR_PROFILE_ACTIVE", "CONDUCTOR_SERVER_URL",
    ] {
      #expect(!seen.contains(gone), "the helper saw \(gone)")
    }
    #expect(seen.contains("KEEP_ME") && seen.contains("HOME"))
  }
}
