import ConductorNetwork
import ProfileModel

/// `rotate NAME [--keep-old | --delete-old]`: a key profile gets a new key — created, stored, verified —
/// then the old one is paused (or deleted, or kept). An interrupted `rotate` or `promote` is finished or
/// rolled back by the next `rotate NAME`. The steps are in KeyRotation.swift; docs/keys.md has the requests.
enum RotateCommand {
  static let spec = CommandSpec(
    .rotate, usage: "NAME [--keep-old | --delete-old]",
    summary: "Give a key profile a new application key, then pause the old one; finish an interrupted one.",
    arguments: [
      ArgumentSpec("NAME", "A key profile (or a profile with an interrupted promote or rotate).", completes: .profiles)
    ],
    options: [
      .flag(.keepOld, "Leave the old key active (shells that hold it keep working)."),
      .flag(.deleteOld, "Delete the old key instead of pausing it."),
    ],
    positionals: 1...1,
    discussion: """
      With the profile's own key: GET {server}/applications/key/KEY_ID finds its application, POST
      {server}/applications/APP/accessKeys makes a new key, whose one-time secret is kept at once (locked and
      synced) in the profile's secret store as a pending key; the new key must mint a token (POST
      {server}/token) before the profile switches to it. Then the old key is paused (its status is read
      first: the call toggles), or deleted with --delete-old, or left active with --keep-old. When the key's
      own application may not manage its keys (401/403), the token of a user-token profile of the same
      server is used instead (rotate says which).
      Shells switched to NAME before the rotation hold the old key until they run 'use NAME' again.
      When a promote or rotate of NAME was interrupted (killed, network lost, a helper failed), this finishes
      it — or rolls it back when its new key was never stored — instead of starting another.
      The new secret is never printed and never on a command line. See docs/keys.md.
      """,
    run: { invocation, context throws(Failure) in try run(try Options(invocation), context) })

  struct Options {
    let name: String
    let oldKey: PendingKey.OldKey

    init(_ invocation: Invocation) throws(Failure) {
      try invocation.exclusive(.keepOld, .deleteOld)
      name = invocation.positionals[0]
      oldKey = invocation.has(.keepOld) ? .keep : invocation.has(.deleteOld) ? .delete : .pause
    }
  }

  static func run(_ options: Options, _ context: Context) throws(Failure) {
    let name = options.name
    let store = try context.loadStore()
    let profile = try context.requireProfile(name, in: store, command: .rotate)
    let work = try KeyRotation(name: name, context: context)
    if let pending = profile.pendingKey {
      context.note("profile '\(name)': \(pending.summary); finishing it")
      let startAgain = try resume(work, pending)
      guard startAgain, pending.operation == .rotate else { return }
      context.note("starting the rotation of profile '\(name)' again")
      return try rotate(work, oldKey: options.oldKey)
    }
    if profile.hasUnreadablePendingKey {
      throw .error(
        "profile '\(name)' has a \"pendingKey\" this version of conductor-profile cannot read; finish it with the version that wrote it"
      )
    }
    try rotate(work, oldKey: options.oldKey)
  }

  /// Finishes (or rolls back) an interrupted promote or rotate. True when it was rolled back from its
  /// first step (nothing was stored), so the caller may start again.
  @discardableResult
  static func resume(_ work: KeyRotation, _ pending: PendingKey) throws(Failure) -> Bool {
    switch pending.operation {
    case .rotate:
      try work.finishRotate(pending)
    case .promote:
      try PromoteCommand.finish(work, pending)
    }
    return pending.step == .creating && (pending.operation == .rotate || pending.applicationID == nil)
  }

  static func rotate(_ work: KeyRotation, oldKey: PendingKey.OldKey) throws(Failure) {
    let (name, context) = (work.name, work.context)
    let (profile, _) = try work.profile()
    let oldID: String
    switch profile.credential {
    case .key(let id, _): oldID = id
    case .userToken:
      throw .error(
        "profile '\(name)' holds a user token, not an application key, so there is no key to rotate; make it a key profile with: conductor-profile promote \(name)"
      )
    case .none:
      throw .error("profile '\(name)' has no credential (auth none), so there is no key to rotate")
    }
    if profile.secretStore?.kind == .command {
      throw .error(
        "profile '\(name)' reads its secret from a command, which cannot store a new one; move the secret first (conductor-profile set \(name) --secret-store file, or pass, secret-service, keychain)"
      )
    }
    let resolved = try profile.resolvingSecret(name: name, context: context)
    guard case .key(_, let secret) = resolved.credential else { return }
    // 1. A token with the current key; 2. the key's application.
    let token = try work.mint(profile, keyID: oldID, secret: secret)
    var api = ApplicationAPI(server: profile.server, token: token, environment: context.environment)
    var manager: String? = nil
    let application: ApplicationAPI.Application
    switch try api.applicationAnswer(owning: oldID) {
    case .success(let found): application = found
    case .failure(let refusal):
      // The key's own application may not manage applications: a user token of the same server may.
      guard refusal.status == 401 || refusal.status == 403,
        let (name, found, managing) = try work.manager(for: oldID, on: profile)
      else {
        throw .error(
          "\(refusal.failure.description); the key's own application may not manage its keys: add a user-token profile for \(profile.server.url) (of an admin, or of the application's owner) and run conductor-profile rotate \(work.name) again"
        )
      }
      context.note("the key's application may not manage its keys; using the user token of profile '\(name)'")
      manager = name
      api = managing
      application = found
    }
    // 3. Recorded before the key is made.
    var pending = PendingKey(operation: .rotate, startedAt: context.now)
    pending.manager = manager
    pending.applicationID = application.id
    pending.applicationName = application.name
    pending.oldKeyID = oldID
    pending.oldKey = oldKey
    try work.record(pending)
    // 4. The new key, and its secret kept at once.
    let answer: Result<ApplicationAPI.NewKey, ApplicationAPI.Refusal>
    do throws(Failure) {
      answer = try api.createKeyAnswer(for: application.id)
    } catch {
      // No answer: the key may exist. Look for it; when the list cannot be read, the record stays.
      if let strays = work.strays(api, pending, known: [oldID]) {
        work.reportStrays(strays, api, pending, profile: manager ?? name)
        try work.record(nil)
        throw error
      }
      throw .error(
        "\(error.description); the rotation is recorded as started: run conductor-profile rotate \(name) to check for a key it may have made, and to start again"
      )
    }
    let key: ApplicationAPI.NewKey
    switch answer {
    case .success(let made): key = made
    case .failure(let refusal):
      // The server answered no: it made no key, so there is nothing to finish.
      try work.record(nil)
      throw refusal.failure
    }
    do throws(Failure) {
      try work.keep(key, in: &pending, preferring: profile.secretStore?.kind)
    } catch {
      // Kept nowhere: the key is useless without its secret; remove it rather than leave it.
      let removal: String
      do throws(Failure) {
        try api.deleteKey(key.id, of: application.id)
        removal = "it was deleted again"
      } catch {
        removal = "delete it with: \(api.deleteKeyCommand(key.id, of: application.id, profile: manager ?? name))"
      }
      throw .error(
        "the new key \(quoted(key.id)) could not be stored (\(error.description)); \(removal), and profile '\(name)' keeps its old key"
      )
    }
    context.note("stored: the new key \(quoted(key.id)) of application \(quoted(application.id)) is kept as a pending key")
    // 5. Verify, switch, then the old key.
    try work.finishRotate(pending)
  }
}
