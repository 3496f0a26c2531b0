import Foundation
import Testing

/// conductor-profile(1): made by the hidden `__man` from the program's own help; docs/conductor-profile.1
/// is that output, kept equal by a test (re-record both generated docs with:
/// RECORD_REFERENCE=1 swift test --filter 'ReferenceDocTests|ManPageTests').
@Suite struct ManPageTests {
  static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("docs/conductor-profile.1")

  @Test func committedPageIsWhatTheProgramMakes() throws {
    let r = try Sandbox().run(["__man"])
    #expect(r.status == 0 && r.stderr.isEmpty, "\(r)")
    if ProcessInfo.processInfo.environment["RECORD_REFERENCE"] == "1" {
      try Data(r.stdout.utf8).write(to: Self.path)
    }
    let committed = try String(contentsOf: Self.path, encoding: .utf8)
    #expect(
      committed == r.stdout,
      "docs/conductor-profile.1 differs from `conductor-profile __man`; re-record: RECORD_REFERENCE=1 swift test --filter ManPageTests"
    )
  }

  /// Every command's help is in the page, line for line, as `man` shows it.
  @Test(.requires("man")) func manRendersThePageWithoutWarningsAndWithEveryCommandsHelp() throws {
    let man = try Tool.require("man")
    let sandbox = try Sandbox()
    let r = try sandbox.execute(man, ["--warnings=all", "-l", Self.path.path], env: ["MANWIDTH": "80", "MANPAGER": "cat"])
    #expect(r.status == 0 && r.stderr.isEmpty, "\(r)")
    #expect(r.stdout.hasPrefix("CONDUCTOR-PROFILE(1)"), "\(r)")
    let shown = Set(r.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
    let overview = try sandbox.run(["--help"]).stdout
    let names = overview.split(separator: "\n").drop { !$0.hasPrefix("COMMANDS:") }.dropFirst().prefix { !$0.isEmpty }
      .map { String($0.split(separator: " ")[0]) }
    #expect(names.count > 10)
    for name in names {
      let help = try sandbox.run(["help", name]).stdout
      for line in help.split(separator: "\n") {
        let text = line.trimmingCharacters(in: .whitespaces)
        #expect(shown.contains(text), "`help \(name)` line missing from the page: \(text)")
      }
    }
  }
}
