import Foundation
import Testing

/// The prompt marker by default (issue 23, item 1): after the one `init` line in the start-up file, a real
/// interactive bash, zsh and fish on a pseudo-terminal show `[dev] ` in front of the user's own prompt, once
/// however often the start-up file is loaded again; `CONDUCTOR_PROFILE_PROMPT=off` and a prompt framework
/// leave the prompt alone.
@Suite struct PromptMarkerTests {
  static let driver = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Support/pty_session.py").path

  /// What the start-up file holds besides the init line.
  enum Variant: String, CaseIterable, CustomStringConvertible, Sendable {
    /// The user's own prompt, set again every time the file is loaded (as Debian's ~/.bashrc does).
    case resetsPrompt
    /// The user's own prompt set once, before the file is loaded twice (`source ~/.bashrc` after an edit).
    case keepsPrompt
    /// `CONDUCTOR_PROFILE_PROMPT=off` before the init line: the user places the segment.
    case off
    /// A prompt framework is loaded (starship's variable, as its init sets it).
    case framework

    var description: String { rawValue }
  }

  /// A sandbox with `dev` (the default) and `prod` (production), a start-up file for `shell` in its
  /// HOME, and the command line that starts that shell interactively with it and nothing else.
  static func setUp(_ shell: HookShell, _ variant: Variant) throws -> (Sandbox, [String], [String: String])? {
    let sandbox = try Sandbox()
    try sandbox.addKey("dev")
    try sandbox.addKey("prod", server: "https://prod.example.com", extra: ["--production"])
    #expect(try sandbox.run(["default", "dev"]).status == 0)
    guard let path = try shell.path() else { return nil }
    let home = URL(fileURLWithPath: sandbox.home)
    var env: [String: String] = ["TERM": "xterm-256color", "NO_COLOR": "1"]
    let userPrompt: String
    let file: URL
    let arguments: [String]
    switch shell {
    case .bash:
      userPrompt = "PS1='$ '\nbind 'set enable-bracketed-paste off'\n"
      file = home.appendingPathComponent(".bashrc")
      arguments = [path, "--noprofile", "--rcfile", file.path, "-i"]
    case .zsh:
      userPrompt = "unsetopt prompt_sp prompt_cr\nPROMPT='$ '\n"
      file = home.appendingPathComponent(".zshrc")
      env["ZDOTDIR"] = home.path
      arguments = [path, "-d", "-i"]
    case .fish:
      userPrompt = "function fish_prompt; printf '$ '; end\n"
      file = home.appendingPathComponent(".config/fish/config.fish")
      // --no-config keeps /etc/fish out; the start-up file is sourced as fish would source it.
      arguments = [path, "--no-config", "-i", "-C", "source '\(file.path)'"]
    }
    var rc = ""
    switch variant {
    case .resetsPrompt: rc = userPrompt + shell.load + "\n"
    case .keepsPrompt: break
    case .off: rc = userPrompt + (shell == .fish ? "set -g CONDUCTOR_PROFILE_PROMPT off\n" : "CONDUCTOR_PROFILE_PROMPT=off\n")
    case .framework: rc = userPrompt + (shell == .fish ? "set -gx STARSHIP_SHELL fish\n" : "export STARSHIP_SHELL=\(shell)\n")
    }
    if variant == .keepsPrompt {
      // The user's prompt once; the init line on every load.
      rc =
        shell == .fish
        ? "if not set -q RC_LOADED\n\(userPrompt)set -g RC_LOADED 1\nend\n\(shell.load)\n"
        : "if [ -z \"${RC_LOADED-}\" ]; then\n\(userPrompt)RC_LOADED=1\nfi\n\(shell.load)\n"
    } else if variant != .resetsPrompt {
      rc += shell.load + "\n"
    }
    try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(rc.utf8).write(to: file)
    return (sandbox, arguments + [file.path], env)
  }

