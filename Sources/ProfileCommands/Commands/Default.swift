import ConductorNetwork
import ProfileModel

/// `default`: the profile a new shell starts with.
enum DefaultCommand {
  static let spec = CommandSpec(
    .defaultCommand, usage: "[NAME | --unset]", summary: "Show or set the profile a new shell starts with.",
    arguments: [ArgumentSpec("NAME", "The profile to make the default.")],
    options: [.flag(.unset, "No default: new shells start with no profile.")],
    positionals: 0...1, run: { invocation, context throws(Failure) in try run(try Options(invocation), context) })

  /// `default`'s command line, parsed once: show the default, clear it, or set it to a name.
  enum Options {
    case show, unset
    case set(String)

    init(_ invocation: Invocation) throws(Failure) {
      if invocation.has(.unset) {
        guard invocation.positionals.isEmpty else { throw invocation.usageError("give NAME or --unset, not both") }
        self = .unset
      } else {
        self = invocation.positionals.first.map(Options.set) ?? .show
      }
    }
  }

  static func run(_ options: Options, _ context: Context) throws(Failure) {
    if case .unset = options {
      guard try context.loadStore().defaultName != nil else {
        context.print("no default profile")
        return
      }
      try context.store().update { (store: inout Store) throws(Failure) in store.setDefault(nil) }
      context.print("no default profile")
      return
    }
    guard case .set(let name) = options else {
      let store = try context.loadStore()
      guard let name = store.defaultName else {
        throw .error("no default profile is set; set one with: conductor-profile default NAME")
      }
      context.print(name)
      if !store.contains(name) {
        context.warn("the default profile '\(name)' does not exist; set another with: conductor-profile default NAME")
      }
      return
    }
    let current = try context.loadStore()
    guard current.contains(name) else { throw context.noSuchProfile(name, in: current, command: .defaultCommand) }
    try context.store().update { (store: inout Store) throws(Failure) in
      guard store.contains(name) else { throw context.noSuchProfile(name, in: store, command: .defaultCommand) }
      store.setDefault(try ProfileName(validating: name))
    }
    context.print("default profile: \(name)")
  }
}
