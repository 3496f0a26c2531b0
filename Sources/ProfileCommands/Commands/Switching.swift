import ProfileModel
import ShellOutput

/// What every switch shares: the hook's variables, the shell the hook runs in, and the one way a switch
/// (use, env, exec, its fan-out, a directory switch, the start-up switch) gets its target.
enum SwitchCommands {
  /// Set by the hook for the program it runs: the shell whose code to print.
  static let hookShellVariable = "_CONDUCTOR_PROFILE_SHELL"
  /// The profile `use -` goes back to, passed in by the hook.
  static let previousVariable = "_CONDUCTOR_PROFILE_PREVIOUS"
  /// Set by the hook when a shell starts: activate the default profile, if there is one.
  static let startupVariable = "_CONDUCTOR_PROFILE_STARTUP"

  /// A profile resolved for a switch, with everything the guard needs to judge it.
  struct Target {
    let name: String
    let profile: Profile
    let store: Store
    /// Judged once: a production check reads every production profile of the store.
    let production: Bool
    let exports: [Variable]

    init(name: String, profile: Profile, store: Store) {
      self.name = name
      self.profile = profile
      self.store = store
      production = store.isProduction(profile)
      exports = Switch.exports(name: name, profile: profile, production: production)
    }

    /// The variables that differ from what a switch to this profile sets or clears (changed by hand
    /// since the switch, or the profile was edited), sorted.
    func drift(environment: [String: String]) -> [String] {
      var expected: [String: String] = [:]
      for variable in exports { expected[variable.name] = variable.value }
      // A limited session's end is the switch's, not the profile's; a secret kept in a secret store is not
      // compared (reading it would run the helper).
      return Set(expected.keys).union(ManagedVariable.cleared).filter {
        $0 != ManagedVariable.sessionEnds && environment[$0] != expected[$0]
          && !(profile.secretStore != nil && ManagedVariable.secrets.contains($0))
      }.sorted()
    }
  }

  static func target(
    _ name: String, _ context: Context, command: CommandName, through door: Gate.Door, yes: Bool, requested: Int64? = nil
  ) throws(Failure) -> (target: Target, session: Int64?) {
    let store = try context.loadStore()
    let profile = try context.requireProfile(name, in: store, command: command)
    return try target(name, profile, in: store, context, through: door, yes: yes, requested: requested)
  }

  /// The one way a switch (use, env, exec, its fan-out, a directory switch, the start-up switch) gets its
  /// target: through the gate (`Gate.pass`) first, on the profile as stored — so a refusal, or a question
  /// not answered, runs no secret helper — then the secret read from its secret store (once), and what it
  /// exports held to the size every shell can take. Returns the session the door must limit to.
  static func target(
    _ name: String, _ profile: Profile, in store: Store, _ context: Context, through door: Gate.Door, yes: Bool,
    requested: Int64? = nil
  ) throws(Failure) -> (target: Target, session: Int64?) {
    let stored = Target(name: name, profile: profile, store: store)
    let session = try Gate.pass(stored, door: door, yes: yes, requested: requested, context)
    var target = stored
    // A secret from its store, or (a profile a team catalog brought) asked for the first time.
    if profile.secretStore != nil || profile.lacksCatalogSecret {
      target = Target(
        name: name, profile: try profile.resolvingSecretForSwitch(name: name, store: store, context: context), store: store)
    }
    try Limits.checkSwitchSize(target.exports, name: name)
    return (target, session)
  }

  /// The shell the hook runs in, or the explanation of how to install the hook.
  static func hookShell(_ context: Context, command: CommandName) throws(Failure) -> ShellSyntax {
    guard let text = context.environment[hookShellVariable] else {
      throw .error(
        """
        '\(command)' changes the shell it runs in, so it needs the shell hook, which is not loaded here; nothing was changed.
          bash: add to ~/.bashrc:                   eval "$(conductor-profile init bash)"
          zsh:  add to ~/.zshrc:                    eval "$(conductor-profile init zsh)"
          fish: add to ~/.config/fish/config.fish:  conductor-profile init fish | source
        then open a new terminal. Without the hook: eval "$(conductor-profile env NAME --shell bash)", or conductor-profile exec NAME -- COMMAND
        """)
    }
    guard let shell = ShellSyntax(rawValue: text), shell != .sh else {
      throw .invalid(.hookShell(variable: hookShellVariable, value: text))
    }
    return shell
  }

}
