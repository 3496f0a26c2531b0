import Foundation
import Testing

/// Runs the built `conductor-profile` (and real shells) in a private sandbox: its own HOME, store,
/// cache and a PATH that finds the built program first. Every test makes its own.
final class Sandbox {
  let root: URL
  var environment: [String: String]

  /// The directory holding the program `swift build` made (beside the test bundle).
  static let binDirectory: URL = {
    if let explicit = ProcessInfo.processInfo.environment["CONDUCTOR_PROFILE_BIN_DIR"] {
      return URL(fileURLWithPath: explicit)
    }
    var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    while url.path != "/" {
      url.deleteLastPathComponent()
      if FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("conductor-profile").path) { return url }
    }
    // Fall back to the package's own build folder.
    return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent(".build/debug")
  }()

  static var program: String { binDirectory.appendingPathComponent("conductor-profile").path }

  init() throws {
    root = FileManager.default.temporaryDirectory.appendingPathComponent("cp-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root.appendingPathComponent("home"), withIntermediateDirectories: true)
    environment = [
      "HOME": root.appendingPathComponent("home").path,
      "PATH": "\(Sandbox.binDirectory.path):/usr/local/bin:/usr/bin:/bin",
      "LANG": "C.UTF-8",
      "TERM": "dumb",
    ]
  }

  deinit { try? FileManager.default.removeItem(at: root) }

  var home: String { environment["HOME"]! }
  /// The store path with no override: `$HOME/.config/conductor-profile/profiles.json`.
  var storePath: String { home + "/.config/conductor-profile/profiles.json" }

  func storeBytes() -> Data? { FileManager.default.contents(atPath: storePath) }

  func storeJSON() throws -> [String: Any] {
    let data = try #require(storeBytes())
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
  }

  func mode(of path: String) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return (attributes[.posixPermissions] as! NSNumber).intValue
  }

  struct Result: CustomStringConvertible {
    var status: Int32
    var stdout: String
    var stderr: String
    var description: String { "status \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
  }

  /// Runs the program with `arguments`, `stdin` as standard input (empty, not a terminal, when nil).
  @discardableResult
  func run(_ arguments: [String], stdin: String? = nil, env extra: [String: String] = [:]) throws -> Result {
    try execute(Sandbox.program, arguments, stdin: stdin, env: extra)
  }

  /// Runs any program in the sandbox's environment, in its own session and bounded by a time-out
  /// (see `TestProcess`): nothing it does can reach the terminal the tests were started from.
  func execute(
    _ executable: String, _ arguments: [String], stdin: String? = nil, env extra: [String: String] = [:],
    timeout: Double = TestProcess.defaultTimeout, sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> Result {
    try TestProcess.run(
      executable, arguments, environment: environment.merging(extra) { $1 }, stdin: Array((stdin ?? "").utf8),
      timeout: timeout, sourceLocation: sourceLocation)
  }

  /// Adds a key profile, failing the test if it does not succeed.
  func addKey(
    _ name: String, server: String = "https://dev.example.com", id: String = "key-id", secret: String = "s3cret",
    extra: [String] = []
  ) throws {
    let r = try run(["add", name, "--server", server, "--key-id", id] + extra, stdin: secret + "\n")
    #expect(r.status == 0, "\(r)")
  }

  /// Adds a user-token profile.
  func addToken(_ name: String, server: String = "https://play.example.com", token: String, extra: [String] = []) throws {
    let r = try run(["add", name, "--server", server, "--user-token"] + extra, stdin: token + "\n")
    #expect(r.status == 0, "\(r)")
  }

  /// Writes the store by hand (mode 0600), for tests that start from a given file.
  func writeStore(_ text: String, mode: Int = 0o600) throws {
    let dir = (storePath as NSString).deletingLastPathComponent
    try FileManager.default.createDirectory(
      atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    _ = FileManager.default.createFile(atPath: storePath, contents: Data(text.utf8), attributes: [.posixPermissions: mode])
  }
}

/// An unsigned JWT (alg none) with the given claims, as a test mints it.
func makeJWT(_ claims: [String: Any]) -> String {
  func b64(_ data: Data) -> String {
    data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
      .replacingOccurrences(of: "=", with: "")
  }
  let header = try! JSONSerialization.data(withJSONObject: ["alg": "none", "typ": "JWT"], options: [.sortedKeys])
  let payload = try! JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys])
  return b64(header) + "." + b64(payload) + "."
}

/// The path of a shell or tool the test needs: a visible skip when it is missing, a failure under
/// CI=true (see `Tool.require`). Never nil; optional for the callers written as `guard let … else`.
func requireShell(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String? {
  try Tool.require(name, sourceLocation: sourceLocation)
}
