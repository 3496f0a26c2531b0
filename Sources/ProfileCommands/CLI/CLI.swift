import ProfileModel

/// The program: parse the command line, run one command, turn its failure into a message and an exit code.
public enum CLI {
  public static let version = Program.version
  public static let program = Program.name

  /// Runs one command line (without the program name) and returns the exit code.
  public static func run(_ arguments: [String], context: Context) -> Int32 {
    do throws(Failure) {
      try dispatch(arguments, context: context)
      return ExitCode.success
    } catch {
      report(error, context: context)
      return error.exitCode
    }
  }

  static func dispatch(_ arguments: [String], context: Context) throws(Failure) {
    guard let first = arguments.first else {
      context.write(overview())
      return
    }
    switch first {
    case "-h", "--help":
      context.write(overview())
      return
    case "--version":
      context.print(version)
      return
    case "help":
      guard arguments.count > 1 else {
        context.write(overview())
        return
      }
      guard arguments.count == 2 else { throw .usage("help takes one command", command: nil) }
      context.write(help(for: try command(named: arguments[1])))
      return
    default:
      break
    }
    let spec = try command(named: first)
    guard let invocation = try Invocation.parse(Array(arguments.dropFirst()), for: spec) else {
      // Through the hook, `use` and `off` print shell code on standard output: help goes to standard error.
      let text = help(for: spec)
      if (spec.command == .use || spec.command == .off) && context.environment["_CONDUCTOR_PROFILE_SHELL"] != nil {
        context.note(text.hasSuffix("\n") ? String(text.dropLast()) : text)
      } else {
        context.write(text)
      }
      return
    }
    try spec.run(invocation, context)
  }

  static func command(named name: String) throws(Failure) -> CommandSpec {
    if let spec = Commands.spec(named: name) { return spec }
    if name.hasPrefix("-") {
      throw .usage(
        "unknown option \(quoted(name))", command: nil, suggestion: Suggest.nearest(name, in: ["--help", "--version"]))
    }
    throw .usage("unknown command \(quoted(name))", command: nil, suggestion: Suggest.nearest(name, in: Commands.all.map(\.name)))
  }

  static func report(_ failure: Failure, context: Context) {
    switch failure {
    case .usage(let message, let commandName, _, let suggestion):
      reportUsage(message, commandName, suggestion, context: context)
    case .unknownProfile(let name, let commandName, let known):
      reportUsage(failure.problem, commandName, Suggest.nearest(name, in: known), context: context)
    case .exit:
      break
    default:
      context.error(failure.description)
    }
  }

  /// A usage error: the message, "did you mean", and where to read the usage.
  static func reportUsage(_ message: String, _ commandName: CommandName?, _ suggestion: String?, context: Context) {
    var text = "Error: \(message)"
    if let suggestion { text += "; did you mean '\(suggestion)'?" }
    let spec = commandName?.spec
    if let spec {
      text += "\nUsage: \(program) \(spec.name)\(spec.usage.isEmpty ? "" : " " + spec.usage)"
      text += "\n  See '\(program) \(spec.name) --help'."
    } else {
      text += "\nUsage: \(program) COMMAND [OPTIONS]"
      text += "\n  See '\(program) --help'."
    }
    context.note(text)
  }

  // MARK: Help

  static func overview() -> String {
    var text = """
      OVERVIEW: Named Orkes Conductor profiles, switched per terminal, with a guard against user tokens in production.

      USAGE: \(program) COMMAND [OPTIONS]

      COMMANDS:

      """
    let listed = Commands.all.filter { !$0.summary.isEmpty }
    let width = (listed.map(\.name.count).max() ?? 0) + 4
    for spec in listed {
      text += "  " + spec.name.padding(to: width) + spec.summary + "\n"
    }
    text += """

      OPTIONS:
        -h, --help              Show help information.
        --version               Show the version.

      Set up a shell with: eval "$(\(program) init bash)" (or zsh; fish: \(program) init fish | source)
      See '\(program) help COMMAND' for detailed help.

      """
    return text
  }

  static func help(for spec: CommandSpec) -> String {
    var text = "OVERVIEW: \(spec.summary)\n\nUSAGE: \(program) \(spec.name)\(spec.usage.isEmpty ? "" : " " + spec.usage)\n"
    if !spec.arguments.isEmpty {
      text += "\nARGUMENTS:\n"
      for argument in spec.arguments { text += row(argument.name, argument.help) }
    }
    text += "\nOPTIONS:\n"
    for option in spec.options {
      var left = option.short.map { "-\($0), " } ?? ""
      left += "--\(option.name)"
      if let value = option.value { left += " \(value)" }
      text += row(left, option.help + (option.repeatable ? " (repeatable)" : ""))
    }
    text += row("-h, --help", "Show help information.")
    if !spec.discussion.isEmpty { text += "\n" + spec.discussion + (spec.discussion.hasSuffix("\n") ? "" : "\n") }
    return text
  }

  private static func row(_ left: String, _ right: String) -> String {
    let column = 26
    if left.count + 4 > column { return "  \(left)\n" + String(repeating: " ", count: column) + right + "\n" }
    return "  " + left.padding(to: column - 2) + right + "\n"
  }
}

extension String {
  func padding(to width: Int) -> String {
    count >= width ? self : self + String(repeating: " ", count: width - count)
  }
}
