/// `guard`: judges the current environment, for CI and deploy scripts.
enum GuardCommand {
  static let spec = CommandSpec(
    "guard", usage: "[--quiet]", summary: "Exit 3 when this environment has a user token on a production server.",
    options: [.flag("quiet", "Print nothing; the exit status says it.")],
    discussion: """
      Judges the variables as they are, set by a switch or by hand: a CONDUCTOR_AUTH_TOKEN that conductor-profile
      token did not mint for a key profile is a user token; the server is production when CONDUCTOR_PROFILE_PRODUCTION=1
      or a production profile names CONDUCTOR_SERVER_URL. Exit 0: fine; 3: a user token on production.
        conductor-profile guard || exit 1     # in a deploy script or a git pre-push hook
      """,
    run: run)

  static func run(_ invocation: Invocation, _ context: Context) throws(Failure) {
    let quiet = invocation.has("quiet")
    let env = context.environment
    let store = try context.store().loadIfPresent() ?? Store()
    let serverText = env[ManagedVariable.serverURL] ?? ""
    let server = try? Server(validating: serverText)
    var production = env[ManagedVariable.production] == "1"
    var flaggedBy: String? = nil
    if let server, store.isProduction(server) {
      production = true
      flaggedBy = store.names.first { name in
        guard let raw = store.rawProfile(named: name)?.objectValue, raw["production"] == .bool(true),
          let s = raw["server"]?.stringValue
        else { return false }
        return (try? Server(validating: s)) == server
      }
    }
    let token = env[ManagedVariable.authToken] ?? ""
    // A token counts as a user's unless `token` minted it for a key profile.
    let userToken = !token.isEmpty && !TokenCache(environment: env).isMinted(token)
    let location = server?.url ?? (serverText.isEmpty ? "(CONDUCTOR_SERVER_URL not set)" : serverText)
    if userToken && production {
      if quiet { throw .exit(ExitCode.refused) }
      let who = JWT.payload(of: token).flatMap { p in ["email", "name", "sub"].lazy.compactMap { p[$0]?.stringValue }.first }
      let source = env[ManagedVariable.active].map { "profile '\($0)'" } ?? "variables set by hand"
      let why = flaggedBy.map { "profile '\($0)' flags it as production" } ?? "CONDUCTOR_PROFILE_PRODUCTION=1"
      throw .refused(
        "a user token\(who.map { " (\($0))" } ?? "") from \(source) is set for the production server \(location) (\(why)). A user token carries one person's full access and dies with their UI session; use an application access key: create one under Access Control > Applications, then conductor-profile add NAME --server \(location) --key-id ID"
      )
    }
    if !quiet {
      let what =
        userToken
        ? "a user token on a non-production server" : (token.isEmpty ? "no user token" : "a token minted for an access key")
      context.print("ok: \(what) (\(location))")
    }
  }
}
