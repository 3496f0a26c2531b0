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
  /// Whether a profile's `"production" : false` is an explicit "not production" (`set --no-production`
  /// by this version): the store says `"productionFalse" : "explicit"`. Without it (a store of an older
  /// version, whose `--no-production` meant "remove the flag"), a `false` counts as unset and the host's
  /// name judges (docs/store.md, "Production by name").
  public private(set) var falseIsExplicit = false
  /// The hosts a synced team catalog marks production (`"catalogs"`, docs/catalog.md): production
  /// whatever a local profile says.
  public private(set) var productionFloor: [String: String] = [:]

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
    guard var object = json.objectValue else { throw .invalid(.store(.notAnObject)) }
    if let v = object.removeValue(forKey: "version") {
      guard let n = v.integerValue, case .number(let text) = v, Int64(text) != nil, n >= 1 else {
        throw .invalid(.store(.version))
      }
      version = n
    } else {
      version = Store.supportedVersion
    }
    if let d = object.removeValue(forKey: "default"), d != .null {
      guard let s = d.stringValue else { throw .invalid(.store(.defaultNotString)) }
      defaultName = s
    }
    if let g = object.removeValue(forKey: "guard"), g != .null {
      guard let s = g.stringValue, let mode = GuardMode(rawValue: s) else {
        throw .invalid(.store(.guardMode(g.compact())))
      }
      guardMode = mode
    }
    if let marker = object.removeValue(forKey: Store.falseMarkerKey) {
      guard marker == .string(Store.falseMarkerValue) else {
        throw .invalid(.store(.falseMarker(marker.compact())))
      }
      falseIsExplicit = true
    }
    if let p = object.removeValue(forKey: "profiles") {
      guard let members = p.objectValue else { throw .invalid(.store(.profilesNotAnObject)) }
      profiles = members.mapValues { .json($0) }
    } else {
      profiles = [:]
    }
    unknown = object
    if let catalogs = object[Store.catalogsKey] { productionFloor = Store.floor(catalogs) }
  }

  static let falseMarkerKey = "productionFalse"
  static let falseMarkerValue = "explicit"
  /// The top-level key under which synced team catalogs are recorded (docs/catalog.md).
  package static let catalogsKey = "catalogs"

  /// The production floor recorded under `"catalogs"`: `{PATH: {"name": N, "production": [HOST…]}}`
  /// → host → catalog name. Anything else in it is ignored here (the catalog command reports it).
  static func floor(_ catalogs: JSON) -> [String: String] {
    var floor: [String: String] = [:]
    for (path, entry) in catalogs.objectValue ?? [:] {
      guard let object = entry.objectValue, case .array(let hosts)? = object["production"] else { continue }
      let name = object["name"]?.stringValue ?? path
      for host in hosts { if let text = host.stringValue { floor[Host.canonical(text)] = name } }
    }
    return floor
  }

  /// Records the team catalogs (`catalog sync`, `catalog remove`), and the floor they make.
  package mutating func setCatalogs(_ catalogs: JSON?) {
    unknown[Store.catalogsKey] = catalogs
    productionFloor = catalogs.map(Store.floor) ?? [:]
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
    if falseIsExplicit { object[Store.falseMarkerKey] = .string(Store.falseMarkerValue) }
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

  /// Before the first explicit "not production" (`--no-production`) is written to a store of an older
  /// version: drops that version's `false`s (they meant "not flagged", and still count so), and marks the
  /// store so that a `false` is explicit from now on.
  package mutating func makeFalseExplicit() {
    guard !falseIsExplicit else { return }
    unindex()
    for (other, raw) in profiles {
      guard case .object(var object) = decode(raw), object["production"] == .bool(false) else { continue }
      object["production"] = nil
      profiles[other] = .json(.object(object))
    }
    falseIsExplicit = true
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
    let (server, production) = mark(raw)
    return production == .yes ? server ?? "" : nil
  }

  /// A profile's server text and what it says about production (all a production judgement reads).
  private static func mark(_ raw: RawProfile) -> (server: String?, production: ProductionMark) {
    switch raw {
    case .json(let json):
      guard let object = json.objectValue else { return (nil, .unset) }
      let mark: ProductionMark =
        object["production"] == .bool(true) ? .yes : object["production"] == .bool(false) ? .no : .unset
      return (object["server"]?.stringValue, mark)
    case .located(let located):
      return (located.server, located.production)
    }
  }

  /// Whether a profile that says `production` as `mark` is judged by its host's name: it says nothing,
  /// or (in a store of an older version) `false`.
  private func judgedByName(_ mark: ProductionMark) -> Bool {
    mark == .unset || (mark == .no && !falseIsExplicit)
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

  /// The canonical hosts (`Host`) of the servers that are production: flagged by some profile, named
  /// production by the host of a profile that does not say (`Host.isProductionName`), or on a catalog's
  /// floor. Reads only `server` and `production`, and reads each distinct server text once (many profiles
  /// share a server).
  public func productionHosts() -> Set<String> {
    var hosts = Set<String>()
    for (host, _) in productionFloor { hosts.insert(host) }
    var seen = Set<String>()
    var seenByName = Set<String>()
    func add(_ text: String) {
      guard seen.insert(text).inserted else { return }
      if let host = Store.productionHost(text) { hosts.insert(host) }
    }
    func addByName(_ text: String) {
      guard Host.mayNameProduction(text), seenByName.insert(text).inserted, let host = Store.productionHost(text),
        Host.isProductionName(host)
      else { return }
      hosts.insert(host)
    }
    if indexed {
      for found in index.found {
        if let server = found.productionServer {
          add(index.string(server))
        } else if judgedByName(found.production), let server = found.server {
          addByName(index.string(server))
        }
      }
    } else {
      for raw in profiles.values {
        let (server, production) = Store.mark(raw)
        if production == .yes {
          add(server ?? "")
        } else if judgedByName(production), let server {
          addByName(server)
        }
      }
    }
    return hosts
  }

  /// The production judgement, in one place: `profile` is production when it carries the flag or, saying
  /// nothing, its host's name says production (`Profile.isJudgedProduction`), or some profile naming the
  /// same host makes it production, or a catalog's floor does (`isProduction(server)`).
  public func isProduction(_ profile: Profile) -> Bool {
    profile.isJudgedProduction || isProduction(profile.server)
  }

  /// Whether `server` is production: some profile naming the same host (`Host.canonical`; scheme, port
  /// and path do not matter) flags `"production" : true`, or says nothing while the host's name says
  /// production (`Host.isProductionName`), or a synced catalog marks the host production.
  /// `productionHosts().contains(server.host)`.
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

  /// The name of a profile that makes `server` production (the first by name that flags it, else the
  /// first that is production by the host's name, else the first naming a host on a catalog's floor, else
  /// the catalog's name), or nil.
  public func productionProfile(for server: Server) -> String? {
    let wanted = server.host
    if let flagged = profile(for: server, wanted, where: { $0 == .yes }) { return flagged }
    if Host.isProductionName(wanted), let named = profile(for: server, wanted, where: { judgedByName($0) }) {
      return named
    }
    if let catalog = productionFloor[wanted] { return profile(for: server, wanted, where: { _ in true }) ?? catalog }
    return nil
  }

  /// The first profile by name whose `production` satisfies `accepts` and whose server text names the
  /// host `wanted` (`server`'s; read leniently, `productionHost`), or nil.
  private func profile(for server: Server, _ wanted: String, where accepts: (ProductionMark) -> Bool) -> String? {
    var verdicts: [String: Bool] = [:]
    if indexed {
      // In name order: the first that makes it production is the one.
      for found in index.found {
        guard accepts(found.production), let span = found.server else { continue }
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
      let (serverText, production) = Store.mark(raw)
      guard accepts(production), let text = serverText else { continue }
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
        throw .invalid(.guardVariable(text))
      }
      return mode
    }
    return guardMode ?? .warn
  }

  /// Fails unless this binary may write a store of this version.
  func checkWritable(path: String) throws(Failure) {
    if version > Store.supportedVersion {
      throw .invalid(.storeTooNew(path: path, version: version))
    }
  }
}
