import ConductorNetwork
import ProfileModel
import ShellOutput

/// `import`: profiles from an export file, the conductor CLI's config files, or the current variables.
enum ImportCommand {
  static let spec = CommandSpec(
    .importCommand, usage: "conductor-cli [--dir DIR] [--force] | env NAME [--force] | file PATH [--force]",
    summary: "Import profiles from the conductor CLI, the CONDUCTOR_* variables, or an export file.",
    arguments: [
      ArgumentSpec("SOURCE", "conductor-cli, env or file.", completes: .values(sources)),
      // The second word: a new name after env, a file after file.
      ArgumentSpec("NAME", "For env: the new profile's name.", completes: .byFirst(["file": .files])),
      ArgumentSpec("PATH", "For file: a file export --reveal wrote (/dev/stdin reads standard input)."),
    ],
    options: [
      .value(.dir, "DIR", "For conductor-cli: the config directory (default: ~/.conductor-cli)."),
      .flag(.force, "Replace profiles that have the same name (default: keep them)."),
    ],
    positionals: 1...2,
    discussion: """
      conductor-cli: config.yaml becomes the profile 'default', config-NAME.yaml the profile NAME; a config-default.yaml
      is ignored with a warning, as the conductor CLI ignores it. server (default
      http://localhost:8080/api) is normalised to end in /api; auth-token makes a user-token profile (the conductor
      CLI prefers it over a key), auth-key + auth-secret a key profile, neither a no-auth profile; server-type becomes
      the profile's serverType (Enterprise in any case is Enterprise, anything else OSS, as the CLI reads it).
      env: CONDUCTOR_SERVER_URL with CONDUCTOR_AUTH_KEY + CONDUCTOR_AUTH_SECRET (preferred) or CONDUCTOR_AUTH_TOKEN.
      file: every profile of the file; one whose secret is null (export without --reveal) is refused.
      Everything is read and checked first: when anything is wrong, nothing is imported.
      """,
    run: { invocation, context throws(Failure) in try run(try Options(invocation), context) })

  static let sources = ["conductor-cli", "env", "file"]

  /// One profile about to be imported, and where it came from (for messages).
  struct Incoming {
    let name: ProfileName
    let profile: Profile
    let origin: String
  }

  /// `import`'s command line, parsed once: which source, with its argument.
  struct Options {
    enum Source {
      case file(path: String)
      /// `dir`: `--dir DIR`, nil for ~/.conductor-cli.
      case conductorCLI(dir: String?)
      case environment(name: String)
    }
    let source: Source
    let force: Bool

    init(_ invocation: Invocation) throws(Failure) {
      let word = invocation.positionals[0]
      let argument = invocation.positionals.count > 1 ? invocation.positionals[1] : nil
      force = invocation.has(.force)
      if invocation.has(.dir), word != "conductor-cli" { throw invocation.usageError("--dir is only for import conductor-cli") }
      switch word {
      case "file":
        guard let path = argument else { throw invocation.usageError("missing PATH (import file PATH)") }
        source = .file(path: path)
      case "conductor-cli":
        if let argument {
          throw invocation.usageError("unexpected argument \(quoted(argument)); use --dir DIR for another directory")
        }
        source = .conductorCLI(dir: invocation.value(.dir))
      case "env":
        guard let name = argument else { throw invocation.usageError("missing NAME (import env NAME)") }
        source = .environment(name: name)
      default:
        throw invocation.usageError(
          "unknown source \(quoted(word)); use conductor-cli, env or file", suggestion: Suggest.nearest(word, in: sources))
      }
    }
  }

  static func run(_ options: Options, _ context: Context) throws(Failure) {
    let force = options.force
    switch options.source {
    case .file(let path):
      let read = try readExport(path: path, context: context)
      let (incoming, placements) = try SecretCommands.placeImported(read, force: force, context: context)
      var stored = false
      defer { if !stored { for placement in placements { placement.rollback(context: context) } } }
      try commit(incoming, force: force, again: "conductor-profile import file \(shellWord(path)) --force", context: context)
      stored = true
      for placement in placements { try placement.finish(context: context) }
    case .conductorCLI(let given):
      let dir: String
      if let given {
        dir = given
      } else {
        guard let home = context.environment["HOME"], !home.isEmpty else {
          throw .error("HOME is not set, so ~/.conductor-cli cannot be found; give the directory with --dir DIR")
        }
        dir = home + "/.conductor-cli"
      }
      let incoming = try readConductorCLI(directory: dir, context: context)
      var again = "conductor-profile import conductor-cli --force"
      if given != nil { again = "conductor-profile import conductor-cli --dir \(shellWord(dir)) --force" }
      try commit(incoming, force: force, again: again, context: context)
    case .environment(let name):
      let incoming = try readEnvironment(name: name, context: context)
      try commit([incoming], force: force, again: nil, context: context)
    }
  }

