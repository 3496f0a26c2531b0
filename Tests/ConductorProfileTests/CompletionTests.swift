import Foundation
import Testing

@testable import ConductorNetwork
@testable import ProfileCommands
@testable import ProfileModel
@testable import ShellOutput

@Suite struct CompletionTests {
  /// A sandbox with three profiles and the script for `shell` written to a file.
  func setUp(_ shell: String) throws -> (Sandbox, String) {
    let s = try Sandbox()
    try s.addKey("dev")
    try s.addKey("staging")
    try s.addNone("local")
    let script = try s.run(["completions", shell])
    #expect(script.status == 0, "\(script)")
    #expect(script.stderr == "")
    let path = s.root.appendingPathComponent("completion.\(shell)").path
    try script.stdout.write(toFile: path, atomically: true, encoding: .utf8)
    return (s, path)
  }

  // MARK: bash

  /// COMPREPLY after completing `words` (the last one is the word under the cursor) in bash.
  func bash(_ s: Sandbox, _ bash: String, _ script: String, _ words: [String], setup: String = "") throws -> [String] {
    let quoted = words.map { ShellSyntax.bash.quote($0) }.joined(separator: " ")
    let program = """
      source \(ShellSyntax.bash.quote(script))
      \(setup)
      COMP_WORDS=(\(quoted)); COMP_CWORD=\(words.count - 1); COMPREPLY=()
      _conductor_profile_complete
      printf '%s\\n' "${COMPREPLY[@]}"
      """
    let r = try s.execute(bash, ["--norc", "--noprofile", "-c", program])
    #expect(r.status == 0, "\(r)")
    #expect(r.stderr == "", "\(r)")
    return r.stdout.split(separator: "\n").map(String.init).sorted()
  }

  @Test func bashCompletesCommandsProfilesAndValues() throws {
    guard let shell = try requireShell("bash") else { return }
    let (s, script) = try setUp("bash")
    let commands = try bash(s, shell, script, ["conductor-profile", ""])
    for name in ["add", "use", "import", "export", "doctor", "completions", "help"] { #expect(commands.contains(name)) }
    #expect(!commands.contains { $0.hasPrefix("__") })
    #expect(try bash(s, shell, script, ["conductor-profile", "do"]) == ["doctor"])
    #expect(try bash(s, shell, script, ["conductor-profile", "use", ""]) == ["dev", "local", "staging"])
    #expect(try bash(s, shell, script, ["conductor-profile", "use", "st"]) == ["staging"])
    #expect(
      try bash(s, shell, script, ["conductor-profile", "use", ""], setup: "_CONDUCTOR_PROFILE_PREVIOUS=dev") == [
        "-", "dev", "local", "staging",
      ])
    #expect(try bash(s, shell, script, ["conductor-profile", "show", "dev", ""]) == [])
    #expect(try bash(s, shell, script, ["conductor-profile", "remove", "dev", ""]) == ["dev", "local", "staging"])
    #expect(try bash(s, shell, script, ["conductor-profile", "env", "dev", "--shell", ""]) == ["bash", "fish", "sh", "zsh"])
    #expect(try bash(s, shell, script, ["conductor-profile", "env", "dev", "--format", "=", "d"]) == ["dotenv"])
    #expect(try bash(s, shell, script, ["conductor-profile", "env", "--f"]) == ["--format"])
    #expect(try bash(s, shell, script, ["conductor-profile", "completions", ""]) == ["bash", "fish", "zsh"])
    #expect(try bash(s, shell, script, ["conductor-profile", "import", ""]) == ["conductor-cli", "env", "file"])
    #expect(try bash(s, shell, script, ["conductor-profile", "add", "--server", ""]) == [])
    // exec NAME -- COMMAND: commands after '--'.
    #expect(try bash(s, shell, script, ["conductor-profile", "exec", "dev", ""]) == ["--"])
    #expect(try bash(s, shell, script, ["conductor-profile", "exec", "dev", "--", "printen"]) == ["printenv"])
  }

  @Test func bashScriptPassesShellcheck() throws {
    guard let shellcheck = try requireShell("shellcheck") else { return }
    let (s, script) = try setUp("bash")
    let r = try s.execute(shellcheck, ["-s", "bash", script])
    #expect(r.status == 0, "\(r)")
  }

  @Test func profileNamesAreReadWhenCompletingNotWhenGenerating() throws {
    guard let shell = try requireShell("bash") else { return }
    let (s, script) = try setUp("bash")
    try s.addKey("added-later")
    #expect(try bash(s, shell, script, ["conductor-profile", "use", "a"]) == ["added-later"])
  }

  // MARK: fish

