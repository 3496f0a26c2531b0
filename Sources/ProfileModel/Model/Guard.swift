/// The guard: a user token on a production server is warned about, or refused.
public enum Guard {
  /// True when `profile` is a user token and its server is production (any profile naming the same
  /// normalised server carries the `production` flag).
  public static func isUserTokenOnProduction(_ profile: Profile, in store: Store) -> Bool {
    guard case .userToken = profile.credential else { return false }
    return profile.isFlaggedProduction || store.isProduction(profile.server)
  }

  package static func reason(name: String, server: String) -> String {
    "profile '\(name)' uses a user token on the production server \(server). A user token carries one person's full access and dies with their UI session, so it must never be used in production. Use an application access key instead: create one under Access Control > Applications and add it with: conductor-profile add NAME --server \(server) --key-id ID"
  }

  /// Warns (mode warn) or refuses with exit 3 (mode block) when `profile` is a user token on production.
  /// `refusable` is false for commands that only ever warn (`add`, `set`).
  package static func check(
    name: String, profile: Profile, store: Store, context: Context, refusable: Bool
  ) throws(Failure) {
    // A mistyped CONDUCTOR_PROFILE_GUARD fails every command that could refuse, not only on production:
    // someone who meant block must not learn of the typo the day it matters. add and set never refuse.
    let mode = refusable ? try store.effectiveGuard(environment: context.environment) : .warn
    // The opt-in adminOnProduction, judged at the same doors (key profiles only; see checkAdmin).
    try checkAdmin(name: name, profile: profile, store: store, context: context, refusable: refusable)
    guard isUserTokenOnProduction(profile, in: store) else { return }
    let text = reason(name: name, server: profile.server.url)
    if mode == .block {
      throw .refused("refused by the guard (mode block): \(text)")
    }
    context.warn(text)
  }

  /// A warning when a user token has expired or expires within `window` seconds.
  package static func expiryWarning(name: String, profile: Profile, now: Int64, window: Int64) -> String? {
    guard case .userToken(let jwt) = profile.credential, let exp = jwt.expires else { return nil }
    if exp <= now {
      return
        "the user token of profile '\(name)' expired \(relativeTime(exp, now: now)) (\(formatUTC(exp))); copy a new one from the Conductor UI and run: conductor-profile set \(name) --user-token"
    }
    if exp - now <= window {
      return "the user token of profile '\(name)' expires \(relativeTime(exp, now: now)) (\(formatUTC(exp)))"
    }
    return nil
  }

  // MARK: adminOnProduction

  /// What `adminOnProduction` says of a profile: nothing, a warning, or a refusal, with the reason.
  public enum AdminJudgement: Equatable, Sendable {
    case fine
    case warn(String)
    case block(String)
  }

  /// The store's opt-in `adminOnProduction`: a key profile whose application holds an admin role (`ADMIN`
  /// or a `…_MANAGER` role, as `whoami`, `promote` or `rotate` last saw it, cached in `auth.keyInfo`) on a
  /// production server is warned about (`warn`) or refused (`block`). Unset, or nothing known: fine.
  public static func adminOnProduction(name: String, profile: Profile, in store: Store) throws(Failure) -> AdminJudgement {
    guard let mode = try store.adminOnProduction(), let info = profile.keyInfo, info.hasAdminRole else { return .fine }
    guard profile.isFlaggedProduction || store.isProduction(profile.server) else { return .fine }
    let admin = (info.roles ?? []).filter(KeyInfo.isAdminRole).joined(separator: ", ")
    let application = info.applicationName.map { "application \(quoted($0))" } ?? "its application"
    let text =
      "profile '\(name)' uses an application key whose \(application) has an admin role (\(admin)) on the production server \(profile.server.url); an everyday shell does not need admin on production. Use a key of an application with only the roles it needs (conductor-profile promote, with --role)"
    return mode == .block ? .block(text) : .warn(text)
  }

  /// Applies `adminOnProduction` at a door: warns, or refuses with exit 3 when `refusable` (mode block).
  package static func checkAdmin(name: String, profile: Profile, store: Store, context: Context, refusable: Bool)
    throws(Failure)
  {
    switch try adminOnProduction(name: name, profile: profile, in: store) {
    case .fine: return
    case .warn(let text): context.warn(text)
    case .block(let text):
      guard refusable else { return context.warn(text) }
      throw .refused("refused by adminOnProduction (block): \(text)")
    }
  }
}
