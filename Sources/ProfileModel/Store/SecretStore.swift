// Secrets outside the store file: the desktop keyring (secret-service), pass, the macOS keychain, or
// any command. Each helper is run by the one runner (Child, Platform/Runner.swift), no shell, and the secret only ever travels on its
// standard input or output: never in an argument, so `ps` and /proc/PID/cmdline never show it.

import ShellOutput

/// Where a profile's secret (key secret or user token) is kept.
public enum SecretStoreKind: String, Sendable, CaseIterable {
  /// In the store file itself (the default).
  case file
  /// The desktop keyring over D-Bus, through `secret-tool`.
  case secretService = "secret-service"
  /// The password-store, through `pass`.
  case pass
  /// The macOS login keychain, through `security -i`.
  case keychain
  /// The profile's own `secretCommand`, read-only.
  case command

  static let choices = "file, secret-service, pass, keychain or command"

  package init(validating text: String) throws(Failure) {
    guard let kind = SecretStoreKind(rawValue: text) else {
      throw .invalid(.secretStore(text))
    }
    self = kind
  }

  /// The program a store runs, for messages and `doctor`.
  package var program: String {
    switch self {
    case .file: return ""
    case .secretService: return "secret-tool"
    case .pass: return "pass"
    case .keychain: return "security"
    case .command: return "the secret command"
    }
  }

  /// How to install the program (for messages).
  package var installHint: String {
    switch self {
    case .secretService:
      return
        "install secret-tool (apt-get install libsecret-tools, dnf install libsecret) and run a keyring (GNOME Keyring or KWallet)"
    case .pass: return "install pass (apt-get install pass, brew install pass) and set it up with: pass init GPG-ID"
    case .keychain: return "the keychain store needs macOS and its /usr/bin/security"
    case .file, .command: return ""
    }
  }
}

/// A secret kept outside the store file: which store, and for `command` the argument vector to run.
/// In `auth`: `"secretStore" : "pass"`, and `"secretCommand" : ["op", "read", "op://…"]` for `command`.
/// A user token's `exp` and subject are kept beside it (`tokenExpires`, `tokenSubject`), so `list`,
/// the prompt and the guard never run a helper.
public struct SecretReference: Equatable, Sendable {
  public var kind: SecretStoreKind
  /// The argument vector of a `command` store (empty for the others).
  public var command: [String]

  public init(kind: SecretStoreKind, command: [String] = []) {
    self.kind = kind
    self.command = command
  }

  /// What messages call it: `pass`, `command 'op read …'`.
  package var label: String {
    kind == .command ? "command \(quoted(command.joined(separator: " ")))" : kind.rawValue
  }

  /// The external secret an `auth` object names, with the keys it read removed from `auth`; nil when
  /// the secret is in the file (no `secretStore`, or `"file"`, which is kept as written).
  static func take(from auth: inout [String: JSON], kind: String, profile name: String) throws(Failure) -> (
    SecretReference, expires: Int64?, subject: String?
  )? {
    guard let value = auth["secretStore"] else { return nil }
    guard let text = value.stringValue else { throw .invalid(.stored(.authNotString("secretStore"))) }
    let store = try SecretStoreKind(validating: text)
    if store == .file { return nil }
    if kind == "none" {
      throw .invalid(.stored(.secretStoreWithoutSecret(store.rawValue)))
    }
    for key in ["keySecret", "token"] where auth[key] != nil && auth[key] != .null {
      throw .invalid(.stored(.secretInFile(key, profile: name)))
    }
    auth["secretStore"] = nil
    auth["keySecret"] = nil
    auth["token"] = nil
    var reference = SecretReference(kind: store)
    if store == .command {
      guard case .array(let words)? = auth.removeValue(forKey: "secretCommand"), !words.isEmpty else {
        throw .invalid(.stored(.noSecretCommand))
      }
      for word in words {
        guard let s = word.stringValue else { throw .invalid(.stored(.secretCommandNotStrings)) }
        if s.utf8.contains(0) { throw .invalid(.stored(.secretCommandNUL)) }
        reference.command.append(s)
      }
      if reference.command[0].isEmpty { throw .invalid(.stored(.secretCommandEmptyProgram)) }
    }
    var expires: Int64? = nil
    var subject: String? = nil
    if kind == "user-token" {
      if let e = auth.removeValue(forKey: "tokenExpires") {
        guard let seconds = e.integerValue else { throw .invalid(.stored(.tokenExpiresNotSeconds)) }
        expires = seconds
      }
      if let s = auth.removeValue(forKey: "tokenSubject") {
        guard let text = s.stringValue else { throw .invalid(.stored(.authNotString("tokenSubject"))) }
        subject = text
      }
    }
    return (reference, expires, subject)
  }

