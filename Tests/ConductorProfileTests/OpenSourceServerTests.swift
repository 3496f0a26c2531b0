import Foundation
import Testing

/// `verify` against an open-source Conductor (the fake server's --oss mode): a 404 on /token is not a
/// failed key, it is a server without authentication, and verify says how to mark the profile.
@Suite struct OpenSourceServerTests {
  func expected(_ name: String, _ server: FakeConductor) -> String {
    """
    error: \(server.url)/api is an open-source (OSS) Conductor server: it has no /token endpoint (HTTP 404) and serves the API without a credential, so profile '\(name)' needs none.
      mark the profile as OSS:    conductor-profile set \(name) --server-type OSS
      or drop its credential:     conductor-profile add \(name) --server \(server.url) --no-auth --force

    """
  }

  @Test func verifyOfAKeyOrATokenOnAnOSSServerSaysOSSAndHowToMarkIt() throws {
    let s = try Sandbox()
    guard let server = try FakeConductor.start(["--oss"]) else { return }
    try s.addKey("dev", server: server.url)
    try s.addToken("play", server: server.url, token: annToken)
    for name in ["dev", "play"] {
      let r = try s.run(["verify", name])
      #expect(r.status == 1 && r.stdout == "", "\(r)")
      #expect(r.stderr == expected(name, server), "\(r)")
    }
    #expect(try server.count("token", s) == 1)
    #expect(try server.count("userInfo", s) == 1)
    #expect(try server.count("metadata", s) == 2)
    // The advice works: the profile then exports OSS for the conductor CLI.
    let set = try s.run(["set", "dev", "--server-type", "OSS"])
    #expect(set.status == 0, "\(set)")
    #expect(try s.run(["env", "dev", "--format", "dotenv"]).stdout.contains("CONDUCTOR_SERVER_TYPE='OSS'\n"))
  }

  @Test func a404FromAServerThatWantsACredentialIsNotCalledOSS() throws {
    let s = try Sandbox()
    guard let server = try FakeConductor.start() else { return }
    // A wrong path: /token is missing, and so is everything else.
    try s.addKey("dev", server: server.url + "/elsewhere")
    var r = try s.run(["verify", "dev"])
    #expect(r.status == 1, "\(r)")
    #expect(r.stderr.contains("HTTP 404") && r.stderr.contains("a Conductor server?") && !r.stderr.contains("OSS"), "\(r)")
    // A server that answers the API only with a credential is not open: a wrong key stays a wrong key.
    try s.addKey("bad", server: server.url, id: "wrong")
    r = try s.run(["verify", "bad"])
    #expect(r.status == 1 && r.stderr.contains("HTTP 401") && !r.stderr.contains("OSS"), "\(r)")
    #expect(try server.count("metadata", s) == 0)
  }
}
