import ProfileModel
import ShellOutput

/// `completions bash|zsh|fish`: prints the completion script (shell/completions/, embedded). The scripts
/// ask the hidden `__complete` (Complete.swift) what completes, which reads it from the command specs.
enum CompletionCommands {
  static let spec = CommandSpec(
    .completions, usage: "bash|zsh|fish", summary: "Print a shell completion script.",
    arguments: [ArgumentSpec("SHELL", "bash, zsh or fish.", completes: .values(shells))], positionals: 1...1,
    discussion: """
      Completes commands, options, shells and formats, and profile names read from the store as you type.
      Not needed with the shell hook: init prints the completions too. Without it:
        bash: add to ~/.bashrc:                   eval "$(conductor-profile completions bash)"
        zsh:  add to ~/.zshrc, after compinit:    eval "$(conductor-profile completions zsh)"
        fish: conductor-profile completions fish > ~/.config/fish/completions/conductor-profile.fish
      """,
    run: { invocation, context throws(Failure) in try run(try Options(invocation), context) })

  /// `completions`' command line, parsed once.
  struct Options {
    let shell: ShellSyntax

    init(_ invocation: Invocation) throws(Failure) {
      let word = invocation.positionals[0]
      guard let shell = ShellSyntax(rawValue: word), shell != .sh else {
        throw invocation.usageError(
          "unknown shell \(quoted(word)); use bash, zsh or fish", suggestion: Suggest.nearest(word, in: shells))
      }
      self.shell = shell
    }
  }

  static let shells = ["bash", "zsh", "fish"]

  /// The completion script for `shell` (nil for sh), as `completions` prints it and `init` includes it.
  static func script(for shell: ShellSyntax) -> String? { CompletionScripts.text(for: shell) }

  static func run(_ options: Options, _ context: Context) throws(Failure) {
    if let script = script(for: options.shell) { context.emit(script) }
  }
}
