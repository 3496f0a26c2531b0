import ConductorNetwork
import ProfileModel
import ShellOutput

/// The steps `promote` and `rotate` share, each recorded in the store before the next one starts
/// (docs/keys.md): a pending record (`auth.pendingKey` of the profile NAME the command was given) is
/// written before every server call that creates something, and again — with the secret — the moment
/// the server returns a new key, so an interruption at any instant leaves the old working state or a
/// pending key that `rotate NAME` or `doctor --fix` finishes or rolls back.
struct KeyRotation {
  /// The profile that holds the pending record.
  let name: String
  let context: Context
  let file: StoreFile

  init(name: String, context: Context) throws(Failure) {
    _ = try ProfileName(validating: name)
    self.name = name
    self.context = context
    self.file = try context.store()
  }

  var operationName: String { "conductor-profile rotate \(shellWord(name))" }

  func profile() throws(Failure) -> (Profile, Store) {
    let store = try context.loadStore()
    guard let profile = try store.profile(named: name) else {
      throw .error("profile '\(name)' was removed while its key was being changed; nothing more was done")
    }
    return (profile, store)
  }

  // MARK: The record

  /// Writes NAME's pending record (nil removes it), locked and synced.
  func record(_ pending: PendingKey?) throws(Failure) {
    let name = self.name
    try file.update { (store: inout Store) throws(Failure) in
      guard var profile = try store.profile(named: name) else {
        throw .error("profile '\(name)' was removed while its key was being changed; nothing more was done")
      }
      profile.pendingKey = pending
      store.setProfile(profile, named: try ProfileName(validating: name))
    }
  }

  /// Keeps a new key's one-time secret before anything else happens: in the entry `NAME~pending` of
  /// `preferred` (a secret store), else — also when that store fails — in the pending record in the store
  /// file (0600). Both under the store's lock. Throws only when it could keep it nowhere.
  func keep(_ key: ApplicationAPI.NewKey, in pending: inout PendingKey, preferring preferred: SecretStoreKind?) throws(Failure) {
    var updated = pending
    updated.keyID = key.id
    updated.step = .created
    let (name, context) = (self.name, self.context)
    let operation = pending.operation.rawValue
    try file.update { (store: inout Store) throws(Failure) in
      guard var profile = try store.profile(named: name) else {
        throw .error("profile '\(name)' was removed while its key was being changed")
      }
      updated.secretStore = nil
      updated.keySecret = key.secret
      if let preferred, preferred != .file, preferred != .command {
        do throws(Failure) {
          try SecretHelper.write(
            key.secret.text, to: SecretReference(kind: preferred), profile: PendingKey.entryName(name), context: context)
          updated.secretStore = preferred
          updated.keySecret = nil
        } catch {
          context.warn(
            "could not keep the new secret in \(preferred.rawValue) (\(error.description)); it is kept in the store file (mode 0600) until the \(operation) finishes"
          )
        }
      }
      profile.pendingKey = updated
      store.setProfile(profile, named: try ProfileName(validating: name))
    }
    pending = updated
  }

  /// True when a record says a key was stored but holds no secret for it (an `export` without `--reveal`
  /// imported elsewhere): it can only be let go. Warns, naming the key, and removes the record.
  func abandonIfSecretless(_ pending: PendingKey) throws(Failure) -> Bool {
    guard pending.step == .created, pending.secretStore == nil, pending.keySecret?.isEmpty ?? true else { return false }
    context.warn(
      "the pending key \(quoted(pending.keyID ?? "?")) of profile '\(name)' has no secret here (it was exported without --reveal?), so it cannot be used; delete it under Access Control > Applications (application \(quoted(pending.applicationID ?? "?")))"
    )
    try record(nil)
    return true
  }

