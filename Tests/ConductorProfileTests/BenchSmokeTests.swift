import Foundation
import Testing

/// The benchmark scripts (bench/) work: `bench/run --smoke` runs every one of them with the fewest
/// runs against the debug build. Their figures are not checked here (no timed tests); only that they
/// run, exit 0, and print every ratio line.
@Suite struct BenchSmokeTests {
  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static func installed(_ tool: String) -> Bool {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    return path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)") }
  }

  @Test(.requires("hyperfine")) func smokeRunPrintsEveryRatio() throws {
    _ = try Tool.require("hyperfine")
    let sandbox = try Sandbox()
    let run = Self.packageRoot.appendingPathComponent("bench/run").path
    var env = ProcessInfo.processInfo.environment
    env["HOME"] = sandbox.home
    // The smoke run takes about a minute on an idle machine: a longer time-out than a single command.
    let r = try sandbox.execute("/bin/bash", [run, "--smoke", "--bin", Sandbox.program], env: env, timeout: 900)
    #expect(r.status == 0, "\(r)")
    let lines = r.stdout.split(separator: "\n").map(String.init)
    func expectLine(_ prefix: String) {
      #expect(lines.contains { $0.hasPrefix(prefix) }, "no line starting \(prefix.debugDescription) in:\n\(r.stdout)")
    }
    for n in [1, 100, 1000, 10000] {
      expectLine("- ratio: env target (\(n) profiles) / /bin/true = ")
      expectLine("- ratio: peak memory of env target (\(n) profiles) / /bin/true = ")
      if Self.installed("direnv") { expectLine("- ratio: env target (\(n) profiles) / direnv export bash = ") }
    }
    expectLine("- target: 100 profiles ≤ 1.25× /bin/true: ")
    expectLine("- target: 10,000 profiles ≤ 10 ms: ")
    expectLine("- target: growth no worse than linear in time (10,000 vs 1,000 profiles: ")
    if Self.installed("valgrind") {
      for n in [1, 100, 1000, 10000] { expectLine("- instructions: \(n) profiles: ") }
      expectLine("- target: growth no worse than linear in work (instructions above 1 profile, 10,000 vs 1,000 profiles: ")
    } else {
      expectLine("- skipped: valgrind is not installed")
    }
    // The hook benches measure as soon as `init` exists; until then they say why they skipped.
    let hookLoaded = (try? sandbox.run(["init", "bash"]))?.status == 0
    if hookLoaded {
      expectLine("- ratio: use through the hook / plain export (")
      for shell in ["bash", "zsh", "fish"] { expectLine("- processes per prompt: \(shell): ") }
    } else {
      #expect(r.stdout.contains("skipped: hook not available (init failed)"), "\(r)")
    }
  }
}
