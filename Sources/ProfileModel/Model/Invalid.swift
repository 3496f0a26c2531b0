import ShellOutput

/// Why the model refused a value: one case a rule, carrying what was wrong and with what. Tests match the
/// cases; the words are made here and nowhere else (`description`), and `Failure.invalid` carries them to
/// the command line (exit 1), or into `Failure.profile` for a profile of the store.
///
/// To add a rule: add a case here (or to the sub-enum of its subject: `ServerFault`, `StoreFault`,
/// `ImportFault`, …) carrying the value it judged and what it was judged against, write its words in that
/// enum's `description` (and `fix`, when the fix is said apart), and `throw .invalid(.yourCase(…))` where the
/// rule is checked. A rule that finds a failure inside (a name or a profile in a file) carries that failure,
/// never its text. Record a golden of the message in `ValidationFailureTests` first, and assert the case there;
/// never `throw .error(String)` for a value, file, document or setting judged invalid.
public enum Invalid: Equatable, Sendable, CustomStringConvertible {
  // A profile name (`ProfileName`): 1–64 of [A-Za-z0-9._-], starting with a letter or digit.
  case nameEmpty
  case nameTooLong(String, limit: Int)
  case nameStart(String)
  case nameCharacters(String)
  // A server (`Server`) and its type (`ServerType`).
  case server(String, ServerFault)
  case serverType(String)
  // An application access key (AccessKey.swift).
  case keyIDEmpty
  case keyIDCharacters(String)
  case keySecretEmpty
  case keySecretControl
  // A user token (`JWT`).
  case tokenEmpty
  case token(TokenFault)
  // An extra variable of a profile (`validateExtraVariable`, `VariablePolicy`).
  case variableName(String)
  case variableRefused(String, family: String, why: String)
  case variableNUL(String)
  case variableTooLong(String, bytes: Int, limit: Int)
  // The store's own members (`Store.init(json:)`) and the guard's variable.
  case store(StoreFault)
  case guardVariable(String)
  // A profile of the store, as read (`Profile.init(json:)`; `Failure.profile` names the profile).
  case stored(StoredFault)
  /// A secret store's name (`SecretStoreKind`).
  case secretStore(String)
  /// A store-level setting (its name, its JSON text, the store's path) that is not what it must be.
  case setting(String, value: String, in: String, expected: SettingKind)
  // A secret read from standard input (`Context.readSecret`).
  case secretTooLong(fromTerminal: Bool)
  case secretNotUTF8
  case secretNUL
  // A `.conductor-profile` file (`DirectoryFile.read`; `path` as shown): never its line.
  case directoryFileNotRegular(path: String)
  case directoryFileTooLarge(path: String, limit: Int)
  case directoryFileName(path: String)
  // What one switch exports (`Limits.checkSwitchSize`).
  case switchTooLarge(profile: String, bytes: Int, limit: Int)
  /// A file given to `import file` (`path` as given).
  case importFile(path: String, ImportFault)
  /// A team catalog (`Catalog.read`).
  case catalog(path: String, CatalogFault)
  /// The trust file of directory profiles (`TrustFile`) can be written by group or others.
  case trustFileWritable(path: String)
  /// A workflow id given to `ui`.
  case workflowID(String)
  /// What is at the store's path is not a regular file (`what`: a directory, a FIFO, …).
  case storePathNotAFile(path: String, what: String)
  /// The store's path is a loop of symbolic links.
  case storePathLoop(path: String)
  /// `set --secret-store` for a profile (its name) without a secret.
  case noSecretToMove(profile: String)
  /// A new secret for a profile whose secret store (`label`, as shown) is read-only.
  case readOnlySecretStore(profile: String, label: String)
  /// A profile name already taken; `by` is the command, for its way out.
  case nameTaken(String, by: NameTakenBy)
  /// `set --unset-env` names a variable the profile does not have (`has`: the ones it has).
  case noSuchVariable(String, profile: String, has: [String])
  /// The hook's record of the state before the last switch (`variable`), which no switch writes.
  case previousState(variable: String, value: String)
  /// The hook's shell (`variable`) is not bash, zsh or fish.
  case hookShell(variable: String, value: String)
  /// The hook's `.conductor-profile` path (`variable`) is not absolute.
  case directoryFileVariable(variable: String)
  /// A conductor CLI config file given to `import conductor-cli` (`line`: the line at fault, when one is).
  case conductorCLIFile(path: String, line: Int?, ConductorCLIFault)
  /// A variable `import env` read (its name) holds a value its rule refused: that failure.
  case importedVariable(String, Failure)
  /// `import env`: one of a key's two variables is set without the other.
  case importedKeyHalf(given: String, missing: String)
  /// What a secret store's helper printed as a profile's secret (`label`: the store) is no secret: more than
  /// `ReadLimit.secret`, not UTF-8 text (or a NUL byte), or nothing (`fix` says how to mend that).
  case helperPrintedTooMuch(profile: String, label: String)
  case helperPrintedNoText(profile: String, label: String)
  case helperPrintedNothing(profile: String, label: String, fix: String)
  /// `import env`: `CONDUCTOR_AUTH_TOKEN` is a token `token` minted for a key (it lives minutes): import the key.
  case importedMintedToken
  /// `set`: a profile of another kind (`kind`) becomes a key profile only with both `--key-id` and `--secret`.
  case keyProfileNeedsIDAndSecret(profile: String, kind: String)
  /// The token cache names a file by a valid profile name only (a hand-edited name never becomes a path).
  case cacheName(String)
  /// `catalog sync`: a catalog's profile merged with this user's edits is not a valid profile.
  case catalogMerge(path: String, profile: String, Failure)
  /// The store's directory can be written by others (and is not sticky).
  case storeDirectoryWritable(directory: String)
  /// The store file can be read or written by group or others (`mode`: its permission bits).
  case storeFileMode(path: String, mode: UInt32)
  /// The store is of a version newer than this binary writes (`Store.supportedVersion`).
  case storeTooNew(path: String, version: Int64)
  /// A value for a server request holds a control character (its scalar value) a request cannot carry.
  case requestControlCharacter(UInt32)
  /// An id or role that cannot be one segment of a request path.
  case requestPathSegment(String)
  /// A variable a dotenv file cannot hold exactly.
  case dotenv(DotenvRefusal)
  /// The secret a secret store's helper (`label`, as shown) gave for a profile is refused by its value's own
  /// rule (`failure`); `isKey`: a key secret, else a user token.
  case helperSecret(label: String, profile: String, isKey: Bool, Failure)
  /// A secret longer than the line `security -i` reads (`action`: what was being done, e.g. "store the secret of").
  case keychainSecretTooLong(profile: String, action: String)