  /// Writes the profiles in one store update. Existing names are kept (a note each) unless `force`;
  /// `again` is the command that would replace them (nil: an existing name is an error, as for `import env`).
  static func commit(_ incoming: [Incoming], force: Bool, again: String?, context: Context) throws(Failure) {
    typealias Outcome = (written: [(Incoming, replaced: Bool)], kept: [Incoming], store: Store)
    let outcome = try context.store().update { (store: inout Store) throws(Failure) -> Outcome in
      var written: [(Incoming, replaced: Bool)] = []
      var kept: [Incoming] = []
      var missingSecrets: [Incoming] = []
      for item in incoming {
        let exists = store.contains(item.name.value)
        if exists && !force {
          guard again != nil else {
            throw .invalid(.nameTaken(item.name.value, by: .importing))
          }
          kept.append(item)
          continue
        }
        if item.profile.isRedacted {
          missingSecrets.append(item)
          continue
        }
        written.append((item, exists))
      }
      if !missingSecrets.isEmpty {
        throw .invalid(.importFile(path: missingSecrets[0].origin, .noSecrets(missingSecrets.map(\.name.value))))
      }
      for (item, _) in written { store.setProfile(item.profile, named: item.name) }
      return (written, kept, store)
    }
    let cache = TokenCache(environment: context.environment)
    for (item, replaced) in outcome.written {
      if replaced { cache.forget(item.name.value) }
      context.print(
        "\(replaced ? "replaced" : "imported") profile '\(item.name)' (\(item.profile.credential.kind.rawValue), \(item.profile.server.url)) from \(item.origin)"
      )
    }
    for item in outcome.kept {
      context.note(
        "note: kept the existing profile '\(item.name)' (not imported from \(item.origin)); to replace it: \(again ?? "")")
    }
    for (item, _) in outcome.written {
      try Guard.check(name: item.name.value, profile: item.profile, store: outcome.store, context: context, refusable: false)
      if let warning = Guard.expiryWarning(name: item.name.value, profile: item.profile, now: context.now, window: 0) {
        context.warn(warning)
      }
    }
  }

  // MARK: file

  static func readExport(path: String, context: Context) throws(Failure) -> [Incoming] {
    // Standard input, named as such, is read as a stream; any other path must be a regular file.
    let read =
      path == "/dev/stdin" ? try Posix.readStream(path, limit: .importFile) : try Posix.readFile(path, limit: .importFile)
    guard let bytes = read else {
      throw .error("cannot read \(path): no such file; give the path of a file conductor-profile export wrote")
    }
    let json: JSON
    do throws(JSONSyntaxError) {
      json = try JSON.parse(bytes)
    } catch {
      throw .document(.importFile(path: path), .syntax(error))
    }
    func bad(_ fault: ImportFault) -> Failure { .invalid(.importFile(path: path, fault)) }
    guard let object = json.objectValue else { throw bad(.notAnObject) }
    if let v = object["version"] {
      guard let version = v.integerValue, version >= 1 else { throw bad(.version) }
      if version > Store.supportedVersion { throw bad(.newerVersion(version)) }
    }
    guard let profiles = object["profiles"]?.objectValue else { throw bad(.noProfilesObject) }
    guard !profiles.isEmpty else { throw bad(.noProfiles) }
    var incoming: [Incoming] = []
    var holdsSecrets = false
    for name in profiles.keys.sorted(by: { utf8Precedes($0, $1) }) {
      let valid: ProfileName
      do throws(Failure) {
        valid = try ProfileName(validating: name)
      } catch {
        throw bad(.profile(error))
      }
      var profile: Profile
      do throws(Failure) {
        profile = try Profile(json: profiles[name]!, name: name, secretsOptional: true)
      } catch {
        throw bad(.profile(error))
      }
      // Nor a key operation to finish: a `pendingKey` makes the next `rotate` or `doctor --fix` create,
      // pause or delete keys on the server, and `keyInfo` says which roles the key has (adminOnProduction).
      // Both are this machine's own records (as a catalog never brings them); whoami and verify make them anew.
      let records = ["keyInfo", "pendingKey"].filter { profile.unknownAuth[$0] != nil }
      if !records.isEmpty {
        for record in records { profile.unknownAuth[record] = nil }
        context.note(
          "note: profile '\(name)': the file's \(records.joined(separator: " and ")) \(records.count == 1 ? "was" : "were") not imported (a record of this machine's own key operations); whoami or verify records the key anew"
        )
      }
      // A shared file must not bring a program for this machine to run at the next switch.
      if profile.secretStore?.kind == .command {
        throw bad(.secretCommand(name))
      }
      if case .none = profile.credential {} else if !profile.isRedacted { holdsSecrets = true }
      incoming.append(Incoming(name: valid, profile: profile, origin: path))
    }
    if holdsSecrets, let mode = Posix.mode(of: path), mode & 0o077 != 0, mode & 0o170000 == 0o100000 {
      // Not refused (it is the user's file), but worth saying: it holds secrets.
      context.warn(
        "\(path) holds secrets and can be read by group or others; restrict it with: chmod 600 \(shellWord(path)), or delete it")
    }
    return incoming
  }

