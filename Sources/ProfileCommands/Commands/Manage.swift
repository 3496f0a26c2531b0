import ConductorNetwork
import ProfileModel

/// Profile management: add, set, list, show, rename, copy, remove, default.
enum ManageCommands {
  static let add = CommandSpec(
    .add,
    usage:
      "NAME --server URL (--key-id ID | --user-token | --no-auth) [--production] [--server-type OSS|Enterprise] [--secret-store STORE] [--color COLOR] [--description TEXT] [--env NAME=VALUE]... [--force]",
    summary: "Add a profile.",
    arguments: [ArgumentSpec("NAME", "The profile's name: letters, digits, '.', '_', '-'.")],
    options: [
      .value(.server, "URL", "The Conductor server (https://host[/path]; stored ending in /api)."),
      .value(.keyID, "ID", "An application access key id; the secret is read from standard input or prompted for."),
      .flag(.userToken, "A user token (JWT) copied from the UI, read from standard input or prompted for. Non-production."),
      .flag(.noAuth, "A server without authentication (open-source Conductor)."),
      .flag(.production, "Flag the server as a production cluster."),
      ServerType.option(),
      SecretCommands.option,
      .value(.color, "COLOR", "The prompt segment's colour: black, red, green, yellow, blue, magenta, cyan or white."),
      .value(.description, "TEXT", "A note shown by show."),
      .value(.env, "NAME=VALUE", repeatable: true, "An extra variable to export with the profile."),
      .flag(.force, "Replace a profile of the same name."),
    ],
    positionals: 1...1, allowsCommand: true,
    discussion: """
      No option takes a secret: it would land in shell history and in ps. Pipe it in, or type it at the prompt:
        printf '%s' "$SECRET" | conductor-profile add dev --server https://dev.example.com --key-id 1a2b3c
      With --secret-store the secret goes to a secret store and the store file keeps none (docs/secrets.md):
        conductor-profile add dev --server https://dev.example.com --key-id 1a2b3c --secret-store pass
        conductor-profile add ci --server https://ci.example.com --key-id 4d5e --secret-store command -- op read op://vault/ci/secret
      """,
    run: { invocation, context throws(Failure) in try runAdd(try AddOptions(invocation), context) })

  /// `add`'s command line, parsed once: `runAdd` reads these, never the invocation.
  struct AddOptions {
    /// The credential asked for: `--key-id ID`, `--user-token` or `--no-auth` (nil: none of them).
    enum Auth {
      case key(id: String)
      case userToken, none
    }
    let name: ProfileName
    let server: Server
    let auth: Auth?
    let production: Bool
    let serverType: ServerType?
    let color: PromptColor?
    let description: String?
    let extras: [(name: String, value: String)]
    /// `--secret-store` (and the command after `--`), nil when not given (`SecretCommands.requested`).
    let secretStore: SecretReference??
    let force: Bool

    init(_ invocation: Invocation) throws(Failure) {
      name = try ProfileName(validating: invocation.positionals[0])
      guard let serverText = invocation.value(.server) else {
        throw invocation.usageError("missing --server URL", option: .server)
      }
      server = try Server(validating: serverText)
      try invocation.exclusive(.keyID, .userToken, .noAuth)
      extras = try parseAssignments(invocation.all(.env), command: .add)
      color = try PromptColor.option(invocation) ?? nil
      force = invocation.has(.force)
      if let id = invocation.value(.keyID) {
        auth = .key(id: id)
      } else if invocation.has(.userToken) {
        auth = .userToken
      } else {
        auth = invocation.has(.noAuth) ? Auth.none : nil
      }
      secretStore = try SecretCommands.requested(invocation)
      production = invocation.has(.production)
      serverType = try ServerType.given(invocation) ?? nil
      description = invocation.value(.description)
    }
  }

