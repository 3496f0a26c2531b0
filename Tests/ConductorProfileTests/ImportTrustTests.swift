import Foundation
import Testing

/// `import file` takes profiles from a file someone shared: nothing in it may make this machine run a
/// program (a `command` secret store runs its `secretCommand` at every switch).
@Suite struct ImportTrustTests {
  /// A shared file cannot bring a key operation to finish either: a `pendingKey` would make the next `rotate`
  /// or `doctor --fix` create, pause or delete keys on the server, and a `keyInfo` would say which roles the key
  /// has. Both are dropped, and the import says so.
  @Test func aSharedFileCannotBringAKeyOperationToFinish() throws {
    let sandbox = try Sandbox()
    let file = sandbox.root.appendingPathComponent("team.json")
    try Data(
      """
      {
        "profiles" : {
          "team" : {
            "auth" : {
              "keyId" : "k", "keyInfo" : { "keyId" : "k", "roles" : [ "WORKER" ] }, "kind" : "key", "keySecret" : "s",
              "pendingKey" : { "application" : "app", "keyId" : "victim", "oldKey" : "delete", "step" : "created" }
            },
            "server" : "https://team.example.com/api"
          }
        },
        "version" : 1
      }

      """.utf8
    ).write(to: file)
    let r = try sandbox.run(["import", "file", file.path])
    #expect(r.status == 0, "\(r)")
    #expect(
      r.stderr.contains(
        "note: profile 'team': the file's keyInfo and pendingKey were not imported (a record of this machine's own key operations); whoami or verify records the key anew\n"
      ), "\(r)")
    let auth = try #require(
      ((try sandbox.storeJSON()["profiles"] as? [String: Any])?["team"] as? [String: Any])?["auth"] as? [String: Any])
    #expect(auth["pendingKey"] == nil && auth["keyInfo"] == nil, "\(auth)")
    #expect(auth["keyId"] as? String == "k")
  }

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