  // MARK: conductor-cli

  /// The conductor CLI's default server when a config file names none.
  static let conductorCLIDefaultServer = "http://localhost:8080/api"

  static func readConductorCLI(directory: String, context: Context) throws(Failure) -> [Incoming] {
    let names: [String]
    do throws(Failure) { names = try Posix.listDirectory(directory) } catch {
      if case .file(_, _, errno: Posix.notFound) = error {
        throw .error(
          "there is no conductor CLI configuration at \(directory) (no such directory); give its directory with --dir DIR")
      }
      throw error
    }
    var files: [String] = []
    for name in names {
      if name == "config.yaml" || (name.hasPrefix("config-") && name.hasSuffix(".yaml") && name.count > 12) {
        files.append(name)
      }
    }
    // config.yaml (the profile 'default') first, then config-NAME.yaml by name.
    files.sort { a, b in a == "config.yaml" || (b != "config.yaml" && utf8Precedes(a, b)) }
    guard !files.isEmpty else {
      throw .error(
        "no conductor CLI config files in \(directory) (config.yaml or config-NAME.yaml); create one with: conductor config save, or give another directory with --dir DIR"
      )
    }
    var incoming: [Incoming] = []
    for file in files {
      let path = directory + "/" + file
      // The conductor CLI reads its profile 'default' from config.yaml and never from this file.
      if file == "config-default.yaml" {
        context.warn(
          "ignored \(path): the conductor CLI never reads it (its profile 'default' is config.yaml); move it aside, or rename it to import it under another name"
        )
        continue
      }
      let profileName = file == "config.yaml" ? "default" : String(file.dropFirst(7).dropLast(5))
      guard let valid = try? ProfileName(validating: profileName) else {
        context.warn(
          "skipped \(path): \(quoted(profileName)) cannot be a profile name (letters, digits, '.', '_', '-'); add it by hand with conductor-profile add"
        )
        continue
      }
      incoming.append(Incoming(name: valid, profile: try readConductorCLIFile(path, context: context), origin: path))
    }
    guard !incoming.isEmpty else { throw .error("nothing to import from \(directory)") }
    return incoming
  }

