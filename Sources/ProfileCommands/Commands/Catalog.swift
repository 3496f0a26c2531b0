import ProfileModel
import ShellOutput

/// `catalog add PATH`, `catalog sync [--yes]`, `catalog remove PATH`, `catalog list`: a team's shared
/// profile definitions, without secrets (docs/catalog.md). The catalog is trusted by path and content hash
/// (the trust file's `catalogs`); the store changes only at `sync`, after the diff was shown and confirmed.
enum CatalogCommand {
  static let spec = CommandSpec(
    .catalog, usage: "add PATH | sync [--yes] | remove PATH | list",
    summary: "A team catalog: shared profile definitions (no secrets), synced into this store.",
    arguments: [
      // Completed by position: the action first, then a file after add and remove.
      ArgumentSpec(
        "add PATH", "Trust the catalog file at PATH (by path and content hash); sync then applies it.",
        completes: .values(["add", "sync", "remove", "list"])),
      ArgumentSpec(
        "sync", "Show what every catalog would change, and apply it after a confirmation.",
        completes: .byFirst(["add": .files, "remove": .files])),
      ArgumentSpec("remove PATH", "Stop syncing the catalog at PATH; its profiles stay, as local ones."),
      ArgumentSpec("list", "The catalogs, and whether each changed since the last sync."),
    ],
    options: [.flag(.yes, "With sync: apply without asking (no terminal needed).")],
    positionals: 1...2,
    discussion: """
      A catalog is a JSON file in the shape export writes ({"version": 1, "profiles": {NAME: {…}}}) without secrets:
      servers, production flags, server types, colours, descriptions, extra variables, and how each secret is
      fetched. A catalog that holds a secret is refused whole. A profile from a catalog is marked with its source;
      your edits to it are kept and reported at the next sync; the hosts a catalog marks production stay production
      whatever a local profile says; a secretCommand from a catalog runs only after: conductor-profile allow --command NAME.
      """,
    run: { invocation, context throws(Failure) in try run(try Options(invocation), context) })

  /// `catalog`'s command line, parsed once.
  struct Options {
    enum Action {
      case add(String)
      case sync(yes: Bool)
      case remove(String)
      case list
    }
    let action: Action

    static let actions = ["add", "sync", "remove", "list"]

    init(_ invocation: Invocation) throws(Failure) {
      let words = invocation.positionals
      let yes = invocation.has(.yes)
      func path() throws(Failure) -> String {
        guard words.count == 2, !words[1].isEmpty else { throw invocation.usageError("catalog \(words[0]) needs a PATH") }
        return words[1]
      }
      switch words[0] {
      case "add": action = .add(try path())
      case "remove": action = .remove(try path())
      case "sync", "list":
        if words.count > 1 { throw invocation.usageError("unexpected argument \(quoted(words[1]))") }
        action = words[0] == "sync" ? .sync(yes: yes) : .list
      default:
        throw invocation.usageError(
          "unknown catalog action \(quoted(words[0])); use add, sync, remove or list",
          suggestion: Suggest.nearest(words[0], in: Options.actions))
      }
      if yes, case .sync = action {
      } else if yes {
        throw invocation.usageError("--yes goes with catalog sync", option: .yes)
      }
    }
  }

  static func run(_ options: Options, _ context: Context) throws(Failure) {
    switch options.action {
    case .add(let path): try add(path, context)
    case .sync(let yes): try sync(yes: yes, context)
    case .remove(let path): try remove(path, context)
    case .list: try list(context)
    }
  }

  /// PATH as the trust file keys it: absolute, its directory's real path.
  static func key(_ path: String, _ context: Context) throws(Failure) -> String {
    let absolute = path.hasPrefix("/") ? path : try AllowCommand.workingDirectory(context) + "/" + path
    return DirectoryFile.key(for: absolute)
  }

  // MARK: add

