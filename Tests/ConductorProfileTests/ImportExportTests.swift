import Foundation
import Testing

@testable import ProfileModel

/// A store written by hand, with keys this version does not know at every level.
private let storeWithUnknownKeys = """
  {
    "default": "dev",
    "profiles": {
      "dev": {
        "auth": { "keyId": "dev-key", "keySecret": "s3cret-VALUE-42", "kind": "key", "vault": "ring-7" },
        "color": "blue",
        "description": "team dev",
        "env": { "CONDUCTOR_CLIENT_HTTP_TIMEOUT": "30" },
        "production": true,
        "server": "https://dev.example.com/api",
        "tags": ["a", 1.50]
      },
      "play": {
        "auth": { "kind": "user-token", "token": "TOKEN" },
        "server": "https://play.example.com/api"
      },
      "oss": { "auth": { "kind": "none" }, "server": "http://localhost:8080/api" }
    },
    "version": 1,
    "zeta": true
  }
  """

private func playToken() -> String { makeJWT(["email": "ana@example.com", "exp": 4_102_444_800]) }

@Suite struct ExportImportTests {
  @Test func roundTripWithRevealKeepsEverything() throws {
    let a = try Sandbox()
    try a.writeStore(storeWithUnknownKeys.replacingOccurrences(of: "TOKEN", with: playToken()))
    let exported = try a.run(["export", "--reveal"])
    #expect(exported.status == 0, "\(exported)")
    #expect(exported.stdout.contains("\"vault\" : \"ring-7\""))
    #expect(exported.stdout.contains("\"color\" : \"blue\""))
    #expect(exported.stdout.contains("1.50"))
    let b = try Sandbox()
    let file = b.root.appendingPathComponent("export.json").path
    try exported.stdout.write(toFile: file, atomically: true, encoding: .utf8)
    let imported = try b.run(["import", "file", file])
    #expect(imported.status == 0, "\(imported)")
    #expect(imported.stdout.contains("imported profile 'dev' (key, https://dev.example.com/api)"))
    let again = try b.run(["export", "--reveal"])
    #expect(again.stdout == exported.stdout)
    // The imported store keeps every key of every profile; the file's own top-level keys are not imported.
    let profiles = try #require(try b.storeJSON()["profiles"] as? [String: Any])
    let original = try #require(try a.storeJSON()["profiles"] as? [String: Any])
    #expect(NSDictionary(dictionary: profiles).isEqual(to: original))
    #expect(try b.mode(of: b.storePath) == 0o600)
  }

  @Test func exportWithoutRevealHasNullSecretsAndNoSecretBytes() throws {
    let s = try Sandbox()
    let token = playToken()
    try s.writeStore(storeWithUnknownKeys.replacingOccurrences(of: "TOKEN", with: token))
    let r = try s.run(["export"])
    #expect(r.status == 0, "\(r)")
    #expect(r.stdout.contains("\"keySecret\" : null"))
    #expect(r.stdout.contains("\"token\" : null"))
    for secret in ["s3cret", "VALUE-42", token] + token.split(separator: ".").map(String.init) {
      #expect(!r.stdout.contains(secret), "leaked \(secret)")
      #expect(!r.stderr.contains(secret), "leaked \(secret)")
    }
    let one = try s.run(["export", "play"])
    let object = try #require(try JSONSerialization.jsonObject(with: Data(one.stdout.utf8)) as? [String: Any])
    #expect((object["profiles"] as? [String: Any])?.keys.sorted() == ["play"])
    #expect(object["version"] as? Int == 1)
  }

  @Test func exportOfAnUnknownNameIsAUsageErrorWithASuggestion() throws {
    let s = try Sandbox()
    try s.addKey("staging")
    let r = try s.run(["export", "stagin"])
    #expect(r.status == 64)
    #expect(r.stdout == "")
    #expect(r.stderr.contains("no profile named 'stagin'; did you mean 'staging'?"))
  }

  @Test func importKeepsExistingNamesUnlessForced() throws {
    let a = try Sandbox()
    try a.addKey("dev", id: "new-key", secret: "new-secret")
    try a.addNone("oss")
    let file = a.root.appendingPathComponent("e.json").path
    try (try a.run(["export", "--reveal"])).stdout.write(toFile: file, atomically: true, encoding: .utf8)

    let b = try Sandbox()
    try b.addKey("dev", id: "old-key", secret: "old-secret")
    let kept = try b.run(["import", "file", file])
    #expect(kept.status == 0, "\(kept)")
    #expect(kept.stdout == "imported profile 'oss' (none, http://localhost:8080/api) from \(file)\n")
    #expect(kept.stderr.contains("note: kept the existing profile 'dev'"))
    #expect(kept.stderr.contains("--force"))
    #expect(try b.run(["show", "dev", "--json"]).stdout.contains("old-key"))

    let forced = try b.run(["import", "file", file, "--force"])
    #expect(forced.status == 0, "\(forced)")
    #expect(forced.stdout.contains("replaced profile 'dev'"))
    #expect(try b.run(["show", "dev", "--json"]).stdout.contains("new-key"))
  }

