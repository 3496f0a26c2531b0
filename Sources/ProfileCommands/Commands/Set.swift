import ConductorNetwork
import ProfileModel

/// `set`: change only the fields given.
enum SetCommand {
  static let spec = CommandSpec(
    .set,
    usage:
      "NAME [--server URL] [--key-id ID] [--secret] [--user-token] [--production | --no-production] [--server-type T] [--secret-store STORE] [--color COLOR] [--description TEXT] [--env NAME=VALUE]... [--unset-env NAME]... | --all --secret-store STORE",
    summary: "Change some fields of a profile.",
    arguments: [ArgumentSpec("NAME", "The profile to change.", completes: .profiles)],
    options: [
      .flag(.all, "With --secret-store: move the secret of every profile there, one profile at a time."),
      .value(.server, "URL", "A new server."),
      .value(.keyID, "ID", "A new key id (with --secret, makes a user-token or no-auth profile a key profile)."),
      .flag(.secret, "Read a new key secret from standard input or a prompt."),
      .flag(.userToken, "Read a new user token from standard input or a prompt (the profile becomes a user-token profile)."),
      .flag(.production, "Flag the server as production."),
      .flag(.noProduction, "Say the server is not production, whatever its host's name says."),
      ServerType.option(forSet: true),
      .value(
        .secretStore, "STORE",
        "Move the secret to file, secret-service, pass, keychain or command (-- COMMAND): written and read back, then the old copy removed."
      ),
      .value(.color, "COLOR", "A new prompt colour (black, red, green, yellow, blue, magenta, cyan, white; empty removes it)."),
      .value(.description, "TEXT", "A new description (empty removes it)."),
      .value(.env, "NAME=VALUE", repeatable: true, "Set an extra variable."),
      .value(.unsetEnv, "NAME", repeatable: true, "Remove an extra variable."),
    ],
    positionals: 0...1, allowsCommand: true,
    discussion: """
      set --all --secret-store STORE moves every profile's secret (key secret or user token) to STORE (file,
      secret-service, pass or keychain), one profile at a time and each as set NAME --secret-store STORE does:
      written to STORE and read back, then the store file changed, then the old copy removed. Profiles already
      there, and those without a secret, are left as they are. When one fails it stops: the profiles before it
      are moved, the others keep their secrets where they were, and the same command moves the rest.
      """,
    run: { invocation, context throws(Failure) in
      let options = try Options(invocation)
      if options.all, case .some(let target) = options.secretStore {
        try moveAll(to: target, context)
      } else {
        try run(options, context)
      }
    })

  /// `set`'s command line, parsed once: every value checked before the store is read. A double optional
  /// is "not given" (nil), "remove it" (`.some(nil)`) or a new value.
  struct Options {
    let name: String
    /// `--all` (with `--secret-store`, alone): every profile's secret moves.
    let all: Bool
    let server: Server?
    let keyID: String?
    let secret: Bool
    let userToken: Bool
    /// `--production` (true), `--no-production` (false), or neither (nil).
    let production: Bool?
    let serverType: ServerType??
    let secretStore: SecretReference??
    let color: PromptColor??
    let description: String??
    let extras: [(name: String, value: String)]
    let removals: [String]

