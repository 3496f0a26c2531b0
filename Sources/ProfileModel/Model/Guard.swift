/// The guard: a user token on a production server is warned about, or refused.
public enum Guard {
  /// True when `profile` is a user token and its server is production: the profile's own judgement
  /// (its flag, or its host's name when it says nothing), any profile naming the same host, or a
  /// catalog's floor (`Store.isProduction`).
  public static func isUserTokenOnProduction(_ profile: Profile, in store: Store) -> Bool {
    guard case .userToken = profile.credential else { return false }
    return profile.isJudgedProduction || store.isProduction(profile.server)
  }

  /// The one line `add` and `set` print when a profile that says nothing is production by its host's
  /// name, with how to say otherwise.
  package static func productionByNameNotice(name: String, profile: Profile) -> String? {
    guard profile.isProductionByName else { return nil }
    return
      "profile '\(name)' is judged production: its host \(profile.server.host) is named like a production cluster (prod, prd, production or live); if it is not one, say so with: conductor-profile set \(name) --no-production"
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
}
