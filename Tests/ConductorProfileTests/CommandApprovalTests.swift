import Foundation
import Testing

/// Issue 20 item 4: a `secretCommand` runs only when this user approved that exact vector for that
/// profile. The helper here leaves a marker file each time it runs, so "nothing was run" is checked.
@Suite struct CommandApprovalTests {
  /// A helper that records each run in `marker` and prints its first argument.
  func helper(in box: Sandbox) throws -> (script: String, marker: String) {
    let script = box.root.appendingPathComponent("helper").path
    let marker = box.root.appendingPathComponent("ran").path
    try "#!/bin/sh\necho \"$0 $*\" >> '\(marker)'\nprintf '%s\\n' \"$1\"\n".write(
      toFile: script, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
    return (script, marker)
  }

  func runs(_ marker: String) -> Int {
    ((try? String(contentsOfFile: marker, encoding: .utf8)) ?? "").split(separator: "\n").count
  }

  /// A store written by hand (or a dotfiles repository) with a command profile.
  func handWritten(_ box: Sandbox, script: String, word: String = "s3cret") throws {
    try box.writeStore(
      """
      {
        "profiles" : {
          "ci" : {
            "auth" : { "keyId" : "id", "kind" : "key", "secretCommand" : [ "\(script)", "\(word)" ], "secretStore" : "command" },
            "server" : "https://ci.example.com/api"
          }
        },
        "version" : 1
      }

      """)
  }

  var trustPath: (Sandbox) -> String { { $0.home + "/.config/conductor-profile/trusted-directories.json" } }

  @Test func aHandWrittenCommandNeverRunsUntilApproved() throws {
    let box = try Sandbox()
    let (script, marker) = try helper(in: box)
    try handWritten(box, script: script)
    let before = try #require(box.storeBytes())
    for args in [
      ["env", "ci", "--shell", "bash"], ["exec", "ci", "--", "/bin/sh", "-c", "exit 0"], ["show", "ci", "--reveal"],
    ] {
      let r = try box.run(args)
      #expect(r.status == 1, "\(args) \(r)")
      #expect(r.stdout.isEmpty, "\(r)")
      #expect(r.stderr.contains("which you have not approved on this machine"), "\(r)")
      #expect(r.stderr.contains("conductor-profile allow --command ci"), "\(r)")
    }
    #expect(runs(marker) == 0)
    // doctor lists it, and runs nothing.
    let doctor = try box.run(["doctor"])
    #expect(doctor.status == 1, "\(doctor)")
    #expect(doctor.stdout.contains("profile 'ci' gets its secret by running"), "\(doctor)")
    #expect(doctor.stdout.contains("conductor-profile allow --command ci"), "\(doctor)")
    #expect(runs(marker) == 0)
    #expect(box.storeBytes() == before)
  }

  @Test func allowCommandShowsTheVectorAndNeedsYesWithoutATerminal() throws {
    let box = try Sandbox()
    let (script, marker) = try helper(in: box)
    try handWritten(box, script: script)
    let refused = try box.run(["allow", "--command", "ci"])
    #expect(refused.status == 3, "\(refused)")
    #expect(refused.stderr.contains("  \(script) s3cret\n"), "\(refused)")
    #expect(refused.stderr.contains("allow --command ci --yes"), "\(refused)")
    #expect(try box.run(["env", "ci", "--shell", "bash"]).status == 1)
    #expect(runs(marker) == 0)
    let approved = try box.run(["allow", "--command", "ci", "--yes"])
    #expect(approved.status == 0, "\(approved)")
    #expect(approved.stdout == "approved the secret command of profile 'ci': \(script) s3cret\n", "\(approved)")
    #expect(runs(marker) == 0)
    #expect(try box.mode(of: trustPath(box)) == 0o600)
    let env = try box.run(["env", "ci", "--shell", "bash"])
    #expect(env.status == 0, "\(env)")
    #expect(env.stdout.contains("export CONDUCTOR_AUTH_SECRET='s3cret';"), "\(env)")
    #expect(runs(marker) == 1)
    // The same vector for another profile, or another vector for this one: not approved.
    try handWritten(box, script: script, word: "other")
    let changed = try box.run(["env", "ci", "--shell", "bash"])
    #expect(changed.status == 1, "\(changed)")
    #expect(runs(marker) == 1)
  }

  @Test func aCommandTheUserGivesIsApproved() throws {
    let box = try Sandbox()
    let (script, marker) = try helper(in: box)
    let add = try box.run(
      ["add", "ci", "--server", "https://ci.example.com", "--key-id", "id", "--secret-store", "command", "--", script, "k1"])
    #expect(add.status == 0, "\(add)")
    #expect(runs(marker) == 1)
    #expect(try box.run(["env", "ci", "--shell", "bash"]).status == 0)
    #expect(runs(marker) == 2)
    // Another vector that prints the same secret (set moves the secret: the old command reads it).
    let set = try box.run(["set", "ci", "--secret-store", "command", "--", script, "k1", "again"])
    #expect(set.status == 0, "\(set)")
    let env = try box.run(["env", "ci", "--shell", "bash"])
    #expect(env.status == 0 && env.stdout.contains("export CONDUCTOR_AUTH_SECRET='k1';"), "\(env)")
    // A rename keeps the approval (the same vector, approved by this user).
    #expect(try box.run(["rename", "ci", "ci2"]).status == 0)
    #expect(try box.run(["env", "ci2", "--shell", "bash"]).status == 0)
    let already = try box.run(["allow", "--command", "ci2"])
    #expect(already.status == 0 && already.stdout.contains("already approved"), "\(already)")
  }

  @Test func allowCommandOnAProfileWithoutACommandIsAnError() throws {
    let box = try Sandbox()
    try box.addKey("dev")
    let r = try box.run(["allow", "--command", "dev"])
    expectError(r, containing: ["profile 'dev' runs no command for its secret"])
    expectUsageError(try box.run(["allow", "--command", "nope"]), command: "allow", containing: "nope")
    expectUsageError(try box.run(["allow", "some/dir", "--command", "dev"]), command: "allow", containing: "not both")
  }
}
