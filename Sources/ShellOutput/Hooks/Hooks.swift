/// The shell hooks `init` prints: a `conductor-profile` function that evaluates what `use` and `off`
/// print, the start-up switch to the default profile, and a prompt segment that starts no process.
///
/// The hooks exist once, as `shell/conductor-profile.SHELL`; the files beside this one are links to
/// them, embedded in the binary at build time (`.embedInCode` in Package.swift).
public enum Hooks {
  /// The shells with a hook.
  public static let shells: [ShellSyntax] = [.bash, .zsh, .fish]

  /// The hook for `shell`, or nil for a shell without one (`sh`).
  public static func text(for shell: ShellSyntax) -> String? {
    switch shell {
    case .bash: return String(decoding: PackageResources.conductor_profile_bash, as: UTF8.self)
    case .zsh: return String(decoding: PackageResources.conductor_profile_zsh, as: UTF8.self)
    case .fish: return String(decoding: PackageResources.conductor_profile_fish, as: UTF8.self)
    case .sh: return nil
    }
  }
}
