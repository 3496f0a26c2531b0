/// The completion scripts `completions` prints and `init` includes: thin scripts that ask the program what
/// completes (`conductor-profile __complete`), so what completes where is known once, in the command specs.
///
/// They exist once, in shell/completions/ (under the names each shell looks for); the files beside this one
/// are links to them, embedded in the binary at build time (`.embedInCode` in Package.swift).
public enum CompletionScripts {
  /// The script for `shell`, or nil for a shell without one (`sh`).
  public static func text(for shell: ShellSyntax) -> String? {
    switch shell {
    case .bash: return String(decoding: PackageResources.completion_bash, as: UTF8.self)
    case .zsh: return String(decoding: PackageResources.completion_zsh, as: UTF8.self)
    case .fish: return String(decoding: PackageResources.completion_fish, as: UTF8.self)
    case .sh: return nil
    }
  }
}
