import ShellOutput

/// One profile: a server, one credential and a few flags — plus whatever keys a newer version or a
/// person put in the store, which are written back unchanged.
public struct Profile: Equatable, Sendable {
  public var server: Server
  public var credential: Credential
  /// Nil when the profile does not say: then the host's name judges (`isJudgedProduction`). False is
  /// an explicit "not production" (`--no-production`). Kept as written so a rewrite changes nothing.
  public var production: Bool?
  public var description: String?
  /// `OSS` or `Enterprise`; nil when the store does not say (inferred from the credential).
  public var serverType: ServerType?
  /// Extra variables exported with the profile. Nil when the store has no `env`.
  public var env: [String: String]?
  /// Keys of the profile object this version does not know.
  public var unknown: [String: JSON] = [:]
  /// Keys of the `auth` object this version does not know.
  public var unknownAuth: [String: JSON] = [:]
  /// Where the secret is kept when not in the store file (SecretStore.swift); nil: in the file.
  public var secretStore: SecretReference?

  public init(server: Server, credential: Credential) {
    self.server = server
    self.credential = credential
  }

  /// Whether the profile itself says `"production" : true`.
  public var isFlaggedProduction: Bool { production ?? false }

  /// Whether the profile itself makes its server production: its flag, or, when it says nothing either
  /// way, its host's name (`Host.isProductionName`). Other profiles naming the same host, and a catalog's
  /// floor, are `Store.isProduction`'s part of the judgement.
  public var isJudgedProduction: Bool { production ?? Host.isProductionName(server.host) }

  /// True when the profile says nothing about production and its host's name makes it production:
  /// what `add` and `set` say in one line.
  public var isProductionByName: Bool { production == nil && Host.isProductionName(server.host) }

  /// Extra variables, sorted by name.
  public var extraVariables: [Variable] {
    var variables: [Variable] = []
    for (name, value) in env ?? [:] { variables.append(Variable(name, value)) }
    variables.sort { utf8Precedes($0.name, $1.name) }
    return variables
  }
}

// MARK: - JSON form

