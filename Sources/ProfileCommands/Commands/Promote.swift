import ConductorNetwork
import ProfileModel

/// `promote NAME [--to NEW] [--application APP] [--role ROLE]… [--production] [--secret-store S]`: from a
/// user-token profile, an application with its roles and a key on the server, stored as a `key` profile
/// whose secret goes straight into its store and is verified before the command reports success.
enum PromoteCommand {
  /// The role an application gets when no --role is given: WORKER polls and updates tasks, which is
  /// what most unattended code (workers, scripts that start workflows through workers) needs, and it is
  /// not an admin role. Anything more is asked for by name.
  static let defaultRoles = ["WORKER"]

  /// Orkes roles offered by completion for --role (any other role name is accepted too).
  static let knownRoles = ["ADMIN", "METADATA_API", "METADATA_MANAGER", "USER", "USER_READ_ONLY", "WORKER", "WORKFLOW_MANAGER"]

  static let spec = CommandSpec(
    .promote, usage: "NAME [--to NEW] [--application APP] [--role ROLE]... [--production] [--secret-store STORE]",
    summary: "Turn a user-token profile into an application key profile (application, roles, key).",
    arguments: [ArgumentSpec("NAME", "A user-token profile: its token makes the application and the key.", completes: .profiles)],
    options: [
      .value(.to, "NEW", "The key profile to write (default: NAME-key); NAME itself replaces the user-token profile."),
      .value(.application, "APP", "The application's name (default: NEW-USER, from the token's user)."),
      .value(.role, "ROLE", repeatable: true, "A role for the application (default: WORKER), such as METADATA_API."),
      .flag(.production, "Flag the new profile production (default: as NAME)."),
      .value(.secretStore, "STORE", "Where the new secret goes: file, secret-service, pass or keychain (default: the store's)."),
    ],
    positionals: 1...1,
    discussion: """
      With NAME's user token: GET {server}/token/userInfo (who you are), POST {server}/applications, POST
      {server}/applications/APP/roles/ROLE for each role, POST {server}/applications/APP/accessKeys. The
      key's secret, shown once by the server, is kept at once (locked and synced) as a pending key, then
      verified by minting a token (POST {server}/token) before the new profile is written. Only an admin
      may grant an admin role (ADMIN, *_MANAGER): the server answers 403, and promote names the
      application it made and the command that removes it. An interrupted promote is finished by
      'conductor-profile rotate NAME' (or doctor --fix). The secret is never printed and never on a
      command line. See docs/keys.md.
      """,
    run: { invocation, context throws(Failure) in try run(try Options(invocation), context) })

  struct Options {
    let name: String
    let target: String?
    let application: String?
    let roles: [String]
    let production: Bool
    let secretStore: String?

    init(_ invocation: Invocation) throws(Failure) {
      name = invocation.positionals[0]
      target = invocation.value(.to)
      application = invocation.value(.application)
      roles = invocation.all(.role)
      production = invocation.has(.production)
      secretStore = invocation.value(.secretStore)
      for role in roles where !PromoteCommand.isRoleName(role) {
        throw invocation.usageError(
          "invalid role \(quoted(role)) for --role: use the role's name in capitals, such as WORKER or METADATA_API",
          option: .role)
      }
      if let target {
        do throws(Failure) { _ = try ProfileName(validating: target) } catch {
          throw invocation.usageError(error.description, option: .to)
        }
      }
      if let application,
        application.isEmpty || application.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
      {
        throw invocation.usageError("--application needs a name without control characters", option: .application)
      }
      if let secretStore {
        let kind: SecretStoreKind
        do throws(Failure) { kind = try SecretStoreKind(validating: secretStore) } catch {
          throw invocation.usageError(
            error.description, option: .secretStore,
            suggestion: Suggest.nearest(secretStore, in: SecretStoreKind.allCases.map(\.rawValue)))
        }
        if kind == .command {
          throw invocation.usageError(
            "--secret-store command cannot keep a new secret (a command only reads one); use file, secret-service, pass or keychain",
            option: .secretStore)
        }
      }
    }
  }

