/// Whether a user token on a production server is only warned about, or refused.
public enum GuardMode: String, Sendable {
  case warn
  case block
}

/// The profile store's contents (schema version 1). Profiles are decoded only when asked for, so a
/// switch reads one profile out of ten thousand without validating the rest.
public struct Store: Sendable {
  public static let supportedVersion: Int64 = 1

  public var version: Int64
  /// The default profile's name as stored (it may name a profile that no longer exists).
  public var defaultName: String?
  public var guardMode: GuardMode?
  /// Profiles by name, as JSON: decoded on demand by `profile(named:)`.
  public private(set) var rawProfiles: [String: JSON]
  /// Top-level keys this version does not know.
  public var unknown: [String: JSON]

  public init() {
    version = Store.supportedVersion
    rawProfiles = [:]
    unknown = [:]
  }

  public init(json: JSON) throws(Failure) {
    guard var object = json.objectValue else { throw .error("the store is not a JSON object") }
    if let v = object.removeValue(forKey: "version") {
      guard let n = v.integerValue, case .number(let text) = v, Int64(text) != nil, n >= 1 else {
        throw .error("\"version\" is not a whole number of 1 or more")
      }
      version = n
    } else {
      version = Store.supportedVersion
    }
    if let d = object.removeValue(forKey: "default"), d != .null {
      guard let s = d.stringValue else { throw .error("\"default\" is not a string") }
      defaultName = s
    }
    if let g = object.removeValue(forKey: "guard"), g != .null {
      guard let s = g.stringValue, let mode = GuardMode(rawValue: s) else {
        throw .error("\"guard\" is \(g.compact()), not \"warn\" or \"block\"")
      }
      guardMode = mode
    }
    if let p = object.removeValue(forKey: "profiles") {
      guard let members = p.objectValue else { throw .error("\"profiles\" is not an object") }
      rawProfiles = members
    } else {
      rawProfiles = [:]
    }
    unknown = object
  }

  public func json() -> JSON {
    var object = unknown
    object["version"] = .integer(version)
    object["profiles"] = .object(rawProfiles)
    if let defaultName { object["default"] = .string(defaultName) }
    if let guardMode { object["guard"] = .string(guardMode.rawValue) }
    return .object(object)
  }

  /// Profile names, sorted.
  public var names: [String] { rawProfiles.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) } }

  public func contains(_ name: String) -> Bool { rawProfiles[name] != nil }

  public func profile(named name: String) throws(Failure) -> Profile? {
    guard let raw = rawProfiles[name] else { return nil }
    return try Profile(json: raw, name: name)
  }

  public mutating func setProfile(_ profile: Profile, named name: String) {
    rawProfiles[name] = profile.json()
  }

  /// Sets the raw JSON of a profile (rename and copy move profiles without decoding them).
  mutating func setRawProfile(_ json: JSON?, named name: String) {
    rawProfiles[name] = json
  }

  /// Normalised servers that some profile flags as production. Reads only `server` and `production`.
  public func productionServers() -> Set<String> {
    var servers = Set<String>()
    for raw in rawProfiles.values {
      guard let object = raw.objectValue, object["production"] == .bool(true),
        let text = object["server"]?.stringValue
      else { continue }
      if let server = try? Server(validating: text) { servers.insert(server.url) }
    }
    return servers
  }

  public func isProduction(_ server: Server) -> Bool { productionServers().contains(server.url) }

  /// The guard mode in force: `CONDUCTOR_PROFILE_GUARD` over the store's `guard`, default warn.
  public func effectiveGuard(environment: [String: String]) throws(Failure) -> GuardMode {
    if let text = environment["CONDUCTOR_PROFILE_GUARD"], !text.isEmpty {
      guard let mode = GuardMode(rawValue: text) else {
        throw .error("CONDUCTOR_PROFILE_GUARD is \(quoted(text)); set it to warn or block, or unset it")
      }
      return mode
    }
    return guardMode ?? .warn
  }

  /// Fails unless this binary may write a store of this version.
  func checkWritable(path: String) throws(Failure) {
    if version > Store.supportedVersion {
      throw .error(
        "\(path) is a version \(version) store, newer than this conductor-profile understands (version \(Store.supportedVersion)); it can be read but not changed: upgrade conductor-profile"
      )
    }
  }
}
