import ProfileModel
import ShellOutput

/// Open-source Conductor has no `/token` endpoint and no authentication: a 404 there, from a server that
/// answers the API without a credential, means the profile's key or token is not needed (the SDKs fall
/// back to no authentication on that 404). `verify` says so instead of reporting a failed credential.
package enum OpenSourceServer {
  /// Fails with the explanation when `response` (to `/token` or `/token/userInfo`) is a 404 and the server
  /// serves `GET {server}/metadata/workflow` without a credential; returns otherwise.
  package static func check(_ response: HTTPResponse, name: String, server: Server, context: Context) throws(Failure) {
    guard response.status == 404 else { return }
    let probe = HTTPRequest(method: "GET", url: server.url + "/metadata/workflow", headers: ["Accept: application/json"])
    guard let open = try? HTTP.send(probe, environment: context.environment), open.isSuccess else { return }
    let ui = server.uiURL
    throw .server(
      server.url,
      problem: """
        \(server.url) is an open-source (OSS) Conductor server: it has no /token endpoint (HTTP 404) and serves the API without a credential, so profile '\(name)' needs none.
          mark the profile as OSS:    conductor-profile set \(name) --server-type OSS
          or drop its credential:     conductor-profile add \(name) --server \(shellWord(ui)) --no-auth --force
        """)
  }
}
