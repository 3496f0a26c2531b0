/// What kind of Conductor a profile's server runs: the conductor CLI reads it from `CONDUCTOR_SERVER_TYPE`
/// and refuses its Orkes-only commands (`secret`, `webhook`, `api-gateway`, …) unless it is `Enterprise`.
public enum ServerType: String, Sendable, CaseIterable {
  case oss = "OSS"
  case enterprise = "Enterprise"

  /// A value given by a person (`--server-type`), in any case.
  public init(validating text: String) throws(Failure) {
    guard let type = ServerType.allCases.first(where: { $0.rawValue.lowercased() == text.lowercased() }) else {
      throw .invalid(.serverType(text))
    }
    self = type
  }

  /// The type the conductor CLI makes of a `server-type` value or `CONDUCTOR_SERVER_TYPE`: `Enterprise` in any
  /// case is Enterprise, anything else OSS (its `isEnterpriseServer` compares the upper-cased value).
  package init(asConductorCLIReads text: String) {
    self = text.uppercased() == "ENTERPRISE" ? .enterprise : .oss
  }

  /// The type a profile without `serverType` gets: a credential means an Orkes (Enterprise) server.
  static func inferred(from kind: Credential.Kind) -> ServerType { kind == .none ? .oss : .enterprise }
}

extension Profile {
  /// `serverType`, or the one its credential implies.
  public var effectiveServerType: ServerType { serverType ?? ServerType.inferred(from: credential.kind) }

  /// Earlier imports kept the conductor CLI's `server-type` as the extra variable `CONDUCTOR_SERVER_TYPE`, which
  /// is now a variable every switch sets: such an `env` entry is read as `serverType` (unless the profile has
  /// one) and leaves `env`, so the next write stores it as `serverType`.
  static func adoptLegacyServerType(env: inout [String: JSON], serverType: inout ServerType?) {
    guard let text = env[ManagedVariable.serverType]?.stringValue else { return }
    env[ManagedVariable.serverType] = nil
    if serverType == nil { serverType = ServerType(asConductorCLIReads: text) }
  }

  /// A stored profile's JSON with a legacy `env.CONDUCTOR_SERVER_TYPE` moved to `serverType` (every write
  /// stores it so); anything else, or a profile whose `serverType` is not valid, unchanged.
  static func migratingLegacyServerType(_ raw: JSON) -> JSON {
    guard var object = raw.objectValue, var env = object["env"]?.objectValue, env[ManagedVariable.serverType]?.stringValue != nil
    else { return raw }
    var type: ServerType? = nil
    if let stored = object["serverType"] {
      guard let text = stored.stringValue, let valid = ServerType(rawValue: text) else { return raw }
      type = valid
    }
    adoptLegacyServerType(env: &env, serverType: &type)
    object["serverType"] = type.map { .string($0.rawValue) }
    object["env"] = env.isEmpty ? nil : .object(env)
    return .object(object)
  }
}

extension Server {
  /// The server without its `/api`: where the web UI is.
  public var uiURL: String {
    url.hasSuffix("/api") ? String(url.dropLast(4)) : url
  }
}