  /// How to mend it, when that is said apart from what was wrong (a report such as doctor's gives its own).
  public var fix: String? {
    switch self {
    case .setting(_, _, _, .helperTimeout): return "fix or remove it (the default is 10s)"
    case .setting: return "fix or remove it"
    case .storePathNotAFile: return "move it away, or point CONDUCTOR_PROFILE_STORE at a file (nothing was read or changed)"
    case .storeDirectoryWritable, .storeFileMode:
      return
        "it holds secrets, so it is refused. Fix it with: \((chmod ?? []).map(shellWord).joined(separator: " ")) (or run conductor-profile doctor --fix)"
    default: return nil
    }
  }

  /// The `chmod` that mends a permission case (`doctor --fix` runs it).
  public var chmod: [String]? {
    switch self {
    case .storeDirectoryWritable(let directory): ["chmod", "o-w", directory]
    case .storeFileMode(let path, _): ["chmod", "600", path]
    default: nil
    }
  }

  public var description: String {
    let nameRule = "use 1 to \(ProfileName.maximumLength) letters, digits, '.', '_' or '-', starting with a letter or digit"
    switch self {
    case .nameEmpty: return "a profile name cannot be empty: \(nameRule)"
    case .nameTooLong(let name, _), .nameStart(let name), .nameCharacters(let name):
      return "invalid profile name \(quoted(name)): \(nameRule)"
    case .server(let text, let fault):
      return "invalid server \(quoted(text)): \(fault); give an http or https URL such as https://conductor.example.com/api"
    case .serverType(let text):
      return "invalid server type \(quoted(text)): use OSS (open-source Conductor) or Enterprise (Orkes Conductor)"
    case .keyIDEmpty: return "the key id is empty; give the id of an application access key (Access Control > Applications)"
    case .keyIDCharacters(let id):
      return "invalid key id \(quoted(id)): it contains whitespace or a control character; copy the key id again"
    case .keySecretEmpty: return "the key secret is empty; give the secret shown when the access key was created"
    case .keySecretControl: return "the key secret contains a control character (a line break or tab?); give it on one line"
    case .tokenEmpty: return "the user token is empty; copy it from the Conductor UI (user menu > Copy Token)"
    case .token(let fault):
      return "the user token is not a JWT: \(fault); copy it again from the Conductor UI (user menu > Copy Token)"
    case .variableName(let name):
      return
        "invalid variable name \(quoted(name)): an extra variable is an environment variable, named with upper-case letters, digits and '_', not starting with a digit (lower-case names are a shell's own variables)"
    case .variableRefused(let name, let family, let why):
      return
        "a profile cannot set \(name) (\(family): \(why)); choose another name (docs/security.md lists the refused names and why)"
    case .variableNUL(let name): return "the value of \(name) contains a NUL byte, which no environment variable can hold"
    case .variableTooLong(let name, let bytes, let limit):
      return "the value of \(name) is \(bytes) bytes, more than the \(limit) an extra variable may hold; shorten it"
    case .store(let fault): return fault.description
    case .guardVariable(let text): return "CONDUCTOR_PROFILE_GUARD is \(quoted(text)); set it to warn or block, or unset it"
    case .stored(let fault): return fault.description
    case .secretStore(let text): return "unknown secret store \(quoted(text)); use \(SecretStoreKind.choices)"
    case .setting(let name, let value, let path, let expected): return "\"\(name)\" in \(path) is \(value), not \(expected)"
    case .secretTooLong(let fromTerminal):
      return
        "the secret read from \(fromTerminal ? "the terminal" : "standard input") is longer than \(ReadLimit.secret.shown), the most \(ReadLimit.secret.what) may be (it was read no further); give the secret alone"
    case .secretNotUTF8: return "the secret read from standard input is not UTF-8 text"
    case .secretNUL: return "the secret read from standard input contains a NUL byte"
    case .directoryFileNotRegular(let path):
      return "\(path) is not a regular file; a .conductor-profile file holds one profile name"
    case .directoryFileTooLarge(let path, let limit):
      return "\(path) is larger than \(limit) bytes; a .conductor-profile file holds one profile name"
    case .directoryFileName(let path):
      return
        "the first line of \(path) is not a profile name (1 to \(ProfileName.maximumLength) letters, digits, '.', '_' or '-', starting with a letter or digit); it names the profile for its directory tree"
    case .switchTooLarge(let name, let bytes, let limit):
      return
        "profile '\(name)' would export \(bytes) bytes of variables, more than a shell can pass on to the programs it starts (\(limit) bytes); shorten its extra variables"
    case .importFile(let path, .newerVersion(let version)):
      return
        "\(path) is a version \(version) export, newer than this conductor-profile understands (version \(Store.supportedVersion)); upgrade conductor-profile. Nothing was imported"
    case .importFile(let path, .noProfiles): return "\(path) has no profiles; nothing was imported"
    case .importFile(let path, .noSecrets(let names)):
      let one = names.count == 1
      return
        "\(path): profile\(one ? "" : "s") \(names.map { "'\($0)'" }.joined(separator: ", ")) \(one ? "has" : "have") no secret (null: the file was written by export without --reveal); nothing was imported. Export again with: conductor-profile export --reveal, or leave \(one ? "it" : "them") out of the file"
    case .importFile(let path, let fault):
      return "\(path): \(fault); nothing was imported. Give a file that conductor-profile export --reveal wrote"
    case .catalog(let path, .secret(let field)):
      return
        "the catalog \(shownText(path)) holds a secret at \(field); a catalog is shared, so it is refused whole and nothing was changed. Remove every secret from it (export writes them as null): each person sets their own with conductor-profile set NAME --secret (or --user-token)"
    case .catalog(let path, .syntax(let error)): return "the catalog \(shownText(path)) is not valid JSON: \(error.description)"
    case .catalog(let path, .newerVersion(let version)):
      return
        "the catalog \(shownText(path)) is version \(version), newer than this conductor-profile understands; upgrade conductor-profile"
    case .catalog(let path, let fault):
      return
        "the catalog \(shownText(path)) \(fault); nothing was changed. A catalog is {\"version\": 1, \"profiles\": {NAME: {…}}}, as conductor-profile export writes it, without secrets"
    case .trustFileWritable(let path):
      return
        "the trust file \(shownText(path)) can be written by group or others, so it is not used; fix it with: chmod 600 \(shellWord(path))"
    case .workflowID(let id):
      return
        "invalid workflow id \(quoted(id)): use the execution's id as the UI shows it (1 to 128 letters, digits, '-', '_', '.', ':')"
    case .storePathNotAFile(let path, let what): return "the profile store path \(path) is \(what), not a file"
    case .storePathLoop(let path): return "the profile store path \(path) is a loop of symbolic links; point it at a file"
    case .noSecretToMove(let name): return "profile '\(name)' has no secret (auth none), so --secret-store has nothing to move"
    case .readOnlySecretStore(let name, let label):
      return
        "profile '\(name)' reads its secret from \(label), which is read-only; put the new secret where that command reads it, or name another store with --secret-store"
    case .nameTaken(let name, let by):
      return "a profile named '\(name)' already exists; \(by.wayOut(name))"
    case .noSuchVariable(let variable, let name, let has):
      return "profile '\(name)' has no extra variable \(quoted(variable)); its variables: \(has.joined(separator: " "))"
    case .previousState(let variable, let value): return "\(variable) is \(quoted(value)), which no switch writes; switch by name"
    case .hookShell(let variable, let value):
      return "\(variable) is \(quoted(value)), not bash, zsh or fish; reload the hook with init"
    case .directoryFileVariable(let variable): return "\(variable) is not an absolute path"
    case .conductorCLIFile(let path, let line, .syntax(let reason)):
      return "\(path):\(line ?? 1): \(reason); nothing was imported. Fix the file, or move it aside"
    case .conductorCLIFile(let path, let line, let fault):
      return "\(path)\(line.map { ":\($0)" } ?? ""): \(fault); nothing was imported"
    case .importedVariable(let variable, let failure): return "\(variable): \(failure.description)"
    case .importedKeyHalf(let given, let missing):
      return "\(given) is set without \(missing); set both, or unset the one that is set"
    case .helperPrintedTooMuch(let profile, let label):
      return "cannot read the secret of profile '\(profile)' from \(label): it printed more than \(ReadLimit.secret.shown)"
    case .helperPrintedNoText(let profile, let label):
      return "cannot read the secret of profile '\(profile)' from \(label): it printed something that is not UTF-8 text"
    case .helperPrintedNothing(let profile, let label, let fix):
      return "cannot read the secret of profile '\(profile)' from \(label): it printed nothing; \(fix)"
    case .importedMintedToken:
      return
        "CONDUCTOR_AUTH_TOKEN is a token conductor-profile minted for an access key (it lives minutes, not a session); import the key instead: set CONDUCTOR_AUTH_KEY and CONDUCTOR_AUTH_SECRET"
    case .keyProfileNeedsIDAndSecret(let profile, let kind):
      return "profile '\(profile)' is a \(kind) profile; to make it a key profile give both --key-id ID and --secret"
    case .cacheName(let name): return "cannot cache the token: \(quoted(name)) is not a valid profile name"
    case .catalogMerge(let path, let profile, let failure):
      return
        "the catalog \(shownText(path)) cannot be synced: its profile '\(profile)' merged with your edits is not valid: \(failure.description)"
    case .storeDirectoryWritable(let directory): return "the directory \(directory) can be written by others"
    case .storeFileMode(let path, let mode):
      let octal = String(mode, radix: 8)
      return
        "the profile store \(path) can be read or written by group or others (mode \(String(repeating: "0", count: max(0, 4 - octal.count)) + octal))"
    case .storeTooNew(let path, let version):
      return
        "\(path) is a version \(version) store, newer than this conductor-profile understands (version \(Store.supportedVersion)); it can be read but not changed: upgrade conductor-profile"
    case .requestControlCharacter(let scalar):
      return "cannot send a value with a control character (\\x\(String(scalar, radix: 16))) to the server"
    case .requestPathSegment(let text):
      return
        "\(quoted(text)) cannot be part of a request path (only letters, digits and - _ . : @); check the application id, key id or role"
    case .dotenv(let refusal): return refusal.message
    case .helperSecret(let label, let name, let isKey, let failure):
      return
        "the secret that \(label) gave for profile '\(name)' is not a valid \(isKey ? "key secret" : "user token"): \(failure.description)"
    case .keychainSecretTooLong(let name, let action):
      return
        "cannot \(action) profile '\(name)' in the keychain: security -i reads lines of at most 4096 bytes, and this secret is too long; keep it in another store (--secret-store)"
    }
  }
}

