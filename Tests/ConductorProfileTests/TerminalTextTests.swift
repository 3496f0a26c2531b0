import Foundation
import Testing

@testable import ConductorNetwork
@testable import ProfileCommands
@testable import ProfileModel
@testable import ShellOutput

/// What reaches a terminal is text, never control: no byte below 0x20 (but newline and tab) nor 0x7f
/// reaches the output of a human-readable command, from any source; machine output stays exact.
@Suite struct TerminalTextTests {
  /// OSC 52 (writes the clipboard), a window title, clear screen, carriage return, DEL, backspace, a C1 CSI.
  static let hostile = "x\u{1B}]52;c;cHduZWQ=\u{07}\u{1B}]0;title\u{07}\u{1B}[2J\r\u{7F}\u{08}\u{9B}31m\u{01}y"

  @Test func sanitizerEscapesControlsAndKeepsLayout() {
    #expect(TerminalText.sanitize("a\tb\nc") == "a\tb\nc")
    #expect(TerminalText.sanitize("\u{1B}[2J") == "\\e[2J")
    #expect(TerminalText.sanitize("\u{07}\u{7F}\r\u{9B}") == "\\x07\\x7f\\r\\u{9B}")
    #expect(TerminalText.sanitize("Grüße ☃") == "Grüße ☃")
  }

  /// Bytes a terminal would act on: C0 controls but newline and tab, DEL, and C1 controls (UTF-8 C2 80–9F).
  static func controls(in text: String) -> [UInt8] {
    let bytes = Array(text.utf8)
    var found: [UInt8] = []
    for (i, b) in bytes.enumerated() {
      if (b < 0x20 && b != 0x0A && b != 0x09) || b == 0x7F { found.append(b) }
      if b == 0xC2, i + 1 < bytes.count, (0x80...0x9F).contains(bytes[i + 1]) { found.append(bytes[i + 1]) }
    }
    return found
  }

  @Test func noControlReachesTheTerminal() throws {
    let evil = Self.hostile
    let token = makeJWT(["email": evil, "name": evil, "sub": evil, "exp": nowSeconds() + 86400])
    guard let server = try FakeConductor.start(["--user-token", token, "--name", evil]) else { return }
    let s = try Sandbox()
    try s.addKey("dev", server: server.url, extra: ["--description", evil, "--env", "X_EVIL=\(evil)"])
    try s.addToken("tok", server: server.url, token: token, extra: ["--description", evil])
    // The same server flagged production by another profile: the guard's warnings name the token's owner.
    try s.addKey("prod", server: server.url + "/", extra: ["--production", "--description", evil])
    var store = try s.storeJSON()
    store["default"] = evil
    try s.writeStore(String(decoding: try JSONSerialization.data(withJSONObject: store), as: UTF8.self))

    let drifted = [
      "CONDUCTOR_PROFILE_ACTIVE": "dev", "CONDUCTOR_SERVER_URL": evil, "X_EVIL": evil + "changed",
      "CONDUCTOR_PROFILE_VARS": "X_EVIL", "CONDUCTOR_STRAY": evil, "CONDUCTOR_PROFILE": evil,
    ]
    let runs: [([String], [String: String])] = [
      (["list"], [:]), (["show", "dev"], [:]), (["show", "tok"], [:]), (["show", "dev", "--reveal"], [:]),
      (["show", "tok", "--reveal"], [:]), (["current"], drifted), (["current"], ["CONDUCTOR_PROFILE_ACTIVE": evil]),
      (["doctor"], drifted), (["guard"], ["CONDUCTOR_SERVER_URL": evil, "CONDUCTOR_AUTH_TOKEN": token]),
      (["guard"], ["CONDUCTOR_SERVER_URL": server.url, "CONDUCTOR_AUTH_TOKEN": token]),
      (["guard"], ["CONDUCTOR_SERVER_URL": "https://other.example.com", "CONDUCTOR_AUTH_TOKEN": token]),
      (["verify", "dev"], [:]), (["verify", "tok"], [:]), (["default"], [:]), (["use", evil], [:]),
      (["set", "tok", "--description", evil], [:]), (["show", evil], [:]),
    ]
    var seen = ""
    for (arguments, env) in runs {
      let r = try s.run(arguments, env: env)
      #expect(Self.controls(in: r.stdout).isEmpty, "\(arguments) stdout: \(Self.controls(in: r.stdout)) \(r)")
      #expect(Self.controls(in: r.stderr).isEmpty, "\(arguments) stderr: \(Self.controls(in: r.stderr)) \(r)")
      seen += r.stdout + r.stderr
    }
    // The hostile text did reach the output, escaped: the checks above can fail.
    #expect(seen.contains("x\\e]52;c;cHduZWQ=\\x07\\e]0;title\\x07\\e[2J\\r\\x7f\\x08\\u{9B}31m\\x01y"))
    for needle in ["description", "X_EVIL", "works on", "a user token", "is set for the production server"]
    where !seen.contains(needle) {
      Issue.record("no output mentions \(needle)")
    }
  }

  @Test func machineOutputStaysExact() throws {
    let evil = Self.hostile
    let s = try Sandbox()
    try s.addKey("dev", secret: "s3cret", extra: ["--description", evil, "--env", "X_EVIL=\(evil)"])
    let json = try s.run(["show", "dev", "--json"])
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    #expect(object["description"] as? String == evil)
    let envJSON = try s.run(["env", "dev", "--format", "json"])
    let variables = try #require(try JSONSerialization.jsonObject(with: Data(envJSON.stdout.utf8)) as? [String: String])
    #expect(variables["X_EVIL"] == evil)
    let code = try s.run(["env", "dev", "--shell", "bash"])
    #expect(code.stdout.contains("export X_EVIL='\(evil)';\n"), "shell code carries the value exactly")
    let export = try s.run(["export", "--reveal"])
    let exported = try #require(try JSONSerialization.jsonObject(with: Data(export.stdout.utf8)) as? [String: Any])
    let profiles = try #require(exported["profiles"] as? [String: [String: Any]])
    #expect(profiles["dev"]?["description"] as? String == evil)
  }
}
