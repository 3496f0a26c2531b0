import ProfileModel
import ShellOutput

/// `use`: switch this shell (through the hook), to NAME, `-`, a picked profile, a directory's or the default.
enum UseCommand {
  static let spec = CommandSpec(
    .use, usage: "[NAME | -] [--for DURATION] [--yes]", summary: "Switch this shell to a profile (through the shell hook).",
    arguments: [
      ArgumentSpec("NAME", "The profile, or - for what the shell had before the last switch (no profile included).")
    ],
    options: [
      .value(
        .forDuration, "DURATION", "End the session (as off does, announced) at the first prompt after DURATION: 30s, 15m, 1h30m."),
      .flag(.yes, "Switch to a production profile without the question confirmProduction asks (needed without a terminal)."),
    ],
    positionals: 0...1,
    discussion: """
      Needs the shell hook: eval "$(conductor-profile init bash)" in ~/.bashrc (see init --help).
      The store's "productionSession" (a duration such as "1h") limits every switch to a production profile;
      with --for too, the shorter wins. The prompt segment shows the time left.
      With "confirmProduction": true in the store, a switch to a production profile asks, on the terminal, for
      the profile's name; without a terminal it is refused unless --yes.
      With no NAME at a terminal, a picker opens: type to filter, arrows to move, Enter to switch, Esc to cancel;
      the most recently used first. CONDUCTOR_PROFILE_PICKER names another picker (such as fzf): it gets the
      names on standard input and prints one.
      """,
    run: { invocation, context throws(Failure) in try run(try Options(invocation), context) })

  /// `use`'s command line, parsed once: `--for` is checked before anything is read.
  struct Options {
    /// NAME or `-`; nil for the default (start-up), a directory's profile, or the picker.
    let name: String?
    /// `--for DURATION`, in seconds.
    let session: Int64?
    let yes: Bool

    init(_ invocation: Invocation) throws(Failure) {
      session = try Seatbelt.requestedSession(invocation)
      name = invocation.positionals.first
      yes = invocation.has(.yes)
    }
  }

  static func run(_ options: Options, _ context: Context) throws(Failure) {
    let shell = try SwitchCommands.hookShell(context, command: .use)
    let startup = context.environment[SwitchCommands.startupVariable] == "1"
    // A directory switch (the hook entered a tree): the name comes from the trusted file (DirectorySwitch.swift).
    let directory = try DirectorySwitch(context)
    var name: String
    if let directory {
      name = directory.name
    } else if let given = options.name {
      name = given
    } else if startup {
      guard let store = try context.store().loadIfPresent(), let fallback = store.defaultName else { return }
      guard store.contains(fallback) else {
        context.warn("the default profile '\(fallback)' does not exist; set another with: conductor-profile default NAME")
        return
      }
      name = fallback
    } else {
      name = try Picker.choose(context)
    }
    var requested = options.session
    if name == "-" {
      guard case .profile(let previous, let session) = try Seatbelt.previous(context) else {
        return try OffCommand.run(context)
      }
      name = previous
      // Back to a profile that had a limited session: limited the same way, never unlimited.
      if let session { requested = min(requested ?? session, session) }
    }
    // Through the gate (the guard, confirmProduction, productionSession) before any secret is read.
    let (target, length) =
      if let directory {
        try directory.target(context, yes: options.yes, requested: requested)
      } else {
        try SwitchCommands.target(
          name, context, command: .use, through: startup ? .startup : .use, yes: options.yes, requested: requested)
      }
    if let warning = Guard.expiryWarning(name: name, profile: target.profile, now: context.now, window: 3600) {
      context.warn(warning)
    }
    let (limited, sessionCode) = Seatbelt.limit(target, length: length, shell, context)
    let exports = directory?.marked(limited) ?? limited
    if let notice = Switch.notice(environment: context.environment) { context.note(notice) }
    let changes = Switch.changes(exports: exports, environment: context.environment)
    var names = changes.map(\.name)
    let code = shell.render(changes) + sessionCode
    if !sessionCode.isEmpty { names.append(Seatbelt.sessionVariable) }
    let remember = startup ? "" : Seatbelt.rememberPrevious(shell, context, next: name)
    if !remember.isEmpty { names.append(SwitchCommands.previousVariable) }
    context.emit(ShellSyntax.withNames(names, code + remember))
    if let directory { context.note(directory.announcement) }
    if !startup && directory == nil { Recent.remember(name, context) }
  }
}