  static func add(_ given: String, _ context: Context) throws(Failure) {
    let path = try key(given, context)
    let catalog = try Catalog.read(path)
    let file = try context.store()
    let already = try file.update { (store: inout Store) throws(Failure) -> Bool in
      if Catalog.recorded(in: store).contains(where: { $0.path == path }) { return true }
      var catalogs = store.unknown[Store.catalogsKey]?.objectValue ?? [:]
      catalogs[path] = .object(["name": .string(catalog.name), "production": .array([])])
      store.setCatalogs(.object(catalogs))
      return false
    }
    try TrustFile(store: file).update(.catalogs) { $0[path] = catalog.hash }
    let count = catalog.definitions.count
    context.print(
      already
        ? "the catalog '\(catalog.name)' (\(shownText(path))) was added already; apply it with: conductor-profile catalog sync"
        : "added the catalog '\(catalog.name)' (\(shownText(path)), \(count) profile\(count == 1 ? "" : "s")); see and apply what it brings with: conductor-profile catalog sync"
    )
  }

  // MARK: sync

  static func sync(yes: Bool, _ context: Context) throws(Failure) {
    let file = try context.store()
    let before = try file.load()
    let recorded = Catalog.recorded(in: before)
    if recorded.isEmpty {
      throw .error("no team catalog was added; add one with: conductor-profile catalog add PATH")
    }
    var failures: [String] = []
    for (path, name) in recorded {
      let catalog: Catalog
      do throws(Failure) {
        catalog = try Catalog.read(path)
      } catch {
        context.error("catalog '\(name)': \(error.description)")
        failures.append(name)
        continue
      }
      let (changes, _) = try catalog.sync(into: try file.load())
      let applying = changes.filter { $0.kind != .keep }
      context.print("catalog '\(catalog.name)' (\(shownText(path))):")
      if changes.isEmpty { context.print("  up to date") }
      for change in changes {
        let verb =
          switch change.kind {
          case .add: "add"
          case .update: "change"
          case .remove: "remove"
          case .keep: "keep"
          }
        context.print("  \(verb) \(change.profile)")
        for line in change.lines { context.print("      \(line)") }
      }
      if !applying.isEmpty {
        try confirm(catalog, count: applying.count, yes: yes, context)
      }
      // Applied to the store as it is now (another command may have changed it since): the same rules.
      let (applied, _) = try file.update { (store: inout Store) throws(Failure) -> ([Catalog.Change], Store) in
        let (changes, after) = try catalog.sync(into: store)
        store = after
        return (changes, after)
      }
      try TrustFile(store: file).update(.catalogs) { $0[path] = catalog.hash }
      let done = applied.filter { $0.kind != .keep }.count
      if done > 0 { context.print("synced the catalog '\(catalog.name)': \(done) profile\(done == 1 ? "" : "s") changed") }
      for change in applied where change.kind == .add || change.kind == .update {
        guard let profile = try? file.load().profile(named: change.profile) else { continue }
        if profile.lacksCatalogSecret {
          context.note(
            "profile '\(change.profile)' has no secret yet: set it with conductor-profile set \(change.profile) \(profile.credential.kind == .userToken ? "--user-token" : "--secret"), or let use ask for it"
          )
        }
        if let reference = profile.secretStore, reference.kind == .command,
          !(try CommandApproval.isApproved(profile: change.profile, command: reference.command, context: context))
        {
          context.note(
            "profile '\(change.profile)' gets its secret by running \(quoted(CommandApproval.shown(reference.command))); it runs only once you approve it: conductor-profile allow --command \(change.profile)"
          )
        }
      }
    }
    if !failures.isEmpty {
      throw .error(
        "\(failures.count == 1 ? "the catalog" : "the catalogs") \(failures.map { "'\($0)'" }.joined(separator: ", ")) could not be synced (see above); nothing was applied from \(failures.count == 1 ? "it" : "them")"
      )
    }
  }

  /// Asks before a sync applies: a terminal answers y; `--yes` without one.
  static func confirm(_ catalog: Catalog, count: Int, yes: Bool, _ context: Context) throws(Failure) {
    if yes { return }
    let asked = try Seatbelt.confirmed(
      "Apply these \(count) change\(count == 1 ? "" : "s") from the catalog '\(catalog.name)'?",
      refusal: "not applied; nothing was changed", context)
    guard let asked else {
      throw .refused(
        "nothing was changed: there is no terminal to confirm on; read the changes above, then apply them with: conductor-profile catalog sync --yes"
      )
    }
    guard asked else { throw .error("not applied; nothing was changed") }
  }

