import ProfileModel
import ShellOutput

/// `init`: prints the shell hook.
enum InitCommand {
  static let spec = CommandSpec(
    .initCommand, usage: "bash|zsh|fish", summary: "Print the shell hook (switching per terminal, start-up default, prompt).",
    arguments: [ArgumentSpec("SHELL", "bash, zsh or fish.")], positionals: 0...1,
    discussion: """
      Add one line to your shell's start-up file, then open a new terminal:
        bash: ~/.bashrc                   eval "$(conductor-profile init bash)"
        zsh:  ~/.zshrc                    eval "$(conductor-profile init zsh)"
        fish: ~/.config/fish/config.fish  conductor-profile init fish | source
      The hook defines the function conductor-profile, so 'use' and 'off' change the shell they run in; a new
      shell with no active profile starts with the default one. The output holds the hook, the completions
      and that start-up switch: a new shell starts one process of ours. An interactive shell then shows the
      profile in front of its prompt ([dev] ~/src $; no process): bash in PS1, zsh in PROMPT (once, however
      often the file is loaded), fish through fish_mode_prompt (fish_prompt is left alone); not under starship,
      powerlevel10k or oh-my-posh. To place it yourself, set CONDUCTOR_PROFILE_PROMPT=off before the line, then:
        bash: PS1='${CONDUCTOR_PROFILE_PS1:+[$CONDUCTOR_PROFILE_PS1] }'"$PS1"
        zsh:  setopt prompt_subst; PROMPT='${CONDUCTOR_PROFILE_PS1:+[$CONDUCTOR_PROFILE_PS1] }'"$PROMPT"
        fish: call conductor_profile_prompt in your fish_prompt function
      """,
    run: { invocation, context throws(Failure) in try run(try Options(invocation), context) })

  /// `init`'s command line, parsed once: a shell with a hook.
  struct Options {
    let shell: ShellSyntax
    let hook: String

    init(_ invocation: Invocation) throws(Failure) {
      let names = Hooks.shells.map(\.rawValue)
      guard let text = invocation.positionals.first else {
        throw invocation.usageError("missing SHELL (\(names.joined(separator: ", ")))")
      }
      if text == "sh" {
        throw invocation.usageError(
          "there is no hook for sh; use bash, zsh or fish, or switch without a hook: eval \"$(conductor-profile env NAME --shell sh)\""
        )
      }
      guard let shell = ShellSyntax(rawValue: text), let hook = Hooks.text(for: shell) else {
        throw invocation.usageError(
          "no hook for the shell \(quoted(text)); use bash, zsh or fish",
          suggestion: Suggest.nearest(text, in: names))
      }
      self.shell = shell
      self.hook = hook
    }
  }

  static func run(_ options: Options, _ context: Context) throws(Failure) {
    context.emit(startupOutput(shell: options.shell, hook: options.hook, context: context))
  }

  /// Set while the shell evaluates what `init` printed, when the hook was not loaded before: the hook
  /// then leaves the start-up switch to what follows it (a second load switches nothing, as before).
  static let marker = "_CONDUCTOR_PROFILE_INIT"

  /// Everything a new shell needs, in one output, so it starts one process of ours: the hook, the
  /// completions, and — when the shell has no active profile — the switch to the default that `use`
  /// makes at start-up (a refusal or a warning goes to standard error as `use` prints it; the hook and
  /// the completions are printed all the same).
  static func startupOutput(shell: ShellSyntax, hook: String, context: Context) -> String {
    let fish = shell == .fish
    var text =
      fish
      ? "set -q _CONDUCTOR_PROFILE_HOOK; or set -g \(marker) 1\n" : "[[ -n \"${_CONDUCTOR_PROFILE_HOOK-}\" ]] || \(marker)=1\n"
    text += hook + (CompletionCommands.script(for: shell) ?? "")
    if (context.environment[ManagedVariable.active] ?? "").isEmpty {
      var environment = context.environment
      environment[SwitchCommands.hookShellVariable] = shell.rawValue
      environment[SwitchCommands.startupVariable] = "1"
      var code = ""
      let startup = Context(
        environment: environment, now: context.now, stdinIsTerminal: false, stdoutIsTerminal: false,
        writeOut: { code += $0 }, writeErr: { context.note($0.hasSuffix("\n") ? String($0.dropLast()) : $0) },
        readInput: { [] })
      if CLI.run(["use"], context: startup) == ExitCode.success && !code.isEmpty {
        // bash and zsh: the prompt segment at once, as the hook's own start-up switch does.
        text +=
          fish
          ? "if set -q \(marker)\n\(code)end\n" : "if [[ -n \"${\(marker)-}\" ]]; then\n\(code)_conductor_profile_segment\nfi\n"
      }
    }
    // The directory the shell starts in (directory profiles), after the default: a tree's profile wins. bash
    // looks at its first prompt; zsh and fish look here, as their hooks do when sourced on their own.
    switch shell {
    case .zsh: text += "[[ -z \"${\(marker)-}\" ]] || { _conductor_profile_dir_check; _conductor_profile_segment; }\n"
    case .fish: text += "set -q \(marker); and _conductor_profile_dir_check\n"
    default: break
    }
    return text + (fish ? "set -e \(marker)\n" : "unset \(marker)\n")
  }
}
