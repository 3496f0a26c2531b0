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
    // A URL, split by bash at ':', is one word again: the profile after `set --server URL` completes.
    #expect(
      try bash(s, shell, script, ["conductor-profile", "set", "--server", "https", ":", "//x.example.com", "st"]) == ["staging"])
    // exec NAME -- COMMAND: commands after '--'.
    #expect(try bash(s, shell, script, ["conductor-profile", "exec", "dev", ""]) == ["--"])
    #expect(try bash(s, shell, script, ["conductor-profile", "exec", "dev", "--", "printen"]) == ["printenv"])
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

  // MARK: The scripts as files

  /// The scripts in shell/completions/, as a checkout holds them.
  static let scriptsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("shell/completions")
  static let files: [String: String] = [
    "bash": "conductor-profile.bash", "zsh": "_conductor-profile", "fish": "conductor-profile.fish",
  ]

  @Test(arguments: ["bash", "zsh", "fish"])
  func completionsPrintsTheFileByteForByte(_ shell: String) throws {
    let s = try Sandbox()
    let file = try Data(contentsOf: Self.scriptsDirectory.appendingPathComponent(Self.files[shell]!))
    let r = try s.run(["completions", shell])
    #expect(r.status == 0 && r.stderr == "", "\(r)")
    #expect(Data(r.stdout.utf8) == file)
  }

  /// Thin scripts: no command, option or value is written in them (the program answers), so a new command
  /// or option completes with no edit to them.
  @Test func theScriptsNameNoCommandOrOption() throws {
    for (_, name) in Self.files {
      let text = try String(contentsOf: Self.scriptsDirectory.appendingPathComponent(name), encoding: .utf8)
      for spec in Commands.all where !spec.summary.isEmpty {
        for option in spec.options { #expect(!text.contains("--\(option.name)"), "\(name) names --\(option.name)") }
      }
      for word in ["doctor", "dotenv", "conductor-cli", "magenta", "secret-service"] {
        #expect(!text.contains(word), "\(name) names \(word)")
      }
    }
  }

  @Test func theBashScriptPassesShellcheck() throws {
    guard let shellcheck = try requireShell("shellcheck") else { return }
    let s = try Sandbox()
    let r = try s.execute(shellcheck, ["-s", "bash", Self.scriptsDirectory.appendingPathComponent(Self.files["bash"]!).path])
    #expect(r.status == 0 && r.stdout == "", "\(r)")
  }

  @Test func theZshScriptParses() throws {
    guard let zsh = try requireShell("zsh") else { return }
    let s = try Sandbox()
    let r = try s.execute(zsh, ["-n", Self.scriptsDirectory.appendingPathComponent(Self.files["zsh"]!).path])
    #expect(r.status == 0 && r.stderr == "", "\(r)")
  }

  @Test func theFishScriptParsesAndIsIndented() throws {
    guard let fish = try requireShell("fish"), let indent = try requireShell("fish_indent") else { return }
    let s = try Sandbox()
    let path = Self.scriptsDirectory.appendingPathComponent(Self.files["fish"]!).path
    let parse = try s.execute(fish, ["--no-execute", path])
    #expect(parse.status == 0 && parse.stderr == "", "\(parse)")
    let check = try s.execute(indent, ["--check", path])
    #expect(check.status == 0, "fish_indent would change \(path): \(check)")
  }

  // MARK: The one answerer

  /// `__complete -- WORDS…` with three profiles (dev, local, staging): the candidates, then the directive.
  @Test(arguments: [
    (["use", ""], "dev\nlocal\nstaging\n:nofiles\n"),
    (["use", "st"], "staging\n:nofiles\n"),
    (["show", "dev", ""], ":nofiles\n"),
    (["remove", "dev", "l"], "local\n:nofiles\n"),
    (["env", "dev", "--shell", "f"], "fish\n:nofiles\n"),
    (["env", "dev", "--format=d"], "dotenv\n:nofiles\n"),
    (["env", "--f"], "--format\tjson or dotenv: the variables only, for files and other tools.\n:nofiles\n"),
    (["add", "x", "--server", ""], ":nofiles\n"),
    (["add", "x", "--secret-store", "p"], "pass\n:nofiles\n"),
    (["add", "x", "--server-type", ""], "OSS\nEnterprise\n:nofiles\n"),
    (["import", "conductor-cli", "--dir", ""], ":directories\n"),
    (["import", ""], "conductor-cli\nenv\nfile\n:nofiles\n"),
    (["import", "file", ""], ":files\n"),
    (["import", "env", ""], ":nofiles\n"),
    (["allow", ""], ":directories\n"),
    (["allow", "--command", "st"], "staging\n:nofiles\n"),
    (["catalog", "s"], "sync\n:nofiles\n"),
    (["catalog", "add", ""], ":files\n"),
    (["catalog", "sync", ""], ":nofiles\n"),
    (["init", "z"], "zsh\n:nofiles\n"),
    (["exec", "dev", ""], "--\tthen the command to run\n:nofiles\n"),
    (["exec", "dev", "--", "printen"], ":command 3\n"),
    (["exec", "--fail-fast", "dev", "--", "env", "-"], ":command 4\n"),
    (["add", "x", "--server", "u", "--secret-store", "command", "--", "op"], ":command 7\n"),
    (["add", "x", "--secret-store=command", "--", ""], ":command 4\n"),
    (["help", "comp"], "completions\tPrint a shell completion script.\n:nofiles\n"),
    (["-"], "--help\tShow help information.\n--version\tShow the version.\n:nofiles\n"),
    (["nope", ""], ":nofiles\n"),
    (["__complete", ""], ":nofiles\n"),
  ])
  func theAnswerComesFromTheSpecs(_ words: [String], _ answer: String) throws {
    let s = try Sandbox()
    try s.addKey("dev")
    try s.addKey("staging")
    try s.addNone("local")
    let r = try s.run(["__complete", "--"] + words)
    #expect(r.status == 0 && r.stderr == "", "\(r)")
    #expect(r.stdout == answer, "\(words)")
  }

  @Test func commandsAreOfferedWithWhatTheyDoAndHiddenOnesNot() throws {
    let s = try Sandbox()
    let r = try s.run(["__complete", "--", ""])
    let words = r.stdout.split(separator: "\n").map { String($0.prefix { $0 != "\t" }) }
    #expect(words == Commands.all.filter { !$0.summary.isEmpty }.map(\.name) + ["help", ":nofiles"])
    #expect(r.stdout.contains("doctor\tCheck the store"))
  }

  /// Every option of every command completes, from its spec: a new one needs no edit anywhere else.
  @Test func everyOptionOfEveryCommandCompletes() throws {
    let s = try Sandbox()
    for spec in Commands.all where !spec.summary.isEmpty {
      let r = try s.run(["__complete", "--", spec.name] + Array(repeating: "x", count: spec.positionals.lowerBound) + ["--"])
      for option in spec.options {
        #expect(r.stdout.contains("--\(option.name)\t\(option.help)\n"), "\(spec.name) --\(option.name): \(r.stdout)")
      }
    }
  }

  @Test func unknownShellIsAUsageError() throws {
    let s = try Sandbox()
    let r = try s.run(["completions", "bahs"])
    #expect(r.status == 64)
    #expect(r.stderr.contains("did you mean 'bash'?"))
  }

  @Test func theHiddenCommandNeverFailsLoudly() throws {
    let s = try Sandbox()
    let empty = try s.run(["__complete", "--", "use", ""])
    #expect(empty.status == 0 && empty.stdout == ":nofiles\n" && empty.stderr == "")
    try s.writeStore("{ broken")
    let broken = try s.run(["__complete", "--", "use", ""])
    #expect(broken.status == 0 && broken.stdout == ":nofiles\n" && broken.stderr == "")
    try s.writeStore(#"{"profiles": {"b": {}, "a": {}}, "version": 1}"#)
    #expect(try s.run(["__complete", "--", "use", ""]).stdout == "a\nb\n:nofiles\n")
    #expect(
      try s.run(["__complete", "--", "use", ""], env: ["_CONDUCTOR_PROFILE_PREVIOUS": "a"]).stdout
        == "-\tthe previous profile\na\nb\n:nofiles\n")
    #expect(!(try s.run(["--help"])).stdout.contains("__complete"))
  }

  // MARK: Tab at a real terminal

  /// Types `line` and a Tab (twice: bash and zsh list several candidates on the second) in `shell` on a
  /// pseudo-terminal of its own, with the completion loaded as a user loads it; what the terminal showed.
  func tab(_ shell: HookShell, _ line: String) throws -> String? {
    guard let python = try requireShell("python3"), let path = try shell.path() else { return nil }
    let (s, script) = try setUp(shell.rawValue)
    let setup: String
    switch shell {
    case .bash: setup = "PS1='$ '; bind 'set enable-bracketed-paste off'; source '\(script)'"
    case .zsh: setup = "unsetopt prompt_sp prompt_cr; PROMPT='$ '; autoload -Uz compinit && compinit -u; source '\(script)'"
    case .fish: setup = "function fish_prompt; printf '$ '; end; source '\(script)'"
    }
    let steps: [[Any]] = [
      ["send", setup + "; echo RE\"\"ADY\n"], ["expect", "READY"], ["expect", "$ "], ["send", line + "\t"], ["sleep", 0.5],
      ["send", "\t"], ["sleep", 0.5], ["send", "\u{03}"], ["expect", "$ "], ["send", "exit 0\n"],
    ]
    let json = String(decoding: try JSONSerialization.data(withJSONObject: steps), as: UTF8.self)
    let r = try s.execute(
      python, [SeatbeltTests.sessionDriver, json, path] + shell.flags + ["-i"], env: ["TERM": "xterm-256color"])
    #expect(r.status == 0, "\(r)")
    return r.stdout
  }

  @Test(arguments: HookShell.allCases) func tabCompletesAProfileName(shell: HookShell) throws {
    guard let shown = try tab(shell, "conductor-profile use st") else { return }
    #expect(shown.contains("conductor-profile use staging"), "\(shown)")
  }

  @Test(arguments: HookShell.allCases) func tabCompletesAnOptionAndItsValue(shell: HookShell) throws {
    guard let option = try tab(shell, "conductor-profile env dev --form") else { return }
    #expect(option.contains("conductor-profile env dev --format"), "\(option)")
    guard let value = try tab(shell, "conductor-profile env dev --format dot") else { return }
    #expect(value.contains("conductor-profile env dev --format dotenv"), "\(value)")
  }
}
