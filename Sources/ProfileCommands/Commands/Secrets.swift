import ProfileModel
import ShellOutput

/// What `add`, `set`, `rename`, `copy` and `remove` do with a secret kept in a secret store.
enum SecretCommands {
  static let option = OptionSpec.value(
    .secretStore, "STORE",
    "Where the secret is kept: file (default), secret-service, pass, keychain, or command (-- COMMAND at the end)."
  )

  /// The store named by `--secret-store` (with the words after `--` for `command`), nil when not given.
  /// `file` is `.some(nil)`: the secret goes into the store file.
  static func requested(_ invocation: Invocation) throws(Failure) -> SecretReference?? {
    let trailing = invocation.trailing ?? []
    guard let text = invocation.value(.secretStore) else {
      if invocation.trailing != nil {
        throw invocation.usageError("words after '--' are the command of --secret-store command; give --secret-store command")
      }
      return .none
    }
    let kind: SecretStoreKind
    do throws(Failure) { kind = try SecretStoreKind(validating: text) } catch {
      throw invocation.usageError(
        error.description, option: .secretStore,
        suggestion: Suggest.nearest(text, in: SecretStoreKind.allCases.map(\.rawValue)))
    }
    if kind == .command {
      guard !trailing.isEmpty, !trailing[0].isEmpty else {
        throw invocation.usageError(
          "--secret-store command needs the command after '--' at the end, e.g. -- op read op://vault/conductor/secret")
      }
      if let nul = trailing.first(where: { $0.utf8.contains(0) }) {
        throw invocation.usageError("\(quoted(nul)) holds a NUL byte")
      }
      return .some(SecretReference(kind: .command, command: trailing))
    }
    if invocation.trailing != nil {
      throw invocation.usageError("words after '--' are only for --secret-store command")
    }
    return .some(kind == .file ? nil : SecretReference(kind: kind))
  }

  /// Where `add` keeps a new profile's secret: `--secret-store`, else the store's `secretStore`.
  static func forAdd(_ requested: SecretReference??, store: Store, hasSecret: Bool) throws(Failure) -> SecretReference? {
    if !hasSecret {
      if case .some(let r) = requested, r != nil {
        throw .usage("--no-auth has no secret to keep: leave out --secret-store", command: .add)
      }
      return nil
    }
    if case .some(let r) = requested { return r }
    let kind = try store.defaultSecretStore()
    return kind == .file ? nil : SecretReference(kind: kind)
  }

  /// Records that this user approved the command they gave on this command line for profile `name`
  /// (`add`/`set --secret-store command -- …`), before it first runs (`CommandApproval`).
  static func approveGiven(_ reference: SecretReference?, name: String, context: Context) throws(Failure) {
    guard let reference, reference.kind == .command else { return }
    try CommandApproval.approve(profile: name, command: reference.command, context: context)
  }

  /// A new secret for a profile kept at `reference`: a `command` store prints it (the command is run
  /// now, to check it and to learn a token's expiry); the others read it as `add` always does.
  /// `stored`: the profile exists already (`add --force`), so advice may name it.
  static func newSecret(_ reference: SecretReference?, name: String, prompt: String, stored: Bool, context: Context)
    throws(Failure) -> String
  {
    if let reference, reference.kind == .command {
      return try SecretHelper.read(reference, profile: name, stored: stored, context: context)
    }
    return try context.readSecret(prompt: prompt)
  }
}

/// A secret being put in a new place, in three steps around the one update of the store file:
/// `prepare` writes it there and reads it back (the store file unchanged), the caller writes the store
/// file with `apply`, then `finish` removes the old entry. When the store file cannot be written,
/// `rollback` removes the new entry; the profile still works from where it was.
struct SecretPlacement {
  let name: String
  let secret: String
  /// The new place; nil: the store file.
  let target: SecretReference?
  /// An entry to remove once the store file no longer names it.
  let old: (reference: SecretReference, name: String)?
  /// Whether `prepare` made an entry that a failed update must remove.
  let madeEntry: Bool

  /// Writes `secret` for profile `name` at `target` and reads it back. `previous` is where the secret
  /// was (nil: the file), under `previousName`. `readFromTarget`: the secret was just read from `target`
  /// (`add --secret-store command`), so it is not written or read again.
  static func prepare(
    name: String, secret: String, target: SecretReference?, previous: SecretReference?, previousName: String? = nil,
    readFromTarget: Bool = false, stored: Bool = true, context: Context
  ) throws(Failure) -> SecretPlacement {
    let previousName = previousName ?? name
    let sameEntry = previous == target && previousName == name
    if let target, !readFromTarget {
      try SecretHelper.write(secret, to: target, profile: name, stored: stored, context: context)
    }
    var old: (reference: SecretReference, name: String)? = nil
    if let previous, !sameEntry, previous.kind != .command { old = (previous, previousName) }
    let madeEntry = target.map { $0.kind != .command } ?? false
    return SecretPlacement(name: name, secret: secret, target: target, old: old, madeEntry: madeEntry && !sameEntry)
  }