    init(_ invocation: Invocation) throws(Failure) {
      all = invocation.has(.all)
      if all {
        if let extra = invocation.positionals.first {
          throw invocation.usageError("--all moves every profile's secret: give no NAME (\(quoted(extra)))")
        }
        let others = [Option.all, .secretStore].map(\.rawValue)
        if let other = invocation.optionNames.first(where: { !others.contains($0) }) {
          throw invocation.usageError("--all goes only with --secret-store STORE, not with --\(other)")
        }
        guard invocation.has(.secretStore) else {
          throw invocation.usageError("--all needs --secret-store STORE: where every profile's secret moves to")
        }
      } else if invocation.positionals.isEmpty {
        throw invocation.usageError("missing NAME (or --all --secret-store STORE for every profile)")
      }
      name = invocation.positionals.first ?? ""
      try invocation.exclusive(.production, .noProduction)
      try invocation.exclusive(.userToken, .keyID)
      try invocation.exclusive(.userToken, .secret)
      let changing: [Option] = [
        .server, .keyID, .secret, .userToken, .production, .noProduction, .serverType, .secretStore, .color, .description,
        .env, .unsetEnv,
      ]
      guard changing.contains(where: invocation.has) else {
        throw invocation.usageError("nothing to change: give at least one option (see --help)")
      }
      server = try invocation.value(.server).map { text throws(Failure) in try Server(validating: text) }
      serverType = try ServerType.given(invocation)
      keyID = invocation.value(.keyID)
      if let keyID { try validateKeyID(keyID) }
      extras = try parseAssignments(invocation.all(.env), command: .set)
      color = try PromptColor.option(invocation)
      removals = invocation.all(.unsetEnv)
      for r in removals where extras.contains(where: { $0.name == r }) {
        throw invocation.usageError("\(r) is both set (--env) and unset (--unset-env)")
      }
      secretStore = try SecretCommands.requested(invocation)
      if all, case .some(let target?) = secretStore, target.kind == .command {
        throw invocation.usageError(
          "--all cannot move secrets to the command store: each profile needs its own command (set NAME --secret-store command -- COMMAND)",
          option: .secretStore)
      }
      secret = invocation.has(.secret)
      userToken = invocation.has(.userToken)
      production = invocation.has(.production) ? true : invocation.has(.noProduction) ? false : nil
      description = invocation.value(.description).map { $0.isEmpty ? nil : $0 }
    }
  }

  static func run(_ options: Options, _ context: Context) throws(Failure) {
    let name = options.name
    let server = options.server
    let extras = options.extras
    let removals = options.removals
    let file = try context.store()
    let current = try context.requireProfile(name, in: try file.load(), command: .set)
    // Ask for secrets only when the change can be made, and before taking the lock.
    try SecretPlacement.checkWritable(
      options.secretStore, name: name, current: current, newSecret: options.secret || options.userToken)
    // The user gives this command now: approved for this profile before it first runs.
    if case .some(let given) = options.secretStore { try SecretCommands.approveGiven(given, name: name, context: context) }
    var secret: String? = nil
    var token: JWT? = nil
    let willBeKey: Bool = {
      if case .key = current.credential { return true }
      return options.keyID != nil
    }()
    if options.secret || (options.keyID != nil && !isKey(current)) {
      guard willBeKey, options.secret else {
        throw .invalid(.keyProfileNeedsIDAndSecret(profile: name, kind: current.credential.kind.rawValue))
      }
      let s = try context.readSecret(prompt: "Key secret for \(name): ")
      try validateKeySecret(s)
      secret = s
    }
    if options.userToken {
      token = try JWT(validating: try context.readSecret(prompt: "User token for \(name): "))
    }
    for r in removals where current.env?[r] == nil {
      throw .invalid(.noSuchVariable(r, profile: name, has: current.extraVariables.map(\.name)))
    }
    let placement = try SecretPlacement.forSet(
      options.secretStore, name: name, current: current, newSecret: secret ?? token?.raw, context: context)

    var stored = false
    defer { if !stored { placement?.rollback(context: context) } }
    let (profile, store) = try file.update { (store: inout Store) throws(Failure) -> (Profile, Store) in
      var profile = try context.requireProfile(name, in: store, command: .set)
      if let server { profile.server = server }
      if let token { profile.credential = .userToken(token) }
      switch (profile.credential, options.keyID, secret) {
      case (.key(let id, let old), let newID, let newSecret):
        profile.credential = .key(id: newID ?? id, secret: newSecret.map(Secret.init) ?? old)
      case (_, let newID?, let newSecret?):
        profile.credential = .key(id: newID, secret: Secret(newSecret))
      default:
        break
      }
      if let placement { try placement.apply(to: &profile) }
      if let production = options.production { profile.production = production }
      if options.production == false { store.makeFalseExplicit() }
      if let serverType = options.serverType { profile.serverType = serverType }
      if let color = options.color { profile.color = color }
      if let description = options.description { profile.description = description }
      if !extras.isEmpty || !removals.isEmpty {
        var env = profile.env ?? [:]
        for (k, v) in extras { env[k] = v }
        for r in removals { env[r] = nil }
        profile.env = env.isEmpty ? nil : env
      }
      try Limits.checkSwitchSize(Switch.exports(name: name, profile: profile, production: true), name: name)
      // A hand-edited store's invalid name is shown and removed as it is, but never written back.
      store.setProfile(profile, named: try ProfileName(validating: name))
      return (profile, store)
    }
    stored = true
    TokenCache(environment: context.environment).forget(name)
    context.print("updated profile '\(name)'")
    sayProduction(name: name, profile: profile, store: store, context: context)
    try Guard.check(name: name, profile: profile, store: store, context: context, refusable: false)
    if let warning = ClearText.warning(name: name, profile: profile) { context.warn(warning) }
    if options.production == true || server != nil || profile.isProductionByName {
      try warnOthers(on: profile.server, except: name, store, context)
    }
    try placement?.finish(context: context)
  }