  // MARK: remove

  static func remove(_ given: String, _ context: Context) throws(Failure) {
    let file = try context.store()
    let store = try file.load()
    let recorded = Catalog.recorded(in: store)
    var path = given
    if !recorded.contains(where: { $0.path == path }) { path = try key(given, context) }
    guard let entry = recorded.first(where: { $0.path == path }) else {
      let known = recorded.map { shownText($0.path) }.joined(separator: ", ")
      throw .error(
        "\(shownText(given)) is not a catalog of this store\(known.isEmpty ? "" : "; its catalogs: \(known)") (conductor-profile catalog list)"
      )
    }
    let kept = try file.update { (store: inout Store) throws(Failure) -> [String] in try Catalog.forget(path, in: &store) }
    try TrustFile(store: file).update(.catalogs) { $0[path] = nil }
    context.print(
      "removed the catalog '\(entry.name)' (\(shownText(path)))"
        + (kept.isEmpty ? "" : "; its profiles stay as local ones: \(kept.joined(separator: ", "))"))
  }

  // MARK: list

  /// The state of a recorded catalog: synced, changed since, never synced, or missing. `trusted` is the
  /// content this user last trusted (at `add` or `sync`), `synced` what the store last applied.
  static func state(_ path: String, trusted: String?, synced: String?) -> (text: String, problem: Bool) {
    let catalog: Catalog
    do throws(Failure) {
      catalog = try Catalog.read(path)
    } catch {
      return (Posix.exists(path) ? "unreadable: \(error.description)" : "missing (moved or deleted)", true)
    }
    if synced == nil { return ("added but not synced yet", true) }
    if trusted != catalog.hash || synced != catalog.hash { return ("changed since the last sync", true) }
    return ("synced", false)
  }

  static func list(_ context: Context) throws(Failure) {
    let file = try context.store()
    let store = try file.load()
    let recorded = Catalog.recorded(in: store)
    if recorded.isEmpty {
      context.note("no team catalog; add one with: conductor-profile catalog add PATH")
      return
    }
    let trusted = try TrustFile(store: file).load(.catalogs)
    for (path, name) in recorded {
      let profiles = store.names.filter { Catalog.marker(of: store.rawProfile(named: $0), profile: $0)?.path == path }
      let (state, _) = state(path, trusted: trusted[path], synced: Catalog.syncedHash(path, in: store))
      context.print("\(name)  \(path)  \(state)  \(profiles.count) profile\(profiles.count == 1 ? "" : "s")")
    }
  }

  // MARK: doctor

  /// `doctor`: catalogs whose file moved or changed since the last sync.
  static func check(_ report: DoctorCommand.Report, store: Store) {
    let recorded = Catalog.recorded(in: store)
    guard !recorded.isEmpty else { return }
    let trusted: [String: String]
    do throws(Failure) {
      trusted = try TrustFile(store: try report.context.store()).load(.catalogs)
    } catch {
      report.problem(error.description, fix: "mend or remove the trust file, then add the catalogs again")
      return
    }
    var fine = 0
    for (path, name) in recorded {
      let (state, problem) = state(path, trusted: trusted[path], synced: Catalog.syncedHash(path, in: store))
      guard problem else {
        fine += 1
        continue
      }
      // A changed catalog is a notice (the store keeps what was synced); a moved or unreadable one a problem.
      if Posix.exists(path) && !state.hasPrefix("unreadable") {
        report.notice(
          "the team catalog '\(name)' (\(shownText(path))) is \(state)",
          fix: "see and apply the changes: conductor-profile catalog sync")
      } else {
        report.problem(
          "the team catalog '\(name)' (\(shownText(path))) is \(state)",
          fix:
            "add it where it is now (conductor-profile catalog add NEW-PATH), then: conductor-profile catalog remove \(shellWord(path))"
        )
      }
    }
    if fine == recorded.count { report.ok("every team catalog is as last synced (\(fine))") }
  }
}