  @Test func fishCompletesProfilesCommandsAndOptions() throws {
    guard let fish = try requireShell("fish") else { return }
    let (s, script) = try setUp("fish")
    func complete(_ line: String) throws -> [String] {
      let r = try s.execute(
        fish, ["--no-config", "-c", "source \(ShellSyntax.fish.quote(script)); complete -C \(ShellSyntax.fish.quote(line))"])
      #expect(r.status == 0, "\(r)")
      #expect(r.stderr == "", "\(r)")
      return r.stdout.split(separator: "\n").map { String($0.prefix { $0 != "\t" }) }.sorted()
    }
    #expect(try complete("conductor-profile use ") == ["dev", "local", "staging"])
    #expect(try complete("conductor-profile exec st") == ["staging"])
    let commands = try complete("conductor-profile ")
    for name in ["add", "use", "import", "doctor", "completions"] { #expect(commands.contains(name)) }
    #expect(!commands.contains { $0.hasPrefix("__") })
    #expect(try complete("conductor-profile env dev --sh") == ["--shell"])
    #expect(try complete("conductor-profile env dev --shell ") == ["bash", "fish", "sh", "zsh"])
    #expect(try complete("conductor-profile init ") == ["bash", "fish", "zsh"] || !commands.contains("init"))
    #expect(try complete("conductor-profile import ") == ["conductor-cli", "env", "file"])
    #expect(try complete("conductor-profile exec dev -- printen") == ["printenv"])
  }

  // MARK: zsh

  @Test func zshScriptParsesAndCompletes() throws {
    guard let zsh = try requireShell("zsh") else { return }
    let (s, script) = try setUp("zsh")
    let syntax = try s.execute(zsh, ["-n", script])
    #expect(syntax.status == 0, "\(syntax)")
    // compadd and compdef exist only inside zsh's completion system: stub them, and collect what is offered.
    func complete(_ words: [String]) throws -> [String] {
      let quoted = words.map { ShellSyntax.zsh.quote($0) }.joined(separator: " ")
      let program = """
        compadd() {
          while (( $# )); do
            case $1 in
              --) shift; reply+=("$@"); return 0 ;;
              -[dPSJXxVoIip]) shift 2 ;;
              *) shift ;;
            esac
          done
        }
        compdef() { registered=$2 }
        source \(ShellSyntax.zsh.quote(script))
        [[ $registered == conductor-profile ]] || { print -u2 'compdef was not called'; exit 1 }
        reply=(); words=(\(quoted)); CURRENT=\(words.count)
        _conductor_profile
        print -rl -- "${reply[@]}"
        """
      let r = try s.execute(zsh, ["-f", "-c", program])
      #expect(r.status == 0, "\(r)")
      #expect(r.stderr == "", "\(r)")
      return r.stdout.split(separator: "\n").map(String.init).sorted()
    }
    #expect(try complete(["conductor-profile", "use", ""]) == ["dev", "local", "staging"])
    #expect(try complete(["conductor-profile", "remove", "dev", ""]) == ["dev", "local", "staging"])
    #expect(try complete(["conductor-profile", "show", "dev", ""]) == [])
    #expect(try complete(["conductor-profile", "env", "dev", "--shell", ""]) == ["bash", "fish", "sh", "zsh"])
    #expect(try complete(["conductor-profile", "completions", ""]) == ["bash", "fish", "zsh"])
    let commands = try complete(["conductor-profile", ""])
    for name in ["add", "use", "import", "doctor", "completions", "help"] { #expect(commands.contains(name)) }
    #expect(!commands.contains { $0.hasPrefix("__") })
  }

  // MARK: The scripts and the specs

  @Test func everyOptionOfEveryCommandIsInEveryScript() throws {
    let s = try Sandbox()
    let scripts = try ["bash", "zsh", "fish"].map { try s.run(["completions", $0]).stdout }
    for spec in Commands.all where !spec.summary.isEmpty {
      for option in spec.options {
        #expect(scripts[0].contains("--\(option.name)"), "bash misses --\(option.name) of \(spec.name)")
        #expect(scripts[1].contains("--\(option.name)"), "zsh misses --\(option.name) of \(spec.name)")
        #expect(
          scripts[2].contains("'__conductor_profile_using \(spec.name)' -l \(option.name)"),
          "fish misses --\(option.name) of \(spec.name)")
      }
    }
  }

  @Test func unknownShellIsAUsageError() throws {
    let s = try Sandbox()
    let r = try s.run(["completions", "bahs"])
    #expect(r.status == 64)
    #expect(r.stderr.contains("did you mean 'bash'?"))
  }

  @Test func theHiddenHelperNeverFailsLoudly() throws {
    let s = try Sandbox()
    let empty = try s.run(["__complete-profiles"])
    #expect(empty.status == 0 && empty.stdout == "" && empty.stderr == "")
    try s.writeStore("{ broken")
    let broken = try s.run(["__complete-profiles"])
    #expect(broken.status == 0 && broken.stdout == "" && broken.stderr == "")
    try s.writeStore(#"{"profiles": {"b": {}, "a": {}}, "version": 1}"#)
    #expect(try s.run(["__complete-profiles"]).stdout == "a\nb\n")
    #expect(!(try s.run(["--help"])).stdout.contains("__complete"))
  }
}
