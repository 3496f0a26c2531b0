import Foundation
import Testing

@testable import ConductorProfileCore

/// The quick switch (QuickSwitch.swift) against the full program, in this process, on the same
/// arguments, environment and store: when the quick switch answers, the full program must exit 0,
/// say nothing on standard error and print the same bytes. Plain cases must be answered quickly
/// (else every switch would silently pay the full start-up again); the rest are left to the full program.
@Suite struct QuickSwitchTests {
  /// A store file in a private directory (0700), and the environment that finds it.
  final class Fixture {
    let directory: URL
    var environment: [String: String]
    var storePath: String { directory.appendingPathComponent("profiles.json").path }

    init() throws {
      directory = FileManager.default.temporaryDirectory.appendingPathComponent("cp-quick-\(UUID().uuidString)")
      try FileManager.default.createDirectory(
        at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
      environment = ["HOME": directory.path, "PATH": "/usr/bin:/bin"]
      environment["CONDUCTOR_PROFILE_STORE"] = storePath
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    func write(_ text: String, mode: Int = 0o600) { write(Array(text.utf8), mode: mode) }

    func write(_ bytes: [UInt8], mode: Int = 0o600) {
      unlink(storePath)
      _ = FileManager.default.createFile(atPath: storePath, contents: Data(bytes), attributes: [.posixPermissions: mode])
    }
  }

  struct Outcome: CustomStringConvertible {
    /// What the quick switch printed; nil when it left the case to the full program.
    var quick: [UInt8]?
    var status: Int32
    var stdout: String
    var stderr: String
    var description: String {
      "quick: \(quick.map { String(decoding: $0, as: UTF8.self).debugDescription } ?? "nil")\nfull: status \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)"
    }
  }

  /// Runs the quick switch and the full program on one command line (without the program name).
  static func run(_ arguments: [String], _ environment: [String: String]) -> Outcome {
    var argv: [UnsafeMutablePointer<CChar>?] = (["conductor-profile"] + arguments).map { strdup($0) } + [nil]
    var envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      for word in argv + envp { free(word) }
    }
    let code = argv.withUnsafeMutableBufferPointer { a in
      envp.withUnsafeMutableBufferPointer { e in
        QuickSwitch.output(argc: arguments.count + 1, argv: a.baseAddress!, environment: e.baseAddress!)
      }
    }
    let quick = code.map { Array(UnsafeBufferPointer(start: $0.base, count: $0.count)) }
    var stdout = ""
    var stderr = ""
    let context = Context(
      environment: environment, now: Int64(time(nil)), stdinIsTerminal: false, stdoutIsTerminal: false,
      writeOut: { stdout += $0 }, writeErr: { stderr += $0 }, readInput: { [] })
    let status = CLI.run(arguments, context: context)
    return Outcome(quick: quick, status: status, stdout: stdout, stderr: stderr)
  }

