import Foundation
import Testing

@testable import ConductorNetwork
@testable import ProfileCommands
@testable import ProfileModel
@testable import ShellOutput

/// The canonical host every production judgement compares, and the guard judging every spelling of a
/// production server at every entry point.
@Suite struct HostTests {
  @Test(arguments: [
    ("prod.example.com", "prod.example.com"), ("PROD.Example.COM.", "prod.example.com"),
    ("167772165", "10.0.0.5"), ("0x0a000005", "10.0.0.5"), ("0X0A000005", "10.0.0.5"), ("10.0.5", "10.0.0.5"),
    ("10.5", "10.0.0.5"), ("012.0.0.05", "10.0.0.5"), ("0xa.0.0.5", "10.0.0.5"), ("10.0.0.5.", "10.0.0.5"),
    ("[::ffff:10.0.0.5]", "10.0.0.5"), ("[0:0:0:0:0:FFFF:0a00:0005]", "10.0.0.5"),
    ("[2001:0DB8:0000:0000:0000:0000:0000:0001]", "2001:db8::1"), ("[2001:db8:0:0:1:0:0:1]", "2001:db8::1:0:0:1"),
    ("[2001:db8::0:1]", "2001:db8::1"), ("[::1]", "::1"), ("[0:0:0:0:0:0:0:0]", "::"), ("[1:0:2:3:4:5:6:7]", "1:0:2:3:4:5:6:7"),
    ("[1::]", "1::"), ("[::2:3:4:5:6:7:8]", "0:2:3:4:5:6:7:8"),
    // Not addresses: names as given, lower-cased.
    ("08.0.0.1", "08.0.0.1"), ("256.0.0.1", "256.0.0.1"), ("4294967296", "4294967296"), ("1.2.3.4.5", "1.2.3.4.5"),
    ("0x1g", "0x1g"), ("4294967295", "255.255.255.255"),
  ])
  func canonicalHost(text: String, canonical: String) {
    #expect(Host.canonical(text) == canonical)
  }

  @Test(arguments: [
    ("https://Prod.Example.com./api", "https://prod.example.com/api"),
    ("https://prod.example.com/./api", "https://prod.example.com/api"),
    ("https://prod.example.com//api", "https://prod.example.com/api"),
    ("https://prod.example.com/x/../api", "https://prod.example.com/api"),
    ("https://prod.example.com/a//b/./c/../", "https://prod.example.com/a/b/api"),
    ("https://prod.example.com/../..", "https://prod.example.com/api"),
    ("https://[2001:DB8::1]:443/", "https://[2001:db8::1]/api"),
  ])
  func serverNormalForm(text: String, normal: String) throws {
    #expect(try Server(validating: text).url == normal)
    #expect(try Server(validating: normal).url == normal)
  }

  @Test(arguments: ["https://a../api", "https://[1:2]/api", "https://[::1::2]/", "https://[12345::]/", "https://[1.2.3.4]/"])
  func badServers(text: String) {
    #expect(throws: Failure.self) { try Server(validating: text) }
  }

  // MARK: The guard, end to end

  /// Production servers: a name, an IPv4 address and an IPv6 address.
  static let productionServers = ["https://prod.example.com", "https://10.0.0.5", "https://[2001:db8::1]"]

  /// Other spellings of those servers, each one a production server.
  static let spellings = [
    "https://PROD.example.com.", "https://prod.example.com/./api", "https://prod.example.com//api",
    "https://prod.example.com/x/../api", "http://prod.example.com", "https://prod.example.com:8443/api",
    "https://167772165", "https://0x0a000005", "http://0x0A000005:8080/x", "https://10.0.5", "https://10.5",
    "https://012.0.0.05", "https://0xa.0.0.5/api", "https://[::ffff:10.0.0.5]", "https://[0:0:0:0:0:ffff:a00:5]/api",
    "https://[2001:0db8:0000:0000:0000:0000:0000:0001]", "https://[2001:DB8:0:0::1]:443/api",
  ]

  static let token = makeJWT(["sub": "ada@example.com", "exp": 4_102_444_800])

  /// `prod*` flag the production servers (key profiles); `t0`… are user tokens on their other spellings.
  func guardSandbox() throws -> Sandbox {
    let s = try Sandbox()
    for (i, server) in Self.productionServers.enumerated() {
      try s.addKey("prod\(i)", server: server, extra: ["--production"])
    }
    for (i, server) in Self.spellings.enumerated() {
      let r = try s.run(["add", "t\(i)", "--server", server, "--user-token"], stdin: Self.token + "\n")
      #expect(r.status == 0, "\(r)")
      #expect(r.stderr.contains("uses a user token on the production server"), "add warns: \(server)")
    }
    s.environment["CONDUCTOR_PROFILE_GUARD"] = "block"
    return s
  }

