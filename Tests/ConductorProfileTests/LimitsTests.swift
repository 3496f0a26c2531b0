import Foundation
import Testing

/// Sizes at the edges (a secret from standard input, an extra variable, a whole switch) and the clear-text
/// warning for a secret sent over plain http to another machine.
@Suite struct LimitsTests {
  static let addKey = ["add", "k", "--server", "https://x.example.com", "--key-id", "id"]

  @Test func endlessStandardInputIsRefusedAtOnce() throws {
    let s = try Sandbox()
    let r = try s.execute(
      "/bin/sh", ["-c", "yes | timeout 10 \"$0\" add k --server https://x.example.com --key-id id", Sandbox.program])
    #expect(r.status == 1, "stopped reading and refused, not killed by the time-out: \(r)")
    #expect(r.stderr.contains("longer than 64 KiB"), "\(r)")
    #expect(s.storeBytes() == nil)
  }

  @Test func aSecretOf64KiBIsTheLimit() throws {
    let s = try Sandbox()
    let exact = String(repeating: "s", count: 64 * 1024)
    #expect(try s.run(Self.addKey, stdin: exact + "\n").status == 0)
    let r = try s.run(Self.addKey + ["--force"], stdin: exact + "s")
    #expect(r.status == 1 && r.stderr.contains("longer than 64 KiB"), "\(r)")
    let token = try s.run(["add", "t", "--server", "https://x.example.com", "--user-token"], stdin: exact + "ss")
    #expect(token.status == 1 && token.stderr.contains("longer than 64 KiB"), "\(token)")
  }

  @Test func anExtraVariableIsAtMost32KiB() throws {
    let s = try Sandbox()
    let ok = String(repeating: "v", count: 32 * 1024)
    let add = ["add", "e", "--server", "https://x.example.com", "--no-auth"]
    #expect(try s.run(add + ["--env", "A=\(ok)"]).status == 0)
    let r = try s.run(["set", "e", "--env", "B=\(ok)v"])
    #expect(r.status == 1 && r.stderr.contains("more than the 32768"), "\(r)")
  }

  /// Everything one switch exports stays under 128 KiB: refused at add and set, and at a switch to a
  /// hand-edited profile, before any shell sees it.
  @Test func aSwitchExportsLessThan128KiB() throws {
    let s = try Sandbox()
    let value = String(repeating: "v", count: 30 * 1024)
    let add = ["add", "big", "--server", "https://x.example.com", "--no-auth"]
    let four = (1...4).flatMap { ["--env", "A\($0)=\(value)"] }
    #expect(try s.run(add + four).status == 0)
    let r = try s.run(["set", "big", "--env", "A5=\(value)"])
    #expect(r.status == 1 && r.stderr.contains("more than a shell can pass on"), "\(r)")
    let refused = try s.run(add + ["--force"] + four + ["--env", "A5=\(value)"])
    #expect(refused.status == 1, "\(refused)")
    var store = try s.storeJSON()
    var profiles = try #require(store["profiles"] as? [String: [String: Any]])
    profiles["big"]?["env"] = Dictionary(uniqueKeysWithValues: (1...5).map { ("A\($0)", value) })
    store["profiles"] = profiles
    try s.writeStore(String(decoding: try JSONSerialization.data(withJSONObject: store), as: UTF8.self))
    for arguments in [["env", "big"], ["exec", "big", "--", "true"]] {
      let e = try s.run(arguments)
      #expect(e.status == 1 && e.stdout.isEmpty && e.stderr.contains("more than a shell can pass on"), "\(e)")
    }
    let use = try s.run(["use", "big"], env: ["_CONDUCTOR_PROFILE_SHELL": "bash"])
    #expect(use.status == 1 && use.stdout.isEmpty, "\(use)")
  }

  @Test(arguments: [
    ("http://conductor.internal:8080", true), ("http://10.0.0.5/api", true), ("https://conductor.internal", false),
    ("http://localhost:8080", false), ("http://127.0.0.2:8080", false), ("http://[::1]:8080", false),
    ("http://app.localhost", false), ("http://2130706433:8080", false),
  ])
  func clearTextIsWarnedAboutAtAddSetAndDoctor(server: String, warned: Bool) throws {
    let s = try Sandbox()
    let add = try s.run(["add", "k", "--server", server, "--key-id", "id"], stdin: "secret\n")
    #expect(add.status == 0)
    #expect(add.stderr.contains("sends its key secret in clear text") == warned, "\(add)")
    let set = try s.run(["set", "k", "--description", "x"])
    #expect(set.stderr.contains("sends its key secret in clear text") == warned, "\(set)")
    let doctor = try s.run(["doctor"])
    #expect(doctor.stdout.contains("sends its key secret in clear text") == warned, "\(doctor)")
    let none = try s.run(["add", "open", "--server", server, "--no-auth"])
    #expect(!none.stderr.contains("clear text"), "no secret, no warning: \(none)")
  }
}
