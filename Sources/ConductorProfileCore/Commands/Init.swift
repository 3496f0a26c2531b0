/// `init`: prints the shell hook.
enum InitCommand {
  static let spec = CommandSpec(
    "init", usage: "bash|zsh|fish", summary: "Print the shell hook (switching per terminal, start-up default, prompt).",
    arguments: [ArgumentSpec("SHELL", "bash, zsh or fish.")], positionals: 0...1,
    discussion: """
      Add one line to your shell's start-up file, then open a new terminal:
        bash: ~/.bashrc                   eval "$(conductor-profile init bash)"
        zsh:  ~/.zshrc                    eval "$(conductor-profile init zsh)"
        fish: ~/.config/fish/config.fish  conductor-profile init fish | source
      The hook defines the function conductor-profile, so 'use' and 'off' change the shell they run in; a new
      shell with no active profile starts with the default one. For the prompt segment (it starts no process):
        bash: PS1='${CONDUCTOR_PROFILE_PS1:+[$CONDUCTOR_PROFILE_PS1] }'"$PS1"
        zsh:  setopt prompt_subst; PROMPT='${CONDUCTOR_PROFILE_PS1:+[$CONDUCTOR_PROFILE_PS1] }'"$PROMPT"
        fish: call conductor_profile_prompt in your fish_prompt function
      """,
    run: run)

  static func run(_ invocation: Invocation, _ context: Context) throws(Failure) {
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
    context.emit(hook)
  }
}