  static func runAdd(_ options: AddOptions, _ context: Context) throws(Failure) {
    let name = options.name.value
    let server = options.server
    let extras = options.extras
    let file = try context.store()
    // Say "exists" before asking for a secret; the check is made again under the lock.
    let before = try file.load()
    if !options.force, before.contains(name) { throw exists(name) }
    let keptAt = try SecretCommands.forAdd(options.secretStore, store: before, hasSecret: !isNoAuth(options.auth))

    let credential: Credential
    switch options.auth {
    case .key(let id):
      try validateKeyID(id)
      let secret = try SecretCommands.newSecret(keptAt, name: name, prompt: "Key secret for \(name): ", context: context)
      try validateKeySecret(secret)
      credential = .key(id: id, secret: Secret(secret))
    case .userToken:
      let token = try SecretCommands.newSecret(keptAt, name: name, prompt: "User token for \(name): ", context: context)
      credential = .userToken(try JWT(validating: token))
    case .none?:
      credential = .none
    case nil:
      throw .usage("give one credential: --key-id ID, --user-token or --no-auth", command: .add)
    }
    var profile = Profile(server: server, credential: credential)
    if options.production { profile.production = true }
    profile.serverType = options.serverType
    if let color = options.color { profile.color = color }
    if let d = options.description { profile.description = d }
    if !extras.isEmpty { profile.env = Dictionary(extras.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 }) }
    try Limits.checkSwitchSize(Switch.exports(name: name, profile: profile, production: true), name: name)
    let placement = try SecretPlacement.prepare(
      name: name, secret: profile.secretText, target: keptAt, previous: (try? before.profile(named: name))??.secretStore,
      readFromTarget: keptAt?.kind == .command, context: context)
    try placement.apply(to: &profile)

