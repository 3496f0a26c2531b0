import Foundation
import Testing

/// A profile's own prompt colour (`--color`, the store's `color`, `CONDUCTOR_PROFILE_COLOR`).
@Suite struct PromptColorTests {
  static let e = "\u{1B}"

  /// The kinds of segment: their variables and the colour each has without a profile colour (SGR).
  static let kinds: [(name: String, env: [String: String], sgr: String?, text: String)] = [
    ("key", ["CONDUCTOR_PROFILE_AUTH": "key"], nil, "p1"),
    ("production", ["CONDUCTOR_PROFILE_AUTH": "key", "CONDUCTOR_PROFILE_PRODUCTION": "1"], "31", "p1"),
    ("user token", ["CONDUCTOR_PROFILE_AUTH": "user-token"], "33", "⚠ p1"),
    (
      "user token on production", ["CONDUCTOR_PROFILE_AUTH": "user-token", "CONDUCTOR_PROFILE_PRODUCTION": "1"], "1;31",
      "⚠ p1"
    ),
  ]
  static let colors: [(name: String?, code: String?)] = [
    (nil, nil), ("black", "30"), ("red", "31"), ("green", "32"), ("yellow", "33"), ("blue", "34"), ("magenta", "35"),
    ("cyan", "36"), ("white", "37"), ("purple", nil),
  ]

  /// The segment each shell must print for an SGR (nil: no colour).
  static func expected(_ shell: HookShell, sgr: String?, text: String) -> String {
    guard let sgr else { return text }
    let bold = sgr.hasPrefix("1;")
    let code = bold ? String(sgr.dropFirst(2)) : sgr
    let name = [
      "30": "black", "31": "red", "32": "green", "33": "yellow", "34": "blue", "35": "magenta", "36": "cyan", "37": "white",
    ][code]!
    switch shell {
    case .bash: return "\u{1}\(e)[\(sgr)m\u{2}\(text)\u{1}\(e)[0m\u{2}"
    case .zsh: return bold ? "%B%F{\(name)}\(text)%f%b" : "%F{\(name)}\(text)%f"
    case .fish: return (bold ? "\(e)[1m" : "") + "\(e)[\(code)m\(text)\(e)(B\(e)[m"
    }
  }

  @Test(arguments: HookShell.allCases) func segmentBytesForEveryKindAndColour(shell: HookShell) throws {
    let sandbox = try Sandbox()
    let hook = try sandbox.hookFile(shell)
    var script = "source '\(hook)'\n"
    var cases: [(file: String, expected: String)] = []
    let set = { (name: String, value: String?) -> String in
      switch (shell, value) {
      case (.fish, nil): return "set -e \(name)\n"
      case (.fish, let v?): return "set -gx \(name) '\(v)'\n"
      case (_, nil): return "unset \(name)\n"
      case (_, let v?): return "export \(name)='\(v)'\n"
      }
    }
    for (k, kind) in Self.kinds.enumerated() {
      for (c, color) in Self.colors.enumerated() {
        for noColor in [false, true] {
          let file = "seg-\(k)-\(c)-\(noColor)"
          script += set("CONDUCTOR_PROFILE_ACTIVE", "p1")
          for variable in ["CONDUCTOR_PROFILE_AUTH", "CONDUCTOR_PROFILE_PRODUCTION"] {
            script += set(variable, kind.env[variable])
          }
          script += set("CONDUCTOR_PROFILE_COLOR", color.name) + set("NO_COLOR", noColor ? "1" : nil)
          script += "conductor_profile_prompt > \(file)\n"
          // The profile's colour replaces the kind's; the bold of a user token on production stays.
          var sgr = kind.sgr
          if let code = color.code { sgr = kind.sgr?.hasPrefix("1;") == true ? "1;\(code)" : code }
          cases.append((file, Self.expected(shell, sgr: noColor ? nil : sgr, text: kind.text)))
        }
      }
    }
    guard let r = try sandbox.shell(shell, script, env: ["TERM": "xterm-256color"]) else { return }
    #expect(r.status == 0 && r.stderr == "", "\(r)")
    for (file, expected) in cases {
      let shown = try sandbox.outText(file)
      #expect(bytes(shown) == bytes(expected), "\(shell) \(file): \(shown.debugDescription) != \(expected.debugDescription)")
    }
  }