  @Test func listShowsEverySpellingAsProduction() throws {
    let s = try guardSandbox()
    let r = try s.run(["list", "--json"])
    let rows = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
    #expect(rows.count == Self.productionServers.count + Self.spellings.count)
    for row in rows { #expect(row["production"] as? Bool == true, "\(row)") }
  }

  @Test func envExecAndTokenRefuseEverySpelling() throws {
    let s = try guardSandbox()
    for i in Self.spellings.indices {
      for arguments in [["env", "t\(i)"], ["exec", "t\(i)", "--", "true"], ["token", "t\(i)"]] {
        let r = try s.run(arguments)
        #expect(r.status == 3, "\(arguments) \(Self.spellings[i]): \(r)")
        #expect(r.stdout.isEmpty, "\(r)")
        #expect(r.stderr.hasPrefix("error: refused by the guard (mode block)"), "\(r)")
      }
    }
  }

  @Test func guardCommandRefusesEverySpellingWithWhatHTTPClientsTrim() throws {
    let s = try guardSandbox()
    for server in Self.productionServers + Self.spellings {
      for text in [server, " \(server)", "\(server)\n", "\t\(server) \r\n", "\(server.prefix(10))\n\(server.dropFirst(10))"] {
        let r = try s.run(["guard"], env: ["CONDUCTOR_SERVER_URL": text, "CONDUCTOR_AUTH_TOKEN": Self.token])
        #expect(r.status == 3, "\(quoted(text)): \(r)")
        #expect(r.stdout.isEmpty)
        let quiet = try s.run(["guard", "--quiet"], env: ["CONDUCTOR_SERVER_URL": text, "CONDUCTOR_AUTH_TOKEN": Self.token])
        #expect(quiet.status == 3 && quiet.stdout.isEmpty && quiet.stderr.isEmpty, "\(quiet)")
      }
    }
    // A URL the tool cannot read, with a user token: fail closed.
    for text in ["https://prod.example.com/api?x=1", "https://user@prod.example.com", "prod.example.com", "https://a b"] {
      let r = try s.run(["guard"], env: ["CONDUCTOR_SERVER_URL": text, "CONDUCTOR_AUTH_TOKEN": Self.token])
      #expect(r.status == 3, "\(r)")
      #expect(r.stderr.contains("cannot tell whether it is production"), "\(r)")
    }
    let fine = try s.run(
      ["guard"], env: ["CONDUCTOR_SERVER_URL": "https://other.example.com", "CONDUCTOR_AUTH_TOKEN": Self.token])
    #expect(fine.status == 0, "\(fine)")
  }

  @Test(arguments: HookShell.allCases) func useRefusesEverySpellingInEachHook(shell: HookShell) throws {
    let s = try guardSandbox()
    let names = Self.spellings.indices.map { "t\($0)" }.joined(separator: " ")
    let loop =
      shell == .fish
      ? "for p in \(names)\n  conductor-profile use $p 2>>err; echo $status >> statuses\nend"
      : "for p in \(names); do conductor-profile use $p 2>>err; echo $? >> statuses; done"
    let script = """
      \(shell.load)
      conductor-profile use prod0
      env -0 > before
      \(loop)
      env -0 > after
      """
    guard let r = try s.shell(shell, script) else { return }
    #expect(r.status == 0, "\(r)")
    #expect(try s.outText("statuses") == String(repeating: "3\n", count: Self.spellings.count))
    #expect(try s.outBytes("before") == s.outBytes("after"), "the environment is byte for byte the same")
    #expect(try s.environmentDump("after")["CONDUCTOR_PROFILE_ACTIVE"] == bytes("prod0"))
  }

  @Test(arguments: HookShell.allCases) func startupSwitchRefusesEverySpelling(shell: HookShell) throws {
    let s = try guardSandbox()
    for i in Self.spellings.indices {
      #expect(try s.run(["default", "t\(i)"]).status == 0)
      guard let r = try s.shell(shell, "\(shell.load)\nenv -0 > env0\n") else { return }
      #expect(r.status == 0, "\(r)")
      #expect(conductorNames(try s.environmentDump("env0")) == [], "nothing activated for \(Self.spellings[i])")
      #expect(r.stderr.contains("refused by the guard (mode block): profile 't\(i)'"), "\(r)")
    }
  }
}

// Written for mutants of Tests/Support/mutants.txt that no earlier test killed (docs/mutations.md).
extension HostTests {
  /// H04, H06, H09: a host that no spelling of inet_aton reads as an IPv4 address is a name, not the address
  /// its digits would make (five parts; a last part over 255; a part over 64 bits): a user token on it is
  /// not on the production server 10.0.1.5, and nothing traps. The same address spelled otherwise is.
  @Test func aHostThatIsNoIPv4SpellingIsNotTheProductionAddress() throws {
    let s = try Sandbox()
    try s.addKey("prod", server: "https://10.0.1.5", extra: ["--production"])
    for (i, host) in ["10.0.1.5.0", "10.0.0.261", "99999999999999999999"].enumerated() {
      let r = try s.run(["add", "t\(i)", "--server", "https://\(host)", "--user-token"], stdin: annToken + "\n")
      #expect(r.status == 0, "\(host): \(r)")
      #expect(r.stdout == "added profile 't\(i)' (user-token, https://\(host)/api)\n", "\(host): \(r)")
      #expect(r.stderr == "", "\(host): \(r)")
    }
    let r = try s.run(["add", "same", "--server", "https://10.0.261", "--user-token"], stdin: annToken + "\n")
    #expect(r.status == 0, "\(r)")
    #expect(r.stderr.hasPrefix("warning: profile 'same' uses a user token on the production server"), "\(r)")
  }
}
