import Foundation
import Testing

@testable import ProfileModel

/// Issue 20: safety given by the lower layers. Every read bounded where it happens (a source past its
/// limit is an error naming it and the limit, with no signal and little memory), every child timed and
/// ended whole, and no crash report that prints memory.

/// Runs the program under `ulimit -v` (64 MiB of address space): a reader that allocated as it went
/// would fail there (or never end), where a bounded one stops at its limit.
private func runLimited(_ s: Sandbox, _ script: String, _ arguments: [String], timeout: Double = 60) throws
  -> Sandbox.Result
{
  try s.execute(
    "/bin/sh", ["-c", "ulimit -v 65536 || exit 99; " + script, Sandbox.program] + arguments, timeout: timeout)
}

@Suite struct BoundedReadTests {
  func fixture() throws -> Sandbox {
    let s = try Sandbox()
    try s.addKey("dev")
    return s
  }

  /// `cat /dev/zero | add …`: the secret reader stops one byte past 64 KiB. A reader that checked the
  /// limit only after reading would never end on this endless stream (or die under the memory limit).
  @Test func anEndlessStandardInputEndsAtTheSecretLimit() throws {
    let s = try fixture()
    let before = s.storeBytes()
    let r = try runLimited(
      s, "cat /dev/zero | \"$0\" \"$@\"", ["add", "x", "--server", "https://x.example.com", "--key-id", "k"], timeout: 30)
    #expect(r.status == 1 && r.stdout == "", "\(r)")
    #expect(
      r.stderr
        == "error: the secret read from standard input is longer than 64 KiB, the most a secret or token may be (it was read no further); give the secret alone\n",
      "\(r)")
    #expect(s.storeBytes() == before)
    // The same with `yes` (lines, not one endless line).
    let y = try runLimited(
      s, "yes | \"$0\" \"$@\"", ["add", "x", "--server", "https://x.example.com", "--key-id", "k"], timeout: 30)
    #expect(y.status == 1 && y.stderr.contains("longer than 64 KiB"), "\(y)")
  }

  /// `import file /dev/zero`: a device where a file is expected is refused before any read.
  @Test func importOfADeviceOrAFIFOIsRefusedAtOnce() throws {
    let s = try fixture()
    let before = s.storeBytes()
    var r = try runLimited(s, "exec \"$0\" \"$@\"", ["import", "file", "/dev/zero"])
    #expect(r.status == 1 && r.stdout == "", "\(r)")
    #expect(
      r.stderr
        == "error: /dev/zero is a character device, not a regular file; a file to import must be a file (nothing was read)\n",
      "\(r)")
    let fifo = s.root.appendingPathComponent("fifo").path
    #expect(mkfifo(fifo, 0o600) == 0)
    r = try runLimited(s, "exec \"$0\" \"$@\"", ["import", "file", fifo], timeout: 20)
    #expect(r.status == 1 && r.stderr.contains("is a FIFO (named pipe), not a regular file"), "\(r)")
    r = try runLimited(s, "exec \"$0\" \"$@\"", ["import", "file", s.root.path])
    #expect(r.status == 1 && r.stderr.contains("is a directory, not a regular file"), "\(r)")
    #expect(s.storeBytes() == before)
  }

  /// A regular file past its limit is refused from its size, and `/dev/stdin` (a stream the user names)
  /// is read up to the limit and no further.
  @Test func importOfAFileOrAStreamPastItsLimitNamesTheLimit() throws {
    let s = try fixture()
    let before = s.storeBytes()
    let big = s.root.appendingPathComponent("big.json").path
    #expect(FileManager.default.createFile(atPath: big, contents: Data()))
    let handle = try #require(FileHandle(forWritingAtPath: big))
    try handle.truncate(atOffset: UInt64(ReadLimit.importFile.bytes + 1))
    try handle.close()
    var r = try runLimited(s, "exec \"$0\" \"$@\"", ["import", "file", big])
    #expect(r.status == 1, "\(r)")
    #expect(
      r.stderr
        == "error: \(big) is larger than 16 MiB, the most a file to import may be (docs/security.md, \"Limits\"); nothing was read past it\n",
      "\(r)")
    r = try runLimited(s, "cat /dev/zero | \"$0\" \"$@\"", ["import", "file", "/dev/stdin"], timeout: 30)
    #expect(r.status == 1 && r.stderr.contains("/dev/stdin is larger than 16 MiB"), "\(r)")
    #expect(s.storeBytes() == before)
  }

  /// The conductor CLI's `config.yaml` as /dev/zero or a FIFO: an error at once, no hang.
  @Test func aConductorCLIConfigThatIsNotAFileIsRefusedAtOnce() throws {
    let s = try fixture()
    let before = s.storeBytes()
    let dir = s.root.appendingPathComponent("cli").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(atPath: dir + "/config.yaml", withDestinationPath: "/dev/zero")
    var r = try runLimited(s, "exec \"$0\" \"$@\"", ["import", "conductor-cli", "--dir", dir], timeout: 20)
    #expect(r.status == 1 && r.stderr.contains("config.yaml is a character device, not a regular file"), "\(r)")
    try FileManager.default.removeItem(atPath: dir + "/config.yaml")
    #expect(mkfifo(dir + "/config.yaml", 0o600) == 0)
    r = try runLimited(s, "exec \"$0\" \"$@\"", ["import", "conductor-cli", "--dir", dir], timeout: 20)
    #expect(r.status == 1 && r.stderr.contains("config.yaml is a FIFO (named pipe), not a regular file"), "\(r)")
    #expect(s.storeBytes() == before)
  }

  /// `--secret-store command -- yes`: the helper's output is read up to 64 KiB, then it is stopped.
  @Test func aHelperThatPrintsForeverIsStoppedAtTheSecretLimit() throws {
    let s = try fixture()
    let before = s.storeBytes()
    let r = try runLimited(
      s, "exec \"$0\" \"$@\"",
      ["add", "y", "--server", "https://y.example.com", "--key-id", "k", "--secret-store", "command", "--", "yes"],
      timeout: 30)
    #expect(r.status == 1 && r.stdout == "", "\(r)")
    #expect(r.stderr.contains("'yes' printed more than 64 KiB, the most a secret or token may be"), "\(r)")
    #expect(s.storeBytes() == before)
  }

  /// The one table: every limit is in docs/security.md, with its size.
  @Test func theLimitsTableIsDocumented() throws {
    let docs = try String(
      contentsOf: ShellInitTests.packageRoot.appendingPathComponent("docs/security.md"), encoding: .utf8)
    for limit in ReadLimit.all {
      #expect(docs.contains("| \(limit.what) | \(limit.shown) |"), "docs/security.md lacks the row for \(limit.what)")
    }
  }
}

