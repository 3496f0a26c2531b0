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
  public static let secretBytes = 64 * 1024

  /// Everything one switch exports (`NAME=VALUE` and its terminator, for every variable) stays under this:
  /// Linux limits one argument or environment string to 128 KiB, and every program the shell starts
  /// carries the environment; past it, every external command would fail with "Argument list too long".
  public static let switchBytes = 128 * 1024

  /// Fails when the variables a switch to profile `name` exports reach `switchBytes`.
  public static func checkSwitchSize(_ exports: [Variable], name: String) throws(Failure) {
    var total = 0
    for variable in exports { total += variable.name.utf8.count + variable.value.utf8.count + 2 }
    if total >= switchBytes {
      throw .invalid(.switchTooLarge(profile: name, bytes: total, limit: switchBytes))
    }
  }

  /// Reads at most `count` bytes from `fd` (to its end, when that comes first).
  package static func read(_ fd: Int32, atMost count: Int) throws(Failure) -> [UInt8] {
    var result: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while result.count < count {
      let n = chunk.withUnsafeMutableBytes { Platform.readBytes(fd, $0.baseAddress, min($0.count, count - result.count)) }
      if n < 0 && errno == EINTR { continue }
      // A read error is said as such, never taken for the end of a short (or empty) secret.
      if n < 0 { throw .error("cannot read standard input: \(Posix.errorText())") }
      if n == 0 { break }
      result.append(contentsOf: chunk[..<n])
    }
    return result
  }
}
