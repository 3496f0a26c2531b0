import ConductorNetwork
import ProfileModel

/// `show`: one profile, secrets masked unless `--reveal`.
enum ShowCommand {
  static let spec = CommandSpec(
    .show, usage: "[NAME] [--json] [--reveal [--yes]]", summary: "Show one profile; secrets masked unless --reveal.",
    arguments: [ArgumentSpec("NAME", "The profile (default: the one active in this shell).", completes: .profiles)],
    options: [
      .flag(.json, "Print JSON (secrets null unless --reveal)."), .flag(.reveal, "Show the key secret or token."),
      .flag(.yes, "With confirmProduction: reveal a production profile's secret without asking (needed without a terminal)."),
    ],
    positionals: 0...1, run: { invocation, context throws(Failure) in try run(Options(invocation), context) })

  /// `show`'s command line, parsed once.
  struct Options {
    /// NAME, nil for the active profile.
    let name: String?
    let json: Bool
    let reveal: Bool
    let yes: Bool

    init(_ invocation: Invocation) {
      name = invocation.positionals.first
      json = invocation.has(.json)
      reveal = invocation.has(.reveal)
      yes = invocation.has(.yes)
    }
  }

  static func run(_ options: Options, _ context: Context) throws(Failure) {
    let name = try context.profileNameOrActive(options.name, command: .show)
    let store = try context.loadStore()
    var profile = try context.requireProfile(name, in: store, command: .show)
    let reveal = options.reveal
    if reveal {
      // The gate, before any secret store is asked: the guard and confirmProduction.
      try Gate.pass(
        name: name, profile: profile, store: store, production: store.isProduction(profile), door: .reveal(.show),
        yes: options.yes, context)
      profile = try profile.resolvingSecret(name: name, context: context)
    }
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
    // A catalog's profile whose secret was never given has none to mask (or reveal: resolvingSecret refused).
    let masked =
      profile.lacksCatalogSecret
      ? "(none yet: conductor-profile set \(name) \(profile.credential.kind == .userToken ? "--user-token" : "--secret"))"
      : "******** (--reveal to show)"
    var lines: [(String, String)] = [("name", name), ("server", profile.server.url)]
    let decider = store.productionProfile(for: profile.server)
    let anotherFlags = decider.map { $0 != name && ((try? store.profile(named: $0))??.isFlaggedProduction ?? false) } ?? false
    let why =
      profile.isFlaggedProduction
      ? "yes"
      : anotherFlags
        ? "yes (another profile flags this server as production)"
        : profile.isProductionByName
          ? "yes (its host's name says so; conductor-profile set \(name) --no-production if it is not)"
          : store.productionFloor[profile.server.host].map { "yes (the team catalog '\($0)' marks this host production)" }
            ?? "yes (another profile of this host is production by its host's name)"
    lines.append(("production", summary.production ? why : "no"))
    if let marker = Catalog.marker(of: store.rawProfile(named: name), profile: name) {
      lines.append(("source", "catalog \(marker.name) (\(marker.path))"))
    }
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
    if let info = profile.keyInfo {
      if let application = info.applicationID {
        lines.append(("application", info.applicationName.map { "\($0) (\(application))" } ?? application))
      }
      if let created = info.createdAt {
        let age = info.age(now: context.now) ?? 0
        lines.append(("key made", "\(formatUTC(created / 1000)) (\(KeyAge.text(age)) ago)"))
      }
      if let status = info.status {
        lines.append(("key state", status == .inactive ? "paused (INACTIVE): it cannot mint a token" : "active"))
      }
      if let roles = info.roles { lines.append(("roles", roles.isEmpty ? "(none)" : roles.joined(separator: ", "))) }
    }
    if let pending = profile.pendingKey {
      lines.append(("pending key", "\(pending.summary); finish it with: conductor-profile rotate \(name)"))
    }
    lines.append(("server type", profile.effectiveServerType.rawValue + inferred))
    if let kept = profile.secretStore { lines.append(("secret store", kept.label)) }
    if let d = profile.description { lines.append(("description", d)) }
    if let c = profile.color { lines.append(("color", c.rawValue)) }
    for v in profile.extraVariables { lines.append(("env", "\(v.name)=\(v.value)")) }
    lines.append(("default", summary.isDefault ? "yes" : "no"))
    lines.append(("active", summary.isActive ? "yes (in this shell)" : "no"))
    // One line each: a value from a catalog, a hand-edited store or a server (a description, an application's
    // name, a role) cannot start a line of its own (a forged "production: no").
    for (key, value) in lines { context.print((key + ":").padding(to: 15) + TerminalText.sanitize(value, singleLine: true)) }
    for finding in Guard.judge(profile, in: store) { context.warn(Guard.reason(finding, name: name, profile: profile)) }
  }
}
