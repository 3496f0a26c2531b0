import ConductorNetwork
import ProfileModel
import ShellOutput

/// `export`: profiles as JSON in the store's shape, secrets null unless `--reveal`.
enum ExportCommand {
  static let spec = CommandSpec(
    .export, usage: "[NAME...] [--reveal [--yes]]",
    summary: "Print profiles as JSON in the store's shape; secrets null unless --reveal.",
    arguments: [ArgumentSpec("NAME", "The profiles to export (default: all of them).")],
    options: [
      .flag(.reveal, "Include key secrets and tokens (the output can then be imported elsewhere)."),
      .flag(.yes, "With confirmProduction: reveal a production profile's secret without asking (needed without a terminal)."),
    ],
    positionals: 0...Int.max,
    discussion: """
      The output is {"profiles": {...}, "version": 1}, pretty-printed like the store, every key kept. Without
      --reveal, keySecret and token are null: safe to share, but import refuses such a profile until it has its secret.
        conductor-profile export --reveal dev > dev.json && chmod 600 dev.json
        conductor-profile import file dev.json
      """,
    run: { invocation, context throws(Failure) in try run(Options(invocation), context) })

  /// `export`'s command line, parsed once.
  struct Options {
    /// The names given, each once, in order (empty: every profile).
    let names: [String]
    let reveal: Bool
    let yes: Bool

    init(_ invocation: Invocation) {
      var names: [String] = []
      for name in invocation.positionals where !names.contains(name) { names.append(name) }
      self.names = names
      reveal = invocation.has(.reveal)
      yes = invocation.has(.yes)
    }
  }

  static func run(_ options: Options, _ context: Context) throws(Failure) {
    let store = try context.loadStore()
    let names = options.names.isEmpty ? store.names : options.names
    for name in names where !store.contains(name) { throw context.noSuchProfile(name, in: store, command: .export) }
    let reveal = options.reveal
    var profiles: [String: JSON] = [:]
    if reveal {
      // Every secret passes the gate (the guard, confirmProduction) before any is read or printed.
      for name in names {
        let profile = try context.requireProfile(name, in: store, command: .export)
        try Gate.pass(
          name: name, profile: profile, store: store, production: store.isProduction(profile), door: .reveal(.export),
          yes: options.yes, context)
      }
    }
    for name in names {
      guard let raw = store.rawProfile(named: name) else { continue }
      profiles[name] = reveal ? try SecretCommands.revealed(raw, name: name, context: context) : redacted(raw)
    }
    context.emit(JSON.object(["profiles": .object(profiles), "version": .integer(store.version)]).pretty())
  }

  /// The raw profile with `auth.keySecret` and `auth.token` set to null, whatever else it holds.
  static func redacted(_ raw: JSON) -> JSON {
    guard var object = raw.objectValue, var auth = object["auth"]?.objectValue else { return raw }
    for key in ["keySecret", "token"] where auth[key] != nil { auth[key] = .null }
    object["auth"] = .object(auth)
    return .object(object)
  }
}
