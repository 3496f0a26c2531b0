// What the store remembers about a profile's application access key, beside the key itself in `auth`:
// `keyInfo` (its application, age, state and roles, as the server last said) and `pendingKey` (a
// `promote` or `rotate` under way, with the one-time secret the server returned). Both are kept in the
// profile's unknown `auth` keys and read only when asked for, so a switch never decodes them.

/// A key's state on the server (`GET /api/applications/{id}/accessKeys`).
public enum KeyStatus: String, Sendable {
  case active = "ACTIVE"
  /// Paused: the server refuses to mint a token with it.
  case inactive = "INACTIVE"
}

/// What the server said about a profile's key, cached: `auth.keyInfo`. It describes `keyId` only: once
/// the profile's key id changes (`set --key-id`), it says nothing.
public struct KeyInfo: Equatable, Sendable {
  public var keyID: String
  public var applicationID: String?
  public var applicationName: String?
  /// When the key was made, Unix milliseconds (the server's `createdAt`).
  public var createdAt: Int64?
  public var status: KeyStatus?
  /// The roles of the key's application, as `whoami`, `promote` or `rotate` last saw them.
  public var roles: [String]?

  public init(keyID: String) { self.keyID = keyID }

  init?(json: JSON) {
    guard let object = json.objectValue, let id = object["keyId"]?.stringValue else { return nil }
    keyID = id
    applicationID = object["applicationId"]?.stringValue
    applicationName = object["applicationName"]?.stringValue
    createdAt = object["createdAt"].flatMap(KeyInfo.milliseconds)
    status = object["status"]?.stringValue.flatMap(KeyStatus.init(rawValue:))
    if case .array(let words)? = object["roles"] { roles = words.compactMap(\.stringValue) }
  }

  var json: JSON {
    var object: [String: JSON] = ["keyId": .string(keyID)]
    if let applicationID { object["applicationId"] = .string(applicationID) }
    if let applicationName { object["applicationName"] = .string(applicationName) }
    if let createdAt { object["createdAt"] = .integer(createdAt) }
    if let status { object["status"] = .string(status.rawValue) }
    if let roles { object["roles"] = .array(roles.map { .string($0) }) }
    return .object(object)
  }

  /// A `createdAt` in Unix milliseconds between 1970 and 9999, else nil.
  package static func milliseconds(_ value: JSON) -> Int64? {
    guard let ms = value.integerValue, ms >= 0, ms / 1000 <= Limits.latestTime else { return nil }
    return ms
  }

  /// The key's age in seconds at `now`, when its creation time is known.
  public func age(now: Int64) -> Int64? { createdAt.map { max(0, now - $0 / 1000) } }

  /// True when a role of the application is an admin role (`ADMIN`, or a `…_MANAGER` role).
  public var hasAdminRole: Bool { (roles ?? []).contains(where: KeyInfo.isAdminRole) }

  public static func isAdminRole(_ role: String) -> Bool { role == "ADMIN" || role.hasSuffix("_MANAGER") }

  /// The most roles the store keeps of what a server said (`roles` above), and the longest one.
  static let mostRoles = 64
  static let longestRole = 64

  /// The roles a server named, as the store keeps them: a role is a word (1 to 64 characters, no control
  /// character), each once; at most 64, the admin roles first so that `adminOnProduction` never loses one.
  /// A server's answer (up to 4 MiB) never grows the store past its limit, one `whoami` at a time.
  public static func kept(roles: [String]) -> [String] {
    var seen = Set<String>()
    let words = roles.filter { role in
      (1...longestRole).contains(role.count) && !role.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
        && seen.insert(role).inserted
    }
    guard words.count > mostRoles else { return words }
    return Array((words.filter(isAdminRole) + words.filter { !isAdminRole($0) }).prefix(mostRoles))
  }
}

/// A `promote` or `rotate` under way: `auth.pendingKey` of the profile it started from. Written before
/// every server call that creates something, and again the moment the server returns a new secret, so
/// the next `rotate NAME` (or `doctor --fix`) finds where it stopped.
public struct PendingKey: Equatable, Sendable {
  public enum Operation: String, Sendable {
    case promote, rotate
  }

