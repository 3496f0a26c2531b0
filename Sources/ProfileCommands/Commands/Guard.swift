import ConductorNetwork
import ProfileModel

/// `guard`: judges the current environment, for CI and deploy scripts.
enum GuardCommand {
  static let spec = CommandSpec(
    .guardCommand, usage: "[--quiet]", summary: "Exit 3 when this environment has a user token on a production server.",
    options: [.flag(.quiet, "Print nothing; the exit status says it.")],
    discussion: """
      Judges the variables as they are, set by a switch or by hand: a CONDUCTOR_AUTH_TOKEN that conductor-profile
      token did not mint for a key profile is a user token; the server is production when CONDUCTOR_PROFILE_PRODUCTION=1
      or a production profile names CONDUCTOR_SERVER_URL. Exit 0: fine; 3: a user token on production.
        conductor-profile guard || exit 1     # in a deploy script or a git pre-push hook
      """,
    run: { invocation, context throws(Failure) in try run(Options(invocation), context) })

  /// `guard`'s command line, parsed once.
  struct Options {
    let quiet: Bool

    init(_ invocation: Invocation) { quiet = invocation.has(.quiet) }
  }

  static func run(_ options: Options, _ context: Context) throws(Failure) {
    let quiet = options.quiet
    let env = context.environment
    let store = try context.store().loadIfPresent() ?? Store()
    let serverText = GuardCommand.asHTTPClientsRead(env[ManagedVariable.serverURL] ?? "")
    let server = try? Server(validating: serverText)
    var production = env[ManagedVariable.production] == "1"
    var flaggedBy: String? = nil
    if let server, let name = store.productionProfile(for: server) {
      production = true
      flaggedBy = name
    } else if let doubt = store.productionDoubt() {
      // When in doubt, production: a production profile whose server names no host counts every server.
      production = true
      flaggedBy = doubt
    }
    let token = env[ManagedVariable.authToken] ?? ""
    // A token counts as a user's unless `token` minted it for a key profile.
    let userToken = !token.isEmpty && !TokenCache(environment: env).isMinted(token)
    let location = server?.url ?? (serverText.isEmpty ? "(CONDUCTOR_SERVER_URL not set)" : serverText)
    // A server this tool cannot read might still be a production one: with a user token, fail closed.
    if userToken && server == nil && !serverText.isEmpty {
      if quiet { throw .exit(ExitCode.refused) }
      throw .refused(
        "a user token is set for the server \(quoted(serverText)), which is not a URL conductor-profile can read, so it cannot tell whether it is production; refused to be safe. Fix CONDUCTOR_SERVER_URL, or switch with: conductor-profile use NAME"
      )
    }
    if userToken && production {
      if quiet { throw .exit(ExitCode.refused) }
      let who = JWT.payload(of: token).flatMap { p in ["email", "name", "sub"].lazy.compactMap { p[$0]?.stringValue }.first }
      let source = env[ManagedVariable.active].map { "profile '\($0)'" } ?? "variables set by hand"
      let why =
        flaggedBy.map { by -> String in
          if (try? store.profile(named: by))??.isFlaggedProduction ?? false { return "profile '\(by)' flags it as production" }
          if let server, let catalog = store.productionFloor[server.host] {
            return "the team catalog '\(catalog)' marks it production"
          }
          return "its host's name says production (profile '\(by)')"
        } ?? "CONDUCTOR_PROFILE_PRODUCTION=1"
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

  /// `text` as HTTP clients read a URL (the WHATWG URL parser; curl and the SDKs trim too): without
  /// leading and trailing spaces and control characters, and without tabs and line breaks anywhere.
  static func asHTTPClientsRead(_ text: String) -> String {
    var scalars = Array(text.unicodeScalars)
    while let first = scalars.first, first.value <= 0x20 { scalars.removeFirst() }
    while let last = scalars.last, last.value <= 0x20 { scalars.removeLast() }
    var out = String.UnicodeScalarView()
    for scalar in scalars where scalar != "\t" && scalar != "\n" && scalar != "\r" { out.append(scalar) }
    return String(out)
  }
}
