import Foundation
import Testing

/// The README's first screen, typed verbatim on a fresh machine (issue 23, item 2): the archive it names is
/// the one `make dist` writes, and its start-up lines, in a fresh HOME with the program in ~/.local (laid out
/// by .ci/dist/build --prefix, the archive's tree), give a new terminal that shows the profile in its prompt.
@Suite struct FirstScreenTests {
  static let root = ShellInitTests.packageRoot

  /// The `sh` blocks of the README's Install section, in order.
  static func installBlocks() throws -> [[String]] {
    let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
    let install = readme.components(separatedBy: "## Install\n")[1].components(separatedBy: "\n## ")[0]
    return install.components(separatedBy: "```sh\n").dropFirst().map {
      $0.components(separatedBy: "\n```")[0].split(separator: "\n").map(String.init)
    }
  }

  @Test func theArchiveItNamesIsTheOneMakeDistWrites() throws {
    let version = try Sandbox().run(["--version"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    let lines = try Self.installBlocks()[0]
    #expect(lines[0].hasPrefix("mkdir -p ~/.local && tar -xzf .build/dist/conductor-profile-\(version)-linux-x86_64.tar.gz "))
    #expect(lines[1].hasPrefix("sudo apt install ./.build/dist/conductor-profile_\(version)_amd64.deb "))
    let build = try String(contentsOf: Self.root.appendingPathComponent(".ci/dist/build"), encoding: .utf8)
    #expect(build.contains("name=conductor-profile-$version-linux-$arch\nout=.build/dist\n"))
    #expect(build.contains("\"$out/conductor-profile_${version}_$deb_arch.deb\""))
  }

  @Test(.requires("python3", "strip")) func aNewTerminalShowsTheProfile() throws {
    let sandbox = try Sandbox()
    let python = try Tool.require("python3")
    // The archive's tree in ~/.local, as the tar line leaves it.
    let local = sandbox.home + "/.local"
    let script = Self.root.appendingPathComponent(".ci/dist/build").path
    let built = try sandbox.execute("/bin/bash", [script, "--bin", Sandbox.program, "--prefix", local], timeout: 300)
    #expect(built.status == 0, "\(built)")
    // ~/.bashrc: a prompt of the user's own, then the README's lines as they are.
    let rcLines = try Self.installBlocks()[1].map {
      $0.components(separatedBy: "  #")[0].trimmingCharacters(in: .whitespaces)
    }
    #expect(rcLines == ["export PATH=\"$HOME/.local/bin:$PATH\"", "eval \"$(conductor-profile init bash)\""])
    let rc = sandbox.home + "/.bashrc"
    try Data(("PS1='$ '\nbind 'set enable-bracketed-paste off'\n" + rcLines.joined(separator: "\n") + "\n").utf8).write(
      to: URL(fileURLWithPath: rc))
    let steps: [[Any]] = [
      ["expect", "$ "],
      ["send", "printf s3cret | conductor-profile add dev --server https://dev.example.com --key-id k1; echo A$?\n"],
      ["expect", "A0"], ["expect", "$ "],
      ["send", "conductor-profile use dev\n"], ["expect", "[dev] $ "],
      ["send", "type -P conductor-profile; type -t conductor-profile\n"], ["expect", "function"], ["expect", "$ "],
      ["send", "exit\n"],
    ]
    let json = String(decoding: try JSONSerialization.data(withJSONObject: steps), as: UTF8.self)
    // A fresh machine's PATH: nothing of the build on it; the rc line adds ~/.local/bin.
    let bash = try Tool.require("bash")
    let r = try sandbox.execute(
      python, [PromptMarkerTests.driver, json, bash, "--noprofile", "--rcfile", rc, "-i"],
      env: ["PATH": try sandbox.emptyDirectory() + ":/bin:/usr/bin", "TERM": "xterm-256color", "NO_COLOR": "1"])
    #expect(r.status == 0, "\(r)")
    #expect(r.stdout.contains(local + "/bin/conductor-profile"), "the program from ~/.local: \(r)")
    #expect(r.stdout.contains("[dev] $ "), "\(r)")
  }
}