  /// `add` and `set`: one line when the profile is production by its host's name (and how to say
  /// otherwise), or when a catalog keeps a host production that the profile says is not.
  static func sayProduction(name: String, profile: Profile, store: Store, context: Context) {
    if let notice = Guard.productionByNameNotice(name: name, profile: profile) { context.note("note: \(notice)") }
    if profile.production == false, let catalog = store.productionFloor[profile.server.host] {
      context.warn(
        "profile '\(name)' says its server is not production, but the team catalog '\(catalog)' marks \(profile.server.host) production, and a catalog's production flags are a floor: it stays production (docs/catalog.md)"
      )
    }
  }

  /// A flag on one profile can make another one a user token on production: warn about those too.
  static func warnOthers(on server: Server, except name: String, _ store: Store, _ context: Context) throws(Failure) {
    for other in store.names where other != name {
      guard let p = try? store.profile(named: other), case .userToken = p.credential, p.server == server else { continue }
      try Guard.check(name: other, profile: p, store: store, context: context, refusable: false)
    }
  }

  private static func isKey(_ p: Profile) -> Bool {
    if case .key = p.credential { return true }
    return false
  }
}

// MARK: set --all --secret-store STORE

extension SetCommand {
  /// Moves every profile's secret to `target` (nil: the store file), one profile at a time, each with the
  /// order `set NAME --secret-store` keeps: written there and read back, the store file changed under its
  /// lock, the old copy removed. A stop at any point loses nothing: a profile not yet moved still names the
  /// place that holds its secret. The first failure stops it, saying what moved and how to go on.
  static func moveAll(to target: SecretReference?, _ context: Context) throws(Failure) {
    let file = try context.store()
    let names = try file.load().names
    let label = target?.label ?? "the store file"
    var moved = 0
    var already = 0
    for name in names {
      do throws(Failure) {
        // Read again for each: another writer may have changed the store since.
        let current = try context.requireProfile(name, in: try file.load(), command: .set)
        if current.credential.kind == .none { continue }
        // A catalog's profile without its secret yet has nothing to move (an empty one written to the
        // target would be left there when the read-back fails, and would stop every profile after it).
        if current.lacksCatalogSecret {
          context.note("profile '\(name)' has no secret yet: nothing to move")
          continue
        }
        if current.secretStore == target {
          already += 1
          continue
        }
        guard
          let placement = try SecretPlacement.forSet(
            .some(target), name: name, current: current, newSecret: nil, context: context)
        else { continue }
        var stored = false
        defer { if !stored { placement.rollback(context: context) } }
        try file.update { (store: inout Store) throws(Failure) in
          var profile = try context.requireProfile(name, in: store, command: .set)
          try placement.apply(to: &profile)
          store.setProfile(profile, named: try ProfileName(validating: name))
        }
        stored = true
        try placement.finish(context: context)
        moved += 1
        context.print("moved the secret of profile '\(name)' to \(label)")
      } catch {
        let done = moved == 0 ? "no profile was moved" : "\(moved) profile\(moved == 1 ? " was" : "s were") moved before it"
        throw .error(
          "\(error.description) (set --all stopped at profile '\(name)': \(done); every other profile keeps its secret where it was; fix this, then run the same command again to move the rest)"
        )
      }
    }
    let rest = already == 0 ? "" : " (\(already) already there)"
    context.print("\(moved) secret\(moved == 1 ? "" : "s") moved to \(label)\(rest)")
  }
}
