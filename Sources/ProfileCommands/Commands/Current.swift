import ProfileModel
import ShellOutput

/// `current`: the profile active in this shell, and whether its variables changed since the switch.
enum CurrentCommand {
  static let spec = CommandSpec(
    .current, usage: "[--json]", summary: "Print the profile active in this shell; exit 1 when none is.",
    options: [.flag(.json, "Print JSON.")],
    discussion: "Says when the variables were changed by hand since the switch, or the profile no longer exists.",
    run: { invocation, context throws(Failure) in try run(Options(invocation), context) })

  /// `current`'s command line, parsed once.
  struct Options {
    let json: Bool

    init(_ invocation: Invocation) { json = invocation.has(.json) }
  }

  static func run(_ options: Options, _ context: Context) throws(Failure) {
    guard let name = context.activeName else {
      if options.json { context.emit(JSON.null.pretty()) }
      throw .error("no profile is active in this shell; switch with: conductor-profile use NAME")
    }
    let env = context.environment
    let store = try context.loadStore()
    var changed: [String] = []
    let profile = try store.profile(named: name)
    if let profile { changed = SwitchCommands.Target(name: name, profile: profile, store: store).drift(environment: env) }
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
}