  /// The profile as the store file records it: the reference (and a token's expiry), or the secret itself.
  func apply(to profile: inout Profile) throws(Failure) {
    profile = try profile.withSecret(secret)
    profile.secretStore = target
  }

  /// After a failed update of the store file (which is unchanged): removes the entry `prepare` made,
  /// warning when it cannot.
  func rollback(context: Context) {
    guard let target, madeEntry else { return }
    do throws(Failure) {
      try SecretHelper.remove(target, profile: name, context: context)
    } catch {
      context.warn(
        "the store file was not changed, but the copy of the secret of profile '\(name)' just written is left in \(SecretHelper.entryName(target, profile: name)) (\(error.description)); remove it with: \(SecretHelper.manualRemoval(target, profile: name))"
      )
    }
  }

  /// Removes the old entry. A failure leaves a working profile and says what is left where (exit 1).
  func finish(context: Context) throws(Failure) {
    guard let old else { return }
    do throws(Failure) {
      try SecretHelper.remove(old.reference, profile: old.name, context: context)
    } catch {
      let by = SecretHelper.manualRemoval(old.reference, profile: old.name)
      throw .error(
        "profile '\(name)' now keeps its secret in \(target?.label ?? "the store file") and works, but the old copy is still in \(SecretHelper.entryName(old.reference, profile: old.name)): \(error.description); remove it with: \(by)"
      )
    }
  }
}

extension SecretPlacement {
  /// What `set` does with the secret: nil when it stays where it is and is not replaced. `newSecret`
  /// is the key secret or token given with `--secret` / `--user-token`.
  static func forSet(
    _ requested: SecretReference??, name: String, current: Profile, newSecret: String?, context: Context
  ) throws(Failure) -> SecretPlacement? {
    let target = try checkWritable(requested, name: name, current: current, newSecret: newSecret != nil)
    let moving = target != current.secretStore
    if !moving && (newSecret == nil || target == nil) { return nil }
    let secret: String
    if let newSecret {
      secret = newSecret
    } else if let from = current.secretStore {
      secret = try SecretHelper.read(from, profile: name, context: context)
    } else {
      secret = current.secretText
    }
    return try prepare(name: name, secret: secret, target: target, previous: current.secretStore, context: context)
  }

  /// Where `set` keeps the secret; an error, before any secret is read, when a new one is given for the
  /// read-only `command` store or `--secret-store` is given for a profile without a secret.
  @discardableResult
  static func checkWritable(_ requested: SecretReference??, name: String, current: Profile, newSecret: Bool) throws(Failure)
    -> SecretReference?
  {
    var target = current.secretStore
    if case .some(let r) = requested {
      if current.credential.kind == .none && !newSecret {
        throw .invalid(.noSecretToMove(profile: name))
      }
      // A catalog's profile whose secret was never given: nothing to move (an empty entry written to the
      // store would be left there when its read-back fails). A command gives the secret itself: it goes on.
      if current.lacksCatalogSecret && !newSecret && r?.kind != .command {
        let option = current.credential.kind == .userToken ? "--user-token" : "--secret"
        throw .error(
          "profile '\(name)' has no secret yet, so --secret-store has nothing to move; give it and choose where it goes at once: conductor-profile set \(name) \(option) --secret-store \(r?.kind.rawValue ?? "file")"
        )
      }
      target = r
    }
    if let target, target.kind == .command, newSecret {
      throw .invalid(.readOnlySecretStore(profile: name, label: target.label))
    }
    return target
  }

  /// What `rename` (`keepSource` false) and `copy` do with a secret kept in a secret store: the secret is
  /// read and written under the new name (a copy gets its own entry); nil when there is nothing to do.
  static func forMove(source: String, target: String, keepSource: Bool, store: Store, context: Context) throws(Failure)
    -> SecretPlacement?
  {
    // An approved secret command stays approved under the new name (the same vector, approved by this user).
    if let profile = try? store.profile(named: source), let reference = profile.secretStore, reference.kind == .command,
      try CommandApproval.isApproved(profile: source, command: reference.command, context: context)
    {
      try CommandApproval.approve(profile: target, command: reference.command, context: context)
    }
    guard let profile = try? store.profile(named: source), let reference = profile.secretStore, reference.kind != .command
    else { return nil }
    let secret = try SecretHelper.read(reference, profile: source, context: context)
    return try prepare(
      name: target, secret: secret, target: reference, previous: keepSource ? nil : reference, previousName: source,
      context: context)
  }

