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
  mutating func setRawProfile(_ json: JSON?, named name: String) {
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

  /// Normalised servers that some profile flags as production. Reads only `server` and `production`,
  /// and validates each distinct server text once (many profiles share a server).
  public func productionServers() -> Set<String> {
    var servers = Set<String>()
    var seen = Set<String>()
    for raw in profiles.values {
      guard let text = Store.productionServer(raw), seen.insert(text).inserted else { continue }
      if let server = try? Server(validating: text) { servers.insert(server.url) }
    }
    return servers
  }

  /// Whether some profile flags `server` as production: `productionServers().contains(server.url)`,
  /// without validating a server stored in its normal form (the form this program writes).
  public func isProduction(_ server: Server) -> Bool {
    let wanted = Store.hostKey(server.url)
    var seen = Set<String>()
    for raw in profiles.values {
      guard let text = Store.productionServer(raw) else { continue }
      if text == server.url { return true }
      // A server whose host differs cannot normalise to this one: skip validating it. (Checked before
      // `seen`, which then stays empty in the usual case: no set made.)
      if let host = Store.hostKey(text), let wanted, host != wanted { continue }
      guard seen.insert(text).inserted else { continue }
      if let other = try? Server(validating: text), other.url == server.url { return true }
    }
    return false
  }

  /// The host of a server URL as its normal form has it (ASCII lower-cased), read from the text
  /// without validating it; nil when the text is not a plain `scheme://host[:port][/path]`.
  static func hostKey(_ text: String) -> [UInt8]? {
    let bytes = text.utf8
    var i = bytes.startIndex
    var colons = 0
    // Past "://".
    while i != bytes.endIndex {
      let b = bytes[i]
      i = bytes.index(after: i)
      if b == UInt8(ascii: ":") {
        colons += 1
      } else if b == UInt8(ascii: "/") && colons == 1 {
        guard i != bytes.endIndex, bytes[i] == UInt8(ascii: "/") else { return nil }
        i = bytes.index(after: i)
        break
      } else if colons > 0 || b == UInt8(ascii: "/") {
        return nil
      }
    }
    var host: [UInt8] = []
    while i != bytes.endIndex {
      let b = bytes[i]
      if b == UInt8(ascii: "/") || b == UInt8(ascii: ":") { break }
      if b == UInt8(ascii: "[") || b == UInt8(ascii: "@") || b >= 0x80 { return nil }
      host.append(b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") ? b + 32 : b)
      i = bytes.index(after: i)
    }
    return host.isEmpty ? nil : host
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