  /// Starts the shell on its own terminal, loads the start-up file twice more, switches to `prod` and
  /// off, and returns everything the terminal showed.
  static func session(_ shell: HookShell, _ variant: Variant) throws -> (Sandbox.Result, String)? {
    guard let (sandbox, command, env) = try setUp(shell, variant), let python = try requireShell("python3") else {
      return nil
    }
    let rcFile = command.last!
    let marked = variant == .resetsPrompt || variant == .keepsPrompt
    let steps: [[Any]] = [
      ["expect", marked ? "[dev] $ " : "$ "],
      ["send", "source '\(rcFile)'\n"], ["expect", "$ "],
      ["send", "source '\(rcFile)'\n"], ["expect", "$ "],
      ["send", "echo R1; conductor-profile use prod; echo R2\n"], ["expect", "R2"], ["expect", "$ "],
      ["send", "conductor-profile off; echo R3\n"], ["expect", "R3"], ["expect", "$ "],
      ["send", "exit\n"],
    ]
    let json = String(decoding: try JSONSerialization.data(withJSONObject: steps), as: UTF8.self)
    let r = try sandbox.execute(python, [driver, json] + command.dropLast(), env: env)
    return (r, r.stdout)
  }

  /// The terminal's text with escape sequences and carriage returns taken out.
  static func plain(_ shown: String) -> String {
    var text = shown.replacingOccurrences(of: "\r", with: "")
    text = text.replacingOccurrences(
      of: "\u{1B}(\\[[0-9;?]*[A-Za-z]|\\][^\u{7}]*\u{7}|\\([A-Z0-9])", with: "", options: .regularExpression)
    return text
  }

  @Test(arguments: HookShell.allCases, Variant.allCases) func marker(shell: HookShell, variant: Variant) throws {
    guard let (r, shown) = try Self.session(shell, variant) else { return }
    #expect(r.status == 0, "\(r)")
    let text = Self.plain(shown)
    let afterSwitch = text.components(separatedBy: "R2").last ?? ""
    let afterOff = text.components(separatedBy: "R3").last ?? ""
    switch variant {
    case .resetsPrompt, .keepsPrompt:
      #expect(text.hasPrefix("[dev] $ ") || text.contains("\n[dev] $ "), "\(text.debugDescription)")
      #expect(!text.contains("[dev] [dev]"), "the marker is added once: \(text.debugDescription)")
      #expect(afterSwitch.contains("[prod] $ "), "\(text.debugDescription)")
      #expect(!afterSwitch.contains("[prod] [prod]"), "\(text.debugDescription)")
      #expect(afterOff.contains("$ ") && !afterOff.contains("["), "no profile, no marker: \(text.debugDescription)")
    case .off, .framework:
      #expect(!text.contains("[dev]") && !text.contains("[prod]"), "the prompt is left alone: \(text.debugDescription)")
      #expect(afterSwitch.contains("$ "), "\(text.debugDescription)")
    }
  }

  /// The marker in bash and zsh is a reference to CONDUCTOR_PROFILE_PS1, expanded at each prompt (no
  /// command substitution, no process); in fish, fish_prompt itself is byte-for-byte the user's.
  @Test(arguments: HookShell.allCases) func markerIsAVariableAndLeavesFishPromptAlone(shell: HookShell) throws {
    let sandbox = try Sandbox()
    let script: String
    switch shell {
    case .bash:
      script = "PS1='$ '\n\(shell.load)\nprintf '%s' \"$PS1\" > prompt\n"
    case .zsh:
      script = "PROMPT='$ '\n\(shell.load)\nprint -rn -- \"$PROMPT\" > prompt\n"
    case .fish:
      script =
        "function fish_prompt; printf '$ '; end\nfunctions fish_prompt > before\n\(shell.load)\n\(shell.load)\nfunctions fish_prompt > prompt\n"
    }
    // Interactive, so the marker is installed: bash and zsh with -i reading the script on standard input.
    guard let path = try shell.path() else { return }
    try FileManager.default.createDirectory(at: sandbox.out, withIntermediateDirectories: true)
    let r = try sandbox.execute(
      path, shell.flags + ["-i"], stdin: "cd '\(sandbox.out.path)'\n" + script + "exit\n", env: ["TERM": "dumb"])
    #expect(r.status == 0, "\(r)")
    switch shell {
    case .bash, .zsh:
      #expect(try sandbox.outText("prompt") == "${CONDUCTOR_PROFILE_PS1:+[$CONDUCTOR_PROFILE_PS1] }$ ")
    case .fish:
      #expect(try sandbox.outBytes("prompt") == sandbox.outBytes("before"))
    }
  }