  /// `remove`: the entries of the profiles about to be removed (read before the store file changes).
  static func entries(of names: [String], in store: Store) -> [(name: String, reference: SecretReference)] {
    var found: [(name: String, reference: SecretReference)] = []
    for name in names {
      guard let profile = try? store.profile(named: name) else { continue }
      // The secret of an unfinished promote or rotate (KeyRotation.swift), in the entry NAME~pending.
      if let kind = profile.pendingKey?.secretStore { found.append((PendingKey.entryName(name), SecretReference(kind: kind))) }
      guard let reference = profile.secretStore, reference.kind != .command else { continue }
      found.append((name, reference))
    }
    return found
  }

  /// `remove`, after the store file was written: removes each entry; what could not be removed is named.
  static func removeEntries(_ entries: [(name: String, reference: SecretReference)], context: Context) throws(Failure) {
    var left: [String] = []
    for entry in entries {
      do throws(Failure) {
        try SecretHelper.remove(entry.reference, profile: entry.name, context: context)
      } catch {
        left.append(
          "\(SecretHelper.entryName(entry.reference, profile: entry.name)) (\(error.description); remove it with: \(SecretHelper.manualRemoval(entry.reference, profile: entry.name)))"
        )
      }
    }
    if !left.isEmpty {
      throw .error("the profiles were removed, but their secrets are still in \(left.joined(separator: "; "))")
    }
  }
}

extension ManagedVariable {
  /// The variables that carry a secret.
  static let secrets = [authSecret, authToken]
}

extension Profile {
  /// For a switch (`env`, `use`, `exec`, the start-up switch): the profile with its secret read from
  /// its secret store. The guard judges first: a switch it will refuse runs no helper.
  func resolvingSecretForSwitch(name: String, store: Store, context: Context) throws(Failure) -> Profile {
    if lacksCatalogSecret { return try askingForCatalogSecret(name: name, store: store, context: context) }
    guard secretStore != nil, let mode = try? store.effectiveGuard(environment: context.environment) else { return self }
    if mode == .block && Guard.isUserTokenOnProduction(self, in: store) { return self }
    return try resolvingSecret(name: name, context: context)
  }

  /// A profile a team catalog brought, switched to for the first time: on a terminal, its secret is asked
  /// for and kept in the store file (as `set --secret` would); without one, the error says how to set it.
  /// A switch the guard will refuse asks nothing.
  func askingForCatalogSecret(name: String, store: Store, context: Context) throws(Failure) -> Profile {
    if (try? store.effectiveGuard(environment: context.environment)) == .block && Guard.isUserTokenOnProduction(self, in: store) {
      return self
    }
    // Asked only by a switch the user types: never at a shell's start, nor on a directory switch at the prompt.
    let unasked =
      context.environment[SwitchCommands.startupVariable] != nil || context.environment[DirectorySwitch.fileVariable] != nil
    guard context.stdinIsTerminal, !unasked else { throw missingCatalogSecret(name: name) }
    let what = credential.kind == .userToken ? "User token" : "Key secret"
    let secret = try context.readSecret(prompt: "\(what) for \(name) (from the team catalog '\(catalogName ?? "?")'): ")
    let given = try withSecret(secret)
    let valid = try ProfileName(validating: name)
    try context.store().update { (store: inout Store) throws(Failure) in
      guard var current = try store.profile(named: name), current.lacksCatalogSecret else { return }
      current = try current.withSecret(secret)
      store.setProfile(current, named: valid)
    }
    context.note("kept the secret of profile '\(name)' in the store file")
    return given
  }

  /// The profile's JSON for `export` and `show --json`: with `reveal`, the secret in place (read from its
  /// secret store, which the output then no longer names, so the file imports anywhere); without, no secret.
  func portableJSON(name: String, reveal: Bool, context: Context) throws(Failure) -> JSON {
    guard secretStore != nil else { return json(redactSecrets: !reveal) }
    guard reveal else { return json() }
    var plain = try resolvingSecret(name: name, context: context)
    plain.secretStore = nil
    return plain.json()
  }
}

extension SecretCommands {
  /// `export --reveal` of a raw profile: read through its secret store when it has one.
  static func revealed(_ raw: JSON, name: String, context: Context) throws(Failure) -> JSON {
    guard let auth = raw.objectValue?["auth"]?.objectValue, let store = auth["secretStore"], store != .string("file") else {
      return raw
    }
    return try Profile(json: raw, name: name).portableJSON(name: name, reveal: true, context: context)
  }