/// A helper script whose behaviour a file decides, so one approved argument vector can succeed, hang, or
/// leave a child behind (the vector never changes, only the file it reads).
private func helper(_ s: Sandbox) throws -> (script: String, mode: String) {
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

private func setMode(_ path: String, _ mode: String) {
  _ = FileManager.default.createFile(atPath: path, contents: Data(mode.utf8))
}

/// Whether a process of that pid (read from `file`) is still alive 2 s from now (a killed process takes a
/// moment to die on a busy machine).
private func alive(_ file: String) -> Bool {
  for _ in 0..<40 {
    if !aliveNow(file) { return false }
    usleep(50_000)
  }
  return true
}

private func aliveNow(_ file: String) -> Bool {
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
    let (script, mode) = try helper(s)
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
    setMode(mode, "hang")
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
    #expect(!alive(s.root.path + "/helper.pid") && !alive(s.root.path + "/child.pid"), "the helper's group was not killed")
    #expect(s.storeBytes() == before)
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
    setMode(mode, "orphan")
    let start = Date()
    let r = try s.execute(Sandbox.program, ["env", "dev"], timeout: 20)
    let took = Date().timeIntervalSince(start)
    #expect(r.status == 0 && r.stdout.contains("export CONDUCTOR_AUTH_SECRET='s3cret';"), "\(r)")
    #expect(took < 5, "took \(took) s")
    #expect(!alive(s.root.path + "/child.pid"), "the child left behind still runs")
  }

  /// Helpers get the environment the shell had before any switch: no profile's variables.
  @Test func helpersSeeNoProfilesVariables() throws {
    let (s, mode) = try fixture(timeout: nil)
    setMode(mode, "env")
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

@Suite struct CrashReportTests {
  /// A fatal signal prints one fixed line and no crash report (no registers, no memory, no backtrace):
  /// the program is stopped while it holds a secret (waiting for a helper) and sent SIGSEGV.
  @Test func aCrashPrintsOneLineAndNoMemory() throws {
    let s = try Sandbox()
    let (script, mode) = try helper(s)
    #expect(
      try s.run(
        ["add", "dev", "--server", "https://dev.example.com", "--key-id", "k", "--secret-store", "command", "--", script]
      ).status == 0)
    setMode(mode, "hang")
    let err = s.root.appendingPathComponent("err").path
    let child = try Child(
      Sandbox.program, ["env", "dev"], environment: s.environment, stdout: .discard, stderr: .file(err), timeout: 30)
    // Wait until the helper runs (the program then holds the store in memory).
    for _ in 0..<100 where !FileManager.default.fileExists(atPath: s.root.path + "/child.pid") { usleep(50_000) }
    #expect(kill(child.pid, SIGSEGV) == 0)
    let status = child.wait()
    #expect(status == SIGSEGV)
    let text = try String(contentsOfFile: err, encoding: .utf8)
    #expect(
      text
        == "conductor-profile: internal error (a crash); no crash report is printed, as it could show secrets from memory. Please report how it happened.\n",
      "\(text)")
    if let pid = try? String(contentsOfFile: s.root.path + "/child.pid", encoding: .utf8),
      let n = pid_t(pid.trimmingCharacters(in: .whitespacesAndNewlines))
    {
      kill(n, SIGKILL)
    }
  }
}

