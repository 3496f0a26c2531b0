import Foundation
import Testing

/// The codebase's own rules, checked with the whole suite: `swift format lint` prints nothing, and the
/// bench scripts are shellcheck-clean (the hooks and completions are checked in their own suites).
@Suite struct LintTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// Runs a command found on the test process's own PATH, in the package root.
  func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
    let r = try TestProcess.run(
      "/usr/bin/env", arguments, environment: ProcessInfo.processInfo.environment, directory: Self.root.path,
      mergeStderr: true, timeout: 600)
    return (r.status, r.stdout)
  }

  @Test func swiftFormatLintIsClean() throws {
    let r = try run(["swift", "format", "lint", "--strict", "-r", "Package.swift", "Sources", "Tests"])
    #expect(r.status == 0 && r.output.isEmpty, "swift format lint:\n\(r.output)\nfix with: swift format -i -r Sources Tests")
  }

  @Test(.requires("shellcheck")) func benchScriptsAreShellcheckClean() throws {
    _ = try Tool.require("shellcheck")
    let scripts = [
      "bench/run", "bench/budget", "bench/switch", "bench/hook", "bench/prompt", "bench/memory", "bench/make-store",
      "bench/lib.sh", ".ci/run", ".ci/dist/build", ".ci/dist/check",
    ]
    let r = try run(["shellcheck", "-x", "-s", "bash"] + scripts)
    #expect(r.status == 0, "shellcheck:\n\(r.output)")
  }
}
