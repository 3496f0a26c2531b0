import ConductorNetwork
import ProfileModel

/// `add`: a new profile (the secret from standard input, a no-echo prompt, or a secret store).
enum AddCommand {
  static let spec = CommandSpec(
    .add,
    usage:
      "NAME --server URL (--key-id ID | --user-token | --no-auth) [--production | --no-production] [--server-type OSS|Enterprise] [--secret-store STORE] [--color COLOR] [--description TEXT] [--env NAME=VALUE]... [--force]",
    summary: "Add a profile.",
    arguments: [ArgumentSpec("NAME", "The profile's name: letters, digits, '.', '_', '-'.")],
    options: [
      .value(.server, "URL", "The Conductor server (https://host[/path]; stored ending in /api)."),
      .value(.keyID, "ID", "An application access key id; the secret is read from standard input or prompted for."),
      .flag(.userToken, "A user token (JWT) copied from the UI, read from standard input or prompted for. Non-production."),
      .flag(.noAuth, "A server without authentication (open-source Conductor)."),
      .flag(.production, "Flag the server as a production cluster."),
      .flag(.noProduction, "Say the server is not production, whatever its host's name says."),
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
    run: { invocation, context throws(Failure) in try run(try Options(invocation), context) })

  /// `add`'s command line, parsed once: `run` reads these, never the invocation.
  struct Options {
    /// The credential asked for: `--key-id ID`, `--user-token` or `--no-auth` (nil: none of them).
    enum Auth {
      case key(id: String)
      case userToken, none
    }
    let name: ProfileName
    let server: Server
    let auth: Auth?
    /// `--production` (true), `--no-production` (false), or neither (nil: the host's name judges).
    let production: Bool?
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
      try invocation.exclusive(.production, .noProduction)
      production = invocation.has(.production) ? true : invocation.has(.noProduction) ? false : nil
      serverType = try ServerType.given(invocation) ?? nil
      description = invocation.value(.description)
    }
  }

  static func run(_ options: Options, _ context: Context) throws(Failure) {
    let name = options.name.value
    let server = options.server
    let extras = options.extras
    let file = try context.store()
    // Say "exists" before asking for a secret; the check is made again under the lock.
    let before = try file.load()
    if !options.force, before.contains(name) { throw exists(name) }
    let keptAt = try SecretCommands.forAdd(options.secretStore, store: before, hasSecret: !isNoAuth(options.auth))
    // The user gives this command now: approved for this profile before it first runs.
    try SecretCommands.approveGiven(keptAt, name: name, context: context)
    // Advice may name the profile only when it exists (add --force over it).
    let stored = before.contains(name)

    let credential: Credential
    switch options.auth {
    case .key(let id):
      try validateKeyID(id)
      let secret = try SecretCommands.newSecret(
        keptAt, name: name, prompt: "Key secret for \(name): ", stored: stored, context: context)
      try validateKeySecret(secret)
      credential = .key(id: id, secret: Secret(secret))
    case .userToken:
      let token = try SecretCommands.newSecret(
        keptAt, name: name, prompt: "User token for \(name): ", stored: stored, context: context)
      credential = .userToken(try JWT(validating: token))
    case .none?:
      credential = .none
    case nil:
      throw .usage("give one credential: --key-id ID, --user-token or --no-auth", command: .add)
    }
    var profile = Profile(server: server, credential: credential)
    profile.production = options.production
    profile.serverType = options.serverType
    if let color = options.color { profile.color = color }
    if let d = options.description { profile.description = d }
    if !extras.isEmpty { profile.env = Dictionary(extras.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 }) }
    try Limits.checkSwitchSize(Switch.exports(name: name, profile: profile, production: true), name: name)
    let placement = try SecretPlacement.prepare(
      name: name, secret: profile.secretText, target: keptAt, previous: (try? before.profile(named: name))??.secretStore,
      readFromTarget: keptAt?.kind == .command, stored: stored, context: context)
    try placement.apply(to: &profile)

    var written = false
    defer { if !written { placement.rollback(context: context) } }
    let store = try file.update { (store: inout Store) throws(Failure) -> Store in
      if !options.force, store.contains(name) { throw exists(name) }
      if profile.production == false { store.makeFalseExplicit() }
      store.setProfile(profile, named: options.name)
      return store
    }
    written = true
    TokenCache(environment: context.environment).forget(name)
    context.print(
      "added profile '\(name)' (\(credential.kind.rawValue), \(server.url)\(keptAt.map { ", secret in \($0.label)" } ?? ""))")
    SetCommand.sayProduction(name: name, profile: profile, store: store, context: context)
    try Guard.check(name: name, profile: profile, store: store, context: context, refusable: false)
    if let warning = ClearText.warning(name: name, profile: profile) { context.warn(warning) }
    if profile.isJudgedProduction { try SetCommand.warnOthers(on: server, except: name, store, context) }
    if case .userToken(let jwt) = credential, let exp = jwt.expires, exp <= context.now {
      context.warn("the user token of profile '\(name)' has already expired (\(formatUTC(exp)))")
    }
    try placement.finish(context: context)
  }

  private static func isNoAuth(_ auth: Options.Auth?) -> Bool {
    if case .none? = auth { return true }
    return false
  }

  static func exists(_ name: String) -> Failure {
    .invalid(.nameTaken(name, by: .add))
  }
}
