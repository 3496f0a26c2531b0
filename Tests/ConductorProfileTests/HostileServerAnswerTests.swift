import Foundation
import Testing

@testable import ConductorNetwork
@testable import ProfileCommands
@testable import ProfileModel

/// A Conductor server's answers, attacked: names, roles, ids and error codes stay on their line, bounded,
/// never aim a printed command at another path, and no token goes to another server; each test failed before its fix.
@Suite struct HostileServerAnswerTests {
  /// A server's answer is one value on one line: a name with a newline cannot forge a line of whoami's
  /// (a "roles" that says the credential has none).
  @Test func whoamiKeepsTheServersWordsOnTheirLine() throws {
    guard let world = try KeysTests.World(["--name", "Jane\nroles:   (none)\r"]) else { return }
    let r = try world.run(["whoami", "play"])
    #expect(r.status == 0, "\(r)")
    #expect(r.stdout.contains("name:    Jane\\nroles:   (none)\\r\n"), "\(r)")
    #expect(r.stdout.split(separator: "\n").filter { $0.hasPrefix("roles:") } == ["roles:   USER, ADMIN"], "\(r)")
  }
  /// A server's error code is someone else's text too: on one line, clipped, like its message.
  @Test func aServersErrorCodeStaysOnOneLine() {
    let body = #"{"error":"NOPE\nerror: forged line","message":"m\nx"}"#
    let response = HTTPResponse(status: 401, body: Array(body.utf8))
    #expect(response.errorSummary == "HTTP 401 NOPE error: forged line (m x)")
    let long = HTTPResponse(status: 500, body: Array(("{\"error\":\"" + String(repeating: "E", count: 500) + "\"}").utf8))
    #expect(long.errorSummary == "HTTP 500 " + String(repeating: "E", count: 80) + "…")
  }
  /// The DELETE a message tells the user to paste names the key or application it says: an id the server (or a
  /// hand-edited pending record) gave that is not one path segment gets no command, since curl would
  /// resolve `../` to another path (or `?`/`#` end the path) and delete something else.
  @Test func aPrintedDeleteNeverAimsAtAnotherPath() throws {
    let api = ApplicationAPI(server: try Server(validating: "https://c.acme.com/api"), token: "t", environment: [:])
    #expect(
      api.deleteKeyCommand("k-1", of: "app-1", profile: "dev")
        == #"curl -X DELETE -H "$(conductor-profile token --header dev)" https://c.acme.com/api/applications/app-1/accessKeys/k-1"#
    )
    for (key, application) in [("../../metadata/workflow/orders", "app-1"), ("k?x=1", "app-1"), ("k", "app/../x"), ("k#", "a")] {
      let text = api.deleteKeyCommand(key, of: application, profile: "dev")
      #expect(!text.contains("curl"), "\(text)")
      #expect(text.contains("Access Control > Applications on https://c.acme.com/api"), "\(text)")
    }
    #expect(!api.deleteApplicationCommand("../metadata", profile: "dev").contains("curl"))
    #expect(api.deleteApplicationCommand("app-1", profile: "dev").hasPrefix("curl -X DELETE"))
  }
  /// A pending rotation (a hand edit, an import) that names a user-token profile of another server as its
  /// manager: that user's token is never sent to the rotating profile's server. Both fakes listen on
  /// 127.0.0.1, so a judgement by host alone would send it.
  @Test func aPendingRotationNeverSendsAManagersTokenToAnotherServer() throws {
    guard let world = try KeysTests.World() else { return }
    guard let far = try FakeConductor.start(["--user-token", KeysTests.userToken]) else { return }
    try world.sandbox.addKey("far", server: far.url)
    var store = try world.sandbox.storeJSON()
    var profiles = try #require(store["profiles"] as? [String: [String: Any]])
    var profile = try #require(profiles["far"])
    var auth = try #require(profile["auth"] as? [String: Any])
    auth["pendingKey"] = [
      "operation": "rotate", "step": "switched", "applicationId": "app-1", "keyId": "key-id", "oldKeyId": "old-key",
      "oldKey": "keep", "manager": "play", "startedAt": 1,
    ]
    profile["auth"] = auth
    profiles["far"] = profile
    store["profiles"] = profiles
    try world.sandbox.writeStore(String(decoding: try JSONSerialization.data(withJSONObject: store), as: UTF8.self))
    let r = try world.run(["rotate", "far"])
    #expect(r.status == 1, "\(r)")
    #expect(
      r.stderr.contains("names the user token of profile 'play', whose server \(world.server.url)/api is not \(far.url)/api"),
      "\(r)")
    let headers = try #require(try far.stats(world.sandbox)["headers"] as? [[String: String]])
    #expect(!headers.contains { $0["X-Authorization"] == KeysTests.userToken }, "\(headers)")
  }
  /// What whoami keeps in the store of a server's answer is bounded: a server that names thousands of roles
  /// (or long ones) cannot grow the store toward its limit, and an admin role is never the one dropped.
  @Test func whoamiKeepsABoundedRecordOfTheServersRoles() throws {
    let many = (0..<2000).map { "ROLE_\($0)" } + [String(repeating: "L", count: 500), "ADMIN"]
    guard let world = try KeysTests.World(["--app-roles", many.joined(separator: ",")]) else { return }
    let r = try world.run(["whoami", "dev"])
    #expect(r.status == 0, "\(r)")
    let info = try #require(try world.auth("dev")["keyInfo"] as? [String: Any])
    let roles = try #require(info["roles"] as? [String])
    #expect(roles.count == 64, "\(roles.count)")
    #expect(roles.first == "ADMIN" && roles.dropFirst().first == "ROLE_0", "\(roles.prefix(3))")
    #expect(!roles.contains { $0.count > 64 })
  }
  /// An application's name as the server gives it back is kept on one line and bounded (whoami and rotate
  /// record it): a long name is stored clipped to 200 characters.
  @Test func anApplicationsNameFromTheServerIsKeptBounded() throws {
    guard let world = try KeysTests.World() else { return }
    let long = "ci-" + String(repeating: "n", count: 400)
    let promote = try world.run(["promote", "play", "--application", long])
    #expect(promote.status == 0, "\(promote)")
    let r = try world.run(["whoami", "play-key"])
    #expect(r.status == 0, "\(r)")
    let info = try #require(try world.auth("play-key")["keyInfo"] as? [String: Any])
    let name = try #require(info["applicationName"] as? String)
    #expect(name == "ci-" + String(repeating: "n", count: 197) + "…", "\(name)")
  }
}
