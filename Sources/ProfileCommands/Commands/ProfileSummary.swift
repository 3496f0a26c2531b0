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
    if let kept = profile.secretStore { object["secretStore"] = .string(kept.kind.rawValue) }
    if let env = profile.env { object["env"] = .object(env.mapValues { .string($0) }) }
    return .object(object)
  }
}
