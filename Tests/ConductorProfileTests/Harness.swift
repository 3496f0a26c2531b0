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

  /// Runs any program in the sandbox's environment.
  func execute(_ executable: String, _ arguments: [String], stdin: String? = nil, env extra: [String: String] = [:])
    throws -> Result
  {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = environment.merging(extra) { $1 }
    // Output goes to files, so neither stream can fill a pipe and block the child.
    let outURL = root.appendingPathComponent("out-\(UUID().uuidString)")
    let errURL = root.appendingPathComponent("err-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    defer {
      try? FileManager.default.removeItem(at: outURL)
      try? FileManager.default.removeItem(at: errURL)
    }
    let input = Pipe()
    process.standardInput = input
    process.standardOutput = try FileHandle(forWritingTo: outURL)
    process.standardError = try FileHandle(forWritingTo: errURL)
    try process.run()
    // A child that exits before reading its input (a refused option) must not kill this process with SIGPIPE.
    signal(SIGPIPE, SIG_IGN)
    if let stdin { try? input.fileHandleForWriting.write(contentsOf: Data(stdin.utf8)) }
    try input.fileHandleForWriting.close()
    process.waitUntilExit()
    let outData = try Data(contentsOf: outURL)
    let errData = try Data(contentsOf: errURL)
    return Result(
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self))
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

/// Whether a real shell is on this machine. Under CI=true a missing one fails the test instead of skipping it.
func requireShell(_ name: String) throws -> String? {
  for dir in ["/usr/bin", "/bin", "/usr/local/bin"] {
    let path = "\(dir)/\(name)"
    if FileManager.default.isExecutableFile(atPath: path) { return path }
  }
  if ProcessInfo.processInfo.environment["CI"] == "true" {
    Issue.record("\(name) is not installed, and CI must run every shell test (.ci/run installs it)")
  }
  return nil
}