  /// The pending secret, from where `keep` put it.
  func secret(of pending: PendingKey) throws(Failure) -> Secret {
    if let kind = pending.secretStore {
      return Secret(try SecretHelper.read(SecretReference(kind: kind), profile: PendingKey.entryName(name), context: context))
    }
    guard let secret = pending.keySecret, !secret.isEmpty else {
      throw .error(
        "the pending key \(quoted(pending.keyID ?? "?")) of profile '\(name)' has no secret in the store file; it cannot be used: delete it on the server"
      )
    }
    return secret
  }

  /// Removes the entry `NAME~pending`, once its secret is where it belongs (a failure is a warning).
  func dropPendingEntry(_ pending: PendingKey) {
    guard let kind = pending.secretStore else { return }
    let reference = SecretReference(kind: kind)
    let entry = PendingKey.entryName(name)
    do throws(Failure) {
      try SecretHelper.remove(reference, profile: entry, context: context)
    } catch {
      context.warn(
        "the copy of the new secret in \(SecretHelper.entryName(reference, profile: entry)) was not removed (\(error.description)); remove it with: \(SecretHelper.manualRemoval(reference, profile: entry))"
      )
    }
  }

  // MARK: Tokens

  /// A fresh token for a key (never from the cache: these calls change keys). A refusal of a key the
  /// store knows is paused says so.
  func mint(_ profile: Profile, keyID: String, secret: Secret) throws(Failure) -> String {
    let answer = try Minting.post(server: profile.server, keyID: keyID, secret: secret.text, context: context)
    if let paused = Minting.pausedRefusal(answer, name: name, profile: profile, keyID: keyID) { throw paused }
    return try Minting.token(from: answer, name: name, server: profile.server, keyID: keyID, context: context).token
  }

  /// A user-token profile of the same server (scheme, host and port: its token goes nowhere else) whose token can see the key's application, when the key's own
  /// application may not: (its name, the application, the API with its token). Profiles in name order;
  /// expired tokens are skipped.
  func manager(for keyID: String, on profile: Profile) throws(Failure) -> (
    String, ApplicationAPI.Application, ApplicationAPI
  )? {
    let store = try context.loadStore()
    for other in store.names {
      guard let candidate = try? store.profile(named: other), case .userToken(let jwt) = candidate.credential,
        candidate.server.origin == profile.server.origin, jwt.expires.map({ $0 > context.now }) ?? true,
        let token = try? candidate.resolvingSecret(name: other, context: context).secretText
      else { continue }
      let api = ApplicationAPI(server: profile.server, token: token, environment: context.environment)
      if case .success(let application)? = try? api.applicationAnswer(owning: keyID) { return (other, application, api) }
    }
    return nil
  }

  /// The API as the pending record's manager (a user-token profile) calls it, or nil when the key manages
  /// its own application.
  func managerAPI(_ pending: PendingKey, server: Server) throws(Failure) -> ApplicationAPI? {
    guard let manager = pending.manager else { return nil }
    let store = try context.loadStore()
    guard let profile = try store.profile(named: manager), case .userToken(let jwt) = profile.credential else {
      throw .error(
        "the rotation of profile '\(name)' uses the user token of profile '\(manager)', which is gone or no longer a user token; add it again, then run \(operationName)"
      )
    }
    // The record names the manager (a hand edit, an import): its token goes only to its own server.
    guard profile.server.origin == server.origin else {
      throw .error(
        "the rotation of profile '\(name)' names the user token of profile '\(manager)', whose server \(profile.server.url) is not \(server.url); that token is never sent to another server, so nothing was sent. Remove \"pendingKey\" from profile '\(name)' in the store by hand, then run \(operationName)"
      )
    }
    if let exp = jwt.expires, exp <= context.now {
      throw .error(
        "the rotation of profile '\(name)' uses the user token of profile '\(manager)', which has expired; set a new one (conductor-profile set \(manager) --user-token), then run \(operationName)"
      )
    }
    let token = try profile.resolvingSecret(name: manager, context: context).secretText
    return ApplicationAPI(server: server, token: token, environment: context.environment)
  }

