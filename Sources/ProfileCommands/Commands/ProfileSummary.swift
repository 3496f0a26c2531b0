import ConductorNetwork
import ProfileModel

/// What list and show say about a profile.
struct ProfileSummary {
  let name: String
  let profile: Profile
  let production: Bool
  let isDefault: Bool
  let isActive: Bool

  var expires: Int64? {
    if case .userToken(let jwt) = profile.credential { return jwt.expires }
    return nil
  }

  func expiryText(now: Int64, long: Bool = false) -> String {
    guard let exp = expires else { return long ? "never (no exp claim)" : "-" }
    let state = exp <= now ? "expired" : relativeTime(exp, now: now)
    return "\(formatUTC(exp)) (\(state))"
  }

  /// A key's age and state when the store knows them (`key 12d old, paused`), an unfinished promote or
  /// rotate; nil when there is nothing to say.
  func keyText(now: Int64) -> String? {
    var parts: [String] = []
    if let info = profile.keyInfo {
      if let age = info.age(now: now) { parts.append("key \(KeyAge.text(age)) old") }
      if info.status == .inactive { parts.append(parts.isEmpty ? "key paused" : "paused") }
    }
    if let pending = profile.pendingKey { parts.append("\(pending.operation.rawValue) unfinished") }
    return parts.isEmpty ? nil : parts.joined(separator: ", ")
  }

  func json(now: Int64) -> JSON {
    var object: [String: JSON] = [
      "name": .string(name), "server": .string(profile.server.url), "auth": .string(profile.credential.kind.rawValue),
      "production": .bool(production), "default": .bool(isDefault), "active": .bool(isActive),
    ]
    if let d = profile.description { object["description"] = .string(d) }
    if let exp = expires {
      object["tokenExpires"] = .integer(exp)
      object["tokenExpired"] = .bool(exp <= now)
    }
    if case .userToken(let jwt) = profile.credential, let s = jwt.subject { object["tokenSubject"] = .string(s) }
    if case .key(let id, _) = profile.credential { object["keyId"] = .string(id) }
    if let info = profile.keyInfo {
      if let created = info.createdAt { object["keyCreatedAt"] = .integer(created) }
      if let status = info.status { object["keyStatus"] = .string(status.rawValue) }
      if let application = info.applicationID { object["applicationId"] = .string(application) }
    }
    if let pending = profile.pendingKey {
      object["pendingKey"] = .object(["operation": .string(pending.operation.rawValue), "step": .string(pending.step.rawValue)])
    }
    if let kept = profile.secretStore { object["secretStore"] = .string(kept.kind.rawValue) }
    if let env = profile.env { object["env"] = .object(env.mapValues { .string($0) }) }
    return .object(object)
  }
}

/// A key's age for people: `40d`, `5h`, `12m`.
enum KeyAge {
  static func text(_ seconds: Int64) -> String {
    if seconds >= 86400 { return "\(seconds / 86400)d" }
    if seconds >= 3600 { return "\(seconds / 3600)h" }
    return "\(max(0, seconds / 60))m"
  }
}
