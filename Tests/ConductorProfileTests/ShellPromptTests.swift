import Foundation
import Testing

/// The prompt segment, the cost of a prompt, and how the hook lives with the user's own shell set-up.
@Suite struct ShellPromptTests {
  static let shells = HookShell.allCases

  /// One state of the exported variables, and the segment each shell must make of it.
  struct PromptCase: CustomStringConvertible, Sendable {
    let name: String
    let environment: [String: String]
    let bash: String
    let zsh: String
    let fish: String
    var description: String { name }

    func expected(_ shell: HookShell) -> String {
      switch shell {
      case .bash: return bash
      case .zsh: return zsh
      case .fish: return fish
      }
    }
  }

  static let future = String(nowSeconds() + 86400)
  static let past = String(nowSeconds() - 60)
  static let e = "\u{1B}"
  /// Readline's markers around what takes no room on screen.
  static func bashColor(_ sgr: String, _ text: String) -> String { "\u{1}\(e)[\(sgr)m\u{2}\(text)\u{1}\(e)[0m\u{2}" }
  /// What fish's set_color prints for TERM=xterm-256color.
  static func fishColor(_ start: String, _ text: String) -> String { "\(start)\(text)\(e)(B\(e)[m" }

  static let cases: [PromptCase] = [
    PromptCase(name: "none active", environment: [:], bash: "", zsh: "", fish: ""),
    PromptCase(
      name: "key", environment: ["CONDUCTOR_PROFILE_ACTIVE": "dev", "CONDUCTOR_PROFILE_AUTH": "key"],
      bash: "dev", zsh: "dev", fish: "dev"),
    PromptCase(
      name: "production",
      environment: [
        "CONDUCTOR_PROFILE_ACTIVE": "prod", "CONDUCTOR_PROFILE_AUTH": "key", "CONDUCTOR_PROFILE_PRODUCTION": "1",
      ],
      bash: bashColor("31", "prod"), zsh: "%F{red}prod%f", fish: fishColor("\(e)[31m", "prod")),
    PromptCase(
      name: "user token",
      environment: [
        "CONDUCTOR_PROFILE_ACTIVE": "play", "CONDUCTOR_PROFILE_AUTH": "user-token",
        "CONDUCTOR_PROFILE_TOKEN_EXPIRES": future,
      ],
      bash: bashColor("33", "⚠ play"), zsh: "%F{yellow}⚠ play%f", fish: fishColor("\(e)[33m", "⚠ play")),
    PromptCase(
      name: "user token on production",
      environment: [
        "CONDUCTOR_PROFILE_ACTIVE": "risky", "CONDUCTOR_PROFILE_AUTH": "user-token",
        "CONDUCTOR_PROFILE_PRODUCTION": "1", "CONDUCTOR_PROFILE_TOKEN_EXPIRES": future,
      ],
      bash: bashColor("1;31", "⚠ risky"), zsh: "%B%F{red}⚠ risky%f%b", fish: fishColor("\(e)[1m\(e)[31m", "⚠ risky")),
    PromptCase(
      name: "expired",
      environment: [
        "CONDUCTOR_PROFILE_ACTIVE": "play", "CONDUCTOR_PROFILE_AUTH": "user-token",
        "CONDUCTOR_PROFILE_TOKEN_EXPIRES": past,
      ],
      bash: bashColor("33", "⚠ play expired"), zsh: "%F{yellow}⚠ play expired%f",
      fish: fishColor("\(e)[33m", "⚠ play expired")),
    PromptCase(
      name: "NO_COLOR",
      environment: [
        "CONDUCTOR_PROFILE_ACTIVE": "risky", "CONDUCTOR_PROFILE_AUTH": "user-token",
        "CONDUCTOR_PROFILE_PRODUCTION": "1", "CONDUCTOR_PROFILE_TOKEN_EXPIRES": past, "NO_COLOR": "1",
      ],
      bash: "⚠ risky expired", zsh: "⚠ risky expired", fish: "⚠ risky expired"),
    PromptCase(
      name: "empty NO_COLOR keeps colour",
      environment: [
        "CONDUCTOR_PROFILE_ACTIVE": "prod", "CONDUCTOR_PROFILE_AUTH": "key", "CONDUCTOR_PROFILE_PRODUCTION": "1",
        "NO_COLOR": "",
      ],
      bash: bashColor("31", "prod"), zsh: "%F{red}prod%f", fish: fishColor("\(e)[31m", "prod")),
    // Names and expiries set by hand: shown as text, never run; a % is doubled for zsh; control characters become ?.
    PromptCase(
      name: "hostile name",
      environment: [
        "CONDUCTOR_PROFILE_ACTIVE": "a%b$(touch pwned)`touch pwned`\\u\\$ \n*",
        "CONDUCTOR_PROFILE_AUTH": "key",
      ],
      bash: "a%b$(touch pwned)`touch pwned`\\u\\$ ?*", zsh: "a%%b$(touch pwned)`touch pwned`\\u\\$ ?*",
      fish: "a%b$(touch pwned)`touch pwned`\\u\\$ ?*"),
    PromptCase(
      name: "junk expiry",
      environment: [
        "CONDUCTOR_PROFILE_ACTIVE": "play", "CONDUCTOR_PROFILE_AUTH": "user-token",
        "CONDUCTOR_PROFILE_TOKEN_EXPIRES": "a[$(touch pwned)]", "NO_COLOR": "1",
      ],
      bash: "⚠ play", zsh: "⚠ play", fish: "⚠ play"),
  ]

