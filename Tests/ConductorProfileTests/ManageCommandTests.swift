import Foundation
import Testing

@testable import ProfileModel

/// add, set, list, show, rename, copy, remove, default through the built program.
@Suite struct ManageCommandTests {
  /// A token that expired on 2001-09-09 01:46 UTC: its dates print the same whenever the test runs.
  static let oldToken = makeJWT(["email": "bob@example.com", "exp": 1_000_000_000])

  // MARK: add

  @Test func addPrintsOneLineAndNothingElse() throws {
    let s = try Sandbox()
    var r = try s.run(["add", "dev", "--server", "https://dev.example.com", "--key-id", "k1"], stdin: "sec\n")
    #expect(r.status == 0)
    #expect(r.stdout == "added profile 'dev' (key, https://dev.example.com/api)\n")
    #expect(r.stderr == "")
    r = try s.run(["add", "oss", "--server=http://localhost:8080/api/", "--no-auth"])
    #expect(r.stdout == "added profile 'oss' (none, http://localhost:8080/api)\n" && r.stderr == "", "\(r)")
    r = try s.run(["add", "play", "--server", "https://play.example.com", "--user-token"], stdin: annToken)
    #expect(r.stdout == "added profile 'play' (user-token, https://play.example.com/api)\n" && r.stderr == "", "\(r)")
  }

