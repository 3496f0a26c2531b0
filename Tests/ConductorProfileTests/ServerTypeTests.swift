import Foundation
import Testing

/// CONDUCTOR_SERVER_TYPE and CONDUCTOR_UI_SERVER_URL on every switch, the profile's serverType, the legacy
/// env form earlier imports wrote, and ORKES_PROFILE cleared with CONDUCTOR_PROFILE.
@Suite struct ServerTypeTests {
  func jsonEnv(_ s: Sandbox, _ name: String) throws -> [String: String] {
    let r = try s.run(["env", name, "--format", "json"])
    #expect(r.status == 0 && r.stderr == "", "\(r)")
    return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: String])
  }

  @Test func theTypeFollowsTheCredentialUnlessTheProfileSaysOtherwise() throws {
    let s = try Sandbox()
    try s.addKey("dev", server: "https://dev.example.com/conductor/")
    try s.addToken("play", token: annToken)
    #expect(try s.run(["add", "oss", "--server", "http://localhost:8080", "--no-auth"]).status == 0)
    try s.addKey("selfhosted", server: "https://ci.example.com", extra: ["--server-type", "oss"])
    #expect(
      try s.run(["add", "orkes-open", "--server", "https://o.example.com", "--no-auth", "--server-type", "Enterprise"]).status
        == 0)
    let expected: [(String, String, String)] = [
      ("dev", "Enterprise", "https://dev.example.com/conductor"), ("play", "Enterprise", "https://play.example.com"),
      ("oss", "OSS", "http://localhost:8080"), ("selfhosted", "OSS", "https://ci.example.com"),
      ("orkes-open", "Enterprise", "https://o.example.com"),
    ]
    for (name, type, ui) in expected {
      let vars = try jsonEnv(s, name)
      #expect(vars["CONDUCTOR_SERVER_TYPE"] == type, "\(name): \(vars)")
      #expect(vars["CONDUCTOR_UI_SERVER_URL"] == ui, "\(name): \(vars)")
    }
    let profiles = try #require(try s.storeJSON()["profiles"] as? [String: [String: Any]])
    // Written only when given, in the canonical spelling.
    #expect(profiles["dev"]?["serverType"] == nil && profiles["oss"]?["serverType"] == nil)
    #expect(profiles["selfhosted"]?["serverType"] as? String == "OSS")
    #expect(profiles["orkes-open"]?["serverType"] as? String == "Enterprise")
    var r = try s.run(["show", "selfhosted"])
    #expect(r.stdout.contains("\nserver type:   OSS\n"), "\(r)")
    r = try s.run(["show", "dev"])
    #expect(r.stdout.contains("\nserver type:   Enterprise (from the credential)\n"), "\(r)")
  }

  @Test func setChangesTheTypeAndAnEmptyValueGoesBackToTheCredentials() throws {
    let s = try Sandbox()
    try s.addKey("dev")
    var r = try s.run(["set", "dev", "--server-type", "OSS"])
    #expect(r.status == 0 && r.stdout == "updated profile 'dev'\n", "\(r)")
    #expect(try jsonEnv(s, "dev")["CONDUCTOR_SERVER_TYPE"] == "OSS")
    r = try s.run(["set", "dev", "--server-type", ""])
    #expect(r.status == 0, "\(r)")
    #expect(try jsonEnv(s, "dev")["CONDUCTOR_SERVER_TYPE"] == "Enterprise")
    #expect((try s.storeJSON()["profiles"] as? [String: [String: Any]])?["dev"]?["serverType"] == nil)
  }

  @Test func aBadTypeIsAUsageErrorAndChangesNothing() throws {
    let s = try Sandbox()
    try s.addKey("dev")
    let before = s.storeBytes()
    var r = try s.run(["set", "dev", "--server-type", "enterprize"])
    expectUsageError(r, command: "set", containing: "invalid server type 'enterprize'", suggestion: "Enterprise")
    r = try s.run(["add", "x", "--server", "https://x.example.com", "--no-auth", "--server-type", "cloud"])
    expectUsageError(r, command: "add", containing: "use OSS (open-source Conductor) or Enterprise")
    // The variable itself is managed now: --server-type is the way to set it.
    r = try s.run(["set", "dev", "--env", "CONDUCTOR_SERVER_TYPE=OSS"])
    #expect(r.status != 0 && r.stderr.contains("CONDUCTOR_SERVER_TYPE"), "\(r)")
    #expect(s.storeBytes() == before)
  }

  /// Earlier imports kept the conductor CLI's server-type as an extra variable.
  static let legacyStore = """
    {
      "profiles" : {
        "lab" : {
          "auth" : { "kind" : "none" },
          "env" : { "CONDUCTOR_SERVER_TYPE" : "enterprise", "X_KEEP" : "1" },
          "server" : "http://lab.example.com/api",
          "tint" : "kept"
        },
        "prod" : {
          "auth" : { "keyId" : "k", "keySecret" : "s", "kind" : "key" },
          "env" : { "CONDUCTOR_SERVER_TYPE" : "OSS" },
          "server" : "https://prod.example.com/api"
        }
      },
      "version" : 1
    }

    """

  @Test func aLegacyEnvEntryIsReadAsTheServerTypeAndRewrittenSoOnTheNextWrite() throws {
    let s = try Sandbox()
    try s.writeStore(Self.legacyStore)
    let lab = try jsonEnv(s, "lab")
    #expect(lab["CONDUCTOR_SERVER_TYPE"] == "Enterprise" && lab["X_KEEP"] == "1")
    #expect(lab["CONDUCTOR_PROFILE_VARS"] == "X_KEEP")
    #expect(try jsonEnv(s, "prod")["CONDUCTOR_SERVER_TYPE"] == "OSS")
    #expect(s.storeText() == Self.legacyStore, "reading changes nothing")
    let r = try s.run(["default", "prod"])
    #expect(r.status == 0, "\(r)")
    #expect(
      s.storeText() == """
        {
          "default" : "prod",
          "profiles" : {
            "lab" : {
              "auth" : {
                "kind" : "none"
              },
              "env" : {
                "X_KEEP" : "1"
              },
              "server" : "http://lab.example.com/api",
              "serverType" : "Enterprise",
              "tint" : "kept"
            },
            "prod" : {
              "auth" : {
                "keyId" : "k",
                "keySecret" : "s",
                "kind" : "key"
              },
              "server" : "https://prod.example.com/api",
              "serverType" : "OSS"
            }
          },
          "version" : 1
        }

        """)
  }

  @Test func orkesProfileIsClearedWithTheSameOneLineNotice() throws {
    let s = try Sandbox()
    try s.addKey("dev")
    var r = try s.run(["env", "dev", "--shell", "bash"], env: ["ORKES_PROFILE": "old"])
    #expect(r.status == 0 && r.stdout.contains("unset ORKES_PROFILE;\n"), "\(r)")
    #expect(
      r.stderr
        == "warning: cleared ORKES_PROFILE (ORKES_PROFILE selects a conductor CLI config file that would override the profile)\n")
    r = try s.run(["env", "dev"], env: ["ORKES_PROFILE": "old", "CONDUCTOR_PROFILE": "new", "CONDUCTOR_SERVER_AUTH_KEY": "k"])
    #expect(
      r.stderr
        == "warning: cleared CONDUCTOR_PROFILE, ORKES_PROFILE, CONDUCTOR_SERVER_AUTH_KEY (CONDUCTOR_PROFILE and ORKES_PROFILE select a conductor CLI config file that would override the profile; the Java SDK falls back to CONDUCTOR_SERVER_AUTH_*)\n"
    )
    // exec: the child has neither selector, and the new variables.
    r = try s.run(
      [
        "exec", "dev", "--", "/bin/sh", "-c",
        "printf '%s|%s|%s|%s' \"${ORKES_PROFILE-unset}\" \"${CONDUCTOR_PROFILE-unset}\" \"$CONDUCTOR_SERVER_TYPE\" \"$CONDUCTOR_UI_SERVER_URL\"",
      ],
      env: ["ORKES_PROFILE": "old", "CONDUCTOR_PROFILE": "new", "CONDUCTOR_SERVER_TYPE": "OSS", "CONDUCTOR_UI_SERVER_URL": "x"])
    #expect(r.status == 0 && r.stdout == "unset|unset|Enterprise|https://dev.example.com", "\(r)")
    #expect(r.stderr.hasPrefix("warning: cleared CONDUCTOR_PROFILE, ORKES_PROFILE ("), "\(r)")
  }

  @Test(arguments: HookShell.allCases)
  func useExportsTheTypeAndTheNextSwitchReplacesIt(_ shell: HookShell) throws {
    let s = try Sandbox()
    try s.addKey("dev", server: "https://dev.example.com")
    #expect(try s.run(["add", "oss", "--server", "http://localhost:8080/", "--no-auth"]).status == 0)
    let print =
      shell == .fish
      ? "printf '%s|%s\\n' $CONDUCTOR_SERVER_TYPE $CONDUCTOR_UI_SERVER_URL"
      : "printf '%s|%s\\n' \"$CONDUCTOR_SERVER_TYPE\" \"$CONDUCTOR_UI_SERVER_URL\""
    // The start-up switch (the default profile, when the shell starts) exports them too.
    #expect(try s.run(["default", "oss"]).status == 0)
    let script = """
      \(shell.load)
      \(print)
      conductor-profile use dev
      \(print)
      conductor-profile use oss
      \(print)
      conductor-profile off
      printf '%s\\n' "${CONDUCTOR_SERVER_TYPE-unset}"
      """
    let fishOff = "set -q CONDUCTOR_SERVER_TYPE; and echo set; or echo unset"
    let text =
      shell == .fish
      ? script.replacingOccurrences(of: "printf '%s\\n' \"${CONDUCTOR_SERVER_TYPE-unset}\"", with: fishOff) : script
    guard let r = try s.shell(shell, text) else { return }
    #expect(
      r.stdout == "OSS|http://localhost:8080\nEnterprise|https://dev.example.com\nOSS|http://localhost:8080\nunset\n", "\(r)")
  }
}

