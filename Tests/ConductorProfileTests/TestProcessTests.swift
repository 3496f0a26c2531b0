import Foundation
import Testing

/// The tests' own way of starting programs (TestProcess.swift): never on the user's terminal, never for ever.
@Suite struct TestProcessTests {
  /// The session a process is in (field 6 of /proc/PID/stat) and whether it can open a terminal.
  @Test func aChildRunsInItsOwnSessionWithoutATerminal() throws {
    let sandbox = try Sandbox()
    let script =
      #"set -- $(cut -d' ' -f6 /proc/$$/stat); echo "$$ $1"; if (: </dev/tty) 2>/dev/null; then echo tty; else echo no-tty; fi"#
    let r = try sandbox.execute("/bin/sh", ["-c", script])
    let words = r.stdout.split(whereSeparator: \.isWhitespace).map(String.init)
    #expect(r.status == 0 && words.count == 3, "\(r)")
    #expect(words.count == 3 && words[0] == words[1], "the shell leads its own session: \(r)")
    #expect(words.last == "no-tty", "\(r)")
  }

  @Test func aHungChildIsKilledWithItsSessionAndFailsTheTestWithItsOutput() throws {
    let sandbox = try Sandbox()
    let pidFile = sandbox.root.appendingPathComponent("grandchild").path
    let started = Date()
    var result: Sandbox.Result?
    try withKnownIssue("the time-out records an issue naming the command and its output") {
      result = try sandbox.execute(
        "/bin/sh", ["-c", "echo started; echo to-stderr >&2; sleep 60 & echo $! > '\(pidFile)'; wait"], timeout: 3)
    } matching: { issue in
      let text = String(describing: issue)
      return text.contains("timed out after 3 s") && text.contains("started") && text.contains("to-stderr")
    }
    #expect(Date().timeIntervalSince(started) < 30)
    #expect(result?.status == SIGKILL, "\(String(describing: result))")
    #expect(result?.stdout == "started\n" && result?.stderr == "to-stderr\n")
    // The background `sleep` was in the same session: it went too.
    let grandchild = try #require(
      Int32(
        String(decoding: try Data(contentsOf: URL(fileURLWithPath: pidFile)), as: UTF8.self)
          .trimmingCharacters(in: .whitespacesAndNewlines)))
    var gone = false
    for _ in 0..<100 where !gone {
      let state = (try? String(contentsOfFile: "/proc/\(grandchild)/stat", encoding: .utf8)) ?? ""
      gone = state.isEmpty || state.contains(") Z ")
      if !gone { usleep(20_000) }
    }
    #expect(gone, "the grandchild \(grandchild) is still running")
  }

  @Test func standardInputIsFedWhileTheChildRunsAndAnEarlyExitIsNoError() throws {
    let sandbox = try Sandbox()
    let big = String(repeating: "x", count: 1 << 20)
    let all = try sandbox.execute("/usr/bin/wc", ["-c"], stdin: big)
    #expect(all.status == 0 && all.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "\(1 << 20)", "\(all)")
    let early = try sandbox.execute("/usr/bin/head", ["-c", "3"], stdin: big)
    #expect(early.status == 0 && early.stdout == "xxx", "\(early)")
  }

  /// Under CI=true a missing tool is a failure, never a skip (locally it is a visible skip instead).
  @Test(.enabled(if: Tool.ci, "only under CI=true: locally a missing tool skips")) func aMissingToolFailsUnderCI() throws {
    withKnownIssue("a missing tool is recorded as a failure under CI") {
      _ = try Tool.require("conductor-profile-no-such-tool")
    }
  }
}
