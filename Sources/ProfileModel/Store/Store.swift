/// Whether a user token on a production server is only warned about, or refused.
public enum GuardMode: String, Sendable {
  case warn
  case block
}

/// The profile store's contents (schema version 1). Profiles are decoded only when asked for, so a
/// switch reads one profile out of ten thousand without building or validating the rest.
public struct Store: Sendable {
  public static let supportedVersion: Int64 = 1

  public var version: Int64
  /// The default profile's name as stored (it may name a profile that no longer exists).
  public var defaultName: String?
  public var guardMode: GuardMode?
  /// Profiles by name: their JSON, or (as `StoreFile` reads them) where it is in `text`.
  private var profiles: [String: RawProfile]
  /// The store file's bytes, which located profiles point into.
  private var text: [UInt8] = []
  /// Top-level keys this version does not know.
  public var unknown: [String: JSON]

  /// A profile as read: its JSON, or where it is in `text` (`JSON.parseStore` gives these).
  enum RawProfile: Sendable {
    case json(JSON)
    case located(LocatedProfile)
  }

  public init() {
    version = Store.supportedVersion
    profiles = [:]
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
      profiles = members.mapValues { .json($0) }
    } else {
      profiles = [:]
    }
    unknown = object
  }

  /// The store in `text`, as `JSON.parseStore` read it: its profiles are decoded when asked for.
  init(text: [UInt8], json: JSON, located: [String: RawProfile]?) throws(Failure) {
    try self.init(json: json)
    if let located {
      self.text = text
      profiles = located
    }
  }

  public func json() -> JSON {
    var object = unknown
    object["version"] = .integer(version)
    object["profiles"] = .object(rawProfiles.mapValues(Profile.migratingLegacyServerType))
    if let defaultName { object["default"] = .string(defaultName) }
    if let guardMode { object["guard"] = .string(guardMode.rawValue) }
    return .object(object)
  }

  /// Every profile's JSON, by name. Decodes them all: for one profile, use `rawProfile(named:)`.
  public var rawProfiles: [String: JSON] { profiles.mapValues(decode) }

  /// A profile's JSON, not validated (nil when there is no such profile).
  public func rawProfile(named name: String) -> JSON? { profiles[name].map(decode) }

  private func decode(_ raw: RawProfile) -> JSON {
    switch raw {
    case .json(let json): return json
    case .located(let located):
      // `JSON.parseStore` checked this text as it parses it: it cannot fail.
      do throws(JSONSyntaxError) {
        return try JSON.parse(text, in: located.range)
      } catch {
        preconditionFailure("a profile checked by JSON.parseStore did not parse: \(error.description)")
      }
    }
  }

  /// Profile names, sorted.
  public var names: [String] { profiles.keys.sorted { utf8Precedes($0, $1) } }

  public var isEmpty: Bool { profiles.isEmpty }

  public func contains(_ name: String) -> Bool { profiles[name] != nil }

  public func profile(named name: String) throws(Failure) -> Profile? {
    guard let raw = rawProfile(named: name) else { return nil }
    return try Profile(json: raw, name: name)
  }

  public mutating func setProfile(_ profile: Profile, named name: String) {
    profiles[name] = .json(profile.json())
  }

  /// Sets the raw JSON of a profile (rename and copy move profiles without decoding them).
  package mutating func setRawProfile(_ json: JSON?, named name: String) {
    profiles[name] = json.map { .json($0) }
  }

  /// The server text of a profile that flags `"production" : true` (all a production check reads).
  private static func productionServer(_ raw: RawProfile) -> String? {
    switch raw {
    case .json(let json):
      guard let object = json.objectValue, object["production"] == .bool(true) else { return nil }
      return object["server"]?.stringValue
    case .located(let located):
      return located.productionServer
    }
  }

  /// The canonical hosts (`Host`) of the servers some profile flags as production. Reads only `server`
  /// and `production`, and validates each distinct server text once (many profiles share a server).
  public func productionHosts() -> Set<String> {
    var hosts = Set<String>()
    var seen = Set<String>()
    for raw in profiles.values {
      guard let text = Store.productionServer(raw), seen.insert(text).inserted else { continue }
      if let server = try? Server(validating: text) { hosts.insert(server.host) }
    }
    return hosts
  }

  /// Whether `server` is production: some profile naming the same host (`Host.canonical`; scheme, port
  /// and path do not matter) flags `"production" : true`. `productionHosts().contains(server.host)`.
  public func isProduction(_ server: Server) -> Bool {
    productionProfile(for: server) != nil
  }

  /// The name of a profile that makes `server` production (the first by name), or nil.
  public func productionProfile(for server: Server) -> String? {
    let wanted = server.host
    var found: String? = nil
    var verdicts: [String: Bool] = [:]
    for (name, raw) in profiles {
      guard let text = Store.productionServer(raw) else { continue }
      let same: Bool
      if text == server.url {
        same = true
      } else if let known = verdicts[text] {
        same = known
      } else {
        same = (try? Server(validating: text))?.host == wanted
        verdicts[text] = same
      }
      if same, found.map({ utf8Precedes(name, $0) }) ?? true { found = name }
    }
    return found
  }

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
