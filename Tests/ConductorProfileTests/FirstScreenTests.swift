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

  /// The README's start-up lines for `shell`: the PATH line and the init line (bash, zsh: the second `sh`
  /// block; fish: the line after it).
  static func startupLines(_ shell: HookShell) throws -> [String] {
    let lines = try installBlocks()[1].map { $0.components(separatedBy: "  #")[0].trimmingCharacters(in: .whitespaces) }
    #expect(lines == ["export PATH=\"$HOME/.local/bin:$PATH\"", "eval \"$(conductor-profile init bash)\""])
    switch shell {
    case .bash: return lines
    case .zsh: return [lines[0], "eval \"$(conductor-profile init zsh)\""]
    case .fish:
      let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
      #expect(
        readme.contains(
          "(fish, in `~/.config/fish/config.fish`: `fish_add_path ~/.local/bin` and `conductor-profile init fish | source`.)"))
      return ["fish_add_path ~/.local/bin", "conductor-profile init fish | source"]
    }
  }

  @Test(.requires("python3", "strip"), arguments: HookShell.allCases) func aNewTerminalShowsTheProfile(shell: HookShell)
    throws
  {
    let sandbox = try Sandbox()
    let python = try Tool.require("python3")
    guard let path = try shell.path() else { return }
    // The archive's tree in ~/.local, as the tar line leaves it.
    let local = sandbox.home + "/.local"
    let script = Self.root.appendingPathComponent(".ci/dist/build").path
    let built = try sandbox.execute("/bin/bash", [script, "--bin", Sandbox.program, "--prefix", local], timeout: 300)
    #expect(built.status == 0, "\(built)")
    // The start-up file: the README's lines as they are (bash: after a prompt of the user's own).
    let lines = try Self.startupLines(shell).joined(separator: "\n") + "\n"
    var env = ["TERM": "xterm-256color", "NO_COLOR": "1"]
    let arguments: [String]
    switch shell {
    case .bash:
      let rc = sandbox.home + "/.bashrc"
      try Data(("PS1='$ '\nbind 'set enable-bracketed-paste off'\n" + lines).utf8).write(to: URL(fileURLWithPath: rc))
      arguments = [path, "--noprofile", "--rcfile", rc, "-i"]
    case .zsh:
      try Data(lines.utf8).write(to: URL(fileURLWithPath: sandbox.home + "/.zshrc"))
      env["ZDOTDIR"] = sandbox.home
      arguments = [path, "-i"]
    case .fish:
      let config = URL(fileURLWithPath: sandbox.home + "/.config/fish/config.fish")
      try FileManager.default.createDirectory(at: config.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(lines.utf8).write(to: config)
      arguments = [path, "-i"]
    }
    let steps: [[Any]] = [
      ["sleep", 0.5],
      ["send", "printf s3cret | conductor-profile add dev --server https://dev.example.com --key-id k1\n"],
      ["expect", "added profile 'dev'"],
      ["send", "conductor-profile use dev\n"], ["expect", "[dev] "],
      ["send", "echo R1; type conductor-profile | head -n 1; command -s conductor-profile 2>/dev/null; echo R2\n"],
      ["expect", "R2"], ["sleep", 0.3],
      ["send", "exit\n"],
    ]
    let json = String(decoding: try JSONSerialization.data(withJSONObject: steps), as: UTF8.self)
    // A fresh machine's PATH: nothing of the build on it; the start-up line adds ~/.local/bin.
    env["PATH"] = try sandbox.emptyDirectory() + ":/bin:/usr/bin"
    let r = try sandbox.execute(python, [PromptMarkerTests.driver, json] + arguments, env: env)
    #expect(r.status == 0, "\(r)")
    let shown = PromptMarkerTests.plain(r.stdout)
    #expect(shown.contains("[dev] "), "\(shown)")
    #expect(shown.contains("function"), "the hook's function: \(shown)")
    let lastPrompt = shown.components(separatedBy: "R2").last ?? ""
    #expect(lastPrompt.contains("[dev] "), "\(shown)")
  }
}
