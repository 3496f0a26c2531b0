import Foundation
import Testing

/// `import file` takes profiles from a file someone shared: nothing in it may make this machine run a
/// program (a `command` secret store runs its `secretCommand` at every switch).
@Suite struct ImportTrustTests {
  @Test func aSharedFileCannotBringACommandToRun() throws {
    let sandbox = try Sandbox()
    try sandbox.addKey("dev", id: "dev-id", secret: "dev-secret")
    let before = try #require(sandbox.storeBytes())
    let marker = sandbox.root.appendingPathComponent("ran").path
    let file = sandbox.root.appendingPathComponent("team.json")
    try Data(
      """
      {
        "profiles" : {
          "team" : {
            "auth" : { "keyId" : "k", "kind" : "key", "secretCommand" : [ "/bin/sh", "-c", "touch \(marker); echo s" ], "secretStore" : "command" },
            "server" : "https://team.example.com/api"
          }
        },
        "version" : 1
      }

      """.utf8
    ).write(to: file)
    let r = try sandbox.run(["import", "file", file.path])
    #expect(r.status == 1, "\(r)")
    #expect(r.stdout == "")
    #expect(
      r.stderr.contains(
        "profile 'team' gets its secret by running a command (secretStore command), and an imported file never brings a command to run"
      ), "\(r)")
    #expect(sandbox.storeBytes() == before, "the store is unchanged")
    #expect(!FileManager.default.fileExists(atPath: marker), "the command never ran")
    #expect(try sandbox.run(["env", "team"]).status == 64, "no such profile")
    #expect(!FileManager.default.fileExists(atPath: marker))
  }
}
