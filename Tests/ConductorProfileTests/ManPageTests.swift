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

  /// The page as `man` shows it at 80 columns: no warning, no line wider than 80, the sections a man page
  /// has, in order.
  static func shown() throws -> (Sandbox, String)? {
    let man = try Tool.require("man")
    let sandbox = try Sandbox()
    let r = try sandbox.execute(man, ["--warnings=all", "-l", Self.path.path], env: ["MANWIDTH": "80", "MANPAGER": "cat"])
    #expect(r.status == 0 && r.stderr.isEmpty, "\(r)")
    #expect(r.stdout.hasPrefix("CONDUCTOR-PROFILE(1)"), "\(r)")
    return (sandbox, r.stdout)
  }

  /// Words with every run of white space made one space, as a reader reads filled text.
  static func normalized(_ text: some StringProtocol) -> String {
    text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).joined(separator: " ")
  }

  @Test(.requires("man")) func manShowsARealPageInEightyColumns() throws {
    guard let (_, page) = try Self.shown() else { return }
    let wide = page.split(separator: "\n").filter { $0.count > 80 }
    #expect(wide.isEmpty, "lines wider than 80 columns: \(wide)")
    let sections = page.split(separator: "\n").filter { $0.first?.isUppercase == true && !$0.hasPrefix("CONDUCTOR-PROFILE(1)") }
      .map(String.init)
    #expect(
      sections == [
        "NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "ENVIRONMENT", "FILES", "EXIT STATUS", "SECURITY", "SEE ALSO",
      ], "\(sections)")
    #expect(!page.contains("\\-"), "no roff escape shows through")
  }

  /// Made from the same specs as `help COMMAND`: every line of every command's help (its usage, summary,
  /// arguments, options and discussion) is in the page, as filled text.
  @Test(.requires("man")) func everyCommandsHelpIsInThePage() throws {
    guard let (sandbox, page) = try Self.shown() else { return }
    let text = Self.normalized(page)
    let overview = try sandbox.run(["--help"]).stdout
    let names = overview.split(separator: "\n").drop { !$0.hasPrefix("COMMANDS:") }.dropFirst().prefix { !$0.isEmpty }
      .map { String($0.split(separator: " ")[0]) }
    #expect(names.count > 10)
    for name in names {
      let help = try sandbox.run(["help", name]).stdout
      for line in help.split(separator: "\n") {
        var words = Self.normalized(line)
        if ["ARGUMENTS:", "OPTIONS:", "-h, --help Show help information."].contains(words) { continue }
        for label in ["OVERVIEW: ", "USAGE: "] where words.hasPrefix(label) { words = String(words.dropFirst(label.count)) }
        let found = text.contains(words)  // apart, so a failure names the line, not the whole page
        #expect(found, "`help \(name)` text missing from the page: \(words)")
      }
    }
  }

  /// No page the text names is missing where the page is installed: `make dist` puts docs/ beside the README.
  @Test func everyDocsPageTheManPageNamesIsInstalled() throws {
    let root = Self.path.deletingLastPathComponent().deletingLastPathComponent()
    let build = try String(contentsOf: root.appendingPathComponent(".ci/dist/build"), encoding: .utf8)
    #expect(build.contains("install -m644 docs/*.md \"$prefix/share/doc/conductor-profile/docs/\""))
    let page = try String(contentsOf: Self.path, encoding: .utf8)
    var rest = Substring(page)
    while let range = rest.range(of: "docs/") {
      let name = rest[range.upperBound...].prefix { $0.isLetter || $0 == "-" || $0 == "." || $0 == "\\" }
        .replacingOccurrences(of: "\\-", with: "-")
      if name.hasSuffix(".md") {
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("docs/\(name)").path), "docs/\(name)")
      }
      rest = rest[range.upperBound...]
    }
  }
}