  /// Prints the segment three ways: the prompt variable (bash, zsh) or function output (fish), the function's
  /// output, and the prompt as the shell expands it for the terminal.
  static func segmentScript(_ shell: HookShell, hook: String) -> String {
    switch shell {
    case .bash:
      return """
        source '\(hook)'
        _conductor_profile_precmd
        printf '%s' "$CONDUCTOR_PROFILE_PS1" > variable
        conductor_profile_prompt > function
        PS1='${CONDUCTOR_PROFILE_PS1}'
        printf '%s' "${PS1@P}" > expanded

        """
    case .zsh:
      return """
        source '\(hook)'
        _conductor_profile_precmd
        print -rn -- "$CONDUCTOR_PROFILE_PS1" > variable
        conductor_profile_prompt > function
        print -rn -- "${(%)CONDUCTOR_PROFILE_PS1}" > expanded

        """
    case .fish:
      return """
        source '\(hook)'
        conductor_profile_prompt > variable
        conductor_profile_prompt > function
        conductor_profile_prompt > expanded

        """
    }
  }

  @Test(arguments: shells, cases) func segment(shell: HookShell, test: PromptCase) throws {
    let sandbox = try Sandbox()
    let hook = try sandbox.hookFile(shell)
    var env = test.environment
    env["TERM"] = "xterm-256color"
    guard let r = try sandbox.shell(shell, Self.segmentScript(shell, hook: hook), env: env) else { return }
    #expect(r.status == 0, "\(r)")
    #expect(r.stderr == "", "\(r)")
    let expected = test.expected(shell)
    let variable = try sandbox.outText("variable")
    #expect(bytes(variable) == bytes(expected), "\(variable.debugDescription) != \(expected.debugDescription)")
    #expect(try sandbox.outBytes("function") == bytes(expected))
    // What the terminal gets: bash and fish expand no part of the value; zsh turns its prompt sequences
    // into escape codes and %% into %.
    var terminal = expected
    if shell == .zsh {
      terminal = terminal.replacingOccurrences(of: "%%", with: "\u{0}")
      for (sequence, code) in [("%F{red}", "31"), ("%F{yellow}", "33"), ("%f", "39"), ("%B", "1"), ("%b", "0")] {
        terminal = terminal.replacingOccurrences(of: sequence, with: "\(Self.e)[\(code)m")
      }
      terminal = terminal.replacingOccurrences(of: "\u{0}", with: "%")
    }
    #expect(try sandbox.outBytes("expanded") == bytes(terminal))
    #expect(!FileManager.default.fileExists(atPath: sandbox.out.appendingPathComponent("pwned").path))
  }

  // MARK: A prompt starts no process

  /// Counts the processes a traced shell session starts: execve calls besides the shell's own, and
  /// clone/fork/vfork calls that make a process (not a thread).
  static func processes(in trace: String) -> (execs: Int, forks: Int) {
    var execs = 0
    var forks = 0
    for line in trace.split(separator: "\n") {
      if line.contains("execve(") { execs += 1 }
      if line.contains("vfork(") || line.contains("fork(")
        || ((line.contains("clone(") || line.contains("clone3(")) && !line.contains("CLONE_THREAD"))
      {
        forks += 1
      }
    }
    return (execs - 1, forks)
  }