/// The command that found a profile name taken (`Invalid.nameTaken`), for the way out it offers.
public enum NameTakenBy: Equatable, Sendable {
  case add, rename
  /// `import env` (an import that cannot replace with a suggested command).
  case importing
  /// `promote --to` (the profile promoted, which `--to` may name to replace itself).
  case promote(from: String)

  func wayOut(_ name: String) -> String {
    switch self {
    case .add: "change it with: conductor-profile set \(name) …, or replace it with add --force"
    case .rename: "remove it first or choose another name"
    case .importing: "choose another name, or replace it with --force"
    case .promote(let from): "choose another name with --to NEW, or replace '\(from)' itself with --to \(from)"
    }
  }
}

/// What is wrong in a conductor CLI config file (`Invalid.conductorCLIFile`).
public indirect enum ConductorCLIFault: Equatable, Sendable, CustomStringConvertible {
  /// A value its own rule refused (a server, a key id or secret, a token): that failure.
  case value(Failure)
  case keyWithoutSecret
  case secretWithoutKey
  /// The file is not the flat `key: value` YAML the conductor CLI writes (`FlatYAML`): why.
  case syntax(String)

  public var description: String {
    switch self {
    case .value(let failure): failure.description
    case .keyWithoutSecret:
      "auth-key has no auth-secret beside it; add auth-secret, or remove auth-key for a server without authentication"
    case .secretWithoutKey: "auth-secret has no auth-key beside it; add auth-key"
    case .syntax(let reason): reason
    }
  }
}