    var stored = false
    defer { if !stored { placement.rollback(context: context) } }
    let store = try file.update { (store: inout Store) throws(Failure) -> Store in
      if !options.force, store.contains(name) { throw exists(name) }
      store.setProfile(profile, named: options.name)
      return store
    }
    stored = true
    TokenCache(environment: context.environment).forget(name)
    context.print(
      "added profile '\(name)' (\(credential.kind.rawValue), \(server.url)\(keptAt.map { ", secret in \($0.label)" } ?? ""))")
    try Guard.check(name: name, profile: profile, store: store, context: context, refusable: false)
    if let warning = ClearText.warning(name: name, profile: profile) { context.warn(warning) }
    if profile.isFlaggedProduction { try warnOthers(on: server, except: name, store, context) }
    if case .userToken(let jwt) = credential, let exp = jwt.expires, exp <= context.now {
      context.warn("the user token of profile '\(name)' has already expired (\(formatUTC(exp)))")
    }
    try placement.finish(context: context)
  }

  private static func isNoAuth(_ auth: AddOptions.Auth?) -> Bool {
    if case .none? = auth { return true }
    return false
  }

  static func exists(_ name: String) -> Failure {
    .error(
      "a profile named '\(name)' already exists; change it with: conductor-profile set \(name) …, or replace it with add --force")
  }

  // MARK: set

  static let set = CommandSpec(
    .set,
    usage:
      "NAME [--server URL] [--key-id ID] [--secret] [--user-token] [--production | --no-production] [--server-type T] [--secret-store STORE] [--color COLOR] [--description TEXT] [--env NAME=VALUE]... [--unset-env NAME]...",
    summary: "Change some fields of a profile.",
    arguments: [ArgumentSpec("NAME", "The profile to change.")],
    options: [
      .value(.server, "URL", "A new server."),
      .value(.keyID, "ID", "A new key id (with --secret, makes a user-token or no-auth profile a key profile)."),
      .flag(.secret, "Read a new key secret from standard input or a prompt."),
      .flag(.userToken, "Read a new user token from standard input or a prompt (the profile becomes a user-token profile)."),
      .flag(.production, "Flag the server as production."),
      .flag(.noProduction, "Remove the production flag."),
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
    positionals: 1...1, allowsCommand: true,
    run: { invocation, context throws(Failure) in try runSet(try SetOptions(invocation), context) })

  /// `set`'s command line, parsed once: every value checked before the store is read. A double optional
  /// is "not given" (nil), "remove it" (`.some(nil)`) or a new value.
  struct SetOptions {
    let name: String
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
      name = invocation.positionals[0]
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
      secret = invocation.has(.secret)
      userToken = invocation.has(.userToken)
      production = invocation.has(.production) ? true : invocation.has(.noProduction) ? false : nil
      description = invocation.value(.description).map { $0.isEmpty ? nil : $0 }
    }
  }

  static func runSet(_ options: SetOptions, _ context: Context) throws(Failure) {
    let name = options.name
    let server = options.server
    let extras = options.extras
    let removals = options.removals
    let file = try context.store()
    let current = try context.requireProfile(name, in: try file.load(), command: .set)
    // Ask for secrets only when the change can be made, and before taking the lock.
    try SecretPlacement.checkWritable(
      options.secretStore, name: name, current: current, newSecret: options.secret || options.userToken)
    var secret: String? = nil
    var token: JWT? = nil
    let willBeKey: Bool = {
      if case .key = current.credential { return true }
      return options.keyID != nil
    }()
    if options.secret || (options.keyID != nil && !isKey(current)) {
      guard willBeKey, options.secret else {
        throw .error(
          "profile '\(name)' is a \(current.credential.kind.rawValue) profile; to make it a key profile give both --key-id ID and --secret"
        )
      }
      let s = try context.readSecret(prompt: "Key secret for \(name): ")
      try validateKeySecret(s)
      secret = s
    }
    if options.userToken {
      token = try JWT(validating: try context.readSecret(prompt: "User token for \(name): "))
    }
    for r in removals where current.env?[r] == nil {
      throw .error(
        "profile '\(name)' has no extra variable \(quoted(r)); its variables: \(current.extraVariables.map(\.name).joined(separator: " "))"
      )
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
    try Guard.check(name: name, profile: profile, store: store, context: context, refusable: false)
    if let warning = ClearText.warning(name: name, profile: profile) { context.warn(warning) }
    if options.production == true || server != nil { try warnOthers(on: profile.server, except: name, store, context) }
    try placement?.finish(context: context)
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

  // MARK: list

  static let list = CommandSpec(
    .list, usage: "[--json]", summary: "List the profiles (never a secret).",
    options: [.flag(.json, "Print JSON for scripts.")],
    discussion: "Columns: * marks the profile active in this shell; (default) the profile a new shell starts with.",
    run: { invocation, context throws(Failure) in try runList(ListOptions(invocation), context) })

  /// `list`'s command line, parsed once.
  struct ListOptions {
    let json: Bool

    init(_ invocation: Invocation) { json = invocation.has(.json) }
  }

  static func runList(_ options: ListOptions, _ context: Context) throws(Failure) {
    let store = try context.loadStore()
    let production = store.productionHosts()
    let active = context.activeName
    var rows: [ProfileSummary] = []
    for name in store.names {
      let profile = try context.requireProfile(name, in: store, command: .list)
      rows.append(
        ProfileSummary(
          name: name, profile: profile, production: production.contains(profile.server.host),
          isDefault: store.defaultName == name, isActive: active == name))
    }
    if options.json {
      context.emit(JSON.array(rows.map { $0.json(now: context.now) }).pretty())
      return
    }
    if rows.isEmpty {
      context.note("no profiles yet; add one with: conductor-profile add NAME --server URL --key-id ID")
      return
    }
    let table =
      [["", "NAME", "SERVER", "AUTH", "PRODUCTION", "TOKEN EXPIRES"]]
      + rows.map { row in
        [
          row.isActive ? "*" : "", row.name + (row.isDefault ? " (default)" : ""), row.profile.server.url,
          row.profile.credential.kind.rawValue, row.production ? "yes" : "no", row.expiryText(now: context.now),
        ].map { TerminalText.sanitize($0) }
      }
    let widths = (0..<6).map { column in table.map { $0[column].count }.max()! }
    for (index, cells) in table.enumerated() {
      var line = ""
      for column in 0..<6 {
        var cell = cells[column]
        let pad = column == 5 ? "" : String(repeating: " ", count: widths[column] - cell.count + (column == 0 ? 1 : 2))
        if context.color, index > 0 {
          let row = rows[index - 1]
          if column == 1 && row.isActive { cell = "\u{1B}[1m\(cell)\u{1B}[0m" }
          if column == 4 && row.production { cell = "\u{1B}[31m\(cell)\u{1B}[0m" }
          if column == 3 && row.profile.credential.kind == .userToken { cell = "\u{1B}[33m\(cell)\u{1B}[0m" }
        }
        line += cell + pad
      }
      while line.hasSuffix(" ") { line.removeLast() }
      // Sanitised cell by cell above, so the colour codes added here stay.
      context.emit(line + "\n")
    }
  }

  // MARK: show

  static let show = CommandSpec(
    .show, usage: "[NAME] [--json] [--reveal]", summary: "Show one profile; secrets masked unless --reveal.",
    arguments: [ArgumentSpec("NAME", "The profile (default: the one active in this shell).")],
    options: [.flag(.json, "Print JSON (secrets null unless --reveal)."), .flag(.reveal, "Show the key secret or token.")],
    positionals: 0...1, run: { invocation, context throws(Failure) in try runShow(ShowOptions(invocation), context) })

  /// `show`'s command line, parsed once.
  struct ShowOptions {
    /// NAME, nil for the active profile.
    let name: String?
    let json: Bool
    let reveal: Bool

    init(_ invocation: Invocation) {
      name = invocation.positionals.first
      json = invocation.has(.json)
      reveal = invocation.has(.reveal)
    }
  }

  static func runShow(_ options: ShowOptions, _ context: Context) throws(Failure) {
    let name = try context.profileNameOrActive(options.name, command: .show)
    let store = try context.loadStore()
    var profile = try context.requireProfile(name, in: store, command: .show)
    let reveal = options.reveal
    if reveal { profile = try profile.resolvingSecret(name: name, context: context) }
    let summary = ProfileSummary(
      name: name, profile: profile, production: store.isProduction(profile.server), isDefault: store.defaultName == name,
      isActive: context.activeName == name)
    if options.json {
      guard case .object(var object) = summary.json(now: context.now) else { return }
      guard case .object(let stored) = try profile.portableJSON(name: name, reveal: reveal, context: context) else { return }
      object["auth"] = stored["auth"]
      object["serverType"] = .string(profile.effectiveServerType.rawValue)
      for (k, v) in profile.unknown { object[k] = object[k] ?? v }
      context.emit(JSON.object(object).pretty())
      return
    }
    let masked = "******** (--reveal to show)"
    var lines: [(String, String)] = [("name", name), ("server", profile.server.url)]
    let flagged = profile.isFlaggedProduction
    lines.append(
      ("production", summary.production ? (flagged ? "yes" : "yes (another profile flags this server as production)") : "no"))
    switch profile.credential {
    case .key(let id, let secret):
      lines += [("auth", "key (application access key)"), ("key id", id), ("key secret", reveal ? secret.text : masked)]
    case .userToken(let jwt):
      lines += [
        ("auth", "user-token (a person's token: prototyping only, never production)"), ("token", reveal ? jwt.raw : masked),
      ]
      if let subject = jwt.subject { lines.append(("token for", subject)) }
      lines.append(("token expires", summary.expiryText(now: context.now, long: true)))
      lines.append(
        ("used by", "the conductor CLI and curl (token --header); the SDKs read no token and need an access key (--key-id)"))
    case .none:
      lines.append(("auth", "none"))
    }
    let inferred = profile.serverType == nil ? " (from the credential)" : ""
    lines.append(("server type", profile.effectiveServerType.rawValue + inferred))
    if let kept = profile.secretStore { lines.append(("secret store", kept.label)) }
    if let d = profile.description { lines.append(("description", d)) }
    if let c = profile.color { lines.append(("color", c.rawValue)) }
    for v in profile.extraVariables { lines.append(("env", "\(v.name)=\(v.value)")) }
    lines.append(("default", summary.isDefault ? "yes" : "no"))
    lines.append(("active", summary.isActive ? "yes (in this shell)" : "no"))
    for (key, value) in lines { context.print((key + ":").padding(to: 15) + value) }
    if Guard.isUserTokenOnProduction(profile, in: store) {
      context.warn(Guard.reason(name: name, server: profile.server.url))
    }
  }

  // MARK: rename, copy, remove

  static let rename = CommandSpec(
    .rename, usage: "OLD NEW", summary: "Rename a profile (the default follows).",
    arguments: [ArgumentSpec("OLD", "The profile to rename."), ArgumentSpec("NEW", "Its new name.")], positionals: 2...2,
    run: { invocation, context throws(Failure) in try move(try MoveOptions(invocation), context, keepSource: false) })

  static let copy = CommandSpec(
    .copy, usage: "SOURCE NEW", summary: "Copy a profile under a new name.",
    arguments: [ArgumentSpec("SOURCE", "The profile to copy."), ArgumentSpec("NEW", "The copy's name.")], positionals: 2...2,
    run: { invocation, context throws(Failure) in try move(try MoveOptions(invocation), context, keepSource: true) })

  /// `rename`'s and `copy`'s command line, parsed once: the new name is checked before the store is read.
  struct MoveOptions {
    let command: CommandName
    let source: String
    let target: ProfileName

    init(_ invocation: Invocation) throws(Failure) {
      command = invocation.command.command
      source = invocation.positionals[0]
      target = try ProfileName(validating: invocation.positionals[1])
    }
  }

  static func move(_ options: MoveOptions, _ context: Context, keepSource: Bool) throws(Failure) {
    let source = options.source
    let target = options.target.value
    let command = options.command
    // Check before taking the lock, so a mistyped name creates no directory or lock file; checked again under it.
    let current = try context.loadStore()
    if !current.contains(source) { throw context.noSuchProfile(source, in: current, command: command) }
    if current.contains(target) {
      throw .error("a profile named '\(target)' already exists; remove it first or choose another name")
    }
    let placement = try SecretPlacement.forMove(
      source: source, target: target, keepSource: keepSource, store: current, context: context)
    var stored = false
    defer { if !stored { placement?.rollback(context: context) } }
    try context.store().update { (store: inout Store) throws(Failure) in
      guard let raw = store.rawProfile(named: source) else { throw context.noSuchProfile(source, in: store, command: command) }
      if store.contains(target) {
        throw .error("a profile named '\(target)' already exists; remove it first or choose another name")
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
    } else {
      TokenCache(environment: context.environment).forget(source)
      context.print("renamed profile '\(source)' to '\(target)'")
      if context.activeName == source {
        context.note("note: this shell still has '\(source)' active; switch with: conductor-profile use \(target)")
      }
    }
    try placement?.finish(context: context)
  }

  static let remove = CommandSpec(
    .remove, usage: "NAME...", summary: "Remove profiles (the default is cleared if removed).",
    arguments: [ArgumentSpec("NAME", "The profiles to remove.")], positionals: 1...Int.max,
    run: { invocation, context throws(Failure) in try runRemove(RemoveOptions(invocation), context) })

  /// `remove`'s command line, parsed once.
  struct RemoveOptions {
    let names: [String]

    init(_ invocation: Invocation) { names = invocation.positionals }
  }

  static func runRemove(_ options: RemoveOptions, _ context: Context) throws(Failure) {
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

  // MARK: default

  static let defaultCommand = CommandSpec(
    .defaultCommand, usage: "[NAME | --unset]", summary: "Show or set the profile a new shell starts with.",
    arguments: [ArgumentSpec("NAME", "The profile to make the default.")],
    options: [.flag(.unset, "No default: new shells start with no profile.")],
    positionals: 0...1, run: { invocation, context throws(Failure) in try runDefault(try DefaultOptions(invocation), context) })

  /// `default`'s command line, parsed once: show the default, clear it, or set it to a name.
  enum DefaultOptions {
    case show, unset
    case set(String)

    init(_ invocation: Invocation) throws(Failure) {
      if invocation.has(.unset) {
        guard invocation.positionals.isEmpty else { throw invocation.usageError("give NAME or --unset, not both") }
        self = .unset
      } else {
        self = invocation.positionals.first.map(DefaultOptions.set) ?? .show
      }
    }
  }

  static func runDefault(_ options: DefaultOptions, _ context: Context) throws(Failure) {
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

/// What list and show say about a profile.
struct ProfileSummary {
  let name: String
  let profile: Profile
  let production: Bool
  let isDefault: Bool
  let isActive: Bool

  var expires: Int64? {
    if case .userToken(let jwt) = profile.credential { return jwt.expires }
    return nil
  }

  func expiryText(now: Int64, long: Bool = false) -> String {
    guard let exp = expires else { return long ? "never (no exp claim)" : "-" }
    let state = exp <= now ? "expired" : relativeTime(exp, now: now)
    return "\(formatUTC(exp)) (\(state))"
  }

  func json(now: Int64) -> JSON {
    var object: [String: JSON] = [
      "name": .string(name), "server": .string(profile.server.url), "auth": .string(profile.credential.kind.rawValue),
      "production": .bool(production), "default": .bool(isDefault), "active": .bool(isActive),
    ]
    if let d = profile.description { object["description"] = .string(d) }
    if let exp = expires {
      object["tokenExpires"] = .integer(exp)
      object["tokenExpired"] = .bool(exp <= now)
    }
    if case .userToken(let jwt) = profile.credential, let s = jwt.subject { object["tokenSubject"] = .string(s) }
    if case .key(let id, _) = profile.credential { object["keyId"] = .string(id) }
    if let kept = profile.secretStore { object["secretStore"] = .string(kept.kind.rawValue) }
    if let env = profile.env { object["env"] = .object(env.mapValues { .string($0) }) }
    return .object(object)
  }
}
