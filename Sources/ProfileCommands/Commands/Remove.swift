import ConductorNetwork
import ProfileModel

/// `remove`: profiles, their secrets in secret stores and their cached tokens.
enum RemoveCommand {
  static let spec = CommandSpec(
    .remove, usage: "NAME...", summary: "Remove profiles (the default is cleared if removed).",
    arguments: [ArgumentSpec("NAME", "The profiles to remove.")], positionals: 1...Int.max,
    run: { invocation, context throws(Failure) in try run(Options(invocation), context) })

  /// `remove`'s command line, parsed once.
  struct Options {
    let names: [String]

    init(_ invocation: Invocation) { names = invocation.positionals }
  }

  static func run(_ options: Options, _ context: Context) throws(Failure) {
    let names = options.names
    let current = try context.loadStore()
    for name in names where !current.contains(name) { throw context.noSuchProfile(name, in: current, command: .remove) }
    let entries = SecretPlacement.entries(of: names, in: current)
    let clearedDefault = try context.store().update { (store: inout Store) throws(Failure) -> Bool in
      for name in names where !store.contains(name) { throw context.noSuchProfile(name, in: store, command: .remove) }
      var cleared = false
      for name in names {
        store.removeProfile(named: name)
        if store.defaultName == name {
          store.setDefault(nil)
          cleared = true
        }
      }
      return cleared
    }
    let cache = TokenCache(environment: context.environment)
    for name in names {
      cache.forget(name)
      context.print("removed profile '\(name)'")
    }
    if clearedDefault { context.note("note: the default profile was removed; no profile is the default now") }
    try SecretPlacement.removeEntries(entries, context: context)
  }
}
