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
  /// The default profile's name, as the store holds it; written only as a `ProfileName` (`setDefault`).
  public private(set) var defaultName: String?
  public var guardMode: GuardMode?
  /// Profiles by name: their JSON, or (as `StoreFile` reads them) where it is in `text`.
  private var profiles: [String: RawProfile]
  /// The profiles of a store read as written (names plain and sorted), located in its text and not put
  /// into `profiles` until the store changes. Used while `indexed`; not an optional: destroying one
  /// went through the optional's type metadata, made at run time.
  private var index = ProfileIndex.empty
  private var indexed = false
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
  init(text: [UInt8], json: JSON, located: ParsedStore.Profiles) throws(Failure) {
    try self.init(json: json)
    switch located {
    case .none: break
    case .indexed(let found):
      index = ProfileIndex(text: text, found: found)
      indexed = true
    case .named(let located):
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
  public var rawProfiles: [String: JSON] {
    guard indexed else { return profiles.mapValues(decode) }
    var all = [String: JSON](minimumCapacity: index.count)
    for i in 0..<index.count { all[index.name(i)] = Store.decode(index.text, index.found[i].range) }
    return all
  }

  /// A profile's JSON, not validated (nil when there is no such profile).
  public func rawProfile(named name: String) -> JSON? {
    guard indexed else { return profiles[name].map(decode) }
    return index.position(of: name).map { Store.decode(index.text, index.found[$0].range) }
  }

  private func decode(_ raw: RawProfile) -> JSON {
    switch raw {
    case .json(let json): return json
    case .located(let located): return Store.decode(text, located.range)
    }
  }

  private static func decode(_ text: [UInt8], _ range: Range<Int>) -> JSON {
    // `JSON.parseStore` checked this text as it parses it: it cannot fail.
    do throws(JSONSyntaxError) {
      return try JSON.parse(text, in: range)
    } catch {
      preconditionFailure("a profile checked by JSON.parseStore did not parse: \(error.description)")
    }
  }

  /// Profile names, sorted.
  public var names: [String] {
    guard indexed else { return profiles.keys.sorted { utf8Precedes($0, $1) } }
    return (0..<index.count).map(index.name)
  }

  public var isEmpty: Bool { indexed ? index.count == 0 : profiles.isEmpty }

  public func contains(_ name: String) -> Bool {
    guard indexed else { return profiles[name] != nil }
    return index.position(of: name) != nil
  }

  /// Puts the located profiles into `profiles`, before a change.
  private mutating func unindex() {
    guard indexed else { return }
    var all = [String: RawProfile](minimumCapacity: index.count)
    for i in 0..<index.count { all[index.name(i)] = .located(index.located(i)) }
    profiles = all
    text = index.text
    index = .empty
    indexed = false
  }

  public func profile(named name: String) throws(Failure) -> Profile? {
    guard let raw = rawProfile(named: name) else { return nil }
    return try Profile(json: raw, name: name)
  }

  /// Writes a profile. Only a `ProfileName` can be written: a name from a hand-edited store is read, shown
  /// and removed as it is, but never written again until renamed.
  public mutating func setProfile(_ profile: Profile, named name: ProfileName) {
    unindex()
    profiles[name.value] = .json(profile.json())
  }

  /// Sets the raw JSON of a profile (rename and copy move profiles without decoding them).
  package mutating func setRawProfile(_ json: JSON, named name: ProfileName) {
    unindex()
    profiles[name.value] = .json(json)
  }

  /// Removes a profile, whatever its name (a hand-edited store's invalid name can be removed).
  package mutating func removeProfile(named name: String) {
    unindex()
    profiles[name] = nil
  }

  /// Sets the default profile, or clears it (nil).
  package mutating func setDefault(_ name: ProfileName?) { defaultName = name?.value }

  /// The server text of a profile that flags `"production" : true` (all a production check reads): ""
  /// when its `server` is missing or not a string (a host that cannot be read: see `productionHost`).
  private static func productionServer(_ raw: RawProfile) -> String? {
    switch raw {
    case .json(let json):
      guard let object = json.objectValue, object["production"] == .bool(true) else { return nil }
      return object["server"]?.stringValue ?? ""
    case .located(let located):
      return located.productionServer
    }
  }

  /// The host a production-flagged profile's server text marks: the canonical host of a valid server,
  /// else the host the text names read leniently (`Host.lenient`: a query, a space or userinfo does not
  /// unmark it — when in doubt, production), else nil: no host can be read (`productionDoubt`).
  static func productionHost(_ text: String) -> String? {
    if let server = try? Server(validating: text) { return server.host }
    return Host.lenient(text)
  }

  /// Every profile flagging production, with its server text, in name order.
  private func productionServers() -> [(name: String, server: String)] {
    var result: [(name: String, server: String)] = []
    if indexed {
      for found in index.found {
        if let server = found.productionServer { result.append((index.string(found.name), index.string(server))) }
      }
      return result
    }
    for (name, raw) in profiles { if let text = Store.productionServer(raw) { result.append((name, text)) } }
    return result.sorted { utf8Precedes($0.name, $1.name) }
  }

  /// The canonical hosts (`Host`) of the servers some profile flags as production. Reads only `server`
  /// and `production`, and reads each distinct server text once (many profiles share a server).
  public func productionHosts() -> Set<String> {
    var hosts = Set<String>()
    var seen = Set<String>()
    func add(_ text: String) {
      guard seen.insert(text).inserted else { return }
      if let host = Store.productionHost(text) { hosts.insert(host) }
    }
    if indexed {
      for found in index.found { if let server = found.productionServer { add(index.string(server)) } }
    } else {
      for raw in profiles.values { if let text = Store.productionServer(raw) { add(text) } }
    }
    return hosts
  }

  /// The production judgement, in one place: `profile` is production when it carries the flag, or some
  /// profile naming the same host does (`isProduction(server)`).
  public func isProduction(_ profile: Profile) -> Bool {
    profile.isFlaggedProduction || isProduction(profile.server)
  }

  /// Whether `server` is production: some profile naming the same host (`Host.canonical`; scheme, port
  /// and path do not matter) flags `"production" : true`. `productionHosts().contains(server.host)`.
  public func isProduction(_ server: Server) -> Bool {
    productionProfile(for: server) != nil
  }

  /// A production-flagged profile whose server names no host at all (the first by name), or nil. While
  /// one exists, the guard counts every user token as on production (it fails closed); `doctor` names it.
  public func productionDoubt() -> String? {
    var verdicts: [String: Bool] = [:]
    for (name, text) in productionServers() {
      if let known = verdicts[text] {
        if !known { return name }
        continue
      }
      let readable = Store.productionHost(text) != nil
      verdicts[text] = readable
      if !readable { return name }
    }
    return nil
  }

  /// The production-flagged profiles whose server text is not a valid server (read leniently, or not
  /// at all), in name order, with the host still marked production (nil: none could be read). For `doctor`.
  public func unreadableProductionServers() -> [(name: String, server: String, host: String?)] {
    productionServers().compactMap { entry in
      guard (try? Server(validating: entry.server)) == nil else { return nil }
      return (entry.name, entry.server, Host.lenient(entry.server))
    }
  }

  /// The name of a profile that makes `server` production (the first by name), or nil.
  public func productionProfile(for server: Server) -> String? {
    let wanted = server.host
    var verdicts: [String: Bool] = [:]
    if indexed {
      // In name order: the first that makes it production is the one.
      for found in index.found {
        guard let span = found.productionServer else { continue }
        if index.equals(span, server.url) { return index.string(found.name) }
        let text = index.string(span)
        let same: Bool
        if let known = verdicts[text] {
          same = known
        } else {
          same = Store.productionHost(text) == wanted
          verdicts[text] = same
        }
        if same { return index.string(found.name) }
      }
      return nil
    }
    var found: String? = nil
    for (name, raw) in profiles {
      guard let text = Store.productionServer(raw) else { continue }
      let same: Bool
      if text == server.url {
        same = true
      } else if let known = verdicts[text] {
        same = known
      } else {
        same = Store.productionHost(text) == wanted
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