  /// Writes the reference into `auth` (the secret itself is not there).
  package func write(into auth: inout [String: JSON], credential: Credential) {
    auth["secretStore"] = .string(kind.rawValue)
    if kind == .command { auth["secretCommand"] = .array(command.map { .string($0) }) }
    if case .userToken(let jwt) = credential {
      if let exp = jwt.expires { auth["tokenExpires"] = .integer(exp) }
      if let subject = jwt.subject { auth["tokenSubject"] = .string(subject) }
    }
  }
}

extension JWT {
  /// A token kept in a secret store: its `exp` and subject as the store file records them.
  init(recordedExpires expires: Int64?, subject: String?) {
    raw = ""
    self.expires = expires
    self.subject = subject
  }
}

extension Profile {
  /// The secret itself: the key secret or the token (empty for `none`, or when kept outside and not read).
  package var secretText: String {
    switch credential {
    case .key(_, let secret): return secret.text
    case .userToken(let jwt): return jwt.raw
    case .none: return ""
    }
  }

  /// The profile with `secret` as its key secret or token (validated as the kind requires).
  package func withSecret(_ secret: String) throws(Failure) -> Profile {
    var copy = self
    switch credential {
    case .key(let id, _):
      try validateKeySecret(secret)
      copy.credential = .key(id: id, secret: Secret(secret))
    case .userToken:
      copy.credential = .userToken(try JWT(validating: secret))
    case .none:
      break
    }
    return copy
  }

  /// The error for a profile a team catalog brought whose secret was never given.
  package func missingCatalogSecret(name: String) -> Failure {
    .error(
      "profile '\(name)' comes from the team catalog '\(catalogName ?? "?")' and has no secret yet; set yours with: conductor-profile set \(name) \(credential.kind == .userToken ? "--user-token" : "--secret") (or switch on a terminal: use asks for it)"
    )
  }

  /// The profile with its secret read from its secret store: one helper run. A profile whose secret
  /// is in the store file is returned as it is.
  package func resolvingSecret(name: String, context: Context) throws(Failure) -> Profile {
    if lacksCatalogSecret { throw missingCatalogSecret(name: name) }
    guard let reference = secretStore else { return self }
    let secret = try SecretHelper.read(reference, profile: name, context: context)
    do throws(Failure) {
      return try withSecret(secret)
    } catch {
      throw .invalid(.helperSecret(label: reference.label, profile: name, isKey: credential.kind == .key, error))
    }
  }
}

extension Store {
  /// The store-level `secretStore`: where `add` and `import file` put new secrets (default: the file).
  package func defaultSecretStore() throws(Failure) -> SecretStoreKind {
    guard let value = unknown["secretStore"] else { return .file }
    guard let text = value.stringValue, let kind = SecretStoreKind(rawValue: text), kind != .command else {
      throw .invalid(.store(.defaultSecretStore(value.compact())))
    }
    return kind
  }

  /// The store-level `helperTimeout`: how long a secret store's helper may run (default `10s`).
  package func helperTimeout(path: String) throws(Failure) -> Int64 {
    guard let value = unknown["helperTimeout"], value != .null else { return SecretHelper.defaultTimeout }
    guard let text = value.stringValue, let seconds = DurationText.seconds(text, longest: SecretHelper.longestTimeout) else {
      throw .invalid(.setting("helperTimeout", value: value.compact(), in: path, expected: .helperTimeout))
    }
    return seconds
  }
}

