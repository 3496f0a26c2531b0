import Foundation
import Testing

@testable import ProfileModel

/// Secrets outside the store file, against real helpers where this machine has them: GNOME Keyring in a
/// private D-Bus session (secret-tool), pass with a throwaway GPG key, a command; the keychain against
/// Tests/Support/fake_security.py, a stand-in for macOS `security -i` (Linux has no keychain).
/// A missing tool skips a test locally and fails it under CI=true (.ci/run installs them).
@Suite struct SecretStoreTests {
  static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"

  /// Whether every tool is installed; always true under CI=true, where a missing one then fails the test.
  static func installed(_ tools: String...) -> Bool {
    isCI
      || tools.allSatisfy { tool in
        ["/usr/bin", "/bin", "/usr/local/bin"].contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)") }
      }
  }

  static let fakeSecurity = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Support/fake_security.py").path

  /// One secret store as the shared checks drive it.
  struct Backend {
    var store: String
    /// The words after `--` for a profile (the `command` store), else nothing.
    var command: (String) -> [String] = { _ in [] }
    /// Variables that break it (a locked or unreachable store, a failing command).
    var broken: [String: String]
    /// What the error says when it is broken (besides the profile's name).
    var brokenText: String
    /// The program the helper runs, as strace shows it.
    var helper: String
    /// Whether the store holds an entry for a profile (nil: the read-only command store).
    var entryExists: ((String) throws -> Bool)?
  }

  // MARK: The checks every backend passes

  /// Adds a key profile `k` and a user-token profile `t` kept in the backend, then checks: the store file
  /// holds no secret; env, exec, use and token give the right one; no process had it in its arguments
  /// (strace); list needs no helper; a broken store fails the switch with the shell byte-identical; rename,
  /// copy and remove keep the store consistent.
  func checkBackend(_ sandbox: Sandbox, _ backend: Backend, secrets: (key: String, token: String)) throws {
    let store = backend.store
    var r = try sandbox.run(
      ["add", "k", "--server", "https://k.example.com", "--key-id", "kid", "--secret-store", store]
        + trailing(backend.command("k")), stdin: secrets.key + "\n")
    #expect(r.status == 0, "\(r)")
    let label = backend.store == "command" ? "command '\(backend.command("k").joined(separator: " "))'" : store
    #expect(r.stdout == "added profile 'k' (key, https://k.example.com/api, secret in \(label))\n", "\(r)")
    r = try sandbox.run(
      ["add", "t", "--server", "https://t.example.com", "--user-token", "--secret-store", store] + trailing(backend.command("t")),
      stdin: secrets.token + "\n")
    #expect(r.status == 0, "\(r)")

    // The store file holds references, never the secrets.
    let text = try #require(sandbox.storeText())
    #expect(!text.contains(secrets.key) && !text.contains(secrets.token), "\(text)")
    let auth = try #require(
      ((try sandbox.storeJSON()["profiles"] as? [String: Any])?["t"] as? [String: Any])?["auth"] as? [String: Any])
    #expect(auth["secretStore"] as? String == store)
    #expect(auth["tokenExpires"] as? Int == 4_102_444_800)
    #expect(auth["tokenSubject"] as? String == "ann@example.com")
    #expect(auth["token"] == nil)

    // Each switch gives the secret.
    r = try sandbox.run(["exec", "k", "--", "/bin/sh", "-c", "printf %s \"$CONDUCTOR_AUTH_SECRET\""])
    #expect(r.status == 0 && r.stdout == secrets.key, "\(r)")
    r = try sandbox.run(["token", "t"])
    #expect(r.status == 0 && r.stdout == secrets.token + "\n", "\(r)")
    if let shell = try sandbox.shell(
      .bash,
      """
      eval "$(conductor-profile env k --shell bash)" && printf %s "$CONDUCTOR_AUTH_SECRET" > env-k
      \(HookShell.bash.load)
      conductor-profile use t && printf %s "$CONDUCTOR_AUTH_TOKEN" > use-t
      """)
    {
      #expect(shell.status == 0, "\(shell)")
      #expect(try sandbox.outText("env-k") == secrets.key)
      #expect(try sandbox.outText("use-t") == secrets.token)
    }
    r = try sandbox.run(["show", "k", "--reveal"])
    #expect(r.stdout.contains("key secret:    \(secrets.key)\n") && r.stdout.contains("secret store:  \(label)\n"), "\(r)")

    // No process ever had a secret among its arguments: the switch, and a new secret written.
    try expectNoSecretInArguments(sandbox, ["env", "k"], secret: secrets.key, helper: backend.helper)
    try expectNoSecretInArguments(sandbox, ["env", "t"], secret: secrets.token, helper: backend.helper)
    if backend.entryExists != nil {
      try expectNoSecretInArguments(
        sandbox, ["set", "k", "--secret"], stdin: secrets.key + "\n", secret: secrets.key, helper: backend.helper)
    }

    // list, show and guard never run a helper: they work with the store broken.
    r = try sandbox.run(["list"], env: backend.broken)
    #expect(r.status == 0 && r.stdout.contains("2100-01-01 00:00 UTC"), "\(r)")
    r = try sandbox.run(["show", "t"], env: backend.broken)
    #expect(r.status == 0 && r.stdout.contains("token for:     ann@example.com\n"), "\(r)")

    // Broken: the switch fails, naming the store and the profile; the shell is byte-identical.
    r = try sandbox.run(["env", "k"], env: backend.broken)
    expectError(r, containing: ["profile 'k'", backend.brokenText])
    r = try sandbox.run(["exec", "k", "--", "/bin/true"], env: backend.broken)
    expectError(r, containing: ["profile 'k'"])
    for shell in HookShell.allCases {
      let exports = backend.broken.map { shell == .fish ? "set -gx \($0.key) '\($0.value)'" : "export \($0.key)='\($0.value)'" }
      guard
        let s = try sandbox.shell(
          shell,
          "\(shell.load)\nconductor-profile use k\n" + exports.joined(separator: "\n")
            + "\nenv -0 > before\nconductor-profile use t 2> err\necho $? > rc\nenv -0 > after\n")
      else { continue }
      #expect(try sandbox.environmentDump("before")["CONDUCTOR_AUTH_SECRET"] == bytes(secrets.key), "\(shell)")
      #expect(s.status == 0, "\(shell): \(s)")
      #expect(try sandbox.outBytes("before") == sandbox.outBytes("after"), "\(shell)")
      #expect(try sandbox.outText("rc") == "1\n", "\(shell)")
      #expect(try sandbox.outText("err").contains("profile 't'"), "\(shell)")
    }

    // rename moves the entry, copy makes its own, remove removes it.
    r = try sandbox.run(["rename", "k", "k2"])
    #expect(r.status == 0, "\(r)")
    r = try sandbox.run(["copy", "k2", "k3"])
    #expect(r.status == 0, "\(r)")
    r = try sandbox.run(["remove", "k2"])
    #expect(r.status == 0, "\(r)")
    r = try sandbox.run(["exec", "k3", "--", "/bin/sh", "-c", "printf %s \"$CONDUCTOR_AUTH_SECRET\""])
    #expect(r.status == 0 && r.stdout == secrets.key, "\(r)")
    if let exists = backend.entryExists {
      #expect(try !exists("k") && !exists("k2") && exists("k3") && exists("t"))
      #expect(try sandbox.run(["remove", "k3", "t"]).status == 0)
      #expect(try !exists("k3") && !exists("t"))
    }
  }

  func trailing(_ words: [String]) -> [String] { words.isEmpty ? [] : ["--"] + words }

  /// Runs the program under `strace -f -e trace=execve` and checks that no argument vector holds `secret`,
  /// and that the helper did run.
  func expectNoSecretInArguments(
    _ sandbox: Sandbox, _ arguments: [String], stdin: String? = nil, secret: String, helper: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    guard let strace = try requireShell("strace") else { return }
    let log = sandbox.root.appendingPathComponent("strace-\(UUID().uuidString)").path
    let r = try sandbox.execute(
      strace, ["-f", "-qq", "-e", "trace=execve", "-s", "1000000", "-o", log, Sandbox.program] + arguments, stdin: stdin)
    #expect(r.status == 0, "\(r)", sourceLocation: sourceLocation)
    let trace = try String(contentsOfFile: log, encoding: .utf8)
    #expect(!trace.contains(secret), "a secret in an argument: \(trace)", sourceLocation: sourceLocation)
    #expect(trace.contains(helper), "the helper did not run: \(trace)", sourceLocation: sourceLocation)
  }

  static let token = makeJWT(["email": "ann@example.com", "exp": 4_102_444_800])

  // MARK: command

  /// A script in `sandbox` that prints the file named by its argument from $SECRETS (which a test breaks).
  func secretScript(in sandbox: Sandbox) throws -> String {
    let dir = sandbox.root.appendingPathComponent("secrets")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let script = sandbox.root.appendingPathComponent("print-secret").path
    try "#!/bin/sh\nexec cat \"$SECRETS/$1\"\n".write(toFile: script, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
    sandbox.environment["SECRETS"] = dir.path
    return script
  }

  func commandSandbox() throws -> (Sandbox, Backend, script: String) {
    let sandbox = try Sandbox()
    let script = try secretScript(in: sandbox)
    let backend = Backend(
      store: "command", command: { [script, $0] }, broken: ["SECRETS": "/nonexistent"],
      brokenText: "'\(script)' exited with status 1", helper: script, entryExists: nil)
    return (sandbox, backend, script)
  }

  @Test func commandStore() throws {
    let (sandbox, backend, _) = try commandSandbox()
    let key = "cmd-key-\(UUID().uuidString)"
    let dir = sandbox.environment["SECRETS"]!
    try (key + "\n").write(toFile: dir + "/k", atomically: true, encoding: .utf8)
    try (Self.token + "\n").write(toFile: dir + "/t", atomically: true, encoding: .utf8)
    try checkBackend(sandbox, backend, secrets: (key, Self.token))
  }

  @Test func commandFailingEmptyOrMissing() throws {
    let (sandbox, _, script) = try commandSandbox()
    let dir = sandbox.environment["SECRETS"]!
    try Data().write(to: URL(fileURLWithPath: dir + "/empty"))
    try sandbox.addKey("keep")
    let before = try #require(sandbox.storeBytes())
    let add = ["add", "c", "--server", "https://c.example.com", "--key-id", "cid", "--secret-store", "command", "--"]
    // Fails: no such file.
    var r = try sandbox.run(add + [script, "absent"])
    expectError(r, containing: ["cannot read the secret of profile 'c' from command '\(script) absent'", "exited with status 1"])
    // Prints nothing.
    r = try sandbox.run(add + [script, "empty"])
    expectError(r, containing: ["profile 'c'", "it printed nothing"])
    // Not installed.
    r = try sandbox.run(add + ["no-such-secret-program", "x"])
    expectError(r, containing: ["profile 'c'", "'no-such-secret-program' is not installed or not on PATH"])
    // Without a command, or a command for another store: usage errors.
    expectUsageError(
      try sandbox.run(["add", "c", "--server", "https://c.example.com", "--key-id", "cid", "--secret-store", "command"]),
      command: "add", containing: "--secret-store command needs the command after '--'")
    expectUsageError(
      try sandbox.run(["add", "c", "--server", "https://c.example.com", "--key-id", "cid", "--secret-store", "pass", "--", "x"]),
      command: "add", containing: "unexpected argument 'x'")
    expectUsageError(
      try sandbox.run(["add", "c", "--server", "https://c.example.com", "--key-id", "cid", "--secret-store", "paas"]),
      command: "add", containing: "unknown secret store 'paas'", suggestion: "pass")
    #expect(sandbox.storeBytes() == before)
    // Read-only: a new secret for a command profile is refused.
    try "one\n".write(toFile: dir + "/c", atomically: true, encoding: .utf8)
    #expect(try sandbox.run(add + [script, "c"]).status == 0)
    let withC = try #require(sandbox.storeBytes())
    r = try sandbox.run(["set", "c", "--secret"], stdin: "two\n")
    expectError(r, containing: ["profile 'c' reads its secret from command", "read-only"])
    #expect(sandbox.storeBytes() == withC)
  }

  /// A switch runs the helper once; list, show, current, guard, export and a switch the guard refuses run none.
  @Test func helperRunsOnlyWhenTheSecretIsNeeded() throws {
    let sandbox = try Sandbox()
    let script = sandbox.root.appendingPathComponent("counted").path
    let runs = sandbox.root.appendingPathComponent("runs").path
    try "#!/bin/sh\necho run >> '\(runs)'\nprintf '%s\\n' \"$1\"\n".write(toFile: script, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
    func count() -> Int { ((try? String(contentsOfFile: runs, encoding: .utf8)) ?? "").split(separator: "\n").count }
    let add = ["--secret-store", "command", "--", script]
    #expect(try sandbox.run(["add", "k", "--server", "https://k.example.com", "--key-id", "i"] + add + ["s3"]).status == 0)
    #expect(
      try sandbox.run(["add", "t", "--server", "https://prod.example.com", "--user-token", "--production"] + add + [Self.token])
        .status == 0)
    #expect(count() == 2)  // add checks each command once
    for args in [["list"], ["show", "t"], ["export"], ["list", "--json"]] {
      #expect(try sandbox.run(args).status == 0)
    }
    #expect(
      try sandbox.run(
        ["guard"], env: ["CONDUCTOR_AUTH_TOKEN": Self.token, "CONDUCTOR_SERVER_URL": "https://prod.example.com/api"]
      ).status == 3)
    #expect(count() == 2)
    var r = try sandbox.run(["env", "t"], env: ["CONDUCTOR_PROFILE_GUARD": "block"])
    #expect(r.status == 3, "\(r)")
    #expect(count() == 2)
    r = try sandbox.run(["env", "k"])
    #expect(r.status == 0 && r.stdout.contains("export CONDUCTOR_AUTH_SECRET='s3';"), "\(r)")
    #expect(count() == 3)
    r = try sandbox.run(["current"], env: ["CONDUCTOR_PROFILE_ACTIVE": "k"])
    #expect(count() == 3)
    // A set that changes no secret runs none; one that moves it runs the old store's helper once (to read).
    #expect(try sandbox.run(["set", "k", "--description", "d"]).status == 0)
    #expect(count() == 3)
    // The start-up switch of a new shell runs it once.
    #expect(try sandbox.run(["default", "k"]).status == 0)
    if let shell = try sandbox.shell(.bash, "\(HookShell.bash.load)\nprintf %s \"$CONDUCTOR_AUTH_SECRET\" > got\n") {
      #expect(shell.status == 0 && shell.stderr == "", "\(shell)")
      #expect(try sandbox.outText("got") == "s3")
      #expect(count() == 4)
    }
    // The read-only command store refuses a new secret before reading one.
    let before = count()
    r = try sandbox.run(["set", "k", "--secret"], stdin: "new\n")
    expectError(r, containing: ["read-only"])
    #expect(count() == before)
  }

  @Test func unknownKeysRoundTripBesideAReference() throws {
    let sandbox = try Sandbox()
    try sandbox.writeStore(
      """
      {
        "profiles" : {
          "c" : {
            "auth" : {
              "future" : [ 1, 2 ],
              "keyId" : "cid",
              "kind" : "key",
              "secretCommand" : [ "/bin/echo", "s" ],
              "secretStore" : "command"
            },
            "later" : true,
            "server" : "https://c.example.com/api"
          }
        },
        "secretStore" : "file",
        "version" : 1
      }

      """)
    var r = try sandbox.run(["set", "c", "--description", "x"])
    #expect(r.status == 0, "\(r)")
    r = try sandbox.run(["set", "c", "--description", ""])
    #expect(r.status == 0, "\(r)")
    #expect(
      sandbox.storeText() == """
        {
          "profiles" : {
            "c" : {
              "auth" : {
                "future" : [
                  1,
                  2
                ],
                "keyId" : "cid",
                "kind" : "key",
                "secretCommand" : [
                  "/bin/echo",
                  "s"
                ],
                "secretStore" : "command"
              },
              "later" : true,
              "server" : "https://c.example.com/api"
            }
          },
          "secretStore" : "file",
          "version" : 1
        }

        """)
    // A command written into the store by hand runs once this user approved it (CommandApprovalTests).
    #expect(try sandbox.run(["allow", "--command", "c", "--yes"]).status == 0)
    r = try sandbox.run(["env", "c", "--format", "dotenv"])
    #expect(r.stdout.contains("CONDUCTOR_AUTH_SECRET='s'\n"), "\(r)")
    // A store file that names a secret store and also holds the secret is refused.
    try sandbox.writeStore(
      #"{"profiles":{"c":{"auth":{"keyId":"i","keySecret":"leak","kind":"key","secretStore":"pass"},"server":"https://c.example.com/api"}},"version":1}"#
    )
    expectError(try sandbox.run(["env", "c"]), containing: ["both \"secretStore\" and \"keySecret\""])
    try sandbox.writeStore(
      #"{"profiles":{"c":{"auth":{"keyId":"i","kind":"key","secretStore":"vault"},"server":"https://c.example.com/api"}},"version":1}"#
    )
    // list marks it and says why (issue 20: one invalid profile does not hide the others).
    r = try sandbox.run(["list"])
    #expect(r.status == 1 && r.stdout.contains("! c ") && r.stderr.contains("unknown secret store 'vault'"), "\(r)")
  }

  // MARK: keychain (a stand-in for macOS security)

  func keychainSandbox() throws -> (Sandbox, Backend)? {
    guard try requireShell("python3") != nil else { return nil }
    let sandbox = try Sandbox()
    let bin = sandbox.root.appendingPathComponent("bin")
    try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(
      atPath: bin.appendingPathComponent("security").path, withDestinationPath: Self.fakeSecurity)
    sandbox.environment["PATH"] = bin.path + ":" + sandbox.environment["PATH"]!
    let items = sandbox.root.appendingPathComponent("keychain.json").path
    sandbox.environment["FAKE_KEYCHAIN"] = items
    let backend = Backend(
      store: "keychain", broken: ["FAKE_KEYCHAIN_LOCKED": "1"], brokenText: "User interaction is not allowed",
      helper: "/security",
      entryExists: { name in
        guard let data = FileManager.default.contents(atPath: items),
          let object = try JSONSerialization.jsonObject(with: data) as? [String: String]
        else { return false }
        return object["conductor-profile\u{0}\(name)"] != nil
      })
    return (sandbox, backend)
  }

  @Test(.enabled(if: SecretStoreTests.installed("python3"))) func keychainStandIn() throws {
    guard let (sandbox, backend) = try keychainSandbox() else { return }
    // A secret with the characters security -i's parser treats specially.
    try checkBackend(sandbox, backend, secrets: ("kc \"quoted\" \\ 'x' \(UUID().uuidString)", Self.token))
  }

  @Test(.enabled(if: SecretStoreTests.installed("python3"))) func movingBetweenStores() throws {
    guard let (sandbox, backend) = try keychainSandbox() else { return }
    let script = try secretScript(in: sandbox)
    let secrets = sandbox.environment["SECRETS"]!
    try sandbox.addKey("m", secret: "move-me")
    let exists = try #require(backend.entryExists)
    func secret() throws -> Sandbox.Result {
      try sandbox.run(["exec", "m", "--", "/bin/sh", "-c", "printf %s \"$CONDUCTOR_AUTH_SECRET\""])
    }

    // file → keychain: written, read back, the store file then holds no secret.
    var r = try sandbox.run(["set", "m", "--secret-store", "keychain"])
    #expect(r.status == 0, "\(r)")
    #expect(try exists("m") && !(sandbox.storeText() ?? "").contains("move-me"))
    #expect(try secret().stdout == "move-me")

    // keychain → file, when the old entry cannot be removed: the profile works from the file, and the
    // error says what is left where.
    let nodelete = sandbox.environment["FAKE_KEYCHAIN"]! + ".nodelete"
    _ = FileManager.default.createFile(atPath: nodelete, contents: nil)
    r = try sandbox.run(["set", "m", "--secret-store", "file"])
    // The store file was updated ("updated profile 'm'"), then the old copy could not be removed.
    #expect(r.status == 1 && r.stdout == "updated profile 'm'\n", "\(r)")
    for text in [
      "profile 'm' now keeps its secret in the store file and works, but the old copy is still in the keychain item service conductor-profile, account m",
      "remove it with: security delete-generic-password -s conductor-profile -a m",
    ] {
      #expect(r.stderr.contains(text), "\(r)")
    }
    #expect((sandbox.storeText() ?? "").contains("\"keySecret\" : \"move-me\""))
    #expect(try secret().stdout == "move-me")
    try FileManager.default.removeItem(atPath: nodelete)

    // file → keychain when the keychain is locked: nothing changes.
    let before = try #require(sandbox.storeBytes())
    r = try sandbox.run(["set", "m", "--secret-store", "keychain"], env: ["FAKE_KEYCHAIN_LOCKED": "1"])
    expectError(r, containing: ["cannot store the secret of profile 'm' in keychain", "User interaction is not allowed"])
    #expect(sandbox.storeBytes() == before)

    // → command: the command must already print the same secret.
    try "other\n".write(toFile: secrets + "/m", atomically: true, encoding: .utf8)
    r = try sandbox.run(["set", "m", "--secret-store", "command", "--", script, "m"])
    expectError(r, containing: ["prints for profile 'm' differs from the profile's secret"])
    #expect(sandbox.storeBytes() == before)
    try "move-me\n".write(toFile: secrets + "/m", atomically: true, encoding: .utf8)
    r = try sandbox.run(["set", "m", "--secret-store", "command", "--", script, "m"])
    #expect(r.status == 0, "\(r)")
    #expect(!(sandbox.storeText() ?? "").contains("\"keySecret\""))
    // command → keychain, and a new secret there.
    #expect(try sandbox.run(["set", "m", "--secret-store", "keychain"]).status == 0)
    #expect(try secret().stdout == "move-me")
    #expect(try sandbox.run(["set", "m", "--secret"], stdin: "new-one\n").status == 0)
    #expect(try secret().stdout == "new-one")
    #expect(!(sandbox.storeText() ?? "").contains("new-one"))
  }

  @Test(.enabled(if: SecretStoreTests.installed("python3"))) func exportImportAndDefaultStore() throws {
    guard let (sandbox, backend) = try keychainSandbox() else { return }
    let exists = try #require(backend.entryExists)
    try sandbox.addKey("e", secret: "exported-secret", extra: ["--secret-store", "keychain"])
    // export asks no helper without --reveal; with it, reads through and names no store.
    var r = try sandbox.run(["export"], env: ["FAKE_KEYCHAIN_LOCKED": "1"])
    #expect(r.status == 0 && !r.stdout.contains("exported-secret") && r.stdout.contains("\"secretStore\" : \"keychain\""), "\(r)")
    r = try sandbox.run(["export", "--reveal"])
    #expect(
      r.status == 0 && r.stdout.contains("\"keySecret\" : \"exported-secret\"") && !r.stdout.contains("secretStore"), "\(r)")
    let file = sandbox.root.appendingPathComponent("export.json")
    try r.stdout.write(to: file, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)

    // Into another store whose default secret store is the keychain.
    let other = try Sandbox()
    other.environment = sandbox.environment
    other.environment["HOME"] = other.root.appendingPathComponent("home").path
    try other.writeStore("{\n  \"secretStore\" : \"keychain\",\n  \"version\" : 1\n}\n")
    try FileManager.default.removeItem(atPath: sandbox.environment["FAKE_KEYCHAIN"]!)
    r = try other.run(["import", "file", file.path])
    #expect(r.status == 0, "\(r)")
    #expect(try exists("e"))
    #expect(!(other.storeText() ?? "").contains("exported-secret"))
    r = try other.run(["env", "e", "--format", "dotenv"])
    #expect(r.stdout.contains("CONDUCTOR_AUTH_SECRET='exported-secret'"), "\(r)")
    // add follows the default too.
    #expect(try other.run(["add", "n", "--server", "https://n.example.com", "--key-id", "i"], stdin: "new\n").status == 0)
    #expect(try exists("n") && !(other.storeText() ?? "").contains("\"new\""))
    // A locked keychain: import writes nothing.
    let before = try #require(other.storeBytes())
    r = try other.run(["import", "file", file.path, "--force"], env: ["FAKE_KEYCHAIN_LOCKED": "1"])
    expectError(r, containing: ["profile 'e'", "User interaction is not allowed"])
    #expect(other.storeBytes() == before)
  }

  @Test(.enabled(if: SecretStoreTests.installed("python3"))) func doctorChecksEachHelper() throws {
    guard let (sandbox, _) = try keychainSandbox() else { return }
    try sandbox.addKey("d", secret: "doc", extra: ["--secret-store", "keychain"])
    var r = try sandbox.run(["doctor"])
    #expect(r.stdout.contains("ok: the secret store of every profile that uses one can be read (1 profile)\n"), "\(r)")
    r = try sandbox.run(["doctor"], env: ["FAKE_KEYCHAIN_LOCKED": "1"])
    #expect(r.status == 1)
    #expect(
      r.stdout.contains("problem: cannot read the secret of profile 'd' from keychain")
        && r.stdout.contains("fix: unlock the login keychain (security unlock-keychain)"), "\(r)")
    // Not installed: the stand-in off PATH.
    r = try sandbox.run(["doctor"], env: ["PATH": Sandbox.binDirectory.path + ":/usr/bin:/bin"])
    #expect(
      r.stdout.contains(
        "problem: profile 'd' keeps its secret in keychain, but 'security' is not installed or not on PATH; fix: the keychain store needs macOS"
      ),
      "\(r)")
    r = try sandbox.run(["env", "d"], env: ["PATH": Sandbox.binDirectory.path + ":/usr/bin:/bin"])
    expectError(r, containing: ["cannot read the secret of profile 'd' in keychain: 'security' is not installed or not on PATH"])
  }

  // MARK: pass (real, with a throwaway GPG key)

  @Test(.enabled(if: SecretStoreTests.installed("pass", "gpg", "gpgconf"))) func passStore() throws {
    guard let gpg = try requireShell("gpg"), let pass = try requireShell("pass"), let gpgconf = try requireShell("gpgconf")
    else { return }
    let sandbox = try Sandbox()
    // A short path: gpg-agent's socket lives in GNUPGHOME and a socket path is at most 107 bytes.
    let gnupg = URL(fileURLWithPath: "/tmp/cpg-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: gnupg, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    let empty = URL(fileURLWithPath: "/tmp/cpg-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    defer {
      for home in [gnupg, empty] {
        _ = try? sandbox.execute(gpgconf, ["--kill", "gpg-agent"], env: ["GNUPGHOME": home.path])
        try? FileManager.default.removeItem(at: home)
      }
    }
    let storeDir = sandbox.root.appendingPathComponent("password-store").path
    sandbox.environment["GNUPGHOME"] = gnupg.path
    sandbox.environment["PASSWORD_STORE_DIR"] = storeDir
    var r = try sandbox.execute(
      gpg,
      [
        "--batch", "--passphrase", "", "--quick-gen-key", "conductor-profile test <test@example.invalid>", "default", "default",
        "never",
      ])
    #expect(r.status == 0, "\(r)")
    r = try sandbox.execute(pass, ["init", "test@example.invalid"])
    #expect(r.status == 0, "\(r)")
    let backend = Backend(
      store: "pass", broken: ["GNUPGHOME": empty.path],
      brokenText: "cannot read the secret of profile 'k' from pass: pass exited with status",
      helper: "pass", entryExists: { FileManager.default.fileExists(atPath: "\(storeDir)/conductor-profile/\($0).gpg") })
    try checkBackend(sandbox, backend, secrets: ("pass-key-\(UUID().uuidString)", Self.token))
  }

  // MARK: secret-service (real GNOME Keyring in a private D-Bus session)

  @Test(.enabled(if: SecretStoreTests.installed("dbus-run-session", "gnome-keyring-daemon", "secret-tool", "python3")))
  func secretServiceStore() throws {
    guard let keyring = try requireShell("gnome-keyring-daemon"),
      let secretTool = try requireShell("secret-tool")
    else { return }
    guard let python = try requireShell("python3"), let session = try requireShell("dbus-run-session") else { return }
    let sandbox = try Sandbox()
    // The recipe known to work: a private session bus, the keyring unlocked with a throwaway password (it
    // makes the login keyring in the sandbox's HOME). The script then waits on its standard input; closing
    // it ends the session, the bus and the keyring. Started through python3 to reset the signal mask and
    // SIGTERM, which a child of the test process may inherit blocked or ignored (dbus-run-session stops
    // the bus with SIGTERM).
    let addressFile = sandbox.root.appendingPathComponent("bus-address").path
    let script = """
      printf 'pw\\n' | \(keyring) --unlock --components=secrets >/dev/null 2>&1
      printf '%s' "$DBUS_SESSION_BUS_ADDRESS" > '\(addressFile).tmp' && mv '\(addressFile).tmp' '\(addressFile)'
      read -r _
      """
    let reset =
      "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); signal.signal(signal.SIGTERM, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])"
    let bus = try Background(python, ["-c", reset, session, "--", "/bin/sh", "-c", script], sandbox: sandbox)
    defer { bus.stop() }
    var address: String? = nil
    for _ in 0..<100 where address == nil {
      address = try? String(contentsOfFile: addressFile, encoding: .utf8)
      if address == nil { usleep(100_000) }
    }
    guard let address else {
      Issue.record("the private keyring did not start")
      return
    }
    sandbox.environment["DBUS_SESSION_BUS_ADDRESS"] = address
    let backend = Backend(
      store: "secret-service", broken: ["DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent/bus"],
      brokenText: "cannot read the secret of profile 'k' from secret-service: secret-tool exited with status 1",
      helper: "secret-tool",
      entryExists: { name in
        try sandbox.execute(secretTool, ["lookup", "service", "conductor-profile", "profile", name]).status == 0
      })
    try checkBackend(sandbox, backend, secrets: ("kr-key-\(UUID().uuidString)", Self.token))
  }
}

