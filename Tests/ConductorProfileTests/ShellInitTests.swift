import Foundation
import Testing

/// `init`: the committed hook files equal what it prints, and every hook passes its shell's checker.
@Suite struct ShellInitTests {
  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static func committed(_ shell: HookShell) -> URL {
    packageRoot.appendingPathComponent("shell/conductor-profile.\(shell.rawValue)")
  }

  /// With no default profile, `init` prints a marker (the hook leaves the start-up switch to `init`),
  /// the committed hook byte for byte, the completions, and the marker's removal.
  /// What `init` prints before the hook, and last: the marker that tells the hook `init` does the
  /// start-up switch, and its removal, after (zsh, fish) the look for a directory profile.
  static func initMarker(_ shell: HookShell) -> (set: String, unset: String) {
    switch shell {
    case .fish:
      return (
        "set -q _CONDUCTOR_PROFILE_HOOK; or set -g _CONDUCTOR_PROFILE_INIT 1\n",
        "set -q _CONDUCTOR_PROFILE_INIT; and _conductor_profile_dir_check\nset -e _CONDUCTOR_PROFILE_INIT\n"
      )
    case .zsh:
      return (
        "[[ -n \"${_CONDUCTOR_PROFILE_HOOK-}\" ]] || _CONDUCTOR_PROFILE_INIT=1\n",
        "[[ -z \"${_CONDUCTOR_PROFILE_INIT-}\" ]] || { _conductor_profile_dir_check; _conductor_profile_segment; }\n"
          + "unset _CONDUCTOR_PROFILE_INIT\n"
      )
    case .bash:
      return ("[[ -n \"${_CONDUCTOR_PROFILE_HOOK-}\" ]] || _CONDUCTOR_PROFILE_INIT=1\n", "unset _CONDUCTOR_PROFILE_INIT\n")
    }
  }

  @Test(arguments: HookShell.allCases) func committedFileIsWhatInitPrints(shell: HookShell) throws {
    let sandbox = try Sandbox()
    let r = try sandbox.run(["init", shell.rawValue])
    #expect(r.status == 0, "\(r)")
    #expect(r.stderr == "")
    let completions = try sandbox.run(["completions", shell.rawValue])
    #expect(completions.status == 0 && !completions.stdout.isEmpty, "\(completions)")
    let file = try Data(contentsOf: Self.committed(shell))
    let (set, unset) = Self.initMarker(shell)
    #expect(
      Data(set.utf8) + file + Data((completions.stdout + unset).utf8) == Data(r.stdout.utf8),
      """
      shell/conductor-profile.\(shell.rawValue) differs from what 'init \(shell.rawValue)' prints; the hook exists once, as this file \
      (embedded in the binary at build time). Rebuild with:
        swift build
      """)
  }

  @Test func unknownShellIsAUsageErrorWithASuggestion() throws {
    let sandbox = try Sandbox()
    let r = try sandbox.run(["init", "zhs"])
    #expect(r.status == 64)
    #expect(r.stdout == "")
    #expect(
      r.stderr == """
        Error: no hook for the shell 'zhs'; use bash, zsh or fish; did you mean 'zsh'?
        Usage: conductor-profile init bash|zsh|fish
          See 'conductor-profile init --help'.

        """)
    let missing = try sandbox.run(["init"])
    #expect(missing.status == 64)
    #expect(missing.stderr.hasPrefix("Error: missing SHELL (bash, zsh, fish)\n"))
    let sh = try sandbox.run(["init", "sh"])
    #expect(sh.status == 64)
    #expect(sh.stderr.contains("there is no hook for sh"))
    #expect(sandbox.storeBytes() == nil, "init never writes the store")
  }

  @Test func helpShowsTheInstallLines() throws {
    let r = try Sandbox().run(["init", "--help"])
    #expect(r.status == 0)
    #expect(r.stdout.contains("eval \"$(conductor-profile init bash)\""))
    #expect(r.stdout.contains("conductor-profile init fish | source"))
  }

  // MARK: Linters

  @Test func bashHookIsShellcheckClean() throws {
    let sandbox = try Sandbox()
    guard let shellcheck = try requireShell("shellcheck") else { return }
    let files = try FileManager.default.contentsOfDirectory(atPath: Self.packageRoot.appendingPathComponent("shell").path)
      .filter { $0.hasSuffix(".bash") }.sorted().map { Self.packageRoot.appendingPathComponent("shell/\($0)").path }
    #expect(!files.isEmpty)
    let r = try sandbox.execute(shellcheck, ["-s", "bash"] + files)
    #expect(r.status == 0, "\(r)")
  }

  @Test func zshHookParses() throws {
    let sandbox = try Sandbox()
    guard let zsh = try HookShell.zsh.path() else { return }
    let r = try sandbox.execute(zsh, ["-n", Self.committed(.zsh).path])
    #expect(r.status == 0 && r.stderr == "", "\(r)")
  }

  @Test func fishHookParses() throws {
    let sandbox = try Sandbox()
    guard let fish = try HookShell.fish.path() else { return }
    let r = try sandbox.execute(fish, ["--no-execute", Self.committed(.fish).path])
    #expect(r.status == 0 && r.stderr == "", "\(r)")
    if let indent = try requireShell("fish_indent") {
      let check = try sandbox.execute(indent, ["--check", Self.committed(.fish).path])
      #expect(check.status == 0, "fish_indent would reformat shell/conductor-profile.fish: \(check)")
    }
  }

  @Test func bashHookParsesInBashItself() throws {
    let sandbox = try Sandbox()
    guard let bash = try HookShell.bash.path() else { return }
    let r = try sandbox.execute(bash, ["-n", Self.committed(.bash).path])
    #expect(r.status == 0 && r.stderr == "", "\(r)")
  }
}
