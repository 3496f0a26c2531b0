import ProfileModel
import ShellOutput

/// `exec`: run one command with a profile's environment (replacing this process), or once per profile.
enum ExecCommand {
  static let spec = CommandSpec(
    .exec, usage: "NAME[,NAME...] | 'GLOB' [--fail-fast] [--yes] -- COMMAND [ARG...]",
    summary: "Run a command with a profile's environment, or once per profile.",
    arguments: [
      ArgumentSpec(
        "NAME", "The profile; NAME,NAME... or a quoted glob ('staging-*') runs COMMAND once per profile.",
        completes: .profiles),
      ArgumentSpec("COMMAND", "The program to run, and its arguments, after '--'."),
    ],
    options: [
      .flag(.failFast, "With several profiles: stop at the first that fails or is refused."),
      .flag(.yes, "With confirmProduction: run on a production profile without asking (needed without a terminal)."),
    ],
    positionals: 1...1, takesCommand: true,
    discussion: """
      The variables are cleared and exported as a switch does. With one NAME, conductor-profile replaces itself
      with COMMAND, so its exit status is COMMAND's. With several (a list in the order given, a glob's matches
      sorted by name), COMMAND runs once per profile, one after another, each with only that profile's variables
      and its own guard judgement, after a header line '==> NAME (SERVER)' on standard error. The exit status is
      0 when all succeeded, else the first non-zero one (3 when the guard refused a profile). As env(1): 127 when
      COMMAND is not found on PATH (only its absolute directories are searched), 126 when it is there but cannot
      run; with several profiles, each one's status.
        conductor-profile exec 'dev,staging,prod' -- conductor workflow list
      """,
    run: { invocation, context throws(Failure) in try run(try Options(invocation), context) })

  /// `exec`'s command line, parsed once.
  struct Options {
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

  static func run(_ options: Options, _ context: Context) throws(Failure) {
    let name = options.name
    let command = options.command
    if ExecFanOut.isFanOut(name) {
      try ExecFanOut.run(name, command: command, failFast: options.failFast, yes: options.yes, context: context)
      return
    }
    let (target, _) = try SwitchCommands.target(name, context, command: .exec, through: .exec, yes: options.yes)
    if let notice = Switch.notice(environment: context.environment) { context.note(notice) }
    let environment = Switch.apply(exports: target.exports, to: context.environment)
    try Exec.replaceProcess(command, environment: environment, context: context)
  }
}

enum Exec {
  /// Replaces this process with `command`, found by the one PATH lookup (`Child.replace`). Returns only by
  /// throwing: exit 127 when COMMAND is not found, 126 when it cannot be run, as env(1).
  static func replaceProcess(_ command: [String], environment: [String: String], context: Context) throws(Failure) {
    try Child.replace(command, environment: environment, context: context)
  }
}
