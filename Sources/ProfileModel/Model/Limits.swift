import Platform
import ShellOutput

/// The ranges and sizes this program accepts at its edges, so that no number or length from outside
/// (a token's claims, a server's answer, standard input) can reach arithmetic or memory unchecked.
public enum Limits {
  /// The latest time a claim may name: 9999-12-31 23:59:59 UTC. Anything later is not a real expiry,
  /// and every difference of two times in range fits in an Int64.
  public static let latestTime: Int64 = 253_402_300_799

  /// A JWT NumericDate (`exp`): Unix seconds from 0 to `latestTime`, a fraction dropped (RFC 7519 allows
  /// one). Nil for anything else: a string, a negative or huge number, -2^63.
  public static func numericDate(_ value: JSON) -> Int64? {
    guard let seconds = value.integerValue, seconds >= 0, seconds <= latestTime else { return nil }
    return seconds
  }
}

extension Limits {
  /// The most a secret or token read from standard input or the terminal may be: the reader stops one
  /// byte past it, so `yes | conductor-profile add …` ends at once.
  public static let secretBytes = ReadLimit.secret.bytes

  /// Everything one switch exports (`NAME=VALUE` and its terminator, for every variable) stays under this:
  /// Linux limits one argument or environment string to 128 KiB, and every program the shell starts
  /// carries the environment; past it, every external command would fail with "Argument list too long".
  public static let switchBytes = ReadLimit.switchOutput.bytes

  /// Fails when the variables a switch to profile `name` exports reach `switchBytes`.
  public static func checkSwitchSize(_ exports: [Variable], name: String) throws(Failure) {
    var total = 0
    for variable in exports { total += variable.name.utf8.count + variable.value.utf8.count + 2 }
    if total >= switchBytes {
      throw .invalid(.switchTooLarge(profile: name, bytes: total, limit: switchBytes))
    }
  }
}

/// How much the program reads from one source: the one table of read limits (docs/security.md, "Limits",
/// lists it, and a test compares the two). Every read goes through the Platform layer's `BoundedRead`
/// with one of these, and stops one byte past it: a larger source is an error that names it and its
/// limit, and the program never holds more of it than this.
package struct ReadLimit: Sendable, Equatable {
  /// The most bytes accepted.
  package let bytes: Int
  /// What is read, for messages and the table: "a secret or token".
  package let what: String

  /// "64 KiB", "16 MiB".
  package var shown: String { bytes >= 1 << 20 ? "\(bytes >> 20) MiB" : "\(bytes >> 10) KiB" }

  /// A secret or token read from standard input, the terminal, or a secret store's helper.
  package static let secret = ReadLimit(bytes: 64 << 10, what: "a secret or token")
  /// One extra variable's value.
  package static let variable = ReadLimit(bytes: 32 << 10, what: "an extra variable's value")
  /// Everything one switch exports (see `Limits.switchBytes`).
  package static let switchOutput = ReadLimit(bytes: 128 << 10, what: "everything one switch exports")
  /// A `.conductor-profile` file.
  package static let directoryFile = ReadLimit(bytes: 4 << 10, what: "a .conductor-profile file")
  /// The profile store.
  package static let store = ReadLimit(bytes: 16 << 20, what: "the profile store")
  /// The trust file of directory profiles.
  package static let trustFile = ReadLimit(bytes: 1 << 20, what: "the trust file")
  /// A file given to `import file`.
  package static let importFile = ReadLimit(bytes: 16 << 20, what: "a file to import")
  /// One of the conductor CLI's `config*.yaml` files.
  package static let cliConfig = ReadLimit(bytes: 1 << 20, what: "a conductor CLI configuration file")
  /// A team catalog file (`catalog add`, `catalog sync`).
  package static let catalog = ReadLimit(bytes: 1 << 20, what: "a team catalog")
  /// A server's answer (curl's output).
  package static let serverAnswer = ReadLimit(bytes: 4 << 20, what: "a server's answer")
  /// A cached token file.
  package static let tokenCache = ReadLimit(bytes: 64 << 10, what: "a cached token file")
  /// The picker's list of recent profiles.
  package static let recent = ReadLimit(bytes: 64 << 10, what: "the list of recent profiles")
  /// What a picker program prints (the name it picked).
  package static let pickerOutput = ReadLimit(bytes: 64 << 10, what: "a picker's output")
  /// What a helper or curl prints on standard error (kept for messages; the rest is dropped).
  package static let childErrors = ReadLimit(bytes: 64 << 10, what: "a helper's error output")
  /// Any other document this program reads.
  package static let document = ReadLimit(bytes: 16 << 20, what: "a document")

  /// The table, in the order docs/security.md lists it.
  package static let all: [ReadLimit] = [
    secret, variable, switchOutput, directoryFile, store, trustFile, importFile, cliConfig, catalog, serverAnswer,
    tokenCache, recent, pickerOutput, childErrors,
  ]
}
