import Foundation
import Testing

// Helpers for the CLI tests, beside the shared harness.

/// A user token that expires on 2100-01-01, for `email` ann@example.com.
let annToken = makeJWT(["email": "ann@example.com", "exp": 4_102_444_800])

extension Sandbox {
  /// The store as text, or nil when there is none.
  func storeText() -> String? { storeBytes().map { String(decoding: $0, as: UTF8.self) } }

  /// Runs the program through `sh -c 'umask U; exec …'`.
  func runWithUmask(_ umask: String, _ arguments: [String], stdin: String? = nil, env: [String: String] = [:]) throws
    -> Result
  {
    try execute("/bin/sh", ["-c", "umask \(umask); exec \"$0\" \"$@\"", Sandbox.program] + arguments, stdin: stdin, env: env)
  }

  /// Files in the store's directory, sorted.
  func storeDirectoryListing() -> [String] {
    let dir = (storePath as NSString).deletingLastPathComponent
    return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
  }

  var storeDirectory: String { (storePath as NSString).deletingLastPathComponent }
}

/// The usage-error shape: `Error: …`, the usage line, the hint; exit 64.
func expectUsageError(
  _ r: Sandbox.Result, command: String?, containing: String, suggestion: String? = nil,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(r.status == 64, "\(r)", sourceLocation: sourceLocation)
  #expect(r.stdout == "", "\(r)", sourceLocation: sourceLocation)
  let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
  #expect(lines.count == 4 && lines[3] == "", "\(r)", sourceLocation: sourceLocation)
  guard lines.count >= 3 else { return }
  #expect(lines[0].hasPrefix("Error: "), "\(r)", sourceLocation: sourceLocation)
  #expect(lines[0].contains(containing), "\(r)", sourceLocation: sourceLocation)
  if let suggestion {
    #expect(lines[0].hasSuffix("; did you mean '\(suggestion)'?"), "\(r)", sourceLocation: sourceLocation)
  } else {
    #expect(!lines[0].contains("did you mean"), "\(r)", sourceLocation: sourceLocation)
  }
  if let command {
    #expect(lines[1].hasPrefix("Usage: conductor-profile \(command)"), "\(r)", sourceLocation: sourceLocation)
    #expect(lines[2] == "  See 'conductor-profile \(command) --help'.", "\(r)", sourceLocation: sourceLocation)
  } else {
    #expect(lines[1] == "Usage: conductor-profile COMMAND [OPTIONS]", "\(r)", sourceLocation: sourceLocation)
    #expect(lines[2] == "  See 'conductor-profile --help'.", "\(r)", sourceLocation: sourceLocation)
  }
}

/// A plain error: `error: …` on standard error, nothing on standard output, exit 1.
func expectError(_ r: Sandbox.Result, containing: [String], status: Int32 = 1, sourceLocation: SourceLocation = #_sourceLocation)
{
  #expect(r.status == status, "\(r)", sourceLocation: sourceLocation)
  #expect(r.stdout == "", "\(r)", sourceLocation: sourceLocation)
  #expect(r.stderr.hasPrefix("error: "), "\(r)", sourceLocation: sourceLocation)
  for text in containing { #expect(r.stderr.contains(text), "missing \(text): \(r)", sourceLocation: sourceLocation) }
}