  static func isRoleName(_ role: String) -> Bool {
    !role.isEmpty && role.count <= 64
      && role.unicodeScalars.allSatisfy { ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9") || $0 == "_" }
  }

  static func run(_ options: Options, _ context: Context) throws(Failure) {
    let name = options.name
    let store = try context.loadStore()
    let profile = try context.requireProfile(name, in: store, command: .promote)
    if let pending = profile.pendingKey {
      throw .error(
        "profile '\(name)' has an unfinished \(pending.operation.rawValue) (\(pending.summary)); finish it first with: conductor-profile rotate \(name)"
      )
    }
    let jwt: JWT
    switch profile.credential {
    case .userToken(let token): jwt = token
    case .key:
      throw .error(
        "profile '\(name)' already holds an application key; to give it a new one, run: conductor-profile rotate \(name)")
    case .none:
      throw .error("profile '\(name)' has no credential (auth none), so there is no token to make an application with")
    }
    let target = options.target ?? "\(name)-key"
    let targetName = try ProfileName(validating: target)
    if target != name, store.contains(target) {
      throw .invalid(.nameTaken(target, by: .promote(from: name)))
    }
    let kind: SecretStoreKind
    if let text = options.secretStore {
      kind = try SecretStoreKind(validating: text)
    } else {
      kind = try store.defaultSecretStore()
    }
    if kind != .file, kind != .command, SecretHelper.locate(kind.program, environment: context.environment) == nil {
      throw .error(
        "cannot keep the new secret in \(kind.rawValue): \(kind.program) is not installed or not on PATH; \(kind.installHint)")
    }
    if let exp = jwt.expires, exp <= context.now {
      throw .error(
        "the user token of profile '\(name)' expired \(relativeTime(exp, now: context.now)); copy a new one from the Conductor UI and run: conductor-profile set \(name) --user-token"
      )
    }
    let admin = options.roles.filter(KeyInfo.isAdminRole)
    if !admin.isEmpty, options.production || store.isProduction(profile) {
      context.warn(
        "the application will have an admin role (\(admin.joined(separator: ", "))) on the production server \(profile.server.url); an everyday shell does not need admin on production"
          + ((try? store.adminOnProduction()) != nil ? ", and the store's adminOnProduction will judge this profile" : ""))
    }
    let token = try profile.resolvingSecret(name: name, context: context).secretText
    let api = ApplicationAPI(server: profile.server, token: token, environment: context.environment)
    // 1. Who the token is (and that it works).
    let info = try api.userInfo()
    let user = info["id"]?.stringValue ?? jwt.subject ?? "user"
    let applicationName = options.application ?? defaultApplicationName(target: target, user: user)
    let work = try KeyRotation(name: name, context: context)
    var pending = PendingKey(operation: .promote, startedAt: context.now)
    pending.applicationName = applicationName
    pending.target = targetName.value
    pending.roles = options.roles.isEmpty ? defaultRoles : options.roles
    pending.targetSecretStore = kind
    pending.production = options.production ? true : profile.production
    // 2. Recorded before the application is made; then the application, recorded at once.
    try work.record(pending)
    let application: ApplicationAPI.Application
    do throws(Failure) {
      application = try api.createApplication(named: applicationName)
    } catch {
      try work.record(nil)
      throw .error(
        "\(error.description); nothing was stored. If the request reached the server, an application named \(quoted(applicationName)) may exist: check Access Control > Applications"
      )
    }
    pending.applicationID = application.id
    try work.record(pending)
    context.note("created: application \(quoted(applicationName)) (id \(application.id))")
    try createRolesAndKey(work, &pending, api: api)
    try finish(work, pending)
  }

  /// `NEW-USER`: the target profile and the part of the user's id before any '@', in letters, digits, . _ -.
  static func defaultApplicationName(target: String, user: String) -> String {
    let local = user.split(separator: "@").first.map(String.init) ?? user
    let cleaned = String(
      local.unicodeScalars.filter {
        ProfileName.isAlnum(UInt8(truncatingIfNeeded: $0.value)) && $0.isASCII || $0 == "." || $0 == "_" || $0 == "-"
      })
    return cleaned.isEmpty ? target : "\(target)-\(cleaned)"
  }

  /// The roles, then the key, its secret kept at once. A role the server refuses (403) ends the promote:
  /// the application is named with the command that removes it, and the record is removed.
  static func createRolesAndKey(_ work: KeyRotation, _ pending: inout PendingKey, api: ApplicationAPI) throws(Failure) {
    guard let application = pending.applicationID else { return }
    for role in pending.roles {
      if let refusal = try api.addRole(role, to: application) {
        try work.record(nil)
        throw .error(
          "\(refusal.description); the application \(quoted(pending.applicationName ?? application)) (id \(application)) was made without its roles and no key was created. Remove it with: \(api.deleteApplicationCommand(application, profile: work.name)) — or ask an admin for the role, or choose roles you may grant (--role)"
        )
      }
      work.context.note("granted: role \(role)")
    }
    let key: ApplicationAPI.NewKey
    do throws(Failure) {
      key = try api.createKey(for: application)
    } catch {
      throw .error(
        "\(error.description); the application \(quoted(application)) is recorded: run conductor-profile rotate \(work.name) to finish the promote"
      )
    }
    do throws(Failure) {
      try work.keep(key, in: &pending, preferring: pending.targetSecretStore)
    } catch {
      let removal: String
      do throws(Failure) {
        try api.deleteKey(key.id, of: application)
        removal = "it was deleted again"
      } catch {
        removal = "delete it with: \(api.deleteKeyCommand(key.id, of: application, profile: work.name))"
      }
      throw .error("the new key \(quoted(key.id)) could not be stored (\(error.description)); \(removal)")
    }
    work.context.note("stored: the new key \(quoted(key.id)) is kept as a pending key")
  }

  /// Finishes a promote from its record: roles and key when not yet made, then verify the key and write
  /// the key profile; the record goes with that same write.
  static func finish(_ work: KeyRotation, _ start: PendingKey) throws(Failure) {
    var pending = start
    let (name, context) = (work.name, work.context)
    var (source, _) = try work.profile()
    if pending.step == .creating {
      guard pending.applicationID != nil else {
        try work.record(nil)
        context.warn(
          "the interrupted promote of profile '\(name)' may have made an application named \(quoted(pending.applicationName ?? "?")) before it could record it: check Access Control > Applications and remove it if it is there"
        )
        context.note("rolled back: nothing was stored; run conductor-profile promote \(name) again")
        return
      }
      let token = try source.resolvingSecret(name: name, context: context).secretText
      let api = ApplicationAPI(server: source.server, token: token, environment: context.environment)
      if let strays = work.strays(api, pending, known: []) { work.reportStrays(strays, api, pending, profile: name) }
      try createRolesAndKey(work, &pending, api: api)
    }
    if try work.abandonIfSecretless(pending) { return }
    guard let keyID = pending.keyID, let application = pending.applicationID, let target = pending.target else {
      throw .error("the pending key of profile '\(name)' is incomplete; remove \"pendingKey\" from the store by hand")
    }
    let targetName = try ProfileName(validating: target)
    let secret = try work.secret(of: pending)
    // Verify: the new key mints a token.
    let answer = try work.verify(server: source.server, keyID: keyID, secret: secret)
    guard answer.isSuccess else {
      if answer.status == 401 || answer.status == 403 {
        var removal = "delete it under Access Control > Applications"
        if let token = try? source.resolvingSecret(name: name, context: context).secretText, case .userToken = source.credential {
          let api = ApplicationAPI(server: source.server, token: token, environment: context.environment)
          do throws(Failure) {
            try api.deleteKey(keyID, of: application)
            removal =
              "it was deleted; the application \(quoted(application)) is left: remove it with: \(api.deleteApplicationCommand(application, profile: name))"
          } catch {
            removal = "delete it with: \(api.deleteKeyCommand(keyID, of: application, profile: name))"
          }
        }
        try work.record(nil)
        work.dropPendingEntry(pending)
        throw .server(
          source.server.url,
          problem: "the new key \(quoted(keyID)) does not work (\(answer.errorSummary)); nothing was stored; \(removal)")
      }
      throw .server(
        source.server.url,
        problem:
          "the new key \(quoted(keyID)) could not be verified (\(answer.errorSummary)); it is kept as a pending key: run conductor-profile rotate \(name) again"
      )
    }
    context.note("verified: the new key \(quoted(keyID)) mints a token")
    // Write the key profile (and its secret where it goes), and remove the record, in one locked update.
    let kind = pending.targetSecretStore ?? .file
    let oldReference = source.secretStore
    source = try work.file.update { (store: inout Store) throws(Failure) -> Profile in
      guard let current = try store.profile(named: name) else { throw .error("profile '\(name)' was removed") }
      if target != name, store.contains(target) {
        throw .error(
          "a profile named '\(target)' appeared while the key was made; the key is kept as a pending key of '\(name)': remove or rename '\(target)', then run conductor-profile rotate \(name)"
        )
      }
      var made = current
      made.unknownAuth = [:]
      if kind == .file || kind == .command {
        made.secretStore = nil
        made.credential = .key(id: keyID, secret: secret)
      } else {
        let reference = SecretReference(kind: kind)
        try SecretHelper.write(secret.text, to: reference, profile: target, context: context)
        made.secretStore = reference
        made.credential = .key(id: keyID, secret: Secret(""))
      }
      made.production = pending.production
      var info = KeyInfo(keyID: keyID)
      info.applicationID = application
      info.applicationName = pending.applicationName
      info.createdAt = context.now * 1000
      info.status = .active
      info.roles = pending.roles
      made.keyInfo = info
      store.setProfile(made, named: targetName)
      if target != name {
        var rest = current
        rest.pendingKey = nil
        store.setProfile(rest, named: try ProfileName(validating: name))
      }
      return current
    }
    TokenCache(environment: context.environment).forget(target)
    work.dropPendingEntry(pending)
    // NAME replaced: its token's old entry goes, unless the key's secret now sits in that same entry.
    if target == name, let oldReference, oldReference.kind != kind, oldReference.kind != .command {
      do throws(Failure) {
        try SecretHelper.remove(oldReference, profile: name, context: context)
      } catch {
        context.warn(
          "the old user token of '\(name)' is still in \(SecretHelper.entryName(oldReference, profile: name)): \(error.description); remove it with: \(SecretHelper.manualRemoval(oldReference, profile: name))"
        )
      }
    }
    let place = kind == .file ? "the store file" : kind.rawValue
    context.print(
      "promoted: profile '\(target)' uses the application key \(quoted(keyID)) of application \(quoted(pending.applicationName ?? application)) (roles: \(pending.roles.joined(separator: ", "))), its secret in \(place); verified on \(source.server.url)."
    )
    context.print("Switch to it with: conductor-profile use \(target)")
  }
}
