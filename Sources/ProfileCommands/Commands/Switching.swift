import ProfileModel
import ShellOutput

/// Switching: env (the code a switch evaluates), use and off (through the hook), current, exec.
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
      production = profile.isFlaggedProduction || store.isProduction(profile.server)
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

  static func target(_ name: String, _ context: Context, command: CommandName) throws(Failure) -> Target {
    let store = try context.loadStore()
    return try target(name, try context.requireProfile(name, in: store, command: command), in: store, context)
  }

  /// The one way a switch (use, env, exec, its fan-out, a directory switch, the start-up switch) gets its
  /// target: the secret read from its secret store (once; not when the guard will refuse), and what it
  /// exports held to the size every shell can take.
  static func target(_ name: String, _ profile: Profile, in store: Store, _ context: Context) throws(Failure) -> Target {
    let resolved = try profile.resolvingSecretForSwitch(name: name, store: store, context: context)
    let target = Target(name: name, profile: resolved, store: store)
    try Limits.checkSwitchSize(target.exports, name: name)
    return target
  }

  // MARK: env

  static let env = CommandSpec(
    .env, usage: "NAME [--shell bash|zsh|fish|sh | --format json|dotenv] | --unset [--shell bash|zsh|fish|sh]",
    summary: "Print the code a switch evaluates, or the profile's variables as JSON or dotenv.",
    arguments: [ArgumentSpec("NAME", "The profile.")],
    options: [
      .value(.shell, "SHELL", "bash, zsh, fish or sh (default: sh): clear, then export."),
      .value(.format, "FORMAT", "json or dotenv: the variables only, for files and other tools."),
      .flag(.unset, "Print the code that clears every variable a switch sets."),
    ],
    positionals: 0...1,
    discussion: """
      Every value is single-quoted, so nothing in it can run. To switch without the hook:
        eval "$(conductor-profile env dev --shell bash)"
      """,
    run: { invocation, context throws(Failure) in try runEnv(try EnvOptions(invocation), context) })

  /// `env`'s command line, parsed once: the code that clears, or a profile's code or file.
  enum EnvOptions {
    case unset(ShellSyntax)
    case shell(String, ShellSyntax)
    case format(String, FileFormat)

    init(_ invocation: Invocation) throws(Failure) {
      try invocation.exclusive(.shell, .format)
      try invocation.exclusive(.unset, .format)
      let shell = try SwitchCommands.shell(invocation)
      if invocation.has(.unset) {
        guard invocation.positionals.isEmpty else { throw invocation.usageError("give NAME or --unset, not both") }
        self = .unset(shell)
        return
      }
      guard let name = invocation.positionals.first else { throw invocation.usageError("missing NAME") }
      guard let text = invocation.value(.format) else {
        self = .shell(name, shell)
        return
      }
      guard let format = FileFormat(rawValue: text) else {
        throw invocation.usageError(
          "unknown format \(quoted(text)); use json or dotenv", option: .format,
          suggestion: Suggest.nearest(text, in: FileFormat.allCases.map(\.rawValue)))
      }
      self = .format(name, format)
    }
  }

  static func shell(_ invocation: Invocation) throws(Failure) -> ShellSyntax {
    guard let text = invocation.value(.shell) else { return .sh }
    guard let shell = ShellSyntax(rawValue: text) else {
      throw invocation.usageError(
        "unknown shell \(quoted(text)); use bash, zsh, fish or sh", option: .shell,
        suggestion: Suggest.nearest(text, in: ShellSyntax.allCases.map(\.rawValue)))
    }
    return shell
  }

  static func runEnv(_ options: EnvOptions, _ context: Context) throws(Failure) {
    let name: String
    var format: FileFormat? = nil
    var shell = ShellSyntax.sh
    switch options {
    case .unset(let shell):
      context.emit(shell.render(Switch.unsets(Switch.cleared(environment: context.environment))))
      return
    case .shell(let given, let syntax):
      name = given
      shell = syntax
    case .format(let given, let file):
      name = given
      format = file
    }
    let target = try target(name, context, command: .env)
    try Guard.check(name: name, profile: target.profile, store: target.store, context: context, refusable: true)
    if let format {
      context.emit(try format.render(target.exports))
      return
    }
    if let notice = Switch.notice(environment: context.environment) { context.note(notice) }
    context.emit(shell.render(Switch.changes(exports: target.exports, environment: context.environment)))
  }

  // MARK: use, off

  static let use = CommandSpec(
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
    run: { invocation, context throws(Failure) in try runUse(try UseOptions(invocation), context) })

  /// `use`'s command line, parsed once: `--for` is checked before anything is read.
  struct UseOptions {
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

  static let off = CommandSpec(
    .off, usage: "", summary: "Clear this shell's profile variables (through the shell hook).",
    run: { _, context throws(Failure) in try runOff(context) })

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
      throw .error("\(hookShellVariable) is \(quoted(text)), not bash, zsh or fish; reload the hook with init")
    }
    return shell
  }

  static func runUse(_ options: UseOptions, _ context: Context) throws(Failure) {
    let shell = try hookShell(context, command: .use)
    let requested = options.session
    let startup = context.environment[startupVariable] == "1"
    // A directory switch (the hook entered a tree): the name comes from the trusted file (Trust.swift).
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
    if name == "-" {
      guard case .profile(let previous) = try Seatbelt.previous(context) else { return try runOff(context) }
      name = previous
    }
    let target: Target
    if let directory { target = try directory.target(context) } else { target = try self.target(name, context, command: .use) }
    try Guard.check(name: name, profile: target.profile, store: target.store, context: context, refusable: true)
    if let warning = Guard.expiryWarning(name: name, profile: target.profile, now: context.now, window: 3600) {
      context.warn(warning)
    }
    try Seatbelt.confirm(target, yes: options.yes, startup: startup, context)
    let (limited, sessionCode) = try Seatbelt.limit(target, requested: requested, shell, context)
    let exports = directory?.marked(limited) ?? limited
    if let notice = Switch.notice(environment: context.environment) { context.note(notice) }
    var code = shell.render(Switch.changes(exports: exports, environment: context.environment)) + sessionCode
    if !startup { code += Seatbelt.rememberPrevious(shell, context, next: name) }
    context.emit(code)
    if let directory { context.note(directory.announcement) }
    if !startup && directory == nil { Recent.remember(name, context) }
  }

  /// `off` takes no argument and no option: it has no options value.
  static func runOff(_ context: Context) throws(Failure) {
    let shell = try hookShell(context, command: .off)
    if let notice = Switch.notice(environment: context.environment) { context.note(notice) }
    var code = shell.render(Switch.unsets(Switch.cleared(environment: context.environment)))
    code += Seatbelt.rememberPrevious(shell, context, next: nil)
    context.emit(code)
  }

  // MARK: current

  static let current = CommandSpec(
    .current, usage: "[--json]", summary: "Print the profile active in this shell; exit 1 when none is.",
    options: [.flag(.json, "Print JSON.")],
    discussion: "Says when the variables were changed by hand since the switch, or the profile no longer exists.",
    run: { invocation, context throws(Failure) in try runCurrent(CurrentOptions(invocation), context) })

  /// `current`'s command line, parsed once.
  struct CurrentOptions {
    let json: Bool

    init(_ invocation: Invocation) { json = invocation.has(.json) }
  }

  static func runCurrent(_ options: CurrentOptions, _ context: Context) throws(Failure) {
    guard let name = context.activeName else {
      if options.json { context.emit(JSON.null.pretty()) }
      throw .error("no profile is active in this shell; switch with: conductor-profile use NAME")
    }
    let env = context.environment
    let store = try context.loadStore()
    var changed: [String] = []
    let profile = try store.profile(named: name)
    if let profile { changed = Target(name: name, profile: profile, store: store).drift(environment: env) }
    if options.json {
      var object: [String: JSON] = [
        "name": .string(name), "exists": .bool(profile != nil), "changed": .array(changed.map { .string($0) }),
      ]
      object["server"] = env[ManagedVariable.serverURL].map { .string($0) } ?? .null
      object["auth"] = env[ManagedVariable.auth].map { .string($0) } ?? .null
      object["production"] = .bool(env[ManagedVariable.production] == "1")
      if let exp = env[ManagedVariable.tokenExpires].flatMap({ Int64($0) }) { object["tokenExpires"] = .integer(exp) }
      object["directoryFile"] = env[ManagedVariable.directoryFile].map { .string($0) }
      context.emit(JSON.object(object).pretty())
    } else {
      context.print(name)
      if let file = env[ManagedVariable.directoryFile] { context.note("from the directory file \(shownText(file))") }
    }
    if profile == nil {
      context.warn(
        "profile '\(name)' no longer exists in the store; switch to another with: conductor-profile use NAME, or clear with: conductor-profile off"
      )
    } else if !changed.isEmpty {
      context.warn(
        "\(changed.joined(separator: ", ")) \(changed.count == 1 ? "differs" : "differ") from profile '\(name)' (changed by hand since the switch, or the profile was edited); switch again with: conductor-profile use \(name)"
      )
    }
  }

  // MARK: exec

  static let exec = CommandSpec(
    .exec, usage: "NAME[,NAME...] | 'GLOB' [--fail-fast] [--yes] -- COMMAND [ARG...]",
    summary: "Run a command with a profile's environment, or once per profile.",
    arguments: [
      ArgumentSpec("NAME", "The profile; NAME,NAME... or a quoted glob ('staging-*') runs COMMAND once per profile."),
      ArgumentSpec("COMMAND", "The program to run, and its arguments, after '--'."),
    ],
    options: [
      .flag(.failFast, "With several profiles: stop at the first that fails or is refused."),
      .flag(.yes, "With several profiles and confirmProduction: run on production profiles without asking."),
    ],
    positionals: 1...1, takesCommand: true,
    discussion: """
      The variables are cleared and exported as a switch does. With one NAME, conductor-profile replaces itself
      with COMMAND, so its exit status is COMMAND's. With several (a list in the order given, a glob's matches
      sorted by name), COMMAND runs once per profile, one after another, each with only that profile's variables
      and its own guard judgement, after a header line '==> NAME (SERVER)' on standard error. The exit status is
      0 when all succeeded, else the first non-zero one (3 when the guard refused a profile).
        conductor-profile exec 'dev,staging,prod' -- conductor workflow list
      """,
    run: { invocation, context throws(Failure) in try runExec(try ExecOptions(invocation), context) })

  /// `exec`'s command line, parsed once.
  struct ExecOptions {
    /// NAME, a list NAME,NAME... or a glob.
    let name: String
    /// COMMAND and its arguments, after `--`.
    let command: [String]
    let failFast: Bool
    let yes: Bool

    init(_ invocation: Invocation) throws(Failure) {
      name = invocation.positionals[0]
      guard let command = invocation.trailing, !command.isEmpty else {
        throw invocation.usageError("missing COMMAND after '--'")
      }
      self.command = command
      failFast = invocation.has(.failFast)
      yes = invocation.has(.yes)
    }
  }

  static func runExec(_ options: ExecOptions, _ context: Context) throws(Failure) {
    let name = options.name
    let command = options.command
    if ExecFanOut.isFanOut(name) {
      try ExecFanOut.run(name, command: command, failFast: options.failFast, yes: options.yes, context: context)
      return
    }
    let target = try target(name, context, command: .exec)
    try Guard.check(name: name, profile: target.profile, store: target.store, context: context, refusable: true)
    if let notice = Switch.notice(environment: context.environment) { context.note(notice) }
    let environment = Switch.apply(exports: target.exports, to: context.environment)
    try Exec.replaceProcess(command, environment: environment, context: context)
  }
}

enum Exec {
  /// Replaces this process with `command`, found on PATH as execvp(3) does. Returns only by throwing.
  static func replaceProcess(_ command: [String], environment: [String: String], context: Context) throws(Failure) {
    context.flush()
    Hardening.restoreCoreLimit()
    let argv = command.map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    let program = command[0]
    var failure = ENOENT
    if program.contains("/") {
      execve(program, argv, envp)
      failure = errno
    } else {
      let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
      for directory in path.split(separator: ":", omittingEmptySubsequences: false) {
        let candidate = (directory.isEmpty ? "." : String(directory)) + "/" + program
        execve(candidate, argv, envp)
        // Keep the most telling reason: a file that exists but cannot run beats "not found".
        if errno == EACCES || failure == ENOENT { failure = errno == ENOENT || errno == ENOTDIR ? failure : errno }
      }
    }
    let reason = failure == ENOENT ? "command not found" : Posix.errorText(failure)
    throw .error("cannot run \(quoted(program)): \(reason)")
  }
}