  /// `POST {server}/token` with a new key. A refusal (401/403) is asked again, after 1, 2 and 3 seconds:
  /// a key just made may take a moment to reach every node of a cluster (aws-vault's rotate retries for
  /// the same reason). Only a key still refused after that is taken for one that does not work.
  func verify(server: Server, keyID: String, secret: Secret) throws(Failure) -> HTTPResponse {
    var answer = try Minting.post(server: server, keyID: keyID, secret: secret.text, context: context)
    for wait in verifyRetries where answer.status == 401 || answer.status == 403 {
      Posix.sleep(milliseconds: wait)
      answer = try Minting.post(server: server, keyID: keyID, secret: secret.text, context: context)
    }
    return answer
  }

  /// The pauses before each new attempt to verify a refused key, in milliseconds.
  var verifyRetries: [Int] { [1000, 2000, 3000] }

  /// Keys of `application` made since `pending` started and not the old key: made by a run that was
  /// interrupted before it could keep their secret. Nil when the list cannot be read.
  func strays(_ api: ApplicationAPI, _ pending: PendingKey, known: Set<String>) -> [ApplicationAPI.Key]? {
    guard let application = pending.applicationID, let keys = try? api.listKeys(of: application) else { return nil }
    return keys.filter { key in
      !known.contains(key.id) && (key.createdAt.map { $0 / 1000 >= pending.startedAt - 5 } ?? false)
    }
  }

  /// Tells about keys a run made whose secret never reached the store (useless: nobody has it).
  func reportStrays(_ strays: [ApplicationAPI.Key], _ api: ApplicationAPI, _ pending: PendingKey, profile: String) {
    guard let application = pending.applicationID else { return }
    for key in strays {
      context.warn(
        "the key \(quoted(key.id)) of application \(quoted(application)) was made by the interrupted \(pending.operation.rawValue) and its secret never reached the store (nobody has it); delete it with: \(api.deleteKeyCommand(key.id, of: application, profile: profile))"
      )
    }
  }
}

// MARK: - rotate's steps

extension KeyRotation {
  /// Finishes a rotation from the record: verify the new key, switch the profile to it, then pause,
  /// delete or keep the old one. Each step is recorded before the next.
  func finishRotate(_ start: PendingKey) throws(Failure) {
    var pending = start
    if pending.step == .creating {
      try rollBackCreating(pending)
      return
    }
    if try abandonIfSecretless(pending) { return }
    guard let newID = pending.keyID, let application = pending.applicationID else {
      throw .error(
        "the pending key of profile '\(name)' names no key or application; remove \"pendingKey\" from the store by hand")
    }
    var (profile, _) = try self.profile()
    var token: String
    if pending.step == .created {
      let secret = try secret(of: pending)
      // Verify: the new key mints a token.
      let answer = try verify(server: profile.server, keyID: newID, secret: secret)
      guard answer.isSuccess else {
        if answer.status == 401 || answer.status == 403 { try rollBackUnusable(pending, profile: profile, answer: answer) }
        throw .server(
          profile.server.url,
          problem:
            "the new key \(quoted(newID)) could not be verified (\(answer.errorSummary)); it is kept as a pending key: run \(operationName) again"
        )
      }
      token = try Minting.token(from: answer, name: name, server: profile.server, keyID: newID, context: context).token
      context.note("verified: the new key \(quoted(newID)) mints a token")
      // Switch: the profile's secret where it keeps it, then the store, in one locked update.
      var switched = pending
      switched.step = .switched
      switched.keySecret = nil
      let (name, context) = (self.name, self.context)
      let old = profile.keyInfo
      profile = try file.update { (store: inout Store) throws(Failure) -> Profile in
        guard var current = try store.profile(named: name) else { throw .error("profile '\(name)' was removed") }
        if let reference = current.secretStore {
          try SecretHelper.write(secret.text, to: reference, profile: name, context: context)
          current.credential = .key(id: newID, secret: Secret(""))
        } else {
          current.credential = .key(id: newID, secret: secret)
        }
        var info = KeyInfo(keyID: newID)
        info.applicationID = application
        info.applicationName = pending.applicationName ?? old?.applicationName
        info.createdAt = context.now * 1000
        info.status = .active
        info.roles = old?.roles
        current.keyInfo = info
        current.pendingKey = switched
        store.setProfile(current, named: try ProfileName(validating: name))
        return current
      }
      TokenCache(environment: context.environment).forget(name)
      dropPendingEntry(pending)
      pending = switched
      context.note("switched: profile '\(name)' uses the new key \(quoted(newID))")
    } else {
      guard case .key(let id, _) = profile.credential, id == newID else {
        throw .error(
          "profile '\(name)' no longer uses the key \(quoted(newID)) its pending rotation switched to; remove \"pendingKey\" from the store by hand"
        )
      }
      let resolved = try profile.resolvingSecret(name: name, context: context)
      guard case .key(_, let secret) = resolved.credential else { return }
      token = try mint(profile, keyID: newID, secret: secret)
    }
    try finishOldKey(pending, profile: profile, token: token)
  }

