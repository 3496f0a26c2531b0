import Foundation
import Testing

/// The install instructions stay true: CI runs the README's test command, and the package names the
/// README and docs/install.md give carry the program's version.
@Suite struct InstallDocTests {
  static func text(_ path: String) throws -> String {
    try String(contentsOf: ShellInitTests.packageRoot.appendingPathComponent(path), encoding: .utf8)
  }

  @Test func ciRunsTheReadmesTestCommand() throws {
    let readme = try Self.text("README.md")
    #expect(readme.contains("Run the whole test suite"))
    #expect(readme.contains("```sh\nmake test\n```\n"), "the README's test command is `make test`")
    let ci = try Self.text(".ci/run").split(separator: "\n").map(String.init)
    #expect(ci.contains("make test"), ".ci/run runs the README's test command as it is")
    #expect(!ci.contains { $0.hasPrefix("swift test") }, ".ci/run runs no other test command")
    let makefile = try Self.text("Makefile")
    #expect(makefile.contains("test:\n\tSWIFT=\"$(SWIFT)\" bash .ci/test\n"))
    #expect(try Self.text(".ci/test").contains("\"${SWIFT:-swift}\" test \"$@\" 2>&1 | tee \"$log\""))
  }

  @Test func packageNamesCarryTheVersion() throws {
    let version = try Sandbox().run(["--version"]).stdout.trimmingCharacters(in: .newlines)
    for path in ["README.md", "docs/install.md"] {
      let text = try Self.text(path)
      #expect(text.contains("conductor-profile-\(version)-linux-x86_64.tar.gz"), "\(path)")
      #expect(text.contains("conductor-profile_\(version)_amd64.deb"), "\(path)")
      // No other version of the packages is named.
      for line in text.split(separator: "\n") where line.contains("-linux-x86_64.tar.gz") || line.contains("_amd64.deb") {
        #expect(
          !line.contains("VERSION") ? line.contains(version) : true, "\(path): \(line) names another version")
      }
    }
  }
}
