import ConductorNetwork
import ProfileModel

/// `set`: change only the fields given.
enum SetCommand {
  static let spec = CommandSpec(
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
    run: { invocation, context throws(Failure) in try run(try Options(invocation), context) })

  /// `set`'s command line, parsed once: every value checked before the store is read. A double optional
  /// is "not given" (nil), "remove it" (`.some(nil)`) or a new value.
  struct Options {
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
}
