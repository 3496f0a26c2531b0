import Foundation
import Testing

@testable import ConductorNetwork
@testable import ProfileCommands
@testable import ProfileModel
@testable import ShellOutput

/// The store on disk: its exact form, where it lives, who may read it, and how it survives
/// concurrent writers, killed writers, unknown keys, newer versions and broken files.
@Suite struct StoreFileTests {
  // MARK: Form

  @Test func addWritesTheCanonicalForm() throws {
    let s = try Sandbox()
    try s.addKey(
      "dev", server: "https://Dev.Example.com:443/", id: "abc", secret: "s3cret",
      extra: [
        "--description", "team dev", "--server-type", "enterprise", "--env", "CONDUCTOR_CLIENT_HTTP_TIMEOUT=30", "--production",
      ])
    #expect(
      s.storeText() == """
        {
          "profiles" : {
            "dev" : {
              "auth" : {
                "keyId" : "abc",
                "keySecret" : "s3cret",
                "kind" : "key"
              },
              "description" : "team dev",
              "env" : {
                "CONDUCTOR_CLIENT_HTTP_TIMEOUT" : "30"
              },
              "production" : true,
              "server" : "https://dev.example.com/api",
              "serverType" : "Enterprise"
            }
          },
          "version" : 1
        }

        """)
    try s.addToken("play", server: "http://localhost:8080", token: annToken)
    try s.run(["add", "oss", "--server", "http://oss.example.com/api/", "--no-auth"])
    let r = try s.run(["default", "dev"])
    #expect(r.status == 0 && r.stdout == "default profile: dev\n", "\(r)")
    #expect(
      s.storeText() == """
        {
          "default" : "dev",
          "profiles" : {
            "dev" : {
              "auth" : {
                "keyId" : "abc",
                "keySecret" : "s3cret",
                "kind" : "key"
              },
              "description" : "team dev",
              "env" : {
                "CONDUCTOR_CLIENT_HTTP_TIMEOUT" : "30"
              },
              "production" : true,
              "server" : "https://dev.example.com/api",
              "serverType" : "Enterprise"
            },
            "oss" : {
              "auth" : {
                "kind" : "none"
              },
              "server" : "http://oss.example.com/api"
            },
            "play" : {
              "auth" : {
                "kind" : "user-token",
                "token" : "\(annToken)"
              },
              "server" : "http://localhost:8080/api"
            }
          },
          "version" : 1
        }

        """)
  }

  // MARK: Where

  @Test func pathResolution() throws {
    let s = try Sandbox()
    // HOME
    try s.addKey("a")
    #expect(FileManager.default.fileExists(atPath: s.home + "/.config/conductor-profile/profiles.json"))
    // XDG_CONFIG_HOME (absolute) wins over HOME.
    let xdg = s.root.appendingPathComponent("xdg").path
    var r = try s.run(["add", "b", "--server", "https://b.example.com", "--no-auth"], env: ["XDG_CONFIG_HOME": xdg])
    #expect(r.status == 0, "\(r)")
    #expect(FileManager.default.fileExists(atPath: xdg + "/conductor-profile/profiles.json"))
    r = try s.run(["list", "--json"], env: ["XDG_CONFIG_HOME": xdg])
    #expect(r.stdout.contains("\"b\"") && !r.stdout.contains("\"a\""), "\(r)")
    // A relative XDG_CONFIG_HOME is ignored, as the XDG spec says.
    r = try s.run(["list", "--json"], env: ["XDG_CONFIG_HOME": "relative/dir"])
    #expect(r.stdout.contains("\"a\"") && !r.stdout.contains("\"b\""), "\(r)")
    // CONDUCTOR_PROFILE_STORE wins over both; its new directory is made 0700.
    let explicit = s.root.appendingPathComponent("elsewhere/deeper/store.json").path
    r = try s.run(
      ["add", "c", "--server", "https://c.example.com", "--no-auth"],
      env: ["XDG_CONFIG_HOME": xdg, "CONDUCTOR_PROFILE_STORE": explicit])
    #expect(r.status == 0, "\(r)")
    #expect(try s.mode(of: explicit) == 0o600)
    #expect(try s.mode(of: (explicit as NSString).deletingLastPathComponent) == 0o700)
    r = try s.run(["list", "--json"], env: ["XDG_CONFIG_HOME": xdg, "CONDUCTOR_PROFILE_STORE": explicit])
    #expect(r.stdout.contains("\"c\"") && !r.stdout.contains("\"b\""), "\(r)")
    // An empty CONDUCTOR_PROFILE_STORE counts as unset.
    r = try s.run(["list", "--json"], env: ["CONDUCTOR_PROFILE_STORE": ""])
    #expect(r.stdout.contains("\"a\""), "\(r)")
  }

  @Test func noHomeAndNoOverrideIsAClearError() throws {
    let s = try Sandbox()
    s.environment["HOME"] = nil
    let r = try s.run(["list"])
    expectError(r, containing: ["HOME is not set", "CONDUCTOR_PROFILE_STORE"])
  }

  // MARK: Modes

  @Test(arguments: ["000", "022", "077"])
  func createdPrivateWhateverTheUmask(_ umask: String) throws {
    let s = try Sandbox()
    let r = try s.runWithUmask(umask, ["add", "a", "--server", "https://a.example.com", "--key-id", "k"], stdin: "secret\n")
    #expect(r.status == 0, "\(r)")
    #expect(try s.mode(of: s.storePath) == 0o600)
    #expect(try s.mode(of: s.storeDirectory) == 0o700)
    #expect(try s.mode(of: s.storePath + ".lock") == 0o600)
    // A rewrite keeps it private.
    let r2 = try s.runWithUmask(umask, ["set", "a", "--description", "x"])
    #expect(r2.status == 0, "\(r2)")
    #expect(try s.mode(of: s.storePath) == 0o600)
    #expect(s.storeDirectoryListing() == ["profiles.json", "profiles.json.lock"])
  }

  @Test func anExistingDirectoryIsNotChanged() throws {
    let s = try Sandbox()
    try FileManager.default.createDirectory(
      atPath: s.storeDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
    try s.addKey("a")
    #expect(try s.mode(of: s.storeDirectory) == 0o755)
    #expect(try s.mode(of: s.storePath) == 0o600)
  }

  // MARK: Permissions

  @Test(arguments: [0o644, 0o660, 0o604, 0o640])
  func aStoreOthersCanReadIsRefused(_ mode: Int) throws {
    let s = try Sandbox()
    try s.addKey("a")
    chmod(s.storePath, mode_t(mode))
    let before = s.storeBytes()
    for args in [["list"], ["show", "a"], ["env", "a"], ["set", "a", "--description", "x"], ["remove", "a"]] {
      let r = try s.run(args)
      expectError(r, containing: ["chmod 600 \(s.storePath)", s.storePath, "group or others"])
      #expect(s.storeBytes() == before)
    }
    let r = try s.run(["add", "b", "--server", "https://b.example.com", "--no-auth"])
    expectError(r, containing: ["chmod 600 \(s.storePath)"])
    #expect(s.storeBytes() == before)
    #expect(try s.mode(of: s.storePath) == mode)
  }

  @Test func aDirectoryOthersCanWriteIsRefusedUnlessSticky() throws {
    let s = try Sandbox()
    try s.addKey("a")
    let before = s.storeBytes()
    chmod(s.storeDirectory, 0o757)
    defer { chmod(s.storeDirectory, 0o700) }
    for args in [["list"], ["set", "a", "--description", "x"], ["add", "b", "--server", "https://b.example.com", "--no-auth"]] {
      let r = try s.run(args)
      expectError(r, containing: ["chmod o-w \(s.storeDirectory)", "can be written by others"])
      #expect(s.storeBytes() == before)
    }
    // With the sticky bit (as /tmp has) others cannot replace our file: accepted.
    chmod(s.storeDirectory, 0o1777)
    let r = try s.run(["list", "--json"])
    #expect(r.status == 0, "\(r)")
  }

  // MARK: Broken files

  @Test func aStoreThatDoesNotParseIsNeverOverwritten() throws {
    let s = try Sandbox()
    let broken =
      "{\n  \"profiles\" : {\n    \"a\" : { \"server\" : \"https://a.example.com/api\", }\n  },\n  \"version\" : 1\n}\n"
    try s.writeStore(broken)
    let commands: [[String]] = [
      ["list"], ["list", "--json"], ["show", "a"], ["env", "a"], ["exec", "a", "--", "true"], ["default"],
      ["default", "a"], ["default", "--unset"], ["add", "b", "--server", "https://b.example.com", "--no-auth"],
      ["add", "b", "--server", "https://b.example.com", "--no-auth", "--force"], ["set", "a", "--description", "x"],
      ["remove", "a"], ["rename", "a", "b"], ["copy", "a", "b"], ["guard"],
    ]
    for args in commands {
      let r = try s.run(args, stdin: "secret\n")
      expectError(r, containing: [s.storePath, "line 3, column 53", "not valid JSON", "not changed"])
      #expect(s.storeText() == broken, "\(args)")
    }
    let r = try s.run(["current"], env: ["CONDUCTOR_PROFILE_ACTIVE": "a"])
    #expect(r.status == 1 && r.stderr.contains("line 3, column 53"), "\(r)")
    #expect(s.storeDirectoryListing().allSatisfy { !$0.hasSuffix(".tmp") })
  }

  @Test func aStoreWithAWrongShapeIsNeverOverwritten() throws {
    let s = try Sandbox()
    for text in [
      "[]\n", "{\"profiles\" : []}\n", "{\"version\" : \"1\"}\n", "{\"guard\" : \"loud\"}\n", "{\"version\" : 0}\n",
    ] {
      try s.writeStore(text)
      let r = try s.run(["add", "b", "--server", "https://b.example.com", "--no-auth"])
      expectError(r, containing: [s.storePath, "not a valid store"])
      #expect(s.storeText() == text)
    }
  }

  @Test func aBrokenProfileIsNamedAndOthersStillWork() throws {
    let s = try Sandbox()
    try s.writeStore(
      """
      {
        "profiles" : {
          "bad" : { "auth" : { "kind" : "key" }, "server" : "https://bad.example.com" },
          "good" : { "auth" : { "kind" : "none" }, "server" : "https://good.example.com/api" }
        },
        "version" : 1
      }

      """)
    let before = s.storeBytes()
    var r = try s.run(["env", "good", "--format", "dotenv"])
    #expect(r.status == 0, "\(r)")
    r = try s.run(["show", "bad"])
    expectError(r, containing: ["profile 'bad'", "keyId"])
    r = try s.run(["set", "bad", "--description", "x"])
    expectError(r, containing: ["profile 'bad'", "keyId"])
    #expect(s.storeBytes() == before)
    // remove needs nothing but the name: a broken profile can be removed.
    r = try s.run(["remove", "bad"])
    #expect(r.status == 0, "\(r)")
  }

  // MARK: Unknown keys and newer versions

  /// A store in canonical form with keys this version does not know at every level.
  static let storeWithUnknownKeys = """
    {
      "default" : "dev",
      "futureTop" : {
        "list" : [
          1.50e+3,
          -0.0,
          true,
          null,
          "é ☃ 😀 \\u0001 \\"q\\""
        ],
        "nested" : {
          "deeper" : {}
        }
      },
      "guard" : "warn",
      "profiles" : {
        "dev" : {
          "auth" : {
            "keyId" : "abc",
            "keySecret" : "s3cret",
            "kind" : "key",
            "rotation" : {
              "days" : 90,
              "next" : 1.7e9
            }
          },
          "description" : "old",
          "labels" : [
            "a",
            {
              "k" : "v"
            }
          ],
          "server" : "https://dev.example.com/api",
          "x-weird" : 1E-7
        },
        "other" : {
          "auth" : {
            "kind" : "none"
          },
          "server" : "https://other.example.com/api",
          "unknownInOther" : "kept"
        }
      },
      "version" : 1,
      "zzz" : []
    }

    """

  @Test func unknownKeysSurviveASetByteForByte() throws {
    let s = try Sandbox()
    try s.writeStore(Self.storeWithUnknownKeys)
    let r = try s.run(["set", "dev", "--description", "new"])
    #expect(r.status == 0 && r.stdout == "updated profile 'dev'\n", "\(r)")
    #expect(s.storeText() == Self.storeWithUnknownKeys.replacing("\"description\" : \"old\"", with: "\"description\" : \"new\""))
    // Every other write keeps them too.
    for args in [["copy", "dev", "dev2"], ["rename", "dev2", "dev3"], ["remove", "dev3"], ["default", "dev"]] {
      #expect(try s.run(args).status == 0)
    }
    #expect(s.storeText() == Self.storeWithUnknownKeys.replacing("\"description\" : \"old\"", with: "\"description\" : \"new\""))
  }

  @Test func unknownKeysInANonCanonicalStoreSurviveAsValues() throws {
    let s = try Sandbox()
    let text = #"""
      {"version":1,"zeta":{"n":1.50e+3,"s":"\u00e9\ud83d\ude00\/","a":[{"b":[[]]}]},
       "profiles":{"dev":{"server":"https://dev.example.com","auth":{"kind":"key","keyId":"k","keySecret":"s","extra":{"x":-1e-2}},
       "meta":{"\u0041":"B"},"production":false}}}
      """#
    try s.writeStore(text)
    let r = try s.run(["set", "dev", "--env", "FOO=bar"])
    #expect(r.status == 0, "\(r)")
    var expected = try JSON.parse(text)
    guard case .object(var top) = expected, case .object(var profiles) = top["profiles"]!,
      case .object(var dev) = profiles["dev"]!
    else {
      Issue.record("shape")
      return
    }
    dev["env"] = .object(["FOO": .string("bar")])
    // The server is written in its normalised form: that is a change this version makes on any write of the profile.
    dev["server"] = .string("https://dev.example.com/api")
    profiles["dev"] = .object(dev)
    top["profiles"] = .object(profiles)
    expected = .object(top)
    let after = try JSON.parse(try #require(s.storeText()))
    #expect(after == expected)
    #expect(s.storeText() == expected.pretty())
    #expect(s.storeText()!.contains("1.50e+3") && s.storeText()!.contains("-1e-2"))
  }

  @Test func aNewerStoreIsReadButNeverWritten() throws {
    let s = try Sandbox()
    let text = """
      {
        "default" : "dev",
        "newThing" : true,
        "profiles" : {
          "dev" : {
            "auth" : {
              "keyId" : "abc",
              "keySecret" : "s3cret",
              "kind" : "key"
            },
            "server" : "https://dev.example.com/api"
          }
        },
        "version" : 2
      }

      """
    try s.writeStore(text)
    var r = try s.run(["list", "--json"])
    #expect(r.status == 0 && r.stdout.contains("\"dev\""), "\(r)")
    r = try s.run(["show", "dev"])
    #expect(r.status == 0, "\(r)")
    r = try s.run(["env", "dev", "--format", "dotenv"])
    #expect(r.status == 0 && r.stdout.contains("CONDUCTOR_AUTH_KEY='abc'"), "\(r)")
    r = try s.run(["default"])
    #expect(r.status == 0 && r.stdout == "dev\n", "\(r)")
    let writes: [[String]] = [
      ["add", "b", "--server", "https://b.example.com", "--no-auth"], ["set", "dev", "--description", "x"],
      ["remove", "dev"], ["default", "dev"], ["default", "--unset"], ["rename", "dev", "dev2"], ["copy", "dev", "dev2"],
    ]
    for args in writes {
      r = try s.run(args)
      expectError(
        r, containing: ["version 2 store", "newer than this conductor-profile", "upgrade conductor-profile", s.storePath])
      #expect(s.storeText() == text, "\(args)")
    }
    #expect(s.storeDirectoryListing().allSatisfy { !$0.hasSuffix(".tmp") })
  }

  @Test func aStoreWithoutVersionIsVersion1() throws {
    let s = try Sandbox()
    try s.writeStore("{\"profiles\":{}}")
    try s.addKey("a")
    #expect(s.storeText()?.hasSuffix("\"version\" : 1\n}\n") == true)
  }

  // MARK: Concurrency

  /// Starts the program without waiting for it.
  func start(_ s: Sandbox, _ arguments: [String], stdin: String) throws -> TestProcess {
    try TestProcess(Sandbox.program, arguments, environment: s.environment, stdin: .bytes(Array(stdin.utf8)))
  }

  @Test func fortyConcurrentWritersLoseNoUpdate() throws {
    let s = try Sandbox()
    let processes = try (0..<40).map { i in
      try start(s, ["add", "p\(i)", "--server", "https://p\(i).example.com", "--key-id", "k\(i)"], stdin: "secret\(i)\n")
    }
    #expect(processes.map { $0.wait() }.allSatisfy { $0 == 0 })
    let store = try s.storeJSON()
    let profiles = try #require(store["profiles"] as? [String: Any])
    #expect(Set(profiles.keys) == Set((0..<40).map { "p\($0)" }))
    #expect(s.storeDirectoryListing() == ["profiles.json", "profiles.json.lock"])
    #expect(try s.mode(of: s.storePath) == 0o600)
  }

  @Test func aKilledWriterLeavesTheOldOrTheNewStore() throws {
    let s = try Sandbox()
    try s.addKey("dev")
    // How long one write takes on this machine now (a debug build: about 10 ms; more under load), so
    // the kills land anywhere from before the program starts to after its rename.
    var longest: UInt32 = 0
    for i in 0..<3 {
      let start = DispatchTime.now().uptimeNanoseconds
      #expect(try s.run(["set", "dev", "--description", "warm-up \(i)"]).status == 0)
      longest = max(longest, UInt32((DispatchTime.now().uptimeNanoseconds - start) / 1000))
    }
    let window = longest + longest / 2
    var generator = SystemRandomNumberGenerator()
    var sawOld = 0
    var sawNew = 0
    for i in 0..<200 {
      let before = try #require(s.storeBytes())
      let process = try start(s, ["set", "dev", "--description", "generation \(i)", "--env", "GEN=\(i)"], stdin: "")
      usleep(UInt32.random(in: 0...window, using: &generator))
      kill(process.pid, SIGKILL)
      process.wait()
      let after = try #require(s.storeBytes())
      let json = try #require(try JSONSerialization.jsonObject(with: after) as? [String: Any])
      let dev = try #require((json["profiles"] as? [String: Any])?["dev"] as? [String: Any])
      if after == before {
        sawOld += 1
      } else {
        #expect(dev["description"] as? String == "generation \(i)")
        #expect((dev["env"] as? [String: String])?["GEN"] == "\(i)")
        sawNew += 1
      }
      #expect(try s.mode(of: s.storePath) == 0o600)
    }
    // Both outcomes happen (else the delays do not straddle the write and the test proves little).
    #expect(sawOld > 0 && sawNew > 0, "old \(sawOld), new \(sawNew), window \(window) µs")
    // A later write sweeps temporary files a killed writer left.
    let r = try s.run(["set", "dev", "--description", "final"])
    #expect(r.status == 0, "\(r)")
    #expect(s.storeDirectoryListing() == ["profiles.json", "profiles.json.lock"])
  }

  @Test func aStaleTemporaryFileIsRemovedButOthersAreNot() throws {
    let s = try Sandbox()
    try s.addKey("dev")
    let stale = s.storeDirectory + "/.profiles.json.99999.0.tmp"
    let unrelated = s.storeDirectory + "/.other.json.1.0.tmp"
    let mine = s.storeDirectory + "/notes.txt"
    for path in [stale, unrelated, mine] { _ = FileManager.default.createFile(atPath: path, contents: Data("x".utf8)) }
    // Reading does not touch them.
    _ = try s.run(["list"])
    #expect(FileManager.default.fileExists(atPath: stale))
    let r = try s.run(["set", "dev", "--description", "x"])
    #expect(r.status == 0, "\(r)")
    #expect(!FileManager.default.fileExists(atPath: stale))
    #expect(FileManager.default.fileExists(atPath: unrelated))
    #expect(FileManager.default.fileExists(atPath: mine))
  }
}
