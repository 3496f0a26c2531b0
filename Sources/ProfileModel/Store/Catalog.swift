import ShellOutput

/// A team catalog (docs/catalog.md): a JSON file in the shape `export` writes, holding profile definitions
/// without secrets. `catalog sync` merges it into the store: each profile it brings is marked with its
/// source and what was synced (`"catalog" : {"name", "path", "synced"}` in the profile), so local edits are
/// kept and reported, and the hosts it marks production are a floor (`Store.productionFloor`).
package struct Catalog {
  /// The most a catalog file may be (docs/security.md, limits).
  package static let maxSize = ReadLimit.catalog.bytes
  /// The key of a profile's object that marks it as from a catalog.
  package static let markerKey = "catalog"
  /// The auth keys that hold a secret, or what a secret store recorded of one, or what this user's own
  /// `whoami`/`promote`/`rotate` recorded of their key (`keyInfo`, `pendingKey`): never in a definition. A
  /// catalog that brings a `pendingKey` or `keyInfo` (as `export` writes them) brings nothing of them: a
  /// planted pending rotation (an `oldKey: delete` of this user's key) or roles that hide an admin key.
  static let secretAuthKeys: Set<String> = [
    "keySecret", "token", "tokenExpires", "tokenSubject", "keyInfo", "pendingKey",
  ]

  /// The file's path as trusted (its directory's real path and its name, `DirectoryFile.key`).
  package let path: String
  /// Its name in messages and `list`: the file name without `.json`.
  package let name: String
  /// `sha256:` and the hex digest of the file's bytes.
  package let hash: String
  /// The definitions, by name: each profile's JSON as the store would hold it, without any secret.
  package let definitions: [String: JSON]

  /// The name of the catalog at `path`: its file name without `.json`.
  package static func name(of path: String) -> String {
    let base = Posix.basename(of: path)
    return base.hasSuffix(".json") && base.count > 5 ? String(base.dropLast(5)) : base
  }

  /// Reads and checks the catalog at `path` (already absolute and keyed): a regular file of at most
  /// `maxSize`, the shape `export` writes, every profile valid, and no secret anywhere — a catalog that
  /// holds one is refused whole, naming the field.
  package static func read(_ path: String) throws(Failure) -> Catalog {
    let shown = shownText(path)
    guard let bytes = try Posix.readFile(path, limit: .catalog) else {
      throw .error(
        "the catalog \(shown) does not exist; give the path of a team catalog file (the shape conductor-profile export writes)")
    }
    let json: JSON
    do throws(JSONSyntaxError) {
      json = try JSON.parse(bytes)
    } catch {
      throw .invalid(.catalog(path: path, .syntax(error)))
    }
    func bad(_ fault: CatalogFault) -> Failure { .invalid(.catalog(path: path, fault)) }
    guard let object = json.objectValue else { throw bad(.notAnObject) }
    if let field = secretField(in: json, at: "") { throw bad(.secret(field)) }
    if let v = object["version"] {
      guard let version = v.integerValue, version >= 1 else { throw bad(.version) }
      if version > Store.supportedVersion { throw bad(.newerVersion(version)) }
    }
    guard let profiles = object["profiles"]?.objectValue else { throw bad(.noProfilesObject) }
    var definitions: [String: JSON] = [:]
    for (name, value) in profiles {
      do throws(Failure) {
        _ = try ProfileName(validating: name)
        let profile = try Profile(json: value, name: name, secretsOptional: true)
        definitions[name] = definition(of: profile.json(redactSecrets: true))
      } catch {
        throw bad(.profile(error))
      }
    }
    return Catalog(path: path, name: Catalog.name(of: path), hash: "sha256:" + SHA256.hex(bytes), definitions: definitions)
  }

  /// Where `json` holds a secret: a `keySecret` or `token` that is not null, or any string shaped like a
  /// JWT (three base64url segments whose first decodes to a JSON object); nil when nowhere.
  static func secretField(in json: JSON, at path: String) -> String? {
    switch json {
    case .object(let members):
      for key in members.keys.sorted(by: { utf8Precedes($0, $1) }) {
        let value = members[key]!
        let here = path.isEmpty ? key : path + "." + key
        if key == "keySecret" || key == "token", value != .null { return here }
        if let found = secretField(in: value, at: here) { return found }
      }
    case .array(let values):
      for (i, value) in values.enumerated() {
        if let found = secretField(in: value, at: "\(path)[\(i)]") { return found }
      }
    case .string(let text):
      if looksLikeJWT(text) { return path.isEmpty ? "the top level" : path }
    default:
      break
    }
    return nil
  }

  /// Three base64url segments whose first decodes to a JSON object (a JWT's header), anywhere in `text`.
  static func looksLikeJWT(_ text: String) -> Bool {
    for word in text.split(whereSeparator: { !($0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0))) }) {
      let parts = word.split(separator: ".", omittingEmptySubsequences: false)
      guard parts.count == 3, parts[0].count >= 4, parts[1].count >= 4 else { continue }
      if let header = Base64URL.decode(parts[0]), (try? JSON.parse(header))?.objectValue != nil { return true }
    }
    return false
  }

  /// A profile's JSON without its secrets, its catalog marker, or what a secret store recorded of a
  /// token: what a catalog defines, and what sync compares.
  package static func definition(of json: JSON) -> JSON {
    guard case .object(var object) = json else { return json }
    object[markerKey] = nil
    if case .object(var auth)? = object["auth"] {
      for key in secretAuthKeys { auth[key] = nil }
      object["auth"] = .object(auth)
    }
    return .object(object)
  }

  /// A definition as fields: the profile's keys, and `auth.KEY` for each of its auth's.
  static func fields(_ json: JSON?) -> [String: JSON] {
    guard let object = json?.objectValue else { return [:] }
    var fields: [String: JSON] = [:]
    for (key, value) in object {
      if key == "auth", let auth = value.objectValue {
        for (k, v) in auth { fields["auth." + k] = v }
      } else {
        fields[key] = value
      }
    }
    return fields
  }

  /// Whether a store profile holds a secret this user gave: one in the file, or a secret store's reference
  /// (the profile's own rules: `secretStore`, `isRedacted`).
  static func holdsSecret(_ raw: JSON, name: String) -> Bool {
    guard let profile = try? Profile(json: raw, name: name) else { return false }
    return profile.secretStore != nil || (profile.credential.kind != .none && !profile.isRedacted)
  }

  /// `scheme://host[:port]` of a server value (`Server.origin`), nil when not a server.
  static func origin(of value: JSON?) -> String? {
    guard let text = value?.stringValue, let server = try? Server(validating: text) else { return nil }
    return server.origin
  }

  /// The JSON of a definition's fields.
  static func unfields(_ fields: [String: JSON]) -> JSON {
    var object: [String: JSON] = [:]
    var auth: [String: JSON] = [:]
    for (key, value) in fields {
      if key.hasPrefix("auth.") { auth[String(key.dropFirst(5))] = value } else { object[key] = value }
    }
    object["auth"] = .object(auth)
    return .object(object)
  }

  /// The catalog marker of a profile's JSON: the catalog's path, and the definition synced last. With
  /// `profile`, only when the marker names that profile: a renamed or copied profile (whose marker names
  /// another) is a local one, which a sync never changes or removes.
  package static func marker(of json: JSON?, profile: String? = nil) -> (name: String, path: String, synced: JSON)? {
    guard let marker = json?.objectValue?[markerKey]?.objectValue, let path = marker["path"]?.stringValue else { return nil }
    if let profile, let named = marker["profile"]?.stringValue, named != profile { return nil }
    return (marker["name"]?.stringValue ?? Catalog.name(of: path), path, marker["synced"] ?? .object([:]))
  }

  // MARK: Sync

  /// One change a sync makes, for the diff it shows.
  package struct Change {
    package enum Kind { case add, update, remove, keep }
    package var kind: Kind
    package var profile: String
    /// What it says, one line each: changed fields, kept local edits, conflicts.
    package var lines: [String]
  }

  /// What syncing this catalog into `store` changes, and the store after it. Profiles already in the
  /// store and not from this catalog are never touched; a profile from it that the user edited keeps the
  /// edited fields (reported); a profile gone from the catalog is removed unless edited locally (then it
  /// stays, as a local profile).
  package func sync(into store: Store) throws(Failure) -> (changes: [Change], store: Store) {
    var store = store
    var changes: [Change] = []
    let ourPath = path
    func show(_ value: JSON?) -> String { value.map { TerminalText.clip($0.compact(), limit: 80) } ?? "(none)" }
    for name in definitions.keys.sorted(by: { utf8Precedes($0, $1) }) {
      let incoming = definitions[name]!
      let raw = store.rawProfile(named: name)
      let marker = Catalog.marker(of: raw, profile: name)
      if raw != nil, marker?.path != ourPath {
        let from = marker.map { "the catalog '\($0.name)'" } ?? "you"
        changes.append(
          Change(
            kind: .keep, profile: name,
            lines: ["a profile '\(name)' from \(from) exists already: kept as it is, not synced from this catalog"]))
        continue
      }
      var merged = Catalog.fields(incoming)
      var lines: [String] = []
      if let raw, let marker {
        let current = Catalog.fields(Catalog.definition(of: raw))
        let synced = Catalog.fields(marker.synced)
        let keys = Set(current.keys).union(synced.keys).union(merged.keys).sorted { utf8Precedes($0, $1) }
        // Whether the secret this user gave stays with the profile after this sync (`kept` below): the same
        // kind and the same store (and command) once local edits are kept.
        let secretStays =
          Catalog.holdsSecret(raw, name: name)
          && ["auth.kind", "auth.secretStore", "auth.secretCommand"].allSatisfy { key in
            (current[key] != synced[key] ? current[key] : merged[key]) == current[key]
          }
        for key in keys {
          let edited = current[key] != synced[key]
          let changed = merged[key] != synced[key]
          if key == "server", !edited, changed, secretStays,
            Catalog.origin(of: current[key]) != Catalog.origin(of: merged[key])
          {
            // Your secret was given for this host: a catalog never sends it to another one. The profile stays
            // (as if edited here), and moving it is yours to do.
            lines.append(
              "server: the catalog now says \(show(merged[key])); your secret was given for \(show(current[key])), so the profile stays there (move it yourself: conductor-profile set \(name) --server URL, then give its secret for that server)"
            )
            merged[key] = current[key]
            continue
          }
          if edited {
            merged[key] = current[key]
            lines.append(
              changed && current[key] != Catalog.fields(incoming)[key]
                ? "\(key): the catalog now says \(show(Catalog.fields(incoming)[key])), your local \(show(current[key])) is kept"
                : "\(key): your local edit \(show(current[key])) is kept")
          } else if changed {
            lines.append("\(key): \(show(synced[key])) → \(show(merged[key]))")
          }
        }
        if merged == current && marker.synced == incoming {
          // Nothing to apply; local edits are reported all the same.
          if !lines.isEmpty { changes.append(Change(kind: .keep, profile: name, lines: lines)) }
          continue
        }
      } else {
        lines = merged.keys.sorted { utf8Precedes($0, $1) }.map { "\($0): \(show(merged[$0]))" }
      }
      // The secret the user keeps for it stays (a change of kind drops it).
      var object = Catalog.unfields(merged).objectValue!
      if let raw, var auth = object["auth"]?.objectValue, let old = raw.objectValue?["auth"]?.objectValue,
        old["kind"] == auth["kind"], old["secretStore"] == auth["secretStore"]
      {
        for key in Catalog.secretAuthKeys { if let v = old[key] { auth[key] = v } }
        object["auth"] = .object(auth)
      }
      object[Catalog.markerKey] = .object([
        "name": .string(self.name), "path": .string(ourPath), "profile": .string(name), "synced": incoming,
      ])
      let json = JSON.object(object)
      do throws(Failure) {
        _ = try Profile(json: json, name: name)
      } catch {
        throw .invalid(.catalogMerge(path: path, profile: name, error))
      }
      if object["production"] == .bool(false) { store.makeFalseExplicit() }
      store.setRawProfile(json, named: try ProfileName(validating: name))
      changes.append(Change(kind: raw == nil ? .add : .update, profile: name, lines: lines))
    }
    // Profiles this catalog brought that it no longer holds.
    for name in store.names where definitions[name] == nil {
      guard let raw = store.rawProfile(named: name), let marker = Catalog.marker(of: raw, profile: name), marker.path == ourPath
      else {
        continue
      }
      let edited = Catalog.definition(of: raw) != marker.synced
      // A secret this user gave stays with its profile: removing the profile would leave a secret store's
      // entry (kept by the name) for whatever profile of that name comes next, on whatever server.
      let holdsSecret = Catalog.holdsSecret(raw, name: name)
      if edited || holdsSecret {
        guard case .object(var object) = raw else { continue }
        object[Catalog.markerKey] = nil
        store.setRawProfile(.object(object), named: try ProfileName(validating: name))
        let why = edited ? "you edited it" : "it holds your secret"
        changes.append(
          Change(
            kind: .keep, profile: name,
            lines: [
              "removed from the catalog; \(why), so it stays as a local profile (remove it with: conductor-profile remove \(name))"
            ]))
      } else {
        store.removeProfile(named: name)
        if store.defaultName == name { store.setDefault(nil) }
        changes.append(Change(kind: .remove, profile: name, lines: ["removed from the catalog"]))
      }
    }
    store.setCatalogs(recording(in: store))
    return (changes, store)
  }

  /// The store's `"catalogs"` with this catalog's entry as of this sync: its name and the hosts it marks
  /// production (the floor).
  func recording(in store: Store) -> JSON {
    var catalogs = store.unknown[Store.catalogsKey]?.objectValue ?? [:]
    var hosts = Set<String>()
    for (_, definition) in definitions {
      guard let object = definition.objectValue, object["production"] == .bool(true),
        let text = object["server"]?.stringValue, let server = try? Server(validating: text)
      else { continue }
      hosts.insert(server.host)
    }
    catalogs[path] = .object([
      "name": .string(name), "production": .array(hosts.sorted { utf8Precedes($0, $1) }.map { .string($0) }),
      "synced": .string(hash),
    ])
    return .object(catalogs)
  }

  /// The store without the catalog at `path`: its entry (and floor) gone, its profiles kept as local
  /// ones (their marker dropped). Returns the names of those profiles.
  package static func forget(_ path: String, in store: inout Store) throws(Failure) -> [String] {
    var kept: [String] = []
    for name in store.names {
      guard case .object(var object)? = store.rawProfile(named: name), Catalog.marker(of: .object(object))?.path == path
      else { continue }
      object[markerKey] = nil
      store.setRawProfile(.object(object), named: try ProfileName(validating: name))
      kept.append(name)
    }
    var catalogs = store.unknown[Store.catalogsKey]?.objectValue ?? [:]
    catalogs[path] = nil
    store.setCatalogs(catalogs.isEmpty ? nil : .object(catalogs))
    return kept
  }

  /// The hash of the content last synced from the catalog at `path`, nil when it was never synced.
  package static func syncedHash(_ path: String, in store: Store) -> String? {
    store.unknown[Store.catalogsKey]?.objectValue?[path]?.objectValue?["synced"]?.stringValue
  }

  /// The catalogs the store records, by path, with their names.
  package static func recorded(in store: Store) -> [(path: String, name: String)] {
    let catalogs = store.unknown[Store.catalogsKey]?.objectValue ?? [:]
    return catalogs.keys.sorted { utf8Precedes($0, $1) }.map { path in
      (path, catalogs[path]?.objectValue?["name"]?.stringValue ?? Catalog.name(of: path))
    }
  }
}

extension Profile {
  /// The name of the catalog this profile came from, nil for a local one.
  package var catalogName: String? {
    guard let marker = unknown[Catalog.markerKey] else { return nil }
    return Catalog.marker(of: .object([Catalog.markerKey: marker]))?.name
  }

  /// True when the profile came from a catalog and its secret was never given (`use` asks for it). The
  /// cheap tests first: a switch asks this of every profile it switches to.
  package var lacksCatalogSecret: Bool { secretStore == nil && isRedacted && catalogName != nil }
}