extension Profile {
  /// Reads a profile from its store object. `secretsOptional` lets an export written without
  /// `--reveal` be read: its secrets are `null` and come back as empty strings.
  package init(json: JSON, name: String, secretsOptional: Bool = false) throws(Failure) {
    func bad(_ why: String) -> Failure { .profile(name, problem: .error(why)) }
    guard var object = json.objectValue else { throw bad("is not a JSON object") }
    guard let serverText = object.removeValue(forKey: "server")?.stringValue else { throw bad("has no \"server\" string") }
    let server: Server
    do throws(Failure) { server = try Server(validating: serverText) } catch { throw .profile(name, problem: error) }
    guard var auth = object.removeValue(forKey: "auth")?.objectValue else { throw bad("has no \"auth\" object") }
    // A profile a team catalog brought may have no secret yet: `use` asks for it (docs/catalog.md).
    let secretsOptional = secretsOptional || object["catalog"]?.objectValue?["path"]?.stringValue != nil
    guard let kind = auth.removeValue(forKey: "kind")?.stringValue else { throw bad("its auth has no \"kind\"") }
    let credential: Credential
    // Taken apart at once: the optional tuple, destroyed whole, had its type metadata made at run time.
    var external: SecretReference? = nil
    var recordedExpires: Int64? = nil
    var recordedSubject: String? = nil
    do throws(Failure) {
      if case (let reference, let expires, let subject)? = try SecretReference.take(from: &auth, kind: kind, profile: name) {
        external = reference
        recordedExpires = expires
        recordedSubject = subject
      }
    } catch {
      throw bad(error.description)
    }
    // A value's own error (a key id, a secret, a token), said as this profile's.
    func checked<T>(_ body: () throws(Failure) -> T) throws(Failure) -> T {
      do throws(Failure) { return try body() } catch { throw bad(error.description) }
    }
    switch kind {
    case "key":
      guard let id = auth.removeValue(forKey: "keyId")?.stringValue else { throw bad("its auth has no \"keyId\"") }
      try checked { () throws(Failure) in try validateKeyID(id) }
      let secretValue = auth.removeValue(forKey: "keySecret")
      if secretsOptional || external != nil, secretValue == .null || secretValue == nil {
        credential = .key(id: id, secret: Secret(""))
      } else {
        guard let secret = secretValue?.stringValue else { throw bad("its auth has no \"keySecret\"") }
        try checked { () throws(Failure) in try validateKeySecret(secret) }
        credential = .key(id: id, secret: Secret(secret))
      }
    case "user-token":
      let tokenValue = auth.removeValue(forKey: "token")
      if external != nil {
        credential = .userToken(JWT(recordedExpires: recordedExpires, subject: recordedSubject))
      } else if secretsOptional, tokenValue == .null || tokenValue == nil {
        credential = .userToken(JWT(redacted: ()))
      } else {
        guard let token = tokenValue?.stringValue else { throw bad("its auth has no \"token\"") }
        credential = .userToken(try checked { () throws(Failure) in try JWT(validating: token) })
      }
    case "none":
      credential = .none
    default:
      throw bad("its auth kind \(quoted(kind)) is not key, user-token or none")
    }
    self.init(server: server, credential: credential)
    secretStore = external
    unknownAuth = auth
    if let p = object.removeValue(forKey: "production") {
      guard let b = p.boolValue else { throw bad("\"production\" is not true or false") }
      production = b
    }
    if let d = object.removeValue(forKey: "description") {
      guard let s = d.stringValue else { throw bad("\"description\" is not a string") }
      description = s
    }
    if let t = object.removeValue(forKey: "serverType") {
      guard let text = t.stringValue, let type = ServerType(rawValue: text) else {
        throw bad("\"serverType\" is \(t.compact()), not \"OSS\" or \"Enterprise\"")
      }
      serverType = type
    }
    if let e = object.removeValue(forKey: "env") {
      guard var members = e.objectValue else { throw bad("\"env\" is not an object") }
      Profile.adoptLegacyServerType(env: &members, serverType: &serverType)
      var vars: [String: String] = [:]
      for (k, v) in members {
        guard let s = v.stringValue else { throw bad("env \(k) is not a string") }
        do throws(Failure) { try validateExtraVariable(name: k, value: s) } catch { throw bad(error.description) }
        vars[k] = s
      }
      // An env that held only the legacy CONDUCTOR_SERVER_TYPE is written back without it.
      if !vars.isEmpty || e.objectValue?.isEmpty == true { env = vars }
    }
    if let c = object["color"], let problem = PromptColor.problem(c) { throw bad(problem) }
    unknown = object
  }

  /// The store object. With `redactSecrets`, the key secret and token are `null`.
  package func json(redactSecrets: Bool = false) -> JSON {
    var auth = unknownAuth
    auth["kind"] = .string(credential.kind.rawValue)
    switch credential {
    case .key(let id, let secret):
      auth["keyId"] = .string(id)
      // An empty secret is one not given yet (a profile from a team catalog): written as none.
      if secretStore == nil { auth["keySecret"] = redactSecrets ? .null : secret.isEmpty ? nil : .string(secret.text) }
    case .userToken(let jwt):
      if secretStore == nil { auth["token"] = redactSecrets ? .null : jwt.raw.isEmpty ? nil : .string(jwt.raw) }
    case .none:
      break
    }
    secretStore?.write(into: &auth, credential: credential)
    var object = unknown
    object["server"] = .string(server.url)
    object["auth"] = .object(auth)
    if let production { object["production"] = .bool(production) }
    if let description { object["description"] = .string(description) }
    if let serverType { object["serverType"] = .string(serverType.rawValue) }
    if let env { object["env"] = .object(env.mapValues { .string($0) }) }
    return .object(object)
  }

  /// True when an export without `--reveal` left this profile without its secret.
  package var isRedacted: Bool {
    if secretStore != nil { return false }
    switch credential {
    case .key(_, let secret): return secret.isEmpty
    case .userToken(let jwt): return jwt.raw.isEmpty
    case .none: return false
    }
  }
}

extension JWT {
  /// A placeholder for a token an export redacted.
  init(redacted: Void) {
    raw = ""
    expires = nil
    subject = nil
  }
}