  @Test func addReadsTheSecretFromStandardInputDroppingOneNewline() throws {
    let s = try Sandbox()
    for (name, input, stored) in [
      ("a", "plain", "plain"), ("b", "nl\n", "nl"), ("c", "crlf\r\n", "crlf"),
      ("d", "  spaced \"quoted\" 'x' $y \n", "  spaced \"quoted\" 'x' $y "),
      ("e", "ünïcødé\n", "ünïcødé"),
    ] {
      let r = try s.run(["add", name, "--server", "https://x.example.com", "--key-id", "id"], stdin: input)
      #expect(r.status == 0, "\(r)")
      let auth = try #require(
        ((try s.storeJSON()["profiles"] as? [String: Any])?[name] as? [String: Any])?["auth"] as? [String: Any])
      #expect(auth["keySecret"] as? String == stored)
    }
  }

  @Test func addAnExistingNameNeedsForce() throws {
    let s = try Sandbox()
    try s.addKey("dev", secret: "one")
    let before = s.storeBytes()
    var r = try s.run(["add", "dev", "--server", "https://other.example.com", "--no-auth"])
    expectError(r, containing: ["'dev' already exists", "conductor-profile set dev", "--force"])
    #expect(
      s.failure(["add", "dev", "--server", "https://other.example.com", "--no-auth"]) == .invalid(.nameTaken("dev", by: .add)))
    #expect(s.storeBytes() == before)
    r = try s.run(["add", "dev", "--server", "https://other.example.com", "--no-auth", "--force"])
    #expect(r.status == 0, "\(r)")
    let dev = try #require((try s.storeJSON()["profiles"] as? [String: Any])?["dev"] as? [String: Any])
    #expect(dev["server"] as? String == "https://other.example.com/api")
    #expect((dev["auth"] as? [String: Any])?["kind"] as? String == "none")
  }

  @Test func addWithAnExpiredTokenWarns() throws {
    let s = try Sandbox()
    let r = try s.run(["add", "old", "--server", "https://play.example.com", "--user-token"], stdin: Self.oldToken)
    #expect(r.status == 0)
    #expect(r.stderr == "warning: the user token of profile 'old' has already expired (2001-09-09 01:46 UTC)\n", "\(r)")
  }

  // MARK: set

  func profile(_ s: Sandbox, _ name: String) throws -> [String: Any] {
    try #require((try s.storeJSON()["profiles"] as? [String: Any])?[name] as? [String: Any])
  }

  @Test func setChangesOnlyTheFieldsGiven() throws {
    let s = try Sandbox()
    try s.addKey("dev", id: "id1", secret: "sec1", extra: ["--description", "d", "--env", "A=1", "--env", "B=2"])
    var r = try s.run(["set", "dev", "--server", "https://new.example.com:8443/base/"])
    #expect(r.status == 0 && r.stdout == "updated profile 'dev'\n" && r.stderr == "", "\(r)")
    let p = try profile(s, "dev")
    #expect(p["server"] as? String == "https://new.example.com:8443/base/api")
    #expect(p["description"] as? String == "d")
    #expect((p["auth"] as? [String: String]) == ["kind": "key", "keyId": "id1", "keySecret": "sec1"])

    r = try s.run(["set", "dev", "--key-id", "id2"])
    #expect(r.status == 0, "\(r)")
    #expect((try profile(s, "dev")["auth"] as? [String: String]) == ["kind": "key", "keyId": "id2", "keySecret": "sec1"])
    r = try s.run(["set", "dev", "--secret"], stdin: "sec2\n")
    #expect(r.status == 0, "\(r)")
    #expect((try profile(s, "dev")["auth"] as? [String: String]) == ["kind": "key", "keyId": "id2", "keySecret": "sec2"])

    r = try s.run(["set", "dev", "--production"])
    #expect(try profile(s, "dev")["production"] as? Bool == true)
    r = try s.run(["set", "dev", "--no-production"])
    #expect(try profile(s, "dev")["production"] as? Bool == false)

    r = try s.run(["set", "dev", "--env", "B=3", "--env", "C=x y", "--unset-env", "A"])
    #expect(r.status == 0, "\(r)")
    #expect(try profile(s, "dev")["env"] as? [String: String] == ["B": "3", "C": "x y"])
    r = try s.run(["set", "dev", "--unset-env", "B", "--unset-env", "C"])
    #expect(try profile(s, "dev")["env"] == nil)

    r = try s.run(["set", "dev", "--description", ""])
    #expect(try profile(s, "dev")["description"] == nil)

    r = try s.run(["set", "dev", "--user-token"], stdin: annToken + "\n")
    #expect(r.status == 0, "\(r)")
    #expect((try profile(s, "dev")["auth"] as? [String: String]) == ["kind": "user-token", "token": annToken])

    // Back to a key: both the id and the secret are needed.
    let before = s.storeBytes()
    r = try s.run(["set", "dev", "--key-id", "id3"])
    expectError(r, containing: ["user-token profile", "--key-id ID and --secret"])
    #expect(s.storeBytes() == before)
    r = try s.run(["set", "dev", "--key-id", "id3", "--secret"], stdin: "sec3")
    #expect(r.status == 0, "\(r)")
    #expect((try profile(s, "dev")["auth"] as? [String: String]) == ["kind": "key", "keyId": "id3", "keySecret": "sec3"])
  }

  @Test func setRefusals() throws {
    let s = try Sandbox()
    try s.addKey("dev", extra: ["--env", "A=1"])
    let before = s.storeBytes()
    expectUsageError(try s.run(["set", "dev"]), command: "set", containing: "nothing to change")
    expectUsageError(
      try s.run(["set", "dev", "--production", "--no-production"]), command: "set",
      containing: "--production and --no-production cannot be used together")
    expectUsageError(
      try s.run(["set", "dev", "--env", "A=2", "--unset-env", "A"]), command: "set", containing: "both set (--env) and unset")
    expectError(try s.run(["set", "dev", "--unset-env", "NOPE"]), containing: ["no extra variable 'NOPE'", "A"])
    expectUsageError(
      try s.run(["set", "deb", "--production"]), command: "set", containing: "no profile named 'deb'", suggestion: "dev")
    #expect(s.storeBytes() == before)
  }

  // MARK: list

  func fixture() throws -> Sandbox {
    let s = try Sandbox()
    try s.addKey(
      "dev", server: "https://dev.example.com", id: "KEYID-dev", secret: "SECRET-dev", extra: ["--description", "team"])
    try s.addKey("prod", server: "https://prod.example.com", id: "KEYID-prod", secret: "SECRET-prod", extra: ["--production"])
    _ = try s.run(["add", "old", "--server", "https://prod.example.com/", "--user-token"], stdin: Self.oldToken)
    try s.run(["add", "oss", "--server", "http://localhost:8080", "--no-auth"])
    try s.run(["default", "dev"])
    return s
  }

  @Test func listIsATableWhenPiped() throws {
    let s = try fixture()
    let r = try s.run(["list"], env: ["CONDUCTOR_PROFILE_ACTIVE": "oss"])
    #expect(r.status == 0 && r.stderr == "", "\(r)")
    #expect(
      r.stdout == """
          NAME           SERVER                        AUTH        PRODUCTION  TOKEN EXPIRES
          dev (default)  https://dev.example.com/api   key         no          -
          old            https://prod.example.com/api  user-token  yes         2001-09-09 01:46 UTC (expired)
        * oss            http://localhost:8080/api     none        no          -
          prod           https://prod.example.com/api  key         yes         -

        """)
    #expect(!r.stdout.contains("\u{1B}"), "no colour when piped")
  }

  @Test func listWithNoProfiles() throws {
    let s = try Sandbox()
    var r = try s.run(["list"])
    #expect(r.status == 0 && r.stdout == "", "\(r)")
    #expect(r.stderr == "no profiles yet; add one with: conductor-profile add NAME --server URL --key-id ID\n")
    r = try s.run(["list", "--json"])
    #expect(r.status == 0 && r.stdout == "[]\n" && r.stderr == "", "\(r)")
    #expect(s.storeBytes() == nil)
    #expect(!FileManager.default.fileExists(atPath: s.storeDirectory), "reading creates nothing")
  }

  @Test func listJSONShape() throws {
    let s = try fixture()
    let r = try s.run(["list", "--json"], env: ["CONDUCTOR_PROFILE_ACTIVE": "dev"])
    #expect(r.status == 0 && r.stderr == "", "\(r)")
    #expect(
      r.stdout == """
        [
          {
            "active" : true,
            "auth" : "key",
            "default" : true,
            "description" : "team",
            "keyId" : "KEYID-dev",
            "name" : "dev",
            "production" : false,
            "server" : "https://dev.example.com/api"
          },
          {
            "active" : false,
            "auth" : "user-token",
            "default" : false,
            "name" : "old",
            "production" : true,
            "server" : "https://prod.example.com/api",
            "tokenExpired" : true,
            "tokenExpires" : 1000000000,
            "tokenSubject" : "bob@example.com"
          },
          {
            "active" : false,
            "auth" : "none",
            "default" : false,
            "name" : "oss",
            "production" : false,
            "server" : "http://localhost:8080/api"
          },
          {
            "active" : false,
            "auth" : "key",
            "default" : false,
            "keyId" : "KEYID-prod",
            "name" : "prod",
            "production" : true,
            "server" : "https://prod.example.com/api"
          }
        ]

        """)
  }

  @Test func listAndShowNeverPrintASecretUnlessRevealed() throws {
    let s = try fixture()
    let secrets = ["SECRET-dev", "SECRET-prod", Self.oldToken, String(Self.oldToken.split(separator: ".")[1])]
    for args in [
      ["list"], ["list", "--json"], ["show", "dev"], ["show", "dev", "--json"], ["show", "old"], ["show", "old", "--json"],
    ] {
      let r = try s.run(args)
      #expect(r.status == 0, "\(r)")
      for secret in secrets { #expect(!r.stdout.contains(secret) && !r.stderr.contains(secret), "\(args) printed a secret") }
    }
    #expect(try s.run(["show", "dev", "--reveal"]).stdout.contains("SECRET-dev"))
    #expect(try s.run(["show", "old", "--reveal"]).stdout.contains(Self.oldToken))
  }

  // MARK: show

  @Test func showMasksAndReveals() throws {
    let s = try fixture()
    var r = try s.run(["show", "dev"])
    #expect(r.status == 0 && r.stderr == "", "\(r)")
    #expect(
      r.stdout == """
        name:          dev
        server:        https://dev.example.com/api
        production:    no
        auth:          key (application access key)
        key id:        KEYID-dev
        key secret:    ******** (--reveal to show)
        server type:   Enterprise (from the credential)
        description:   team
        default:       yes
        active:        no

        """)
    r = try s.run(["show", "dev", "--reveal"])
    #expect(r.stdout.contains("key secret:    SECRET-dev\n"), "\(r)")
    // The active profile is the default NAME.
    r = try s.run(["show"], env: ["CONDUCTOR_PROFILE_ACTIVE": "oss"])
    #expect(
      r.stdout == """
        name:          oss
        server:        http://localhost:8080/api
        production:    no
        auth:          none
        server type:   OSS (from the credential)
        default:       no
        active:        yes (in this shell)

        """, "\(r)")
    r = try s.run(["show"])
    expectError(r, containing: ["no profile is active in this shell", "conductor-profile show NAME"])
  }

  @Test func showOfAUserTokenOnProductionWarns() throws {
    let s = try fixture()
    let r = try s.run(["show", "old"])
    #expect(r.status == 0)
    #expect(
      r.stdout == """
        name:          old
        server:        https://prod.example.com/api
        production:    yes (another profile flags this server as production)
        auth:          user-token (a person's token: prototyping only, never production)
        token:         ******** (--reveal to show)
        token for:     bob@example.com
        token expires: 2001-09-09 01:46 UTC (expired)
        used by:       the conductor CLI and curl (token --header); the SDKs read no token and need an access key (--key-id)
        server type:   Enterprise (from the credential)
        default:       no
        active:        no

        """)
    #expect(r.stderr.hasPrefix("warning: profile 'old' uses a user token on the production server https://prod.example.com/api."))
  }

  @Test func showJSONHasNullSecrets() throws {
    let s = try fixture()
    var r = try s.run(["show", "dev", "--json"])
    #expect(
      r.stdout == """
        {
          "active" : false,
          "auth" : {
            "keyId" : "KEYID-dev",
            "keySecret" : null,
            "kind" : "key"
          },
          "default" : true,
          "description" : "team",
          "keyId" : "KEYID-dev",
          "name" : "dev",
          "production" : false,
          "server" : "https://dev.example.com/api",
          "serverType" : "Enterprise"
        }

        """, "\(r)")
    r = try s.run(["show", "dev", "--json", "--reveal"])
    #expect(r.stdout.contains("\"keySecret\" : \"SECRET-dev\""), "\(r)")
    r = try s.run(["show", "old", "--json"])
    #expect(r.stdout.contains("\"token\" : null"), "\(r)")
  }

  // MARK: rename, copy, remove

  @Test func renameMovesTheProfileAndTheDefault() throws {
    let s = try fixture()
    var r = try s.run(["rename", "dev", "development"], env: ["CONDUCTOR_PROFILE_ACTIVE": "dev"])
    #expect(r.status == 0 && r.stdout == "renamed profile 'dev' to 'development'\n", "\(r)")
    #expect(r.stderr == "note: this shell still has 'dev' active; switch with: conductor-profile use development\n")
    let store = try s.storeJSON()
    #expect(store["default"] as? String == "development")
    let profiles = try #require(store["profiles"] as? [String: Any])
    #expect(profiles["dev"] == nil)
    #expect((profiles["development"] as? [String: Any])?["description"] as? String == "team")
    // Renaming a profile that is not the default leaves the default alone.
    r = try s.run(["rename", "oss", "local"])
    #expect(r.status == 0 && r.stderr == "", "\(r)")
    #expect(try s.storeJSON()["default"] as? String == "development")
  }

  @Test func renameAndCopyRefusals() throws {
    let s = try fixture()
    let before = s.storeBytes()
    expectError(try s.run(["rename", "dev", "prod"]), containing: ["'prod' already exists"])
    expectError(try s.run(["copy", "dev", "prod"]), containing: ["'prod' already exists"])
    #expect(s.failure(["rename", "dev", "prod"]) == .invalid(.nameTaken("prod", by: .rename)))
    #expect(s.failure(["copy", "dev", "prod"]) == .invalid(.nameTaken("prod", by: .rename)))
    expectError(try s.run(["rename", "dev", "--", "-bad"]), containing: ["invalid profile name '-bad'"])
    expectError(try s.run(["copy", "dev", "a b"]), containing: ["invalid profile name 'a b'"])
    expectUsageError(try s.run(["rename", "dev", "-bad"]), command: "rename", containing: "unknown option '-bad'")
    expectUsageError(
      try s.run(["rename", "dve", "x"]), command: "rename", containing: "no profile named 'dve'", suggestion: "dev")
    expectUsageError(
      try s.run(["copy", "porod", "x"]), command: "copy", containing: "no profile named 'porod'", suggestion: "prod")
    expectUsageError(try s.run(["rename", "dev"]), command: "rename", containing: "missing NEW")
    #expect(s.storeBytes() == before)
  }

  @Test func copyDuplicatesEverything() throws {
    let s = try fixture()
    let r = try s.run(["copy", "dev", "dev2"])
    #expect(r.status == 0 && r.stdout == "copied profile 'dev' to 'dev2'\n" && r.stderr == "", "\(r)")
    let profiles = try #require(try s.storeJSON()["profiles"] as? [String: Any])
    #expect(NSDictionary(dictionary: profiles["dev"] as! [String: Any]).isEqual(profiles["dev2"] as! [String: Any]))
    #expect(try s.storeJSON()["default"] as? String == "dev")
  }

  @Test func removeOneOrManyAndClearTheDefault() throws {
    let s = try fixture()
    var r = try s.run(["remove", "oss", "prod"])
    #expect(r.status == 0 && r.stdout == "removed profile 'oss'\nremoved profile 'prod'\n" && r.stderr == "", "\(r)")
    r = try s.run(["remove", "dev"])
    #expect(r.stdout == "removed profile 'dev'\n")
    #expect(r.stderr == "note: the default profile was removed; no profile is the default now\n")
    #expect(try s.storeJSON()["default"] == nil)
    #expect(Array((try s.storeJSON()["profiles"] as! [String: Any]).keys) == ["old"])
  }

  @Test func removeIsAllOrNothing() throws {
    let s = try fixture()
    let before = s.storeBytes()
    let r = try s.run(["remove", "dev", "olf"])
    expectUsageError(r, command: "remove", containing: "no profile named 'olf'", suggestion: "old")
    #expect(s.storeBytes() == before)
    expectUsageError(try s.run(["remove"]), command: "remove", containing: "missing NAME")
  }

  // MARK: default

  @Test func defaultPrintsSetsAndUnsets() throws {
    let s = try Sandbox()
    var r = try s.run(["default"])
    expectError(r, containing: ["no default profile is set", "conductor-profile default NAME"])
    #expect(r.stderr == "error: no default profile is set; set one with: conductor-profile default NAME\n")
    try s.addKey("dev")
    r = try s.run(["default", "dev"])
    #expect(r.status == 0 && r.stdout == "default profile: dev\n" && r.stderr == "", "\(r)")
    r = try s.run(["default"])
    #expect(r.status == 0 && r.stdout == "dev\n" && r.stderr == "", "\(r)")
    r = try s.run(["default", "--unset"])
    #expect(r.status == 0 && r.stdout == "no default profile\n", "\(r)")
    #expect(try s.storeJSON()["default"] == nil)
    expectUsageError(try s.run(["default", "dev", "--unset"]), command: "default", containing: "give NAME or --unset, not both")
    expectUsageError(try s.run(["default", "deb"]), command: "default", containing: "no profile named 'deb'", suggestion: "dev")
  }

  @Test func aDefaultNamingAMissingProfileIsReported() throws {
    let s = try Sandbox()
    try s.writeStore("{\n  \"default\" : \"gone\",\n  \"profiles\" : {},\n  \"version\" : 1\n}\n")
    let r = try s.run(["default"])
    #expect(r.status == 0 && r.stdout == "gone\n", "\(r)")
    #expect(r.stderr.contains("warning: the default profile 'gone' does not exist"))
  }

  @Test func commandsThatFindNothingCreateNothing() throws {
    let s = try Sandbox()
    for args in [["remove", "x"], ["rename", "x", "y"], ["copy", "x", "y"], ["default", "x"], ["set", "x", "--production"]] {
      let r = try s.run(args)
      expectUsageError(r, command: args[0], containing: "no profile named 'x' (there are no profiles yet")
    }
    #expect(!FileManager.default.fileExists(atPath: s.storeDirectory))
  }
}