/// `import conductor-cli` with that CLI's own file rules.
@Suite struct ConductorCLIFileRuleTests {
  @Test func configYAMLIsDefaultAStrayConfigDefaultIsIgnoredAndServerTypeIsKept() throws {
    let s = try Sandbox()
    let dir = s.home + "/.conductor-cli"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let files = [
      "config.yaml": "server: https://main.example.com\nserver-type: Enterprise\nauth-key: main-key\nauth-secret: main-secret\n",
      "config-default.yaml": "server: https://stray.example.com\nauth-key: stray-key\nauth-secret: stray-secret\n",
      "config-prod.yaml":
        "server: https://prod.example.com/api\nserver-type: OSS\nauth-key: prod-key\nauth-secret: prod-secret\n",
      "config-lab.yaml": "server: http://lab.example.com:8080\nserver-type: enterprise\n",
    ]
    for (name, text) in files { try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
    let r = try s.run(["import", "conductor-cli"])
    #expect(r.status == 0, "\(r)")
    #expect(
      r.stdout == """
        imported profile 'default' (key, https://main.example.com/api) from \(dir)/config.yaml
        imported profile 'lab' (none, http://lab.example.com:8080/api) from \(dir)/config-lab.yaml
        imported profile 'prod' (key, https://prod.example.com/api) from \(dir)/config-prod.yaml

        """)
    #expect(
      r.stderr
        == "warning: ignored \(dir)/config-default.yaml: the conductor CLI never reads it (its profile 'default' is config.yaml); move it aside, or rename it to import it under another name\n"
    )
    let profiles = try #require(try s.storeJSON()["profiles"] as? [String: [String: Any]])
    #expect(profiles.keys.sorted() == ["default", "lab", "prod"])
    #expect((profiles["default"]?["auth"] as? [String: String])?["keyId"] == "main-key")
    #expect(profiles["default"]?["serverType"] as? String == "Enterprise")
    #expect(profiles["prod"]?["serverType"] as? String == "OSS")
    #expect(profiles["lab"]?["serverType"] as? String == "Enterprise", "any case, as the CLI compares it")
    for profile in profiles.values { #expect(profile["env"] == nil) }
    #expect(!(s.storeText() ?? "").contains("stray"))
    // What a switch exports: the type the CLI file said, not the one the credential implies.
    for (name, type) in [("default", "Enterprise"), ("prod", "OSS"), ("lab", "Enterprise")] {
      let env = try s.run(["env", name, "--format", "json"])
      #expect(env.stdout.contains("\"CONDUCTOR_SERVER_TYPE\" : \"\(type)\""), "\(name): \(env)")
    }
  }

  @Test func aServerTypeTheCLIDoesNotKnowIsOSSWithAWarning() throws {
    let s = try Sandbox()
    let dir = s.root.appendingPathComponent("cli").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    try "server: https://x.example.com\nserver-type: cloud\nauth-key: k\nauth-secret: s\n".write(
      toFile: dir + "/config-x.yaml", atomically: true, encoding: .utf8)
    let r = try s.run(["import", "conductor-cli", "--dir", dir])
    #expect(r.status == 0, "\(r)")
    #expect(
      r.stderr
        == "warning: \(dir)/config-x.yaml:2: server-type 'cloud' is neither OSS nor Enterprise; the conductor CLI treats it as OSS, and so does this profile\n"
    )
    #expect((try s.storeJSON()["profiles"] as? [String: [String: Any]])?["x"]?["serverType"] as? String == "OSS")
  }
}