  /// How far it got.
  public enum Step: String, Sendable {
    /// The next server call creates something (an application, a key) that is not recorded yet.
    case creating
    /// The new key and its secret are recorded (the secret in `secretStore`); not yet verified or in use.
    case created
    /// The profile uses the new key; the old one is still to be paused or deleted.
    case switched
  }

  /// What happens to the old key once the new one is in use.
  public enum OldKey: String, Sendable {
    case pause, keep, delete
  }

  public var operation: Operation
  public var step: Step
  /// Unix seconds when it started (to tell the keys it made from older ones).
  public var startedAt: Int64
  public var applicationID: String?
  public var applicationName: String?
  /// The new key's id, once the server returned it.
  public var keyID: String?
  /// The new key's secret when it is kept in the store file (`secretStore` nil).
  public var keySecret: Secret?
  /// Where the new secret is kept when not in the store file: the entry `NAME~pending` of that store.
  public var secretStore: SecretStoreKind?
  /// rotate: the key being replaced, and what to do with it.
  public var oldKeyID: String?
  public var oldKey: OldKey
  /// promote: the profile to write (NAME itself when replacing it), its roles, where its secret goes, and
  /// whether it is production.
  public var target: String?
  public var roles: [String]
  public var targetSecretStore: SecretStoreKind?
  public var production: Bool?
  /// rotate: the user-token profile whose token manages the application when the key's own may not
  /// (nil: the key itself).
  public var manager: String?

  public init(operation: Operation, startedAt: Int64) {
    self.operation = operation
    self.step = .creating
    self.startedAt = startedAt
    self.oldKey = .pause
    self.roles = []
  }

  /// The name of the secret-store entry that holds a pending secret for profile `name`. `~` is not
  /// allowed in a profile name, so it never names another profile's entry.
  public static func entryName(_ name: String) -> String { name + "~pending" }

  init?(json: JSON) {
    guard let object = json.objectValue, let op = object["operation"]?.stringValue.flatMap(Operation.init(rawValue:)),
      let step = object["step"]?.stringValue.flatMap(Step.init(rawValue:))
    else { return nil }
    self.init(operation: op, startedAt: object["startedAt"]?.integerValue ?? 0)
    self.step = step
    applicationID = object["applicationId"]?.stringValue
    applicationName = object["applicationName"]?.stringValue
    keyID = object["keyId"]?.stringValue
    keySecret = object["keySecret"]?.stringValue.map(Secret.init)
    secretStore = object["secretStore"]?.stringValue.flatMap(SecretStoreKind.init(rawValue:)).flatMap { $0 == .file ? nil : $0 }
    oldKeyID = object["oldKeyId"]?.stringValue
    oldKey = object["oldKey"]?.stringValue.flatMap(OldKey.init(rawValue:)) ?? .pause
    target = object["target"]?.stringValue
    if case .array(let words)? = object["roles"] { roles = words.compactMap(\.stringValue) }
    targetSecretStore = object["targetSecretStore"]?.stringValue.flatMap(SecretStoreKind.init(rawValue:))
    production = object["production"]?.boolValue
    manager = object["manager"]?.stringValue
  }

  func json(redactSecret: Bool) -> JSON {
    var object: [String: JSON] = [
      "operation": .string(operation.rawValue), "step": .string(step.rawValue), "startedAt": .integer(startedAt),
      "oldKey": .string(oldKey.rawValue),
    ]
    if let applicationID { object["applicationId"] = .string(applicationID) }
    if let applicationName { object["applicationName"] = .string(applicationName) }
    if let keyID { object["keyId"] = .string(keyID) }
    if let keySecret { object["keySecret"] = redactSecret ? .null : .string(keySecret.text) }
    if let secretStore { object["secretStore"] = .string(secretStore.rawValue) }
    if let oldKeyID { object["oldKeyId"] = .string(oldKeyID) }
    if let target { object["target"] = .string(target) }
    if !roles.isEmpty { object["roles"] = .array(roles.map { .string($0) }) }
    if let targetSecretStore { object["targetSecretStore"] = .string(targetSecretStore.rawValue) }
    if let production { object["production"] = .bool(production) }
    if let manager { object["manager"] = .string(manager) }
    return .object(object)
  }