extension ManageCommandTests {
  /// `copy` of a profile with a key operation under way (`pendingKey`): the operation stays with the source,
  /// so the same rotation is never finished twice; the copy says so.
  @Test func aCopyLeavesAKeyOperationWithItsSource() throws {
    let s = try Sandbox()
    try s.writeStore(
      """
      {
        "profiles" : {
          "a" : {
            "auth" : { "keyId" : "k", "keySecret" : "s", "kind" : "key", "pendingKey" : { "keyId" : "n", "step" : "created" } },
            "server" : "https://a.example.com/api"
          }
        },
        "version" : 1
      }

      """)
    let r = try s.run(["copy", "a", "b"])
    #expect(r.status == 0, "\(r)")
    #expect(r.stdout == "copied profile 'a' to 'b'\n")
    #expect(
      r.stderr
        == "note: the key operation under way on 'a' (pendingKey) stays with it; finish it with: conductor-profile rotate a\n",
      "\(r)")
    let profiles = try #require(try s.storeJSON()["profiles"] as? [String: [String: Any]])
    #expect((profiles["a"]?["auth"] as? [String: Any])?["pendingKey"] != nil)
    #expect((profiles["b"]?["auth"] as? [String: Any])?["pendingKey"] == nil)
    #expect((profiles["b"]?["auth"] as? [String: Any])?["keySecret"] as? String == "s")
  }
}

extension ManageCommandTests {
  /// `rename` of a profile with a key operation under way is refused (its secret is in an entry named after
  /// the profile): nothing changes, and the error says how to finish it.
  @Test func aRenameWaitsForAKeyOperationToFinish() throws {
    let s = try Sandbox()
    try s.writeStore(
      """
      {
        "profiles" : {
          "a" : {
            "auth" : { "keyId" : "k", "keySecret" : "s", "kind" : "key", "pendingKey" : { "keyId" : "n", "step" : "created" } },
            "server" : "https://a.example.com/api"
          }
        },
        "version" : 1
      }

      """)
    let before = try #require(s.storeBytes())
    let r = try s.run(["rename", "a", "b"])
    #expect(r.status == 1, "\(r)")
    #expect(
      r.stderr
        == "error: profile 'a' has a key operation under way (pendingKey), which a rename would part from its secret; nothing was changed. Finish it first with: conductor-profile rotate a\n",
      "\(r)")
    #expect(s.storeBytes() == before)
  }
}
