import ProfileModel
import ShellOutput

/// `env`: the code a switch evaluates, or the profile's variables as JSON or dotenv.
enum EnvCommand {
  static let spec = CommandSpec(
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
    run: { invocation, context throws(Failure) in try run(try Options(invocation), context) })

  /// `env`'s command line, parsed once: the code that clears, or a profile's code or file.
  enum Options {
    case unset(ShellSyntax)
    case shell(String, ShellSyntax)
    case format(String, FileFormat)

    init(_ invocation: Invocation) throws(Failure) {
      try invocation.exclusive(.shell, .format)
      try invocation.exclusive(.unset, .format)
      let shell = try EnvCommand.shell(invocation)
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

  static func run(_ options: Options, _ context: Context) throws(Failure) {
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
    let target = try SwitchCommands.target(name, context, command: .env)
    try Guard.check(name: name, profile: target.profile, store: target.store, context: context, refusable: true)
    if let format {
      context.emit(try format.render(target.exports))
      return
    }
    if let notice = Switch.notice(environment: context.environment) { context.note(notice) }
    context.emit(shell.render(Switch.changes(exports: target.exports, environment: context.environment)))
  }
}