  /// One line for `doctor` and errors: what was under way and how far it got.
  public var summary: String {
    var text = "a \(operation.rawValue) was interrupted"
    switch step {
    case .creating:
      text +=
        applicationID == nil && operation == .promote ? " before the application was recorded" : " while a key was being created"
    case .created: text += " after the new key \(quoted(keyID ?? "?")) was stored (not yet in use)"
    case .switched:
      text +=
        " after the switch to the new key; the old key \(quoted(oldKeyID ?? "?")) is not yet \(oldKey == .delete ? "deleted" : "paused")"
    }
    return text
  }
}

extension Profile {
  /// The cached facts about this profile's key, when they are about its current key id.
  public var keyInfo: KeyInfo? {
    get {
      guard case .key(let id, _) = credential, let json = unknownAuth["keyInfo"], let info = KeyInfo(json: json),
        info.keyID == id
      else { return nil }
      return info
    }
    set { unknownAuth["keyInfo"] = newValue?.json }
  }

  /// A `promote` or `rotate` this profile started and that has not finished.
  public var pendingKey: PendingKey? {
    get { unknownAuth["pendingKey"].flatMap(PendingKey.init(json:)) }
    set { unknownAuth["pendingKey"] = newValue?.json(redactSecret: false) }
  }

  /// True when the store holds a `pendingKey` this version cannot read (it is kept, never acted on).
  public var hasUnreadablePendingKey: Bool { unknownAuth["pendingKey"] != nil && pendingKey == nil }

}

extension PendingKey {
  /// `auth` keys with any pending secret replaced by `null` (`export` and `show` without `--reveal`).
  package static func redactingSecret(_ auth: [String: JSON]) -> [String: JSON] {
    guard case .object(var pending)? = auth["pendingKey"], pending["keySecret"] != nil else { return auth }
    pending["keySecret"] = .null
    var copy = auth
    copy["pendingKey"] = .object(pending)
    return copy
  }
}

/// A duration in a store setting (`keyMaxAge`): a whole number and a unit, `s`, `m`, `h`, `d` or `w`
/// (`"90d"`, `"12h"`), at least one second and at most about 10,000 years.
public enum StoreDuration {
  public static func seconds(_ text: String) -> Int64? {
    guard let unit = text.last, text.count >= 2, text.count <= 12 else { return nil }
    let digits = text.dropLast()
    guard digits.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int64(digits), n > 0 else { return nil }
    let scale: Int64
    switch unit {
    case "s": scale = 1
    case "m": scale = 60
    case "h": scale = 3600
    case "d": scale = 86400
    case "w": scale = 7 * 86400
    default: return nil
    }
    let (total, overflow) = n.multipliedReportingOverflow(by: scale)
    guard !overflow, total <= Limits.latestTime else { return nil }
    return total
  }
}

/// What `adminOnProduction` asks for when a key profile's application holds an admin role on production.
public enum AdminOnProduction: String, Sendable {
  case warn, block
}

extension Store {
  /// The store-level `keyMaxAge` in seconds: nil when not set; an error when it is not a duration.
  public func keyMaxAge() throws(Failure) -> Int64? {
    guard let value = unknown["keyMaxAge"], value != .null else { return nil }
    guard let text = value.stringValue, let seconds = StoreDuration.seconds(text) else {
      throw .invalid(.store(.keyMaxAge(value.compact())))
    }
    return seconds
  }

  /// The store-level `adminOnProduction` (`warn` | `block`), nil when not set; an error for anything else.
  public func adminOnProduction() throws(Failure) -> AdminOnProduction? {
    guard let value = unknown["adminOnProduction"], value != .null else { return nil }
    guard let text = value.stringValue, let mode = AdminOnProduction(rawValue: text) else {
      throw .invalid(.store(.adminOnProduction(value.compact())))
    }
    return mode
  }
}