  /// The marker costs no process either: 25 prompts of an interactive bash and zsh whose prompt is the
  /// default marker in front of the user's own, and 25 calls of fish's fish_mode_prompt, under strace.
  @Test(arguments: HookShell.allCases) func theMarkerStartsNoProcess(shell: HookShell) throws {
    let sandbox = try Sandbox()
    guard let strace = try requireShell("strace"), let path = try shell.path() else { return }
    let hook = try sandbox.hookFile(shell)
    let trace = sandbox.root.appendingPathComponent("trace").path
    let state = ShellPromptTests.busyState.merging(["NO_COLOR": "1"]) { $1 }
    let r: Sandbox.Result
    switch shell {
    case .bash, .zsh:
      let setup =
        shell == .bash ? "PS1='<>'\nsource '\(hook)'\n" : "unsetopt prompt_sp prompt_cr\nPROMPT='<>'\nsource '\(hook)'\n"
      r = try sandbox.execute(
        strace, ["-f", "-qq", "-e", "trace=execve,clone,clone3,fork,vfork", "-o", trace, path] + shell.flags + ["-i"],
        stdin: setup + String(repeating: "\n", count: 25) + "exit\n", env: state)
      #expect(r.stderr.components(separatedBy: "[⚠ risky expired] <>").count - 1 >= 25, "\(r)")
    case .fish:
      let script =
        "source '\(hook)'\nfor i in \((1...25).map(String.init).joined(separator: " "))\n  fish_mode_prompt\nend\n"
      let traced = ["-f", "-qq", "-e", "trace=execve,clone,clone3,fork,vfork", "-o", trace]
      r = try sandbox.execute(strace, traced + [path, "--no-config", "-i", "-c", script], env: state)
      #expect(r.stdout.components(separatedBy: "⚠ risky expired").count - 1 == 25, "\(r)")
    }
    #expect(r.status == 0, "\(r)")
    let count = ShellPromptTests.processes(in: try String(contentsOfFile: trace, encoding: .utf8))
    #expect(count.execs == 0 && count.forks == 0, "25 prompts started \(count) processes")
  }

  /// oh-my-zsh loads its plugins (this one's plugin file included) before the theme, which sets PROMPT:
  /// the marker is put in front of the theme's prompt at the first prompt, once.
  @Test(.requires("zsh", "python3")) func zshThemeSetAfterThePlugin() throws {
    let sandbox = try Sandbox()
    try sandbox.addKey("dev")
    #expect(try sandbox.run(["default", "dev"]).status == 0)
    let zsh = try Tool.require("zsh")
    let python = try Tool.require("python3")
    let rc = URL(fileURLWithPath: sandbox.home).appendingPathComponent(".zshrc")
    try Data("unsetopt prompt_sp prompt_cr\nsource '\(PluginTests.plugin)'\nPROMPT='theme%% '\n".utf8).write(to: rc)
    let steps: [[Any]] = [
      ["expect", "[dev] theme% "], ["send", "source ~/.zshrc; echo R1\n"], ["expect", "R1"], ["expect", "theme% "],
      ["send", "exit\n"],
    ]
    let json = String(decoding: try JSONSerialization.data(withJSONObject: steps), as: UTF8.self)
    let r = try sandbox.execute(
      python, [Self.driver, json, zsh, "-d", "-i"], env: ["ZDOTDIR": sandbox.home, "TERM": "xterm-256color", "NO_COLOR": "1"])
    #expect(r.status == 0, "\(r)")
    let text = Self.plain(r.stdout)
    #expect(!text.contains("[dev] [dev]"), "\(text)")
  }
}