/// What is wrong with a file given to `import file` (`Invalid.importFile`).
public indirect enum ImportFault: Equatable, Sendable, CustomStringConvertible {
  case notAnObject
  case version
  /// A version newer than `Store.supportedVersion`.
  case newerVersion(Int64)
  case noProfilesObject
  case noProfiles
  /// A profile's name or the profile itself is not valid: the failure its own rule gave.
  case profile(Failure)
  /// The profile (its name) gets its secret by running a command, which an imported file never brings.
  case secretCommand(String)
  /// These profiles (their names) have no secret: export wrote the file without --reveal.
  case noSecrets([String])

  public var description: String {
    switch self {
    case .notAnObject: "it is not a JSON object"
    case .version: "\"version\" is not a whole number of 1 or more"
    case .newerVersion(let version): "it is a version \(version) export"
    case .noProfilesObject: "it has no \"profiles\" object"
    case .noProfiles: "it has no profiles"
    case .profile(let failure): failure.description
    case .noSecrets(let names): "no secret in \(names.map { "'\($0)'" }.joined(separator: ", "))"
    case .secretCommand(let name):
      "profile '\(name)' gets its secret by running a command (secretStore command), and an imported file never brings a command to run; add that profile yourself: conductor-profile add \(name) --server URL --key-id ID --secret-store command -- COMMAND"
    }
  }
}