  /// The last step: the old key paused (read first: the call toggles), deleted or kept; the record removed.
  func finishOldKey(_ pending: PendingKey, profile: Profile, token: String) throws(Failure) {
    guard let application = pending.applicationID, let newID = pending.keyID else { return }
    let api =
      try managerAPI(pending, server: profile.server)
      ?? ApplicationAPI(server: profile.server, token: token, environment: context.environment)
    let keys = try api.listKeys(of: application)
    let old = pending.oldKeyID
    let oldKey = old.flatMap { id in keys.first { $0.id == id } }
    var done = ""
    switch pending.oldKey {
    case .keep:
      done = "the old key \(quoted(old ?? "?")) stays active"
    case .pause:
      if let oldKey, let old {
        if oldKey.status == .inactive {
          done = "the old key \(quoted(old)) was already paused"
        } else {
          // The answer names the new status; when it does not, the list says it (read, never toggled twice).
          var now = try api.toggleKey(old, of: application)
          if now == nil { now = try api.listKeys(of: application).first { $0.id == old }?.status }
          guard now == .inactive else {
            throw .server(
              profile.server.url,
              problem:
                "pausing the old key \(quoted(old)) left it \(now?.rawValue ?? "in an unknown state"); run \(operationName) again (it reads the state before it changes it)"
            )
          }
          done = "the old key \(quoted(old)) is paused"
        }
      } else {
        done = "the old key \(quoted(old ?? "?")) is gone from the server"
      }
    case .delete:
      if oldKey != nil, let old {
        try api.deleteKey(old, of: application)
        done = "the old key \(quoted(old)) is deleted"
      } else {
        done = "the old key \(quoted(old ?? "?")) is gone from the server"
      }
    }
    let created = keys.first { $0.id == newID }?.createdAt
    let name = self.name
    let paused = pending.oldKey == .pause
    try file.update { (store: inout Store) throws(Failure) in
      guard var current = try store.profile(named: name) else { return }
      current.pendingKey = nil
      if var info = current.keyInfo, let created {
        info.createdAt = created
        current.keyInfo = info
      }
      store.setProfile(current, named: try ProfileName(validating: name))
      // Other profiles that hold the old key now hold a paused one: say so where they are shown.
      guard paused, let old else { return }
      for other in store.names where other != name {
        guard var profile = try? store.profile(named: other), case .key(let id, _) = profile.credential, id == old,
          profile.server.host == current.server.host, let otherName = try? ProfileName(validating: other)
        else { continue }
        var info = profile.keyInfo ?? KeyInfo(keyID: old)
        info.status = .inactive
        info.applicationID = application
        profile.keyInfo = info
        store.setProfile(profile, named: otherName)
      }
    }
    context.print(
      "rotated: profile '\(name)' uses the new key \(quoted(newID)) (application \(quoted(pending.applicationName ?? application))); \(done)."
    )
    switch pending.oldKey {
    case .keep:
      context.print(
        "Shells already switched to '\(name)' keep the old key and keep working; run 'conductor-profile use \(name)' in them to pick up the new one, then pause the old key under Access Control > Applications."
      )
    case .pause, .delete:
      context.print(
        "Shells switched to '\(name)' before this still hold the old key, which no longer works: run 'conductor-profile use \(name)' in them to pick up the new one."
      )
    }
  }