  @Test(arguments: [
    ("{\n  \"profiles\": {\n    \"x\": ,\n", "line 3, column 10"),
    ("[1, 2]", "not a JSON object"),
    (
      "{\"profiles\": {\"bad name\": {\"auth\": {\"kind\": \"none\"}, \"server\": \"https://x.example.com\"}}}",
      "invalid profile name"
    ),
    (
      "{\"profiles\": {\"a\": {\"auth\": {\"kind\": \"none\"}, \"server\": \"https://a.example.com\"}, \"b\": {\"auth\": {\"kind\": \"none\"}, \"server\": \"ftp://b\"}}}",
      "profile 'b'"
    ),
    ("{\"profiles\": {}, \"version\": 1}", "no profiles"),
    (
      "{\"profiles\": {\"a\": {\"auth\": {\"kind\": \"none\"}, \"server\": \"https://a.example.com\"}}, \"version\": 2}",
      "version 2"
    ),
  ])
  func aBrokenImportFileChangesNothing(text: String, message: String) throws {
    let s = try Sandbox()
    try s.addKey("dev")
    let before = try #require(s.storeBytes())
    let file = s.root.appendingPathComponent("broken.json").path
    try text.write(toFile: file, atomically: true, encoding: .utf8)
    let r = try s.run(["import", "file", file, "--force"])
    #expect(r.status == 1, "\(r)")
    #expect(r.stdout == "")
    #expect(r.stderr.hasPrefix("error: "))
    #expect(r.stderr.contains(message), "\(r)")
    #expect(s.storeBytes() == before)
  }

  @Test func aRedactedExportIsRefusedAndChangesNothing() throws {
    let a = try Sandbox()
    try a.addKey("dev")
    try a.addToken("play", token: playToken())
    let file = a.root.appendingPathComponent("redacted.json").path
    try (try a.run(["export"])).stdout.write(toFile: file, atomically: true, encoding: .utf8)

    let b = try Sandbox()
    try b.addNone("oss")
    let before = try #require(b.storeBytes())
    let r = try b.run(["import", "file", file])
    #expect(r.status == 1, "\(r)")
    #expect(r.stderr.contains("profiles 'dev', 'play' have no secret"))
    #expect(r.stderr.contains("export --reveal"))
    #expect(b.storeBytes() == before)
  }

  @Test func aMissingFileIsAnErrorAndAnUnknownSourceAUsageError() throws {
    let s = try Sandbox()
    let missing = try s.run(["import", "file", "/nonexistent/e.json"])
    #expect(missing.status == 1)
    #expect(missing.stderr.contains("cannot read /nonexistent/e.json"))
    let unknown = try s.run(["import", "fiel", "x"])
    #expect(unknown.status == 64)
    #expect(unknown.stderr.contains("did you mean 'file'?"))
    #expect(s.storeBytes() == nil)
  }
}

@Suite struct ConductorCLIImportTests {
  func writeConfig(_ s: Sandbox, _ files: [String: String], directory: String? = nil) throws -> String {
    let dir = directory ?? s.home + "/.conductor-cli"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    for (name, text) in files { try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
    return dir
  }

  @Test func importsTheDefaultAndNamedConfigs() throws {
    let s = try Sandbox()
    let token = playToken()
    _ = try writeConfig(
      s,
      [
        "config.yaml": """
        # written by conductor config save
        server: https://cluster.example.com   # the team cluster
        server-type: Enterprise
        auth-key: 'it''s-a-key'
        auth-secret: "se#cret \\"quoted\\""
        template-url: https://d2ozrtblsovn5m.cloudfront.net
        cached-token: not-imported
        cached-token-expiry: 1767225600

        """,
        "config-prod.yaml": "---\nserver: \"https://prod.example.com/api/\"\nauth-token: \(token)\n",
        "config-oss.yaml": "server: 'http://localhost:8080'\n",
        "notes.txt": "ignored",
      ])
    let r = try s.run(["import", "conductor-cli"])
    #expect(r.status == 0, "\(r)")
    #expect(
      r.stdout.split(separator: "\n").map { String($0.prefix { $0 != "(" }) } == [
        "imported profile 'default' ", "imported profile 'oss' ", "imported profile 'prod' ",
      ])
    let profiles = try #require(try s.storeJSON()["profiles"] as? [String: [String: Any]])
    #expect(profiles.keys.sorted() == ["default", "oss", "prod"])
    let def = try #require(profiles["default"])
    #expect(def["server"] as? String == "https://cluster.example.com/api")
    #expect(def["auth"] as? [String: String] == ["kind": "key", "keyId": "it's-a-key", "keySecret": "se#cret \"quoted\""])
    #expect(def["env"] == nil && def["serverType"] as? String == "Enterprise")
    #expect(profiles["prod"]?["auth"] as? [String: String] == ["kind": "user-token", "token": token])
    #expect(profiles["prod"]?["server"] as? String == "https://prod.example.com/api")
    #expect(profiles["oss"]?["auth"] as? [String: String] == ["kind": "none"])
    #expect(profiles["oss"]?["server"] as? String == "http://localhost:8080/api")
    #expect(!String(decoding: s.storeBytes()!, as: UTF8.self).contains("not-imported"))
    #expect(!r.stdout.contains("se#cret") && !r.stderr.contains("se#cret"))
  }