  /// The variables of a user token on production that has expired: every branch of the segment, and the clock.
  static let busyState = [
    "CONDUCTOR_PROFILE_ACTIVE": "risky", "CONDUCTOR_PROFILE_AUTH": "user-token", "CONDUCTOR_PROFILE_PRODUCTION": "1",
    "CONDUCTOR_PROFILE_TOKEN_EXPIRES": past, "TERM": "xterm-256color",
  ]

  @Test(arguments: [HookShell.bash, .zsh]) func interactivePromptsStartNoProcess(shell: HookShell) throws {
    let sandbox = try Sandbox()
    guard let strace = try requireShell("strace"), let path = try shell.path() else { return }
    let hook = try sandbox.hookFile(shell)
    let prompts = 25
    // An interactive shell reading its commands from a pipe prints a prompt (on standard error) before each.
    let setup =
      shell == .bash
      ? "source '\(hook)'\nPS1='<${CONDUCTOR_PROFILE_PS1}>'\n"
      : "source '\(hook)'\nunsetopt prompt_sp prompt_cr\nsetopt prompt_subst\nPROMPT='<${CONDUCTOR_PROFILE_PS1}>'\n"
    let input = setup + String(repeating: "\n", count: prompts) + "exit\n"
    let trace = sandbox.root.appendingPathComponent("trace").path
    let r = try sandbox.execute(
      strace, ["-f", "-qq", "-e", "trace=execve,clone,clone3,fork,vfork", "-o", trace, path] + shell.flags + ["-i"],
      stdin: input, env: Self.busyState)
    #expect(r.status == 0, "\(r)")
    let shown = r.stderr.components(separatedBy: "⚠ risky expired").count - 1
    #expect(shown >= prompts, "every prompt shows the segment: \(r)")
    let count = Self.processes(in: try String(contentsOfFile: trace, encoding: .utf8))
    #expect(count.execs == 0 && count.forks == 0, "\(shown) prompts started \(count) processes")
  }

  @Test func fishPromptFunctionStartsNoProcess() throws {
    let sandbox = try Sandbox()
    guard let strace = try requireShell("strace"), let path = try HookShell.fish.path() else { return }
    let hook = try sandbox.hookFile(.fish)
    // fish prints its prompt only on a terminal; call the function the user's fish_prompt calls, 25 times.
    let script =
      "source '\(hook)'\nfor i in \((1...25).map(String.init).joined(separator: " "))\n  conductor_profile_prompt\nend\n"
    let trace = sandbox.root.appendingPathComponent("trace").path
    let r = try sandbox.execute(
      strace, ["-f", "-qq", "-e", "trace=execve,clone,clone3,fork,vfork", "-o", trace, path, "--no-config", "-c", script],
      env: Self.busyState)
    #expect(r.status == 0, "\(r)")
    #expect(r.stdout.components(separatedBy: "⚠ risky expired").count - 1 == 25, "\(r)")
    let count = Self.processes(in: try String(contentsOfFile: trace, encoding: .utf8))
    #expect(count.execs == 0 && count.forks == 0, "25 prompts started \(count) processes")
  }

  // MARK: Living with the user's shell

  @Test func bashKeepsAStringPromptCommandAndInstallsOnce() throws {
    let sandbox = try Sandbox()
    let script = """
      PROMPT_COMMAND='history -a; echo mine'
      eval "$(conductor-profile init bash)"
      eval "$(conductor-profile init bash)"
      unset _CONDUCTOR_PROFILE_HOOK
      eval "$(conductor-profile init bash)"
      declare -p PROMPT_COMMAND > declared

      """
    guard let r = try sandbox.shell(.bash, script) else { return }
    #expect(r.status == 0, "\(r)")
    #expect(try sandbox.outText("declared") == "declare -- PROMPT_COMMAND=\"_conductor_profile_precmd;history -a; echo mine\"\n")
  }