/// A process run for one test, in the background: its standard input stays open until `stop`.
final class Background {
  let process = Process()
  let input = Pipe()

  init(_ path: String, _ arguments: [String], sandbox: Sandbox) throws {
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    process.environment = sandbox.environment
    process.standardInput = input
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
  }

  /// Closes its standard input, and waits for it to end.
  func stop() {
    try? input.fileHandleForWriting.close()
    process.waitUntilExit()
  }
}

// Written for mutants of Tests/Support/mutants.txt that no earlier test killed (docs/mutations.md).
extension SecretStoreTests {
  /// K05, K06, K12: what a `command` secret store's helper prints, and the helper itself, are checked: more
  /// than 64 KiB, a NUL byte, a directory where the program should be are each an error naming it; the
  /// store is unchanged.
  @Test func aCommandHelperIsCheckedAndSoIsWhatItPrints() throws {
    let (sandbox, _, script) = try SecretStoreTests().commandSandbox()
    let dir = sandbox.environment["SECRETS"]!
    try Data(repeating: UInt8(ascii: "a"), count: 64 * 1024 + 1).write(to: URL(fileURLWithPath: dir + "/big"))
    try Data([0x61, 0x00, 0x62, 0x0A]).write(to: URL(fileURLWithPath: dir + "/nul"))
    let directory = sandbox.root.appendingPathComponent("not-a-program").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    try sandbox.addKey("keep")
    let before = try #require(sandbox.storeBytes())
    let add = ["add", "c", "--server", "https://c.example.com", "--key-id", "cid", "--secret-store", "command", "--"]
    for (words, said) in [
      ([script, "big"], "print-secret' printed more than 64 KiB"),
      ([script, "nul"], "it printed something that is not UTF-8 text"),
      ([directory, "x"], "'\(directory)' is not installed or not on PATH"),
    ] {
      let r = try sandbox.run(add + words)
      expectError(r, containing: ["profile 'c'", said])
      #expect(r.stderr.split(separator: "\n").count == 1, "\(r)")
    }
    #expect(sandbox.storeBytes() == before)
  }

