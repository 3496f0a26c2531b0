/// The seatbelt around a switch (issue 16): `use -` back to whatever the shell had, "no profile"
/// included; limited sessions; production confirmed.
enum Seatbelt {
  /// What `_CONDUCTOR_PROFILE_PREVIOUS` holds when the shell had no profile before the last switch: not
  /// a profile name (a name starts with a letter or digit), so `use -` knows to clear.
  static let noProfile = "(none)"

  /// Where `use -` goes.
  enum Previous: Equatable {
    case profile(String)
    case noProfile
  }

  /// The state before the last switch, as the hook passes it in.
  static func previous(_ context: Context) throws(Failure) -> Previous {
    guard let previous = context.environment[SwitchCommands.previousVariable], !previous.isEmpty else {
      throw .error("no previous profile in this shell: 'use -' goes back to what the shell had before the last switch")
    }
    return previous == noProfile ? .noProfile : .profile(previous)
  }

  /// The code that remembers, for the next `use -`, what the shell has now: its profile, or none.
  /// Nothing when the switch does not change the profile (`use dev` in a dev shell, `off` with none).
  static func rememberPrevious(_ shell: ShellSyntax, _ context: Context, next: String?) -> String {
    let active = context.activeName
    guard active != next else { return "" }
    return shell.setPrivate(SwitchCommands.previousVariable, active ?? noProfile)
  }
}
