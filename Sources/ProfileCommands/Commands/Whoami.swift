import ConductorNetwork
import ProfileModel

/// `whoami [NAME] [--json]`: who a profile's credential is on its server (user or application, name, id),
/// its roles and groups, and when its token expires. For a key profile it also records what it learnt
/// about the key (application, roles, age, state) in the store, for `list`, `show`, `doctor` and
/// `adminOnProduction`.
enum WhoamiCommand {
  static let spec = CommandSpec(
    .whoami, usage: "[NAME] [--json]", summary: "Show who a profile's credential is on its server, with roles.",
    arguments: [ArgumentSpec("NAME", "The profile (default: the one active in this shell).", completes: .profiles)],
    options: [.flag(.json, "Print JSON.")],
    positionals: 0...1,
    discussion: """
      GET {server}/token/userInfo with the profile's token (a key profile mints a fresh one: POST
      {server}/token). For an application key, also GET {server}/applications/key/KEY_ID and GET
      {server}/applications/APP/accessKeys, and remembers the application, its roles and the key's age and
      state in the store. On a production profile whose credential has an admin role (ADMIN, or a *_MANAGER
      role), a warning: an everyday shell does not need admin on production.
      """,
    run: { invocation, context throws(Failure) in try run(Options(invocation), context) })

  struct Options {
    let name: String?
    let json: Bool

    init(_ invocation: Invocation) {
      name = invocation.positionals.first
      json = invocation.has(.json)
    }
  }

  static func run(_ options: Options, _ context: Context) throws(Failure) {
    let name = try context.profileNameOrActive(options.name, command: .whoami)
    let store = try context.loadStore()
    let stored = try context.requireProfile(name, in: store, command: .whoami)
    let profile = try stored.resolvingSecret(name: name, context: context)
    let token: String
    var expires: Int64?
    switch profile.credential {
    case .key(let id, let secret):
      let answer = try Minting.post(server: profile.server, keyID: id, secret: secret.text, context: context)
      if let paused = Minting.pausedRefusal(answer, name: name, profile: stored, keyID: id) { throw paused }
      let minted = try Minting.token(from: answer, name: name, server: profile.server, keyID: id, context: context)
      token = minted.token
      expires = minted.expires
    case .userToken(let jwt):
      if let exp = jwt.expires, exp <= context.now {
        throw .error(
          "the user token of profile '\(name)' expired \(relativeTime(exp, now: context.now)) (\(formatUTC(exp))); copy a new one from the Conductor UI and run: conductor-profile set \(name) --user-token"
        )
      }
      token = jwt.raw
      expires = jwt.expires
    case .none:
      throw .error("profile '\(name)' has no credential (auth none: its server needs no authentication), so it is nobody")
    }
    let api = ApplicationAPI(server: profile.server, token: token, environment: context.environment)
    let info = try api.userInfo()
    let roles = names(info["roles"], key: "name")
    let groups = names(info["groups"], key: "id")
    let isApplication = info["applicationUser"]?.boolValue == true || stored.credential.kind == .key
    var application: ApplicationAPI.Application?
    var key: ApplicationAPI.Key?
    if case .key(let id, _) = stored.credential {
      application = try? api.application(owning: id)
      if let application { key = (try? api.listKeys(of: application.id))?.first { $0.id == id } }
      var known = stored.keyInfo ?? KeyInfo(keyID: id)
      known.roles = KeyInfo.kept(roles: roles)
      if let application {
        known.applicationID = application.id
        known.applicationName = application.name ?? known.applicationName
      }
      if let key {
        known.createdAt = key.createdAt ?? known.createdAt
        known.status = key.status ?? known.status
      }
      if known != stored.keyInfo { remember(known, name: name, context: context) }
    }
    let production = store.isProduction(stored)
    let admin = roles.filter(KeyInfo.isAdminRole)
    if options.json {
      var object: [String: JSON] = [
        "profile": .string(name), "server": .string(stored.server.url),
        "kind": .string(isApplication ? "application" : "user"),
        "roles": .array(roles.map { .string($0) }), "groups": .array(groups.map { .string($0) }),
        "production": .bool(production), "expires": expires.map { .integer($0) } ?? .null,
      ]
      if let id = info["id"]?.stringValue { object["id"] = .string(id) }
      if let user = info["name"]?.stringValue { object["name"] = .string(user) }
      if let application {
        var app: [String: JSON] = ["id": .string(application.id)]
        if let n = application.name { app["name"] = .string(n) }
        object["application"] = .object(app)
      }
      if case .key(let id, _) = stored.credential {
        var k: [String: JSON] = ["id": .string(id)]
        if let created = key?.createdAt { k["createdAt"] = .integer(created) }
        if let status = key?.status { k["status"] = .string(status.rawValue) }
        object["key"] = .object(k)
      }
      context.emit(JSON.object(object).pretty())
    } else {
      var lines: [(String, String)] = [("profile", name), ("server", stored.server.url)]
      lines.append(("kind", isApplication ? "application" : "user"))
      let userName = info["name"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
      let id = info["id"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
      if let userName { lines.append(("name", userName)) }
      if let id { lines.append(("id", id)) }
      if let application {
        lines.append(("app", application.name.map { "\($0) (\(application.id))" } ?? application.id))
      }
      if case .key(let keyID, _) = stored.credential {
        var text = keyID
        if let key, let created = key.createdAt {
          text += ", made \(relativeTime(created / 1000, now: context.now)) (\(formatUTC(created / 1000)))"
        }
        if key?.status == .inactive { text += ", paused" }
        lines.append(("key", text))
      }
      lines.append(("roles", roles.isEmpty ? "(none)" : roles.joined(separator: ", ")))
      if !groups.isEmpty { lines.append(("groups", groups.joined(separator: ", "))) }
      lines.append(("expires", VerifyCommand.expiry(expires, now: context.now)))
      // One line each: a name, id or role the server gave cannot start a line of its own (a forged "roles").
      for (label, value) in lines {
        context.print("\(VerifyCommand.pad(label)) \(TerminalText.sanitize(value, singleLine: true))")
      }
    }
    if production, !admin.isEmpty {
      context.warn(
        "profile '\(name)' is on the production server \(stored.server.url) with an admin role (\(admin.joined(separator: ", "))); an everyday shell does not need admin on production: use a key of an application with only the roles it needs (conductor-profile promote --role)"
      )
    }
  }

  /// The names in a list of objects (`roles[].name`, `groups[].id`) or of strings.
  static func names(_ value: JSON?, key: String) -> [String] {
    guard case .array(let items)? = value else { return [] }
    return items.compactMap { $0.objectValue?[key]?.stringValue ?? $0.stringValue }
  }

  /// Records what the server said about the key (a failure to write is a warning: whoami only reads).
  static func remember(_ info: KeyInfo, name: String, context: Context) {
    do throws(Failure) {
      let profileName = try ProfileName(validating: name)
      try context.store().update { (store: inout Store) throws(Failure) in
        guard var profile = try store.profile(named: name), case .key(let id, _) = profile.credential, id == info.keyID
        else { return }
        profile.keyInfo = info
        store.setProfile(profile, named: profileName)
      }
    } catch {
      context.warn("what the server said about the key of profile '\(name)' was not recorded: \(error.description)")
    }
  }
}