  /// The two agree; with `quick`, the quick switch answered (a plain case), without it, it left the case.
  @discardableResult
  static func expectAgreement(
    _ arguments: [String], _ environment: [String: String], quick: Bool?, sourceLocation: SourceLocation = #_sourceLocation
  ) -> Outcome {
    let outcome = run(arguments, environment)
    if let quick { #expect((outcome.quick != nil) == quick, "\(arguments)\n\(outcome)", sourceLocation: sourceLocation) }
    if let bytes = outcome.quick {
      #expect(outcome.status == 0, "\(arguments)\n\(outcome)", sourceLocation: sourceLocation)
      #expect(outcome.stderr == "", "\(arguments)\n\(outcome)", sourceLocation: sourceLocation)
      #expect(bytes == Array(outcome.stdout.utf8), "\(arguments)\n\(outcome)", sourceLocation: sourceLocation)
    }
    return outcome
  }

  static let store = #"""
    {
      "default" : "dev",
      "guard" : "warn",
      "profiles" : {
        "dev" : {
          "auth" : { "keyId" : "key-dev", "keySecret" : "it's a secret", "kind" : "key" },
          "description" : "the dev cluster",
          "env" : { "TEAM" : "payments", "CONDUCTOR_SERVER_TYPE" : "Enterprise", "A_FIRST" : "o'clock" },
          "server" : "https://dev.example.com/api"
        },
        "open" : { "auth" : { "kind" : "none" }, "server" : "http://localhost:8080/api", "x-note" : [1, 2.5e3, -0, {"a" : null}] },
        "prod" : { "auth" : { "keyId" : "key-prod", "keySecret" : "p", "kind" : "key" }, "production" : true, "server" : "https://prod.example.com/api" },
        "prod-too" : { "auth" : { "keyId" : "k2", "keySecret" : "s2", "kind" : "key", "x" : {} }, "server" : "https://prod.example.com/api" },
        "play" : { "auth" : { "kind" : "user-token", "token" : "a.b.c" }, "server" : "https://play.example.com/api" },
        "odd" : "not a profile"
      },
      "version" : 1,
      "x-later" : { "nested" : [ true, false, null, "text" ] }
    }

    """#

  @Test(arguments: ["dev", "open", "prod", "prod-too"], ["bash", "zsh", "fish", "sh"])
  func envAndUseAgreeOnPlainProfiles(name: String, shell: String) throws {
    let fixture = try Fixture()
    fixture.write(Self.store)
    Self.expectAgreement(["env", name, "--shell", shell], fixture.environment, quick: true)
    Self.expectAgreement(["env", "--shell", shell, name], fixture.environment, quick: true)
    var hook = fixture.environment
    hook["_CONDUCTOR_PROFILE_SHELL"] = shell
    Self.expectAgreement(["use", name], hook, quick: shell != "sh")
    // After another profile, with its extras to clear and the previous profile to remember.
    hook["CONDUCTOR_PROFILE_ACTIVE"] = "other's \\ one"
    hook["CONDUCTOR_PROFILE_VARS"] = "OLD_ONE  PATH CONDUCTOR_PROFILE_X 1BAD TEAM OLD_ONE Z_LAST"
    Self.expectAgreement(["use", name], hook, quick: shell != "sh")
    hook["CONDUCTOR_PROFILE_ACTIVE"] = name
    Self.expectAgreement(["use", name], hook, quick: shell != "sh")
  }

  @Test func theQuickCodeIsTheCodeAlreadyTestedByHand() throws {
    // One output spelled out, so a change to both ways at once is still seen.
    let fixture = try Fixture()
    fixture.write(Self.store)
    let outcome = Self.expectAgreement(["env", "prod-too", "--shell", "fish"], fixture.environment, quick: true)
    #expect(
      outcome.stdout == """
        set -e -g CONDUCTOR_AUTH_TOKEN;
        set -e -g CONDUCTOR_PROFILE;
        set -e -g CONDUCTOR_PROFILE_TOKEN_EXPIRES;
        set -e -g CONDUCTOR_SERVER_AUTH_KEY;
        set -e -g CONDUCTOR_SERVER_AUTH_SECRET;
        set -gx CONDUCTOR_AUTH_KEY 'k2';
        set -gx CONDUCTOR_AUTH_SECRET 's2';
        set -gx CONDUCTOR_PROFILE_ACTIVE 'prod-too';
        set -gx CONDUCTOR_PROFILE_AUTH 'key';
        set -gx CONDUCTOR_PROFILE_PRODUCTION '1';
        set -gx CONDUCTOR_PROFILE_VARS '';
        set -gx CONDUCTOR_SERVER_URL 'https://prod.example.com/api';
        true;

        """)
  }

  @Test func theStoreIsFoundAsTheFullProgramFindsIt() throws {
    let fixture = try Fixture()
    let config = fixture.directory.appendingPathComponent("config/conductor-profile")
    try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
    _ = FileManager.default.createFile(
      atPath: config.appendingPathComponent("profiles.json").path, contents: Data(Self.store.utf8),
      attributes: [.posixPermissions: 0o600])
    var env = fixture.environment
    env["CONDUCTOR_PROFILE_STORE"] = ""
    env["XDG_CONFIG_HOME"] = fixture.directory.appendingPathComponent("config").path
    Self.expectAgreement(["env", "dev", "--shell", "bash"], env, quick: true)
    // XDG_CONFIG_HOME must be absolute; then HOME/.config.
    env["XDG_CONFIG_HOME"] = "relative"
    env["HOME"] = fixture.directory.path
    let home = fixture.directory.appendingPathComponent(".config/conductor-profile")
    try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    _ = FileManager.default.createFile(
      atPath: home.appendingPathComponent("profiles.json").path, contents: Data(Self.store.utf8),
      attributes: [.posixPermissions: 0o600])
    Self.expectAgreement(["env", "open"], env, quick: true)
    env["HOME"] = nil
    Self.expectAgreement(["env", "open"], env, quick: false)
  }

  @Test func aShellStartsWithTheDefaultProfileOrNothing() throws {
    let fixture = try Fixture()
    var env = fixture.environment
    env["_CONDUCTOR_PROFILE_SHELL"] = "zsh"
    env["_CONDUCTOR_PROFILE_STARTUP"] = "1"
    // No store yet: nothing to do, nothing said.
    let none = Self.expectAgreement(["use"], env, quick: true)
    #expect(none.stdout == "")
    fixture.write(Self.store)
    let started = Self.expectAgreement(["use"], env, quick: true)
    #expect(started.stdout.contains("export CONDUCTOR_PROFILE_ACTIVE='dev';\n"))
    fixture.write(Self.store.replacingOccurrences(of: #""default" : "dev","#, with: ""))
    Self.expectAgreement(["use"], env, quick: true)
    // A default that names no profile is warned about by the full program.
    fixture.write(Self.store.replacingOccurrences(of: #""default" : "dev""#, with: #""default" : "gone""#))
    Self.expectAgreement(["use"], env, quick: false)
    fixture.write(Self.store.replacingOccurrences(of: #""default" : "dev""#, with: #""default" : "play""#))
    Self.expectAgreement(["use"], env, quick: false)
  }

  /// Each of these is left to the full program: it warns, refuses, fails, or reads what the quick
  /// switch does not.
  @Test func whatIsNotPlainGoesToTheFullProgram() throws {
    let fixture = try Fixture()
    fixture.write(Self.store)
    let env = fixture.environment
    var hook = env
    hook["_CONDUCTOR_PROFILE_SHELL"] = "bash"
    let cases: [([String], [String: String])] = [
      (["env", "play", "--shell", "bash"], env),  // a user token: the guard decides
      (["env", "odd", "--shell", "bash"], env),  // not a profile object
      (["env", "nope", "--shell", "bash"], env),  // no such profile
      (["env", "dev", "--shell", "csh"], env),
      (["env", "dev", "--shell=bash"], env),
      (["env", "dev", "--format", "json"], env),
      (["env", "--unset", "--shell", "bash"], env),
      (["env", "dev", "extra", "--shell", "bash"], env),
      (["env"], env),
      (["use", "dev"], env),  // no hook
      (["use", "-"], hook),
      (["use", "--help"], hook),
      (["use"], hook),  // no name, not starting up
      (["off"], hook),
      (["current"], env),
      (["env", "dev", "--shell", "bash"], env.merging(["CONDUCTOR_PROFILE_GUARD": "blok"]) { $1 }),
      (["env", "dev", "--shell", "bash"], env.merging(["CONDUCTOR_PROFILE": "x"]) { $1 }),
      (["env", "dev", "--shell", "bash"], env.merging(["CONDUCTOR_SERVER_AUTH_KEY": ""]) { $1 }),
      (["env", "dev", "--shell", "bash"], env.merging(["CONDUCTOR_SERVER_AUTH_SECRET": "x"]) { $1 }),
      (["use", "dev"], hook.merging(["_CONDUCTOR_PROFILE_SHELL": "sh"]) { $1 }),
      (["use", "dev"], hook.merging(["CONDUCTOR_PROFILE_ACTIVE": "café"]) { $1 }),
      (["use", "dev"], hook.merging(["CONDUCTOR_PROFILE_VARS": "CAFÉ"]) { $1 }),
      (["env", "dev"], env.merging(["CONDUCTOR_PROFILE_STORE": fixture.storePath + "-é"]) { $1 }),
    ]
    for (arguments, environment) in cases {
      Self.expectAgreement(arguments, environment, quick: false)
    }
    // The guard mode given right is plain.
    Self.expectAgreement(["env", "dev"], env.merging(["CONDUCTOR_PROFILE_GUARD": "block"]) { $1 }, quick: true)
    Self.expectAgreement(["env", "dev"], env.merging(["CONDUCTOR_PROFILE_GUARD": ""]) { $1 }, quick: true)
  }

  /// Stores the quick switch leaves to the full program (which reads, refuses or reports them).
  @Test(arguments: [
    // Text it does not read itself.
    (#""description" : "the dev cluster""#, #""description" : "the d\u00e9v cluster""#),
    (#""description" : "the dev cluster""#, #""description" : "the dév cluster""#),
    (#""TEAM" : "payments""#, #""TEAM" : "pay\"ments""#),
    // Errors and warnings.
    (#""TEAM" : "payments""#, #""TEAM" : "payments", "TEAM" : "twice""#),
    (#""TEAM" : "payments""#, #""PATH" : "/tmp""#),
    (#""TEAM" : "payments""#, #""TEAM" : 3"#),
    (#""description" : "the dev cluster""#, #""description" : null"#),
    (#""keyId" : "key-dev""#, #""keyId" : "key dev""#),
    (#""keyId" : "key-dev""#, #""keyId" : """#),
    (#""kind" : "key" }"#, #""kind" : "keys" }"#),
    (#""server" : "https://dev.example.com/api""#, #""server" : "https://DEV.example.com""#),
    (#""server" : "https://dev.example.com/api""#, #""server" : "ftp://dev.example.com/api""#),
    (#""server" : "https://prod.example.com/api" },"#, #""server" : "https://PROD.example.com" },"#),
    (#""guard" : "warn""#, #""guard" : "loud""#),
    (#""version" : 1"#, #""version" : 1.0"#),
    (#""version" : 1"#, #""version" : 0"#),
    (#""open" : {"#, #""dev" : {"#),
    (#""x-later" : { "nested""#, #""x-later" : { "nested" : 1, "nested""#),
    (#""x-later""#, #""version""#),
    (#"[ true, false, null, "text" ]"#, #"[ true, false, nul, "text" ]"#),
    (#"[ true, false, null, "text" ]"#, #"[ true, false, null, "text", ]"#),
    (#"2.5e3"#, #"2.5e"#),
    (#"-0"#, #"-01"#),
  ])
  func storesNotPlainGoToTheFullProgram(replace: String, with: String) throws {
    let fixture = try Fixture()
    #expect(Self.store.contains(replace))
    fixture.write(Self.store.replacingOccurrences(of: replace, with: with))
    Self.expectAgreement(["env", "dev", "--shell", "bash"], fixture.environment, quick: false)
  }

  @Test func unsafePermissionsAreLeftToTheFullProgram() throws {
    let fixture = try Fixture()
    fixture.write(Self.store, mode: 0o644)
    Self.expectAgreement(["env", "dev"], fixture.environment, quick: false)
    fixture.write(Self.store)
    chmod(fixture.directory.path, 0o777)
    Self.expectAgreement(["env", "dev"], fixture.environment, quick: false)
    chmod(fixture.directory.path, 0o1777)
    Self.expectAgreement(["env", "dev"], fixture.environment, quick: true)
    chmod(fixture.directory.path, 0o700)
  }

  @Test func aByteOrderMarkAndOtherWhitespaceAreRead() throws {
    let fixture = try Fixture()
    let text = Self.store.replacingOccurrences(of: "\n", with: "\r\n").replacingOccurrences(of: "  ", with: "\t")
    fixture.write([0xEF, 0xBB, 0xBF] + Array(text.utf8))
    Self.expectAgreement(["env", "dev", "--shell", "zsh"], fixture.environment, quick: true)
  }

  @Test func deepOrWideObjectsAreLeftToTheFullProgram() throws {
    let fixture = try Fixture()
    let deep = String(repeating: "[", count: 40) + String(repeating: "]", count: 40)
    fixture.write(Self.store.replacingOccurrences(of: #""x-note" : ["#, with: #""x-deep" : \#(deep), "x-note" : ["#))
    Self.expectAgreement(["env", "dev"], fixture.environment, quick: false)
    let wide = (0..<70).map { "\"k\($0)\" : \($0)" }.joined(separator: ", ")
    fixture.write(Self.store.replacingOccurrences(of: #""x" : {}"#, with: #""x" : { \#(wide) }"#))
    Self.expectAgreement(["env", "dev"], fixture.environment, quick: false)
  }

  @Test func manyProfilesWithADuplicateFarApart() throws {
    let fixture = try Fixture()
    var members = (0..<3000).map {
      "\"p\($0)\" : { \"auth\" : { \"kind\" : \"none\" }, \"server\" : \"https://h\($0 % 7).example.com/api\", \"production\" : \($0 % 500 == 0) }"
    }
    fixture.write("{ \"profiles\" : { \(members.joined(separator: ",\n")) } }")
    // p0, p500… p2500 flag production on every server but h4: p7 shares p0's h0, p4 is on h4.
    let shared = Self.expectAgreement(["env", "p7", "--shell", "bash"], fixture.environment, quick: true)
    #expect(shared.stdout.contains("export CONDUCTOR_PROFILE_PRODUCTION='1';\n"))
    let other = Self.expectAgreement(["env", "p4", "--shell", "bash"], fixture.environment, quick: true)
    #expect(!other.stdout.contains("PRODUCTION='1'"))
    members.append(members[1234])
    fixture.write("{ \"profiles\" : { \(members.joined(separator: ",\n")) } }")
    let duplicate = Self.expectAgreement(["env", "p7", "--shell", "bash"], fixture.environment, quick: false)
    #expect(duplicate.stderr.contains("appears twice"))
  }

  /// Damaged stores: thousands of edits of a good one, at random places but the same each run. Whatever
  /// the quick switch answers, the full program must print the same; and some edits must stay plain.
  @Test func damagedStoresNeverMakeTheTwoDisagree() throws {
    let fixture = try Fixture()
    let base = Array(Self.store.utf8)
    let alphabet =
      Array(#"{}[]":, \t"#.utf8) + Array("tfnu0123456789eE.-+abkK'\\/".utf8) + [0x0A, 0x00, 0x1F, 0x7F, 0x80, 0xC3, 0xA9]
    var random = SplitMix64(seed: 0x5EED)
    var quickAnswers = 0
    for round in 0..<3000 {
      var text = base
      for _ in 0..<(1 + Int(random.next() % 3)) {
        let at = Int(random.next() % UInt64(text.count))
        switch random.next() % 5 {
        case 0: text[at] = alphabet[Int(random.next() % UInt64(alphabet.count))]
        case 1: text.remove(at: at)
        case 2: text.insert(alphabet[Int(random.next() % UInt64(alphabet.count))], at: at)
        case 3:
          // A piece copied elsewhere: repeated names and values.
          let length = min(1 + Int(random.next() % 60), text.count - at)
          let to = Int(random.next() % UInt64(text.count))
          text.insert(contentsOf: text[at..<at + length], at: to)
        default:
          let other = Int(random.next() % UInt64(text.count))
          text.swapAt(at, other)
        }
      }
      fixture.write(text)
      let names = ["dev", "open", "prod", "prod-too", "nope"]
      let outcome = Self.expectAgreement(
        ["env", names[round % names.count], "--shell", ["bash", "fish"][round % 2]], fixture.environment, quick: nil)
      if outcome.quick != nil { quickAnswers += 1 }
    }
    #expect(quickAnswers > 300, "only \(quickAnswers) of 3000 damaged stores stayed plain: the test no longer tests much")
  }

  @Test func theClearedNamesAreTheManagedVariables() {
    #expect(
      ManagedVariable.cleared == [
        ManagedVariable.serverURL, ManagedVariable.authKey, ManagedVariable.authSecret, ManagedVariable.authToken,
        ManagedVariable.active, ManagedVariable.auth, ManagedVariable.production, ManagedVariable.tokenExpires,
        ManagedVariable.vars, ManagedVariable.legacyKey, ManagedVariable.legacySecret, ManagedVariable.cliProfile,
      ])
  }
}

/// A small seeded generator (SplitMix64): the same edits on every run and every machine.
struct SplitMix64 {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
