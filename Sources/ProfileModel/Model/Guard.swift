/// The guard: a user token on a production server is warned about, or refused.
///
/// `judge` returns every finding against a profile; `check` warns about each (mode warn) or refuses on
/// the first (mode block). A new rule (an admin key on production, issue 24) is one more `Finding` case
/// and one more test in `judge`.
public enum Guard {
  /// What the guard holds against a profile.
  public enum Finding: Equatable, Sendable {
    /// A user token whose server is production. `doubt` names a production-flagged profile whose server
    /// names no host at all: while it exists, every user token counts as on production (fail closed).
    case userTokenOnProduction(doubt: String?)
  }

  /// Every finding against `profile` (empty: nothing to say).
  public static func judge(_ profile: Profile, in store: Store) -> [Finding] {
    var findings: [Finding] = []
    if case .userToken = profile.credential {
      if store.isProduction(profile) {
        findings.append(.userTokenOnProduction(doubt: nil))
      } else if let doubt = store.productionDoubt() {
        findings.append(.userTokenOnProduction(doubt: doubt))
      }
    }
    return findings
  }

  /// True when `profile` is a user token and its server is production (`Store.isProduction`: its flag or
  /// its host's name, any profile naming the same host, a catalog's floor), or is counted so because the
  /// store is in doubt.
  public static func isUserTokenOnProduction(_ profile: Profile, in store: Store) -> Bool {
    judge(profile, in: store).contains { if case .userTokenOnProduction = $0 { true } else { false } }
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

  /// What `finding` says about profile `name`.
  package static func reason(_ finding: Finding, name: String, profile: Profile) -> String {
    switch finding {
    case .userTokenOnProduction(nil):
      return reason(name: name, server: profile.server.url)
    case .userTokenOnProduction(let doubt?):
      return
        "profile '\(name)' uses a user token, and the production profile '\(doubt)' has a server whose host cannot be read, so every server counts as production until it is fixed (when in doubt, production); conductor-profile doctor says how"
    }
  }

  /// Warns (mode warn) or refuses with exit 3 (mode block) for each finding against `profile`.
  /// `refusable` is false for commands that only ever warn (`add`, `set`).
  package static func check(
    name: String, profile: Profile, store: Store, context: Context, refusable: Bool
  ) throws(Failure) {
    // A mistyped CONDUCTOR_PROFILE_GUARD fails every command that could refuse, not only on production:
    // someone who meant block must not learn of the typo the day it matters. add and set never refuse.
    let mode = refusable ? try store.effectiveGuard(environment: context.environment) : .warn
    for finding in judge(profile, in: store) {
      let text = reason(finding, name: name, profile: profile)
      if mode == .block { throw .refused("refused by the guard (mode block): \(text)") }
      context.warn(text)
    }
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
