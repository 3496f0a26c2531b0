import ConductorNetwork
import ProfileModel

/// `token`: a JWT for a profile — minted for a key (`POST {server}/token`, cached), a user token as stored.
enum TokenCommand {
  static let spec = CommandSpec(
    .token, usage: "[NAME] [--refresh] [--header] [--yes]", summary: "Print a JWT for a profile (minted for a key, cached).",
    arguments: [ArgumentSpec("NAME", "The profile (default: the one active in this shell).")],
    options: [
      .flag(.refresh, "Mint a new token even when the cached one is still good (key profiles)."),
      .flag(.header, "Print 'X-Authorization: <jwt>', ready for curl -H."),
      .flag(.yes, "With confirmProduction: print a production profile's token without asking (needed without a terminal)."),
    ],
    positionals: 0...1,
    discussion: """
      A key profile: POST {server}/token with the key id and secret; the JWT is cached (0600, under
      $XDG_CACHE_HOME/conductor-profile/tokens/, else ~/.cache/conductor-profile/tokens/) and reused until
      five minutes before it expires. A user-token profile: its token (an error once it has expired).
        curl -H "$(conductor-profile token --header)" "$CONDUCTOR_SERVER_URL/metadata/workflow"
      The request runs curl with everything on its standard input (no secret in any argument), with a
      \(HTTP.connectTimeout) s connect timeout and \(HTTP.maxTime) s in all. In guard mode block, a user token on a production server
      is refused (exit 3).
      """,
    run: { invocation, context throws(Failure) in try run(Options(invocation), context) })

  /// `token`'s command line, parsed once.
  struct Options {
    /// NAME, nil for the active profile.
    let name: String?
    let refresh: Bool
    let header: Bool
    let yes: Bool

    init(_ invocation: Invocation) {
      name = invocation.positionals.first
      refresh = invocation.has(.refresh)
      header = invocation.has(.header)
      yes = invocation.has(.yes)
    }
  }

  static func run(_ options: Options, _ context: Context) throws(Failure) {
    let name = try context.profileNameOrActive(options.name, command: .token)
    let store = try context.loadStore()
    let profile = try context.requireProfile(name, in: store, command: .token)
    if case .none = profile.credential {
      throw .error(
        "profile '\(name)' has no credential (auth none: its server \(profile.server.url) needs no authentication), so there is no token to print; call the server without an X-Authorization header"
      )
    }
    // The gate, before a token is minted or read: the guard and confirmProduction.
    try Gate.pass(
      name: name, profile: profile, store: store, production: store.isProduction(profile), door: .token, yes: options.yes,
      context)
    let jwt: String
    switch profile.credential {
    case .key(let id, _):
      let cache = TokenCache(environment: context.environment)
      if !options.refresh, let cached = cache.entry(for: name),
        cached.isReusable(server: profile.server, keyID: id, now: context.now)
      {
        jwt = cached.token
      } else {
        let secret = try profile.resolvingSecret(name: name, context: context).secretText
        let minted = try Minting.mint(name: name, server: profile.server, keyID: id, secret: secret, context: context)
        do throws(Failure) {
          try cache.store(minted, for: name)
        } catch {
          context.warn(
            "the token was minted but not cached (\(error.description)); the next call mints again, and guard will count this token as a user token"
          )
        }
        jwt = minted.token
      }
    case .userToken(let token):
      if options.refresh {
        context.warn(
          "--refresh has no effect on profile '\(name)': a user token cannot be renewed here; copy a new one from the Conductor UI and run: conductor-profile set \(name) --user-token"
        )
      }
      if let exp = token.expires, exp <= context.now {
        throw .error(
          "the user token of profile '\(name)' expired \(relativeTime(exp, now: context.now)) (\(formatUTC(exp))); copy a new one from the Conductor UI (user menu > Copy Token) and run: conductor-profile set \(name) --user-token"
        )
      }
      jwt = profile.secretStore == nil ? token.raw : try profile.resolvingSecret(name: name, context: context).secretText
    case .none:
      throw .error(
        "profile '\(name)' has no credential (auth none: its server \(profile.server.url) needs no authentication), so there is no token to print; call the server without an X-Authorization header"
      )
    }
    context.emit((options.header ? "X-Authorization: \(jwt)" : jwt) + "\n")
  }
}