/// What is wrong with a team catalog (`Invalid.catalog`).
public indirect enum CatalogFault: Equatable, Sendable, CustomStringConvertible {
  case notAnObject
  /// Where it holds a secret (a member path such as `profiles.p.auth.keySecret`).
  case secret(String)
  case version
  /// A version newer than `Store.supportedVersion`.
  case newerVersion(Int64)
  case noProfilesObject
  /// A profile's name or the profile itself is not valid: the failure its own rule gave.
  case profile(Failure)
  /// It is not JSON.
  case syntax(JSONSyntaxError)

  public var description: String {
    switch self {
    case .syntax(let error): "is not valid JSON: \(error.description)"
    case .notAnObject: "is not a JSON object"
    case .secret(let field): "holds a secret at \(field)"
    case .version: "has a \"version\" that is not a whole number of 1 or more"
    case .newerVersion(let version): "is version \(version)"
    case .noProfilesObject: "has no \"profiles\" object"
    case .profile(let failure): "has an invalid profile: \(failure.description)"
    }
  }
}

/// What a store-level setting must be (`Invalid.setting`).
public enum SettingKind: Equatable, Sendable, CustomStringConvertible {
  case boolean
  /// A duration in quotes (`durationHelp`).
  case duration
  /// A secret store helper's time limit: a duration of at most 10 minutes, in quotes (its fix names the default).
  case helperTimeout

