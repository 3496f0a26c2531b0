import Foundation
import Testing

/// The real conductor-python SDK (PyPI `conductor-python`, module `conductor`; .ci/run installs it) started
/// under `exec` and after `use` in bash, zsh and fish: `Configuration()` must see exactly the profile's
/// URL, key and secret — and no credential at all for a user-token profile, whose token no SDK reads.
@Suite(.serialized) struct PythonSDKTests {
  /// The interpreter that can import the SDK (its real path: a pyenv shim needs the tester's HOME), or nil.
  static let python: String? = {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
      "python3", "-c", "import sys, conductor.client.configuration.configuration; print(sys.executable)",
    ]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return nil }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return nil }
    let path = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    return path.isEmpty ? nil : path
  }()

  static var ci: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

  /// What the SDK's `Configuration()` read, and the server type the conductor CLI would read, as JSON.
  static let probe = """
    import json, os, sys
    from conductor.client.configuration.configuration import Configuration
    c = Configuration()
    a = c.authentication_settings
    json.dump({"host": c.host, "ui": c.ui_host, "key": a.key_id if a else None, "secret": a.key_secret if a else None,
               "type": os.environ.get("CONDUCTOR_SERVER_TYPE"), "token": os.environ.get("CONDUCTOR_AUTH_TOKEN")},
              open(sys.argv[1], "w"), sort_keys=True)
    """

  static let secret = #"s'e"c $(x) \n"#

  /// Three profiles, the probe script, and the interpreter; nil (skip) when the SDK is not installed.
  func fixture() throws -> (Sandbox, String)? {
    guard let python = Self.python else {
      if Self.ci { Issue.record("conductor-python is not installed, and CI must run this test (.ci/run installs it)") }
      return nil
    }
    let s = try Sandbox()
    try s.addKey("dev", server: "https://Dev.Example.com/conductor/", id: "dev-key", secret: Self.secret)
    try s.addToken("play", token: annToken)
    #expect(try s.run(["add", "oss", "--server", "http://localhost:8080", "--no-auth"]).status == 0)
    try FileManager.default.createDirectory(at: s.out, withIntermediateDirectories: true)
    try Data(Self.probe.utf8).write(to: s.out.appendingPathComponent("probe.py"))
    return (s, python)
  }

  static let expected: [String: [String: String?]] = [
    "dev": [
      "host": "https://dev.example.com/conductor/api", "ui": "https://dev.example.com/conductor", "key": "dev-key",
      "secret": secret, "type": "Enterprise", "token": nil,
    ],
    "play": [
      "host": "https://play.example.com/api", "ui": "https://play.example.com", "key": nil, "secret": nil,
      "type": "Enterprise", "token": annToken,
    ],
    "oss": [
      "host": "http://localhost:8080/api", "ui": "http://localhost:8080", "key": nil, "secret": nil, "type": "OSS",
      "token": nil,
    ],
  ]

  /// Stale credentials of another cluster, which every switch must clear.
  static let stale = [
    "CONDUCTOR_SERVER_URL": "https://stale.example.com/api", "CONDUCTOR_AUTH_KEY": "stale-key",
    "CONDUCTOR_AUTH_SECRET": "stale-secret", "CONDUCTOR_UI_SERVER_URL": "https://stale.example.com",
    "CONDUCTOR_SERVER_TYPE": "OSS",
  ]

  func read(_ s: Sandbox, _ file: String) throws -> [String: String?] {
    let object = try #require(try JSONSerialization.jsonObject(with: s.outBytes(file).data) as? [String: Any])
    return object.mapValues { $0 as? String }
  }

  @Test func underExecTheSDKSeesExactlyTheProfile() throws {
    guard let (s, python) = try fixture() else { return }
    for name in ["dev", "play", "oss"] {
      let file = s.out.appendingPathComponent("exec-\(name).json").path
      let r = try s.run(["exec", name, "--", python, s.out.appendingPathComponent("probe.py").path, file], env: Self.stale)
      #expect(r.status == 0, "\(r)")
      #expect(try read(s, "exec-\(name).json") == Self.expected[name]!, "exec \(name)")
    }
  }

  @Test(arguments: HookShell.allCases)
  func afterUseTheSDKSeesExactlyTheProfile(_ shell: HookShell) throws {
    guard let (s, python) = try fixture() else { return }
    var script = shell.load + "\n"
    for name in ["dev", "play", "oss"] {
      script += "conductor-profile use \(name)\n'\(python)' probe.py use-\(name).json\n"
    }
    guard let r = try s.shell(shell, script, env: Self.stale) else { return }
    #expect(r.status == 0, "\(r)")
    for name in ["dev", "play", "oss"] {
      #expect(try read(s, "use-\(name).json") == Self.expected[name]!, "\(shell): use \(name)")
    }
  }

  @Test func envJSONCarriesTheSameServerTypes() throws {
    let s = try Sandbox()
    try s.addKey("dev")
    try s.addToken("play", token: annToken)
    #expect(try s.run(["add", "oss", "--server", "http://localhost:8080", "--no-auth"]).status == 0)
    for (name, type) in [("dev", "Enterprise"), ("play", "Enterprise"), ("oss", "OSS")] {
      let r = try s.run(["env", name, "--format", "json"])
      let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: String])
      #expect(object["CONDUCTOR_SERVER_TYPE"] == type, "\(name): \(r)")
    }
  }
}

extension Array where Element == UInt8 {
  fileprivate var data: Data { Data(self) }
}