  /// A rotation interrupted before its new key was recorded: the secret never reached the store, so
  /// nothing can be finished. Names any key the server made in the meantime, and removes the record.
  func rollBackCreating(_ pending: PendingKey) throws(Failure) {
    let (profile, _) = try self.profile()
    if case .key(let id, _) = profile.credential, let api = try? ownOrManagerAPI(pending, profile: profile) {
      if let strays = strays(api, pending, known: [id]) {
        reportStrays(strays, api, pending, profile: pending.manager ?? name)
      } else {
        context.warn(
          "could not list the keys of application \(quoted(pending.applicationID ?? "?")): a key made by the interrupted rotate may be left there; check Access Control > Applications"
        )
      }
    }
    try record(nil)
    context.note(
      "rolled back: the interrupted rotate of profile '\(name)' had not stored a new key; the profile still uses its old key")
  }

  /// The API as the record's manager calls it, else with a token of the profile's current key.
  func ownOrManagerAPI(_ pending: PendingKey, profile: Profile) throws(Failure) -> ApplicationAPI? {
    if let api = try managerAPI(pending, server: profile.server) { return api }
    guard case .key(let id, _) = profile.credential,
      case .key(_, let secret) = try profile.resolvingSecret(name: name, context: context).credential
    else { return nil }
    return ApplicationAPI(
      server: profile.server, token: try mint(profile, keyID: id, secret: secret), environment: context.environment)
  }

  /// The new key does not mint a token: delete it (with the old key's token) and remove the record.
  func rollBackUnusable(_ pending: PendingKey, profile: Profile, answer: HTTPResponse) throws(Failure) {
    guard let newID = pending.keyID, let application = pending.applicationID else { return }
    var removal = ""
    if let api = try? ownOrManagerAPI(pending, profile: profile) {
      do throws(Failure) {
        try api.deleteKey(newID, of: application)
        removal = "it was deleted"
      } catch {
        removal = "delete it with: \(api.deleteKeyCommand(newID, of: application, profile: pending.manager ?? name))"
      }
    } else {
      removal = "delete it under Access Control > Applications"
    }
    try record(nil)
    dropPendingEntry(pending)
    throw .server(
      profile.server.url,
      problem:
        "the new key \(quoted(newID)) does not work (\(answer.errorSummary)), so profile '\(name)' keeps its old key; \(removal)"
    )
  }
}

extension ApplicationAPI {
  /// The exact command that deletes an application, for messages (there is no such call in this tool).
  package func deleteApplicationCommand(_ application: String, profile: String) -> String {
    guard let app = try? segment(application) else { return byHand(application) }
    return
      "curl -X DELETE -H \"$(conductor-profile token --header \(shellWord(profile)))\" \(shellWord(server.url + "/applications/" + app))"
  }

  /// The exact command that deletes an access key, for messages.
  package func deleteKeyCommand(_ key: String, of application: String, profile: String) -> String {
    guard let app = try? segment(application), let id = try? segment(key) else { return byHand(key) }
    return
      "curl -X DELETE -H \"$(conductor-profile token --header \(shellWord(profile)))\" \(shellWord(server.url + "/applications/" + app + "/accessKeys/" + id))"
  }

  /// Where to delete by hand what no command should name: an id (the server's or a hand-edited store's) that
  /// is not one path segment would aim the printed DELETE at another path (`../`, `?`, `#`).
  func byHand(_ id: String) -> String {
    "the Conductor UI, Access Control > Applications on \(server.url) (the id \(quoted(id)) cannot be part of a request path, so no command is given)"
  }
}