/// Runs the helper programs of the secret stores.
package enum SecretHelper {
  /// The largest secret a helper may print (as for standard input: 64 KiB).
  static let limit = ReadLimit.secret.bytes
  /// How long a helper may run unless the store's `helperTimeout` says otherwise (seconds).
  package static let defaultTimeout: Int64 = 10
  /// The longest `helperTimeout` taken: ten minutes.
  static let longestTimeout: Int64 = 600
  /// `security -i` reads a line of at most 4096 bytes.
  static let keychainLineLimit = 4000

  /// A helper's answer.
  struct Outcome {
    package var status: Int32
    var stdout: [UInt8]
    var stderr: String
  }

  /// The path of `program` on PATH (or `program` itself when it holds a '/'), nil when not found: the
  /// one PATH lookup (`Child.locate`).
  package static func locate(_ program: String, environment: [String: String]) -> String? {
    if case .found(let path) = Child.locate(program, environment: environment) { return path }
    return nil
  }

  /// The argument vector that reads, writes or removes a profile's entry (with what goes on standard input).
  enum Operation {
    case read
    case write(String)
    case remove
  }

  static func invocation(_ reference: SecretReference, _ operation: Operation, profile name: String) -> (
    argv: [String], input: [UInt8]
  ) {
    let attributes = ["service", "conductor-profile", "profile", name]
    let entry = "conductor-profile/\(name)"
    switch (reference.kind, operation) {
    case (.secretService, .read): return (["secret-tool", "lookup"] + attributes, [])
    case (.secretService, .write(let secret)):
      return (["secret-tool", "store", "--label=conductor-profile \(name)"] + attributes, Array(secret.utf8))
    case (.secretService, .remove): return (["secret-tool", "clear"] + attributes, [])
    case (.pass, .read): return (["pass", "show", entry], [])
    case (.pass, .write(let secret)): return (["pass", "insert", "-m", "-f", entry], Array((secret + "\n").utf8))
    case (.pass, .remove): return (["pass", "rm", "-f", entry], [])
    case (.keychain, .read):
      return (["security", "-i"], keychainLine(["find-generic-password", "-s", "conductor-profile", "-a", name, "-w"]))
    case (.keychain, .write(let secret)):
      return (
        ["security", "-i"],
        keychainLine([
          "add-generic-password", "-U", "-s", "conductor-profile", "-a", name, "-l", "conductor-profile \(name)", "-w", secret,
        ])
      )
    case (.keychain, .remove):
      return (["security", "-i"], keychainLine(["delete-generic-password", "-s", "conductor-profile", "-a", name]))
    case (.command, _), (.file, _): return (reference.command, [])
    }
  }

  /// One command line for `security -i`: every word double-quoted, `\` and `"` escaped (its own parser).
  static func keychainLine(_ words: [String]) -> [UInt8] {
    var line = ""
    for word in words {
      if !line.isEmpty { line += " " }
      line += "\""
      for c in word.unicodeScalars {
        if c == "\\" || c == "\"" { line += "\\" }
        line.unicodeScalars.append(c)
      }
      line += "\""
    }
    return Array((line + "\n").utf8)
  }

  /// Where a profile's entry is, for messages: `pass entry conductor-profile/dev`.
  package static func entryName(_ reference: SecretReference, profile name: String) -> String {
    switch reference.kind {
    case .secretService: return "the keyring entry service=conductor-profile profile=\(name)"
    case .pass: return "the pass entry conductor-profile/\(name)"
    case .keychain: return "the keychain item service conductor-profile, account \(name)"
    case .command: return "the output of \(reference.label)"
    case .file: return "the store file"
    }
  }

  /// The command that removes an entry by hand, for messages.
  package static func manualRemoval(_ reference: SecretReference, profile name: String) -> String {
    switch reference.kind {
    case .secretService: return "secret-tool clear service conductor-profile profile \(shellWord(name))"
    case .pass: return "pass rm conductor-profile/\(shellWord(name))"
    case .keychain: return "security delete-generic-password -s conductor-profile -a \(shellWord(name))"
    case .command, .file: return ""
    }
  }

  /// Runs the helper; a program that cannot be found or started throws, naming it and the profile.
  /// `stored`: the profile is in the store already, so advice may name it (`add` makes a new one: its advice
  /// names only what exists).
  static func run(
    _ reference: SecretReference, _ operation: Operation, profile name: String, doing what: String, stored: Bool = true,
    context: Context
  ) throws(Failure) -> Outcome {
    // No program runs because the store says so: a profile's own command needs this user's approval.
    try CommandApproval.require(reference, profile: name, context: context)
    let (argv, input) = invocation(reference, operation, profile: name)
    if reference.kind == .keychain, input.count > keychainLineLimit {
      throw .invalid(.keychainSecretTooLong(profile: name, action: what))
    }
    let program = argv[0]
    guard let path = locate(program, environment: context.environment) else {
      let hint =
        reference.kind != .command
        ? reference.kind.installHint
        : stored
          ? "check the profile's secretCommand, or set another with: conductor-profile set \(name) --secret-store command -- COMMAND"
          : "install it, or give another command after --"
      throw .error(
        "cannot \(what) profile '\(name)' in \(reference.label): \(quoted(program)) is not installed or not on PATH; \(hint)")
    }
    let store = try context.store()
    let seconds = try (store.loadIfPresent() ?? Store()).helperTimeout(path: store.path)
    // The helper sees the environment the shell had before any switch (no profile's variables).
    let result = try Child.run(
      path, arguments: argv, environment: Child.helperEnvironment(context.environment), input: input, limit: .secret,
      seconds: Double(seconds))
    if result.timedOut {
      throw .error(
        "cannot \(what) profile '\(name)' in \(reference.label): \(programName(reference)) did not finish within \(seconds) s and was stopped (a locked keyring waiting for a password, or a hung helper)",
        fix:
          "unlock the store and try again, or give helpers longer with the store's \"helperTimeout\" (now \(seconds)s), e.g. \"helperTimeout\" : \"30s\" in \(store.path)"
      )
    }
    if result.tooMuchOutput {
      throw .error(
        "cannot \(what) profile '\(name)' in \(reference.label): \(programName(reference)) printed more than \(ReadLimit.secret.shown), the most \(ReadLimit.secret.what) may be; it was stopped and nothing more was read"
      )
    }
    return Outcome(status: result.status, stdout: result.stdout, stderr: String(decoding: result.stderr, as: UTF8.self))
  }

  /// The helper's own words, quoted on one line: each line's indentation and trailing blanks dropped, the
  /// lines joined by one space (a helper wraps one sentence over several: pass's "Error: You must run:" /
  /// "    pass init your-gpg-id" / "before you may use the password store."), control characters escaped
  /// (it may be a locked keyring's message), at most 300 characters.
  static func said(_ outcome: Outcome) -> String {
    let lines = outcome.stderr.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).map {
      $0.drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed()
    }.filter { !$0.isEmpty }.map { String($0) }
    let text = lines.joined(separator: " ")
    let status = outcome.status < 0 ? "was killed by a signal" : "exited with status \(outcome.status)"
    return text.isEmpty ? status : "\(status) and said \"\(TerminalText.clip(text, limit: 300))\""
  }

  /// The helper as messages name it: `pass`, `secret-tool`, or a command's program, quoted.
  static func programName(_ reference: SecretReference) -> String {
    reference.kind == .command ? quoted(reference.command[0]) : reference.kind.program
  }

  /// Whether `security -i` reported a failed command (it prints `NAME: returned N` and may exit 0).
  static func failed(_ reference: SecretReference, _ outcome: Outcome) -> Bool {
    outcome.status != 0 || (reference.kind == .keychain && outcome.stderr.contains(": returned "))
  }

  /// The secret of a profile, read from its store. A missing, locked or failing helper throws an error
  /// naming the helper and the profile.
  package static func read(_ reference: SecretReference, profile name: String, stored: Bool = true, context: Context)
    throws(Failure) -> String
  {
    let outcome = try run(reference, .read, profile: name, doing: "read the secret of", stored: stored, context: context)
    let fix =
      reference.kind == .command
      ? "check that the command works on its own: \(reference.command.map(shellWord).joined(separator: " "))"
      : stored
        ? "unlock the store, or store the secret again with: conductor-profile set \(name) --secret (or --user-token)"
        : "unlock or set up the store (conductor-profile doctor says how), or keep the secret elsewhere (--secret-store)"
    if failed(reference, outcome) {
      let missing = reference.kind == .secretService && outcome.stdout.isEmpty && outcome.stderr.isEmpty
      let why = missing ? "there is no such entry (or the keyring is locked)" : "\(programName(reference)) \(said(outcome))"
      throw .error("cannot read the secret of profile '\(name)' from \(reference.label): \(why); \(fix)")
    }
    var bytes = outcome.stdout
    if reference.kind == .pass, let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) {
      // pass keeps the secret on the first line (later lines are notes).
      bytes.removeSubrange(newline...)
    } else if bytes.last == UInt8(ascii: "\n") {
      bytes.removeLast()
    }
    if bytes.count > limit {
      throw .invalid(.helperPrintedTooMuch(profile: name, label: reference.label))
    }
    guard let secret = String(validating: bytes, as: UTF8.self), !secret.utf8.contains(0) else {
      throw .invalid(.helperPrintedNoText(profile: name, label: reference.label))
    }
    if secret.isEmpty {
      throw .invalid(.helperPrintedNothing(profile: name, label: reference.label, fix: fix))
    }
    return secret
  }

  /// Stores a secret for a profile, then reads it back and compares: a store that did not keep it
  /// exactly is an error. The `command` store is read-only: its output must already be `secret`.
  package static func write(
    _ secret: String, to reference: SecretReference, profile name: String, stored: Bool = true, context: Context
  ) throws(Failure) {
    if reference.kind != .command {
      // pass makes the entry's directories before it finds it cannot encrypt (no `pass init`): a failed
      // write takes away the empty ones it made, so nothing is left behind.
      let made = reference.kind == .pass ? passDirectories(context.environment).filter { !Posix.exists($0) } : []
      let outcome: Outcome
      do {
        outcome = try run(
          reference, .write(secret), profile: name, doing: "store the secret of", stored: stored, context: context)
      } catch {
        for directory in made { Posix.removeEmptyDirectory(directory) }
        throw error
      }
      if failed(reference, outcome) {
        for directory in made { Posix.removeEmptyDirectory(directory) }
        throw .error(
          "cannot store the secret of profile '\(name)' in \(reference.label): \(reference.kind.program) \(said(outcome)); unlock or set up the store (conductor-profile doctor says how)"
        )
      }
    }
    let back = try read(reference, profile: name, stored: stored, context: context)
    if back != secret {
      throw .error(
        reference.kind == .command
          ? "the secret that \(reference.label) prints for profile '\(name)' differs from the profile's secret; put the secret where the command reads it first"
          : "\(reference.label) did not keep the secret of profile '\(name)' as given (it read back different)")
    }
  }

  /// The directories `pass insert conductor-profile/NAME` makes when they are missing, innermost first:
  /// `$PASSWORD_STORE_DIR/conductor-profile` (default `~/.password-store`) and the store itself.
  package static func passDirectories(_ environment: [String: String]) -> [String] {
    var root = environment["PASSWORD_STORE_DIR"] ?? ""
    if root.isEmpty {
      guard let home = environment["HOME"], !home.isEmpty else { return [] }
      root = home + "/.password-store"
    }
    while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
    return [root + "/conductor-profile", root]
  }

  /// Removes a profile's entry from its store. The `command` store is read-only: nothing to remove.
  package static func remove(_ reference: SecretReference, profile name: String, context: Context) throws(Failure) {
    if reference.kind == .command { return }
    let outcome = try run(reference, .remove, profile: name, doing: "remove the secret of", context: context)
    if failed(reference, outcome) {
      throw .error(
        "cannot remove the secret of profile '\(name)' from \(reference.label): \(reference.kind.program) \(said(outcome))")
    }
  }
}
