import Foundation
import Testing

@testable import ProfileModel

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
