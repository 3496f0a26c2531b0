import Foundation
import Testing

@testable import ProfileModel

/// `ui [NAME] [WORKFLOW_ID]`: the URL, and the opener it runs (a stub xdg-open on PATH records its arguments).
@Suite struct UICommandTests {
  func fixture() throws -> (Sandbox, bin: String) {
    let s = try Sandbox()
    try s.addKey("dev", server: "https://dev.example.com/conductor/")
    #expect(try s.run(["add", "oss", "--server", "http://localhost:8080", "--no-auth"]).status == 0)
    let bin = s.root.appendingPathComponent("stub-bin").path
    try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
    return (s, bin)
  }

  /// A stub opener that writes each argument on its own line to `record`, then exits with `status`.
  func stub(_ name: String, in bin: String, record: String, status: Int = 0) throws {
    let path = bin + "/" + name
    try "#!/bin/sh\nprintf '%s\\n' \"$@\" > '\(record)'\nexit \(status)\n".write(toFile: path, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
  }

  @Test func printGivesTheUIOrTheExecutionPage() throws {
    let (s, _) = try fixture()
    var r = try s.run(["ui", "dev", "--print"])
    #expect(r.status == 0 && r.stdout == "https://dev.example.com/conductor\n" && r.stderr == "", "\(r)")
    r = try s.run(["ui", "dev", "8f3c2a1e-7b6d-4c5e-9f00-1a2b3c4d5e6f", "--print"])
    #expect(r.stdout == "https://dev.example.com/conductor/execution/8f3c2a1e-7b6d-4c5e-9f00-1a2b3c4d5e6f\n", "\(r)")
    r = try s.run(["ui", "--print"], env: ["CONDUCTOR_PROFILE_ACTIVE": "oss"])
    #expect(r.status == 0 && r.stdout == "http://localhost:8080\n", "\(r)")
    expectError(try s.run(["ui", "--print"]), containing: ["no profile is active in this shell"])
    expectUsageError(try s.run(["ui", "dve", "--print"]), command: "ui", containing: "no profile named 'dve'", suggestion: "dev")
  }

  @Test(arguments: [
    "x;rm -rf ~", "--help-me", "-x", "a/../../admin", "a?b=c", "a#b", "id with space", "é", "", ".hidden",
    String(repeating: "a", count: 129), "a\u{1B}[31m",
  ])
  func anOddWorkflowIDReachesNeitherTheURLNorTheOpener(_ id: String) throws {
    let (s, bin) = try fixture()
    let record = s.root.appendingPathComponent("args").path
    try stub("xdg-open", in: bin, record: record)
    for extra in [["--print"], []] {
      let r = try s.run(["ui", "dev", "--"] + [id] + extra, env: ["PATH": bin + ":/usr/bin:/bin"])
      // After '--' every word is positional; --print there is a third positional: a usage error, or the bad id.
      #expect(r.status != 0 && r.stdout == "", "\(r)")
    }
    let r = try s.run(["ui", "dev", id], env: ["PATH": bin + ":/usr/bin:/bin"])
    #expect(r.status != 0 && r.stdout == "", "\(r)")
    if !id.hasPrefix("-") {
      #expect(r.status == 1 && r.stderr.hasPrefix("error: invalid workflow id "), "\(r)")
      #expect(s.failure(["ui", "dev", id]) == .invalid(.workflowID(id)))
      #expect(!r.stderr.contains("\u{1B}"), "control characters are escaped")
    }
    #expect(!FileManager.default.fileExists(atPath: record), "the opener never ran")
  }

  @Test func opensWithXdgOpenElseOpenAndSaysWhenItCannot() throws {
    let (s, bin) = try fixture()
    let record = s.root.appendingPathComponent("args").path
    try stub("open", in: bin, record: record)
    // Only `open` (macOS) on PATH.
    var r = try s.run(["ui", "dev", "wf-1"], env: ["PATH": bin])
    #expect(r.status == 0 && r.stdout == "", "\(r)")
    #expect(r.stderr == "opening https://dev.example.com/conductor/execution/wf-1\n", "\(r)")
    #expect(try String(contentsOfFile: record, encoding: .utf8) == "https://dev.example.com/conductor/execution/wf-1\n")
    // xdg-open wins when both are there.
    let xdgRecord = s.root.appendingPathComponent("xdg-args").path
    try stub("xdg-open", in: bin, record: xdgRecord)
    r = try s.run(["ui", "dev"], env: ["PATH": bin])
    #expect(r.status == 0, "\(r)")
    #expect(try String(contentsOfFile: xdgRecord, encoding: .utf8) == "https://dev.example.com/conductor\n")
    // An opener that fails, and none at all.
    try stub("xdg-open", in: bin, record: xdgRecord, status: 4)
    r = try s.run(["ui", "oss"], env: ["PATH": bin])
    #expect(r.status == 1 && r.stdout == "", "\(r)")
    #expect(
      r.stderr
        == "opening http://localhost:8080\nerror: \(bin)/xdg-open could not open http://localhost:8080 (exit 4); open it yourself, or print it with --print\n"
    )
    r = try s.run(["ui", "oss"], env: ["PATH": s.root.appendingPathComponent("empty").path])
    expectError(r, containing: ["neither xdg-open nor open is on PATH; open http://localhost:8080 yourself"])
  }
}