  @Test(arguments: [
    ("config.yaml", "server: https://x.example.com\nauth:\n  key: abc\n", ":3: an indented line"),
    ("config-dev.yaml", "server: https://x.example.com\nauth-key abc\n", "config-dev.yaml:2: expected key: value"),
    (
      "config-dev.yaml", "server: https://x.example.com\nauth-secret: 'abc\n",
      "config-dev.yaml:2: the single-quoted value has no closing quote"
    ),
    (
      "config-dev.yaml", "server: https://x.example.com\nserver: https://y.example.com\n",
      "config-dev.yaml:2: the key 'server' is given twice"
    ),
    ("config-dev.yaml", "server: [a, b]\n", "config-dev.yaml:1: a value starting with '['"),
    (
      "config-dev.yaml", "server: https://x.example.com\nauth-token: not-a-jwt\n",
      "config-dev.yaml:2: the user token is not a JWT"
    ),
    ("config-dev.yaml", "server: https://x.example.com\nauth-key: abc\n", "config-dev.yaml:2: auth-key has no auth-secret"),
    ("config-dev.yaml", "server: ftp://x.example.com\n", "config-dev.yaml:1: invalid server"),
  ])
  func aMalformedFileIsAnErrorWithFileAndLine(file: String, text: String, message: String) throws {
    let s = try Sandbox()
    try s.addKey("existing")
    let before = try #require(s.storeBytes())
    let dir = try writeConfig(
      s, ["config-good.yaml": "server: https://good.example.com\n", file: text], directory: s.root.path + "/cli")
    let r = try s.run(["import", "conductor-cli", "--dir", dir])
    #expect(r.status == 1, "\(r)")
    #expect(r.stdout == "")
    #expect(r.stderr.contains("error: \(dir)/"), "\(r)")
    #expect(r.stderr.contains(message), "\(r)")
    #expect(r.stderr.contains("nothing was imported"))
    #expect(s.storeBytes() == before)
  }

  @Test func existingNamesAreKeptUnlessForced() throws {
    let s = try Sandbox()
    try s.addKey("default", id: "mine")
    _ = try writeConfig(s, ["config.yaml": "server: https://cli.example.com\nauth-key: theirs\nauth-secret: x\n"])
    let kept = try s.run(["import", "conductor-cli"])
    #expect(kept.status == 0, "\(kept)")
    #expect(kept.stdout == "")
    #expect(kept.stderr.contains("kept the existing profile 'default'"))
    #expect(kept.stderr.contains("conductor-profile import conductor-cli --force"))
    #expect(try s.run(["show", "default", "--json"]).stdout.contains("mine"))
    let forced = try s.run(["import", "conductor-cli", "--force"])
    #expect(forced.status == 0)
    #expect(forced.stdout.contains("replaced profile 'default' (key, https://cli.example.com/api)"))
    #expect(try s.run(["show", "default", "--json"]).stdout.contains("theirs"))
  }

  @Test func aMissingDirectoryOrNoConfigIsAnError() throws {
    let s = try Sandbox()
    let missing = try s.run(["import", "conductor-cli"])
    #expect(missing.status == 1)
    #expect(missing.stderr.contains("no conductor CLI configuration at \(s.home)/.conductor-cli"))
    let empty = try writeConfig(s, ["other.yaml": "server: x\n"], directory: s.root.path + "/empty")
    let none = try s.run(["import", "conductor-cli", "--dir", empty])
    #expect(none.status == 1)
    #expect(none.stderr.contains("no conductor CLI config files in \(empty)"))
    let dirElsewhere = try s.run(["import", "env", "x", "--dir", empty])
    #expect(dirElsewhere.status == 64)
    #expect(s.storeBytes() == nil)
  }
}