  @Test func addAndSetStoreTheColourAndASwitchExportsAndClearsIt() throws {
    let sandbox = try Sandbox()
    try sandbox.addKey("dev", extra: ["--color", "blue"])
    try sandbox.addKey("plain")
    var profiles = try #require(try sandbox.storeJSON()["profiles"] as? [String: [String: Any]])
    #expect(profiles["dev"]?["color"] as? String == "blue")
    #expect(profiles["plain"]?["color"] == nil)
    let json = try sandbox.run(["env", "dev", "--format", "json"])
    #expect(json.stdout.contains("\"CONDUCTOR_PROFILE_COLOR\" : \"blue\""), "\(json)")
    #expect(try sandbox.run(["show", "dev"]).stdout.contains("\ncolor:         blue\n"))
    #expect(try sandbox.run(["show", "dev", "--json"]).stdout.contains("\"color\" : \"blue\""))

    let script = """
      \(HookShell.bash.load)
      conductor-profile use dev; env -0 > env1
      conductor-profile use plain; env -0 > env2

      """
    guard let r = try sandbox.shell(.bash, script) else { return }
    #expect(r.status == 0, "\(r)")
    #expect(try sandbox.environmentDump("env1")["CONDUCTOR_PROFILE_COLOR"] == bytes("blue"))
    #expect(try sandbox.environmentDump("env2")["CONDUCTOR_PROFILE_COLOR"] == nil, "every switch clears it")

    #expect(try sandbox.run(["set", "plain", "--color", "green"]).status == 0)
    #expect(try sandbox.run(["set", "dev", "--color", ""]).status == 0)
    profiles = try #require(try sandbox.storeJSON()["profiles"] as? [String: [String: Any]])
    #expect(profiles["plain"]?["color"] as? String == "green")
    #expect(profiles["dev"]?["color"] == nil, "an empty --color removes it")
  }

  @Test func completionOffersTheEightColours() throws {
    guard let shell = try requireShell("bash") else { return }
    let (s, script) = try CompletionTests().setUp("bash")
    let words = try CompletionTests().bash(s, shell, script, ["conductor-profile", "set", "dev", "--color", "b"])
    #expect(words == ["black", "blue"])
  }

  @Test(arguments: [["add", "x", "--server", "https://x.example.com", "--no-auth"], ["set", "dev"]])
  func anUnknownColourIsAUsageError(command: [String]) throws {
    let sandbox = try Sandbox()
    try sandbox.addKey("dev")
    let before = sandbox.storeBytes()
    let r = try sandbox.run(command + ["--color", "bleu"])
    #expect(r.status == 64, "\(r)")
    #expect(
      r.stderr.hasPrefix(
        "Error: unknown colour 'bleu' for --color; use one of black, red, green, yellow, blue, magenta, cyan, white; did you mean 'blue'?\n"
      ), "\(r)")
    #expect(sandbox.storeBytes() == before)
  }

  @Test func aHandEditedColourThatIsNotOneOfTheEightIsRefused() throws {
    let sandbox = try Sandbox()
    try sandbox.addKey("dev", extra: ["--color", "red"])
    try sandbox.writeStore(
      try String(contentsOfFile: sandbox.storePath, encoding: .utf8).replacingOccurrences(
        of: "\"red\"", with: "\"\\u001b[5m\""))
    let r = try sandbox.run(["use", "dev"], env: ["_CONDUCTOR_PROFILE_SHELL": "bash"])
    #expect(r.status == 1 && r.stdout == "", "\(r)")
    #expect(
      r.stderr
        == "error: profile 'dev': \"color\" is \"\\u001b[5m\", not one of black, red, green, yellow, blue, magenta, cyan, white\n",
      "\(r)")
  }
}
