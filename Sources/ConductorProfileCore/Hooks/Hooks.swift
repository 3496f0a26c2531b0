/// The shell hooks `init` prints: a `conductor-profile` function that evaluates what `use` and `off`
/// print, the start-up switch to the default profile, and a prompt segment that starts no process.
/// Each hook's text is in its own file beside this one, and committed as `shell/conductor-profile.SHELL`.
public enum Hooks {
  /// The shells with a hook.
  public static let shells: [ShellSyntax] = [.bash, .zsh, .fish]

  /// The hook for `shell`, or nil for a shell without one (`sh`).
  public static func text(for shell: ShellSyntax) -> String? {
    switch shell {
    case .bash: return bash
    case .zsh: return zsh
    case .fish: return fish
    case .sh: return nil
    }
  }
}