  /// What a duration is, as the store and the command line (`--for`) take it.
  public static let durationHelp = "a duration such as 30s, 15m, 1h or 1h30m (at most 168h)"

  public var description: String {
    switch self {
    case .boolean: "true or false"
    case .duration: "\(SettingKind.durationHelp) in quotes"
    case .helperTimeout: "a duration such as 10s, 30s or 2m (at most 10m) in quotes"
    }
  }
}

/// What is wrong with a server URL (`Invalid.server`).
public enum ServerFault: Equatable, Sendable, CustomStringConvertible {
  case empty, whitespace, query, fragment, noScheme
  case scheme(String)
  case userInfo
  case ipv6Unclosed, afterIPv6, ipv6Invalid
  case noHost
  case host(String)
  case port(String)

  public var description: String {
    switch self {
    case .empty: "it is empty"
    case .whitespace: "it contains whitespace or a control character"
    case .query: "it has a query ('?…'), which a server address cannot carry"
    case .fragment: "it has a fragment ('#…'), which a server address cannot carry"
    case .noScheme: "it has no scheme"
    case .scheme(let scheme): "the scheme '\(scheme)' is not http or https"
    case .userInfo: "it has a user name or password in it"
    case .ipv6Unclosed: "the IPv6 address has no closing ']'"
    case .afterIPv6: "unexpected text after the IPv6 address"
    case .ipv6Invalid: "the IPv6 address is not valid"
    case .noHost: "it has no host"
    case .host(let host): "the host '\(host)' is not a valid host name"
    case .port(let port): "the port '\(port)' is not a number from 1 to 65535"
    }
  }
}

/// What is wrong with the store's own members (`Invalid.store`).
public enum StoreFault: Equatable, Sendable, CustomStringConvertible {
  case notAnObject
  case version
  case defaultNotString
  /// `guard`, as its JSON text.
  case guardMode(String)
  case profilesNotAnObject
  /// `productionFalse` (the marker of an explicit `"production": false`), as its JSON text.
  case falseMarker(String)
  /// `keyMaxAge`, as its JSON text.
  case keyMaxAge(String)
  /// `adminOnProduction`, as its JSON text.
  case adminOnProduction(String)
  /// `secretStore` (where new secrets go), as its JSON text.
  case defaultSecretStore(String)

  public var description: String {
    switch self {
    case .notAnObject: "the store is not a JSON object"
    case .version: "\"version\" is not a whole number of 1 or more"
    case .defaultNotString: "\"default\" is not a string"
    case .guardMode(let json): "\"guard\" is \(json), not \"warn\" or \"block\""
    case .profilesNotAnObject: "\"profiles\" is not an object"
    case .falseMarker(let json): "\"\(Store.falseMarkerKey)\" is \(json), not \"\(Store.falseMarkerValue)\""
    case .keyMaxAge(let json):
      "the store's \"keyMaxAge\" is \(json), not a duration; write a whole number and a unit (s, m, h, d or w), such as \"90d\""
    case .adminOnProduction(let json): "the store's \"adminOnProduction\" is \(json), not \"warn\" or \"block\"; fix it by hand"
    case .defaultSecretStore(let json):
      "the store's \"secretStore\" is \(json), not one of file, secret-service, pass or keychain (command needs a command for each profile: give it with add --secret-store command -- COMMAND)"
    }
  }
}