/// Names from a hand-edited store never become paths, and one invalid profile does not hide the others.
@Suite struct InvalidProfileTests {
  static let store = """
    {
      "profiles" : {
        "../../x" : { "auth" : { "kind" : "none" }, "server" : "https://x.example.com/api" },
        "bad" : { "auth" : { "kind" : "key" }, "server" : "https://b.example.com/api" },
        "dev" : { "auth" : { "kind" : "none" }, "server" : "https://dev.example.com/api" }
      },
      "version" : 1
    }

    """

  @Test func listShowsEveryValidProfileMarksTheInvalidOnesAndExits1() throws {
    let s = try Sandbox()
    try s.writeStore(Self.store)
    var r = try s.run(["list"])
    #expect(r.status == 1, "\(r)")
    #expect(
      r.stdout == """
          NAME     SERVER                       AUTH     PRODUCTION  TOKEN EXPIRES
        ! ../../x  -                            invalid  -           -
        ! bad      -                            invalid  -           -
          dev      https://dev.example.com/api  none     no          -

        """, "\(r)")
    #expect(
      r.stderr == """
        error: profile '../../x' is not valid: invalid profile name '../../x': use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit; rename it with: conductor-profile rename ../../x NEW
        error: profile 'bad' is not valid: its auth has no "keyId"; fix it in \(s.storePath) by hand, or remove it with: conductor-profile remove bad

        """, "\(r)")
    r = try s.run(["list", "--json"])
    #expect(r.status == 1, "\(r)")
    let array = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
    #expect(array.map { $0["name"] as? String } == ["../../x", "bad", "dev"])
    #expect(array.map { $0["invalid"] as? Bool } == [true, true, nil])
    #expect(array[1]["problem"] as? String == "its auth has no \"keyId\"")
    #expect(array[2]["server"] as? String == "https://dev.example.com/api")
    // A store with only valid profiles: exit 0, no "invalid" key.
    #expect(try s.run(["remove", "../../x", "bad"]).status == 0)
    r = try s.run(["list", "--json"])
    #expect(r.status == 0 && !r.stdout.contains("invalid") && r.stderr == "", "\(r)")
  }

  /// remove, rename and set of a name such as `../../x` touch nothing outside the token cache's directory.
  @Test func anInvalidNameTouchesNothingOutsideTheCache() throws {
    let s = try Sandbox()
    try s.writeStore(Self.store)
    let cache = s.root.appendingPathComponent("cache").path
    let tokens = cache + "/conductor-profile/tokens"
    try FileManager.default.createDirectory(atPath: tokens, withIntermediateDirectories: true)
    // Where `tokens/../../x.json` leads: a file that is not the tool's.
    let outside = cache + "/x.json"
    #expect(FileManager.default.createFile(atPath: outside, contents: Data("keep".utf8)))
    let env = ["XDG_CACHE_HOME": cache]
    var r = try s.run(["set", "../../x", "--description", "d"], env: env)
    #expect(FileManager.default.contents(atPath: outside) == Data("keep".utf8), "\(r)")
    r = try s.run(["rename", "../../x", "y"], env: env)
    #expect(r.status == 0 && r.stdout == "renamed profile '../../x' to 'y'\n", "\(r)")
    #expect(FileManager.default.contents(atPath: outside) == Data("keep".utf8))
    try s.writeStore(Self.store)
    r = try s.run(["remove", "../../x"], env: env)
    #expect(r.status == 0, "\(r)")
    #expect(FileManager.default.contents(atPath: outside) == Data("keep".utf8))
    #expect(try s.run(["list"], env: env).stdout.contains("../../x") == false)
  }
}

@Suite struct OnePathLookupTests {
  /// `exec` finds COMMAND with the one PATH lookup, then replaces itself once: strace sees one execve for
  /// it (not one a PATH directory, as execvp tries), with its argument vector as given.
  @Test(.requires("strace")) func execRunsTheCommandWithOneExecve() throws {
    let strace = try Tool.require("strace")
    let s = try Sandbox()
    try s.addKey("dev")
    var dirs: [String] = []
    for name in ["a", "b", "c"] {
      let dir = s.root.appendingPathComponent(name).path
      try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
      dirs.append(dir)
    }
    #expect(
      FileManager.default.createFile(
        atPath: dirs[2] + "/tool", contents: Data("#!/bin/sh\nexit 0\n".utf8), attributes: [.posixPermissions: 0o755]))
    let trace = s.root.appendingPathComponent("trace").path
    let r = try s.execute(
      strace, ["-f", "-qq", "-e", "trace=execve", "-o", trace, Sandbox.program, "exec", "dev", "--", "tool", "an arg"],
      env: ["PATH": dirs.joined(separator: ":") + ":/usr/bin:/bin"])
    #expect(r.status == 0, "\(r)")
    let calls = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n").filter { $0.contains("execve(") }
    let toTool = calls.filter { $0.contains("/tool\"") }
    #expect(toTool.count == 1, "\(calls)")
    #expect(toTool.first?.contains("execve(\"\(dirs[2])/tool\", [\"tool\", \"an arg\"]") == true, "\(calls)")
    #expect(!calls.contains { $0.contains("ENOENT") }, "\(calls)")
  }
}
