import Foundation
import Testing

/// The fish hook's clock for the `expired` mark: /proc on Linux; where /proc is missing (macOS) fish's
/// builtin `path mtime`; both start no process. Without /proc the test clears what the hook read from it.
@Suite struct FishClockTests {
  static let noProc = "set _CONDUCTOR_PROFILE_boot\n"

  @Test(.requires("fish"), arguments: ["proc", "path mtime", "date"]) func everyClockTellsTheTime(clock: String) throws {
    let fish = try Tool.require("fish")
    let sandbox = try Sandbox()
    let hook = try sandbox.hookFile(.fish)
    let setup =
      switch clock {
      case "proc": ""
      case "path mtime": Self.noProc
      default: Self.noProc + "set _CONDUCTOR_PROFILE_pathclock\n"
      }
    let before = nowSeconds()
    let r = try sandbox.execute(fish, ["--no-config", "-c", "source '\(hook)'\n" + setup + "_conductor_profile_now"])
    let after = nowSeconds()
    #expect(r.status == 0 && r.stderr.isEmpty, "\(r)")
    let now = try #require(Int(r.stdout.trimmingCharacters(in: .newlines)), "\(r)")
    // /proc's boot time is whole seconds and the uptime counts from the kernel's own start: a second either way.
    #expect(now >= before - 1 && now <= after + 1, "\(clock): \(now) not in \(before)…\(after)")
  }

  @Test(.requires("fish", "strace")) func withoutProcThePromptStillStartsNoProcess() throws {
    let fish = try Tool.require("fish")
    let strace = try Tool.require("strace")
    let sandbox = try Sandbox()
    let hook = try sandbox.hookFile(.fish)
    let script =
      "source '\(hook)'\n" + Self.noProc
      + "for i in \((1...25).map(String.init).joined(separator: " "))\n  conductor_profile_prompt\nend\n"
    let trace = sandbox.root.appendingPathComponent("trace").path
    let r = try sandbox.execute(
      strace, ["-f", "-qq", "-e", "trace=execve,clone,clone3,fork,vfork", "-o", trace, fish, "--no-config", "-c", script],
      env: [
        "CONDUCTOR_PROFILE_ACTIVE": "play", "CONDUCTOR_PROFILE_AUTH": "user-token",
        "CONDUCTOR_PROFILE_TOKEN_EXPIRES": String(nowSeconds() - 60), "NO_COLOR": "1",
      ])
    #expect(r.status == 0, "\(r)")
    #expect(r.stdout == String(repeating: "⚠ play expired", count: 25), "\(r)")
    let count = ShellPromptTests.processes(in: try String(contentsOfFile: trace, encoding: .utf8))
    #expect(count.execs == 0 && count.forks == 0, "25 prompts started \(count) processes")
  }
}