/// What is wrong with a profile of the store (`Invalid.stored`): a member missing or of the wrong kind. A
/// value's own rule (its server, key, token, variables) gives its own case instead.
public enum StoredFault: Equatable, Sendable, CustomStringConvertible {
  case notAnObject
  case noServer
  case noAuth
  /// `auth` lacks this member (`kind`, `keyId`, `keySecret`, `token`).
  case authMissing(String)
  case authKind(String)
  /// A member that must be true or false (`production`).
  case notBoolean(String)
  /// A member that must be a string (`description`).
  case notString(String)
  case envNotAnObject
  case envValueNotString(String)
  /// `serverType`, as its JSON text.
  case serverType(String)
  /// `color`, as its JSON text.
  case color(String)
  /// A member of `auth` that must be a string (`secretStore`, `tokenSubject`).
  case authNotString(String)
  /// A secret store named for a profile without a secret (auth kind none).
  case secretStoreWithoutSecret(String)
  /// `auth` names a secret store and holds the secret (`keySecret` or `token`) too; the profile's name, for the fix.
  case secretInFile(String, profile: String)
  case noSecretCommand
  case secretCommandNotStrings
  case secretCommandNUL
  case secretCommandEmptyProgram
  case tokenExpiresNotSeconds

  public var description: String {
    switch self {
    case .notAnObject: "is not a JSON object"
    case .noServer: "has no \"server\" string"
    case .noAuth: "has no \"auth\" object"
    case .authMissing(let member): "its auth has no \"\(member)\""
    case .authKind(let kind): "its auth kind \(quoted(kind)) is not key, user-token or none"
    case .notBoolean(let member): "\"\(member)\" is not true or false"
    case .notString(let member): "\"\(member)\" is not a string"
    case .envNotAnObject: "\"env\" is not an object"
    case .envValueNotString(let name): "env \(name) is not a string"
    case .serverType(let json): "\"serverType\" is \(json), not \"OSS\" or \"Enterprise\""
    case .color(let json): "\"color\" is \(json), not one of \(PromptColor.names)"
    case .authNotString(let member): "its auth \"\(member)\" is not a string"
    case .secretStoreWithoutSecret(let store):
      "it has auth kind none, so there is no secret to keep in \(store); remove \"secretStore\""
    case .secretInFile(let key, let name):
      "its auth has both \"secretStore\" and \"\(key)\"; the store file must hold no secret: remove \"\(key)\", or move the secret with: conductor-profile set \(name) --secret-store file"
    case .noSecretCommand: "its auth has secretStore command but no \"secretCommand\" (a non-empty array of strings)"
    case .secretCommandNotStrings: "its auth \"secretCommand\" holds something that is not a string"
    case .secretCommandNUL: "its auth \"secretCommand\" holds a NUL byte"
    case .secretCommandEmptyProgram: "its auth \"secretCommand\" starts with an empty program name"
    case .tokenExpiresNotSeconds: "its auth \"tokenExpires\" is not a number of seconds"
    }
  }
}

/// What is wrong with a user token (`Invalid.token`).
public enum TokenFault: Equatable, Sendable, CustomStringConvertible {
  /// The three parts of a JWT.
  public enum Part: String, Sendable {
    case header, payload, signature
  }

  case bearer
  case segments(Int)
  case notBase64(Part)
  case notObject(Part)
  /// The `exp` claim (its JSON text, at most 64 characters) is not a time in Unix seconds.
  case expiry(String)

  public var description: String {
    switch self {
    case .bearer: "it starts with 'Bearer '; give the token alone"
    case .segments(let n): "it has \(n) dot-separated segment\(n == 1 ? "" : "s"), not 3"
    case .notBase64(let part): "its \(part.rawValue) is not base64url"
    case .notObject(let part): "its \(part.rawValue) is not a JSON object"
    case .expiry(let text): "its exp claim \(quoted(text)) is not a time in Unix seconds between 1970 and 9999"
    }
  }
}