@Suite struct ImportEnvTests {
  @Test func aKeyProfileFromTheVariables() throws {
    let s = try Sandbox()
    let r = try s.run(
      ["import", "env", "ci"],
      env: [
        "CONDUCTOR_SERVER_URL": "https://ci.example.com/", "CONDUCTOR_AUTH_KEY": "ci-key", "CONDUCTOR_AUTH_SECRET": "ci-secret",
        "CONDUCTOR_SERVER_TYPE": "OSS",
      ])
    #expect(r.status == 0, "\(r)")
    #expect(r.stdout == "imported profile 'ci' (key, https://ci.example.com/api) from the environment\n")
    let profile = try #require((try s.storeJSON()["profiles"] as? [String: [String: Any]])?["ci"])
    #expect(profile["auth"] as? [String: String] == ["kind": "key", "keyId": "ci-key", "keySecret": "ci-secret"])
    // Kept as serverType, because it is not what a key implies (Enterprise).
    #expect(profile["env"] == nil && profile["serverType"] as? String == "OSS")
  }

  @Test func aUserTokenProfileAndANoAuthProfile() throws {
    let s = try Sandbox()
    let token = playToken()
    let r = try s.run(
      ["import", "env", "play"], env: ["CONDUCTOR_SERVER_URL": "https://play.example.com", "CONDUCTOR_AUTH_TOKEN": token])
    #expect(r.status == 0, "\(r)")
    let none = try s.run(["import", "env", "oss"], env: ["CONDUCTOR_SERVER_URL": "http://localhost:8080"])
    #expect(none.status == 0, "\(none)")
    let profiles = try #require(try s.storeJSON()["profiles"] as? [String: [String: Any]])
    #expect(profiles["play"]?["auth"] as? [String: String] == ["kind": "user-token", "token": token])
    #expect(profiles["oss"]?["auth"] as? [String: String] == ["kind": "none"])
  }

  @Test func errorsChangeNothing() throws {
    let s = try Sandbox()
    try s.addKey("ci")
    let before = try #require(s.storeBytes())
    let noURL = try s.run(["import", "env", "other"], env: ["CONDUCTOR_AUTH_KEY": "k", "CONDUCTOR_AUTH_SECRET": "s"])
    #expect(noURL.status == 1)
    #expect(noURL.stderr.contains("CONDUCTOR_SERVER_URL is not set"))
    let exists = try s.run(["import", "env", "ci"], env: ["CONDUCTOR_SERVER_URL": "https://x.example.com"])
    #expect(exists.status == 1)
    #expect(exists.stderr.contains("a profile named 'ci' already exists"))
    let half = try s.run(
      ["import", "env", "other"], env: ["CONDUCTOR_SERVER_URL": "https://x.example.com", "CONDUCTOR_AUTH_KEY": "k"])
    #expect(half.status == 1)
    #expect(half.stderr.contains("CONDUCTOR_AUTH_KEY is set without CONDUCTOR_AUTH_SECRET"))
    let badName = try s.run(["import", "env", "-x-"], env: ["CONDUCTOR_SERVER_URL": "https://x.example.com"])
    #expect(badName.status != 0)
    #expect(s.storeBytes() == before)
  }
}

extension Sandbox {
  /// Adds a profile without authentication.
  func addNone(_ name: String, server: String = "http://localhost:8080") throws {
    let r = try run(["add", name, "--server", server, "--no-auth"])
    #expect(r.status == 0, "\(r)")
  }
}

// Written for mutants of Tests/Support/mutants.txt that no earlier test killed (docs/mutations.md).
extension ExportImportTests {
  /// I05: an import file of version 0 is refused. I06: importing a file others can read that holds secrets
  /// warns, and says how to restrict it.
  @Test func importFileVersionAndModeChecks() throws {
    let s = try Sandbox()
    try s.addKey("dev")
    let before = try #require(s.storeBytes())
    let file = s.root.appendingPathComponent("in.json").path
    try #"{"profiles": {"a": {"auth": {"kind": "none"}, "server": "https://a.example.com"}}, "version": 0}"#.write(
      toFile: file, atomically: true, encoding: .utf8)
    let r = try s.run(["import", "file", file, "--force"])
    expectError(r, containing: [#""version" is not a whole number of 1 or more"#])
    #expect(s.storeBytes() == before)
    let other = try Sandbox()
    try other.addKey("k", secret: "other-secret")
    try other.run(["export", "--reveal"]).stdout.write(toFile: file, atomically: true, encoding: .utf8)
    #expect(chmod(file, 0o644) == 0)
    let imported = try s.run(["import", "file", file, "--force"])
    #expect(imported.status == 0, "\(imported)")
    #expect(
      imported.stderr.contains(
        "warning: \(file) holds secrets and can be read by group or others; restrict it with: chmod 600 \(file), or delete it\n"),
      "\(imported)")
  }
}
