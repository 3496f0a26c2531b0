import ConductorNetwork
import ProfileModel

/// `verify`: ask the server whether a profile's credential works, and who it is.
enum VerifyCommand {
  static let spec = CommandSpec(
    .verify, usage: "[NAME]", summary: "Ask the server whether a profile's credential works.",
    arguments: [ArgumentSpec("NAME", "The profile (default: the one active in this shell).")],
    positionals: 0...1,
    discussion: """
      A key profile: mints a fresh token (the cache is neither read nor changed) and prints who it is for
      and when it expires. A user-token profile: GET {server}/token/userInfo with the token, and prints the
      user, their roles and the token's expiry. A failure names the server's error (INVALID_TOKEN,
      EXPIRED_TOKEN, the HTTP status) or the connection problem, and exits 1. A server that answers 404 on
      /token and serves the API without a credential is an open-source (OSS) server: verify says so, and how
      to mark the profile (--server-type OSS, or add it again with --no-auth), and exits 1.
      """,
    run: { invocation, context throws(Failure) in try run(Options(invocation), context) })

  /// `verify`'s command line, parsed once.
  struct Options {
    /// NAME, nil for the active profile.
    let name: String?

    init(_ invocation: Invocation) { name = invocation.positionals.first }
  }

  static func run(_ options: Options, _ context: Context) throws(Failure) {
    let name = try context.profileNameOrActive(options.name, command: .verify)
    let store = try context.loadStore()
    let profile = try context.requireProfile(name, in: store, command: .verify).resolvingSecret(name: name, context: context)
    let server = profile.server
    switch profile.credential {
    case .key(let id, let secret):
      let answer = try Minting.post(server: server, keyID: id, secret: secret.text, context: context)
      try OpenSourceServer.check(answer, name: name, server: server, context: context)
      let minted = try Minting.token(from: answer, name: name, server: server, keyID: id, context: context)
      context.print("ok: the application key \(quoted(id)) of profile '\(name)' works on \(server.url)")
      let claims = JWT.payload(of: minted.token) ?? [:]
      let who = ["name", "sub", "email"].compactMap { key in claims[key]?.stringValue.map { (key, $0) } }
      for (key, value) in uniqued(who) { context.print("  \(pad(key)) \(value)") }
      context.print("  \(pad("expires")) \(expiry(minted.expires, now: context.now))")
    case .userToken(let token):
      try Guard.check(name: name, profile: profile, store: store, context: context, refusable: false)
      let request = HTTPRequest(
        method: "GET", url: server.url + "/token/userInfo",
        headers: ["X-Authorization: \(token.raw)", "Accept: application/json"])
      let response = try HTTP.send(request, environment: context.environment)
      try OpenSourceServer.check(response, name: name, server: server, context: context)
      guard response.isSuccess else {
        var text = "\(server.url) rejected the user token of profile '\(name)': \(response.errorSummary)"
        if let exp = token.expires, exp <= context.now {
          text += "; it expired \(relativeTime(exp, now: context.now)) (\(formatUTC(exp)))"
        }
        if response.status == 401 || response.status == 403 {
          text +=
            "; copy a new token from the Conductor UI (user menu > Copy Token) and run: conductor-profile set \(name) --user-token"
        } else {
          text += "; " + response.genericHint(name: name, server: server, request: "GET \(server.url)/token/userInfo")
        }
        throw .server(server.url, problem: text)
      }
      context.print("ok: the user token of profile '\(name)' works on \(server.url)")
      for (label, value) in userLines(response.object ?? [:], token: token) { context.print("  \(pad(label)) \(value)") }
      context.print("  \(pad("expires")) \(expiry(token.expires, now: context.now))")
      if let exp = token.expires, exp <= context.now {
        context.warn("the server accepted the token, but its exp (\(formatUTC(exp))) has passed; check this machine's clock")
      }
    case .none:
      throw .error(
        "profile '\(name)' has no credential to verify (auth none: its server \(server.url) needs no authentication)")
    }
  }

  /// What `/token/userInfo` says about the user. Orkes answers with a ConductorUser object:
  /// `{"id": "jane@example.com", "name": "Jane Doe", "roles": [{"name": "USER", …}], "groups": […],
  /// "uuid": "…", "applicationUser": false, …}`; the JWT's own claims fill in what it leaves out.
  static func userLines(_ info: [String: JSON], token: JWT) -> [(String, String)] {
    var lines: [(String, String)] = []
    let name = info["name"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
    let id = info["id"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
    switch (name, id) {
    case (let n?, let i?) where n != i: lines.append(("user", "\(n) (\(i))"))
    case (let n?, _): lines.append(("user", n))
    case (nil, let i?): lines.append(("user", i))
    default: if let subject = token.subject { lines.append(("user", subject)) }
    }
    if info["applicationUser"]?.boolValue == true { lines.append(("kind", "application user")) }
    if case .array(let roles)? = info["roles"] {
      let names = roles.compactMap { $0.objectValue?["name"]?.stringValue ?? $0.stringValue }
      if !names.isEmpty { lines.append(("roles", names.joined(separator: ", "))) }
    }
    if case .array(let groups)? = info["groups"] {
      let names = groups.compactMap { $0.objectValue?["id"]?.stringValue ?? $0.stringValue }
      if !names.isEmpty { lines.append(("groups", names.joined(separator: ", "))) }
    }
    return lines
  }

  static func expiry(_ exp: Int64?, now: Int64) -> String {
    guard let exp else { return "unknown (the token has no exp claim)" }
    return "\(formatUTC(exp)) (\(relativeTime(exp, now: now)))"
  }

  static func pad(_ label: String) -> String {
    let text = label + ":"
    return text + String(repeating: " ", count: max(1, 9 - text.count) - 1)
  }

  /// Claims with the same value shown once (a token whose name and sub are equal).
  static func uniqued(_ pairs: [(String, String)]) -> [(String, String)] {
    var seen = Set<String>()
    return pairs.filter { seen.insert($0.1).inserted }
  }
}