  /// K11: a store-level `"secretStore" : "command"` is refused (a command is given per profile).
  @Test func aStoreLevelCommandSecretStoreIsRefused() throws {
    let store = """
      { "profiles" : { "p" : { "auth" : { "kind" : "none" }, "server" : "https://x.example.com/api" } }, "secretStore" : "command", "version" : 1 }

      """
    let s = try Sandbox()
    try s.writeStore(store)
    let r = try s.run(["add", "n", "--server", "https://x.example.com", "--key-id", "k"], stdin: "s\n")
    expectError(
      r,
      containing: [
        #"the store's "secretStore" is "command", not one of file, secret-service, pass or keychain (command needs a command for each profile: give it with add --secret-store command -- COMMAND)"#
      ])
    #expect(s.storeText() == store)
  }

  /// K08: `security -i` reports a failed command as `NAME: returned N` on standard error, and may exit 0
  /// all the same: that is a failure, said as the keychain's own message.
  @Test(.enabled(if: SecretStoreTests.installed("python3"))) func aKeychainCommandThatReturnedAnErrorFails() throws {
    guard let (sandbox, _) = try SecretStoreTests().keychainSandbox() else { return }
    let wrapper = sandbox.root.appendingPathComponent("bin/security").path
    try FileManager.default.removeItem(atPath: wrapper)
    try "#!/bin/sh\n'\(SecretStoreTests.fakeSecurity)' \"$@\"\nexit 0\n".write(toFile: wrapper, atomically: true, encoding: .utf8)
    #expect(chmod(wrapper, 0o755) == 0)
    let add = ["add", "m", "--server", "https://m.example.com", "--key-id", "k", "--secret-store", "keychain"]
    #expect(try sandbox.run(add, stdin: "s3cret\n").status == 0)
    let r = try sandbox.run(["exec", "m", "--", "/bin/true"], env: ["FAKE_KEYCHAIN_LOCKED": "1"])
    expectError(r, containing: ["cannot read the secret of profile 'm'", "User interaction is not allowed"])
  }

  /// K10: `security -i` reads lines of at most 4096 bytes: a longer secret is refused before it is cut.
  @Test(.enabled(if: SecretStoreTests.installed("python3"))) func aSecretTooLongForTheKeychainIsRefused() throws {
    guard let (sandbox, _) = try SecretStoreTests().keychainSandbox() else { return }
    try sandbox.addKey("keep")
    let before = try #require(sandbox.storeBytes())
    let add = ["add", "m", "--server", "https://m.example.com", "--key-id", "k", "--secret-store", "keychain"]
    let r = try sandbox.run(add, stdin: String(repeating: "s", count: 4001) + "\n")
    expectError(
      r,
      containing: [
        "profile 'm' in the keychain: security -i reads lines of at most 4096 bytes, and this secret is too long; keep it in another store (--secret-store)"
      ])
    #expect(sandbox.storeBytes() == before)
  }
}