  /// `import file`: the secrets of the profiles about to be written go to the store's `secretStore`
  /// (when it is not the file), each written and read back before the store file changes.
  static func placeImported(_ incoming: [ImportCommand.Incoming], force: Bool, context: Context) throws(Failure) -> (
    [ImportCommand.Incoming], [SecretPlacement]
  ) {
    let store = try context.loadStore()
    let kind = try store.defaultSecretStore()
    guard kind != .file, !incoming.contains(where: { $0.profile.isRedacted }) else { return (incoming, []) }
    var items: [ImportCommand.Incoming] = []
    var placements: [SecretPlacement] = []
    for item in incoming {
      guard !store.contains(item.name.value) || force, item.profile.secretStore == nil, item.profile.credential.kind != .none
      else {
        items.append(item)
        continue
      }
      var profile = item.profile
      var placed = false
      defer { if !placed { for placement in placements { placement.rollback(context: context) } } }
      let placement = try SecretPlacement.prepare(
        name: item.name.value, secret: profile.secretText, target: SecretReference(kind: kind),
        previous: (try? store.profile(named: item.name.value))??.secretStore, context: context)
      placements.append(placement)
      try placement.apply(to: &profile)
      placed = true
      items.append(ImportCommand.Incoming(name: item.name, profile: profile, origin: item.origin))
    }
    return (items, placements)
  }

  // MARK: doctor

  /// `doctor`: each helper a profile needs is installed, its store unlocked and the profile's entry there.
  static func doctor(_ report: DoctorCommand.Report, store: Store) {
    let context = report.context
    do throws(Failure) {
      let kind = try store.defaultSecretStore()
      if kind != .file, SecretHelper.locate(kind.program, environment: context.environment) == nil {
        report.problem(
          "the store's secretStore is \(kind.rawValue), but \(kind.program) is not installed or not on PATH",
          fix: kind.installHint)
      }
    } catch {
      report.problem(error.description, fix: "edit \"secretStore\" at the top of the store file (or remove it: the file)")
    }
    var checked = 0
    var allOK = true
    for name in store.names {
      guard let profile = try? store.profile(named: name), let reference = profile.secretStore else { continue }
      checked += 1
      // A command this user has not approved is listed, never run.
      if reference.kind == .command {
        let approved: Bool
        do throws(Failure) {
          approved = try CommandApproval.isApproved(profile: name, command: reference.command, context: context)
        } catch {
          allOK = false
          report.problem(error.description, fix: "mend or remove the trust file, then approve the commands again")
          continue
        }
        if !approved {
          allOK = false
          report.problem(
            "profile '\(name)' gets its secret by running \(quoted(CommandApproval.shown(reference.command))), which you have not approved; it was not run",
            fix: "check the command, then: conductor-profile allow --command \(shellWord(name))")
          continue
        }
      }
      let program = reference.kind == .command ? reference.command[0] : reference.kind.program
      guard SecretHelper.locate(program, environment: context.environment) != nil else {
        allOK = false
        let fix =
          reference.kind == .command
          ? "install \(quoted(program)), or give another command: conductor-profile set \(name) --secret-store command -- COMMAND"
          : reference.kind.installHint
        report.problem(
          "profile '\(name)' keeps its secret in \(reference.label), but \(quoted(program)) is not installed or not on PATH",
          fix: fix)
        continue
      }
      do throws(Failure) {
        _ = try profile.resolvingSecret(name: name, context: context)
      } catch {
        allOK = false
        let fix: String
        switch reference.kind {
        case .secretService:
          fix =
            "unlock the keyring (log in to the desktop, or: gnome-keyring-daemon --unlock), or store the secret again: conductor-profile set \(name) --secret (or --user-token)"
        case .pass:
          fix =
            "check that gpg can decrypt (gpg-agent running, key present), or store the secret again: conductor-profile set \(name) --secret (or --user-token)"
        case .keychain:
          fix =
            "unlock the login keychain (security unlock-keychain), or store the secret again: conductor-profile set \(name) --secret"
        case .command, .file:
          fix =
            "make the command print the secret, or give another: conductor-profile set \(name) --secret-store command -- COMMAND"
        }
        report.problem(error.description, fix: fix)
        continue
      }
    }
    if checked > 0 && allOK {
      report.ok("the secret store of every profile that uses one can be read (\(checked) profile\(checked == 1 ? "" : "s"))")
    }
  }
}