  @Test func bashKeepsAnArrayPromptCommandAndInstallsOnce() throws {
    let sandbox = try Sandbox()
    let script = """
      PROMPT_COMMAND=('history -a' 'echo "two; words"')
      eval "$(conductor-profile init bash)"
      eval "$(conductor-profile init bash)"
      unset _CONDUCTOR_PROFILE_HOOK
      eval "$(conductor-profile init bash)"
      declare -p PROMPT_COMMAND > declared

      """
    guard let r = try sandbox.shell(.bash, script) else { return }
    #expect(r.status == 0, "\(r)")
    #expect(
      try sandbox.outText("declared")
        == "declare -a PROMPT_COMMAND=([0]=\"_conductor_profile_precmd\" [1]=\"history -a\" [2]=\"echo \\\"two; words\\\"\")\n")
  }

  @Test(arguments: ["string", "array"]) func bashPromptSeesTheLastStatus(form: String) throws {
    let sandbox = try Sandbox()
    guard let path = try HookShell.bash.path() else { return }
    let hook = try sandbox.hookFile(.bash)
    let user = form == "string" ? "PROMPT_COMMAND='echo \"pc=$?\" >&2'" : "PROMPT_COMMAND=('echo \"pc=$?\" >&2')"
    let input = """
      \(user)
      source '\(hook)'
      PS1='[$?]'
      f() { return 7; }
      f
      false
      true

      """
    let r = try sandbox.execute(path, ["--norc", "--noprofile", "-i"], stdin: input, env: ["CONDUCTOR_PROFILE_ACTIVE": "dev"])
    // The user's prompt and the user's PROMPT_COMMAND (run after the hook's) see the command's status.
    #expect(r.stderr.contains("pc=7\n[7]"), "\(r)")
    #expect(r.stderr.contains("pc=1\n[1]"), "\(r)")
    #expect(r.stderr.contains("pc=0\n[0]"), "\(r)")
  }

  @Test func zshKeepsPrecmdFunctionsAndTheLastStatus() throws {
    let sandbox = try Sandbox()
    guard let path = try HookShell.zsh.path() else { return }
    let hook = try sandbox.hookFile(.zsh)
    let input = """
      mine() { print -r -- "mine=$?" >&2 }
      precmd_functions=(mine)
      source '\(hook)'
      source '\(hook)'
      unset _CONDUCTOR_PROFILE_HOOK
      source '\(hook)'
      after() { print -r -- "after=$?" >&2 }
      precmd_functions+=(after)
      print -r -- "list=${(j:,:)precmd_functions}" >&2
      unsetopt prompt_sp prompt_cr
      PROMPT='[%?]'
      f() { return 7 }
      f
      false

      """
    let r = try sandbox.execute(path, ["-f", "-i"], stdin: input, env: ["CONDUCTOR_PROFILE_ACTIVE": "dev"])
    #expect(r.stderr.contains("list=mine,_conductor_profile_precmd,after\n"), "\(r)")
    #expect(r.stderr.contains("mine=7\nafter=7\n[7]"), "\(r)")
    #expect(r.stderr.contains("mine=1\nafter=1\n[1]"), "\(r)")
  }

  @Test func fishKeepsEventHandlersFishPromptAndTheStatus() throws {
    let sandbox = try Sandbox()
    let script = """
      function fish_prompt; echo mine; end
      function mine_handler --on-event fish_prompt; end
      functions fish_prompt > prompt-before
      conductor-profile init fish | source
      conductor-profile init fish | source
      functions fish_prompt > prompt-after
      functions --handlers-type generic > handlers
      false
      conductor_profile_prompt
      echo $status > status

      """
    guard let r = try sandbox.shell(.fish, script, env: ["CONDUCTOR_PROFILE_ACTIVE": "dev"]) else { return }
    #expect(r.status == 0, "\(r)")
    #expect(try sandbox.outBytes("prompt-before") == sandbox.outBytes("prompt-after"))
    #expect(try sandbox.outText("handlers").contains("mine_handler"))
    #expect(try sandbox.outText("status") == "1\n", "conductor_profile_prompt keeps $status")
  }

  @Test(arguments: shells) func sourcingTwiceRunsTheStartupOnce(shell: HookShell) throws {
    let sandbox = try Sandbox()
    try sandbox.addKey("dev")
    #expect(try sandbox.run(["default", "dev"]).status == 0)
    // The second load must not switch again: after `off`, a second load leaves the shell with no profile.
    let script = "\(shell.load)\nconductor-profile off\n\(shell.load)\nenv -0 > env0\n"
    guard let r = try sandbox.shell(shell, script) else { return }
    #expect(r.status == 0, "\(r)")
    #expect(conductorNames(try sandbox.environmentDump("env0")) == [])
  }
}