  static func readConductorCLIFile(_ path: String, context: Context) throws(Failure) -> Profile {
    guard let bytes = try Posix.readFile(path, limit: .cliConfig) else { throw .error("cannot read \(path): no such file") }
    let entries: [FlatYAML.Entry]
    do throws(FlatYAML.SyntaxError) {
      entries = try FlatYAML.parse(bytes)
    } catch {
      throw .invalid(.conductorCLIFile(path: path, line: error.line, .syntax(error.reason)))
    }
    var values: [String: (value: String, line: Int)] = [:]
    for entry in entries {
      if let value = entry.value, !value.isEmpty { values[entry.key] = (value, entry.line) }
    }
    func fail(_ line: Int?, _ fault: ConductorCLIFault) -> Failure { .invalid(.conductorCLIFile(path: path, line: line, fault)) }
    let server: Server
    do throws(Failure) {
      server = try Server(validating: values["server"]?.value ?? conductorCLIDefaultServer)
    } catch {
      throw fail(values["server"]?.line, .value(error))
    }
    let credential: Credential
    if let token = values["auth-token"] {
      do throws(Failure) {
        credential = .userToken(try JWT(validating: token.value))
      } catch {
        throw fail(token.line, .value(error))
      }
      if values["auth-key"] != nil {
        context.note(
          "note: \(path) has both auth-token and auth-key; the conductor CLI uses the token, so this is a user-token profile")
      }
    } else if let key = values["auth-key"], let secret = values["auth-secret"] {
      do throws(Failure) { try validateKeyID(key.value) } catch { throw fail(key.line, .value(error)) }
      do throws(Failure) { try validateKeySecret(secret.value) } catch { throw fail(secret.line, .value(error)) }
      credential = .key(id: key.value, secret: Secret(secret.value))
    } else if let key = values["auth-key"] {
      throw fail(key.line, .keyWithoutSecret)
    } else if let secret = values["auth-secret"] {
      throw fail(secret.line, .secretWithoutKey)
    } else {
      credential = .none
    }
    var profile = Profile(server: server, credential: credential)
    if let type = values["server-type"] {
      profile.serverType = ServerType(asConductorCLIReads: type.value)
      if ServerType.allCases.allSatisfy({ $0.rawValue.uppercased() != type.value.uppercased() }) {
        context.warn(
          "\(path):\(type.line): server-type \(quoted(type.value)) is neither OSS nor Enterprise; the conductor CLI treats it as OSS, and so does this profile"
        )
      }
    }
    return profile
  }

  // MARK: env

  static func readEnvironment(name: String, context: Context) throws(Failure) -> Incoming {
    let valid = try ProfileName(validating: name)
    let name = valid.value
    let env = context.environment
    func value(_ variable: String) -> String? {
      guard let v = env[variable], !v.isEmpty else { return nil }
      return v
    }
    guard let url = value(ManagedVariable.serverURL) else {
      throw .error(
        "CONDUCTOR_SERVER_URL is not set, so there is nothing to import; set it (with CONDUCTOR_AUTH_KEY and CONDUCTOR_AUTH_SECRET, or CONDUCTOR_AUTH_TOKEN), or add the profile with: conductor-profile add \(name) --server URL …"
      )
    }
    func named(_ variable: String, _ error: Failure) -> Failure { .invalid(.importedVariable(variable, error)) }
    let server: Server
    do throws(Failure) { server = try Server(validating: url) } catch { throw named(ManagedVariable.serverURL, error) }
    let credential: Credential
    let key = value(ManagedVariable.authKey)
    let secret = value(ManagedVariable.authSecret)
    let token = value(ManagedVariable.authToken)
    if let key, let secret {
      do throws(Failure) { try validateKeyID(key) } catch { throw named(ManagedVariable.authKey, error) }
      do throws(Failure) { try validateKeySecret(secret) } catch { throw named(ManagedVariable.authSecret, error) }
      credential = .key(id: key, secret: Secret(secret))
      if token != nil { context.note("note: CONDUCTOR_AUTH_TOKEN was not imported: the access key is the better credential") }
    } else if key != nil || secret != nil {
      throw .invalid(
        key == nil
          ? .importedKeyHalf(given: ManagedVariable.authSecret, missing: ManagedVariable.authKey)
          : .importedKeyHalf(given: ManagedVariable.authKey, missing: ManagedVariable.authSecret))
    } else if let token {
      if TokenCache(environment: env).isMinted(token) {
        throw .invalid(.importedMintedToken)
      }
      do throws(Failure) {
        credential = .userToken(try JWT(validating: token))
      } catch {
        throw named(ManagedVariable.authToken, error)
      }
    } else {
      credential = .none
    }
    var profile = Profile(server: server, credential: credential)
    // Kept only when it is not what the credential implies (a switch always exports it).
    if let type = value(ManagedVariable.serverType).map(ServerType.init(asConductorCLIReads:)),
      type != profile.effectiveServerType
    {
      profile.serverType = type
    }
    return Incoming(name: valid, profile: profile, origin: "the environment")
  }
}
