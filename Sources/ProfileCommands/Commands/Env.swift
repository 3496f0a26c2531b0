import ProfileModel
import ShellOutput

/// `env`: the code a switch evaluates, or the profile's variables as JSON or dotenv.
enum EnvCommand {
  static let spec = CommandSpec(
    .env, usage: "NAME [--shell bash|zsh|fish|sh | --format json|dotenv] [--yes] | --unset [--shell bash|zsh|fish|sh]",
    summary: "Print the code a switch evaluates, or the profile's variables as JSON or dotenv.",
    arguments: [ArgumentSpec("NAME", "The profile.")],
    options: [
      .value(.shell, "SHELL", "bash, zsh, fish or sh (default: sh): clear, then export."),
      .value(.format, "FORMAT", "json or dotenv: the variables only, for files and other tools."),
      .flag(.unset, "Print the code that clears every variable a switch sets."),
      .flag(.yes, "With confirmProduction: print a production profile's variables without asking (needed without a terminal)."),
    ],
    positionals: 0...1,
    discussion: """
      Every value is single-quoted, so nothing in it can run. To switch without the hook:
        eval "$(conductor-profile env dev --shell bash)"
      The store's seatbelts apply as for use: confirmProduction asks on the terminal (--yes without one), and the
      shell code of a production profile under "productionSession" exports its end, CONDUCTOR_PROFILE_SESSION_ENDS.
      """,
    run: { invocation, context throws(Failure) in try run(try Options(invocation), context) })

  /// `env`'s command line, parsed once: the code that clears, or a profile's code or file.
  enum Options {
    case unset(ShellSyntax)
    case shell(String, ShellSyntax, yes: Bool)
    case format(String, FileFormat, yes: Bool)

    init(_ invocation: Invocation) throws(Failure) {
      try invocation.exclusive(.shell, .format)
      try invocation.exclusive(.unset, .format)
      let shell = try EnvCommand.shell(invocation)
      try invocation.exclusive(.unset, .yes)
      if invocation.has(.unset) {
        guard invocation.positionals.isEmpty else { throw invocation.usageError("give NAME or --unset, not both") }
        self = .unset(shell)
        return
      }
      guard let name = invocation.positionals.first else { throw invocation.usageError("missing NAME") }
      guard let text = invocation.value(.format) else {
        self = .shell(name, shell, yes: invocation.has(.yes))
        return
      }
      guard let format = FileFormat(rawValue: text) else {
        throw invocation.usageError(
          "unknown format \(quoted(text)); use json or dotenv", option: .format,
          suggestion: Suggest.nearest(text, in: FileFormat.allCases.map(\.rawValue)))
      }
      self = .format(name, format, yes: invocation.has(.yes))
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

  static func run(_ options: Options, _ context: Context) throws(Failure) {
    let name: String
    var format: FileFormat? = nil
    var shell = ShellSyntax.sh
    var yes = false
    switch options {
    case .unset(let shell):
      context.emit(shell.render(Switch.unsets(Switch.cleared(environment: context.environment))))
      return
    case .shell(let given, let syntax, let confirmed):
      name = given
      shell = syntax
      yes = confirmed
    case .format(let given, let file, let confirmed):
      name = given
      format = file
      yes = confirmed
    }
    let (target, length) = try SwitchCommands.target(
      name, context, command: .env, through: .env(shellCode: format == nil), yes: yes)
    if let format {
      context.emit(try format.render(target.exports))
      return
    }
    if let notice = Switch.notice(environment: context.environment) { context.note(notice) }
    let exports = Seatbelt.limited(target.exports, length: length, context)
    context.emit(shell.render(Switch.changes(exports: exports, environment: context.environment)))
  }
}
