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
