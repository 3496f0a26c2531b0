import ConductorNetwork
import ProfileModel

/// `rename`: a profile under a new name (the default and its secret follow). `copy` shares its `move`.
enum RenameCommand {
  static let spec = CommandSpec(
    .rename, usage: "OLD NEW", summary: "Rename a profile (the default follows).",
    arguments: [ArgumentSpec("OLD", "The profile to rename.", completes: .profiles), ArgumentSpec("NEW", "Its new name.")],
    positionals: 2...2,
    run: { invocation, context throws(Failure) in try move(try Options(invocation), context, keepSource: false) })

  /// `rename`'s and `copy`'s command line, parsed once: the new name is checked before the store is read.
  struct Options {
    let command: CommandName
    let source: String
    let target: ProfileName

    init(_ invocation: Invocation) throws(Failure) {
      command = invocation.command.command
      source = invocation.positionals[0]
      target = try ProfileName(validating: invocation.positionals[1])
    }
  }

  static func move(_ options: Options, _ context: Context, keepSource: Bool) throws(Failure) {
    let source = options.source
    let target = options.target.value
    let command = options.command
    // Check before taking the lock, so a mistyped name creates no directory or lock file; checked again under it.
    let current = try context.loadStore()
    if !current.contains(source) { throw context.noSuchProfile(source, in: current, command: command) }
    if current.contains(target) {
      throw .invalid(.nameTaken(target, by: .rename))
    }
    // A key operation under way keeps its secret in an entry named after the profile (NAME~pending): finish
    // it first, so the rename never parts the record from its secret.
    if !keepSource, let profile = try? current.profile(named: source),
      profile.pendingKey != nil || profile.hasUnreadablePendingKey
    {
      throw .error(
        "profile '\(source)' has a key operation under way (pendingKey), which a rename would part from its secret; nothing was changed. Finish it first with: conductor-profile rotate \(source)"
      )
    }
    let placement = try SecretPlacement.forMove(
      source: source, target: target, keepSource: keepSource, store: current, context: context)
    var stored = false
    var droppedPending = false
    defer { if !stored { placement?.rollback(context: context) } }
    try context.store().update { (store: inout Store) throws(Failure) in
      guard var raw = store.rawProfile(named: source) else { throw context.noSuchProfile(source, in: store, command: command) }
      if store.contains(target) {
        throw .invalid(.nameTaken(target, by: .rename))
      }
      // A key operation under way (`pendingKey`) stays with the profile it started from: a copy that carried
      // it would finish the same rotation a second time.
      if keepSource, case .object(var object) = raw, case .object(var auth)? = object["auth"], auth["pendingKey"] != nil {
        auth["pendingKey"] = nil
        object["auth"] = .object(auth)
        raw = .object(object)
        droppedPending = true
      }
      store.setRawProfile(raw, named: options.target)
      if !keepSource {
        store.removeProfile(named: source)
        if store.defaultName == source { store.setDefault(options.target) }
      }
    }
    stored = true
    if keepSource {
      context.print("copied profile '\(source)' to '\(target)'")
      if droppedPending {
        context.note(
          "note: the key operation under way on '\(source)' (pendingKey) stays with it; finish it with: conductor-profile rotate \(source)"
        )
      }
    } else {
      TokenCache(environment: context.environment).forget(source)
      context.print("renamed profile '\(source)' to '\(target)'")
      if context.activeName == source {
        context.note("note: this shell still has '\(source)' active; switch with: conductor-profile use \(target)")
      }
    }
    try placement?.finish(context: context)
  }
}
