/// A Conductor server, normalised: `http(s)://host[:port][/path]/api`, host lower-cased,
/// default port dropped, no trailing slash.
public struct Server: Hashable, Sendable, CustomStringConvertible {
  public let url: String
  public var description: String { url }

  public init(validating text: String) throws(Failure) {
    // The form this program writes validates to itself: taken as it is, without the checks below
    // (Character and Unicode-property searches, about 70,000 instructions, on every switch).
    url = Server.isNormalForm(text) ? text : try Server.normalize(text)
  }

  /// The normal form of a server URL, or why it is not one.
  static func normalize(_ text: String) throws(Failure) -> String {
    func bad(_ fault: ServerFault) -> Failure { .invalid(.server(text, fault)) }
    if text.isEmpty { throw bad(.empty) }
    if text.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }) {
      throw bad(.whitespace)
    }
    if text.contains("?") { throw bad(.query) }
    if text.contains("#") { throw bad(.fragment) }
    guard let sep = text.firstRange(of: "://") else { throw bad(.noScheme) }
    let scheme = text[..<sep.lowerBound].lowercased()
    guard scheme == "http" || scheme == "https" else { throw bad(.scheme(scheme)) }
    let rest = text[sep.upperBound...]
    let authority = rest.prefix { $0 != "/" }
    var path = String(rest.dropFirst(authority.count))
    if authority.contains("@") { throw bad(.userInfo) }
    var host = Substring(authority)
    var port: Substring? = nil
    if host.hasPrefix("[") {
      guard let close = host.firstIndex(of: "]") else { throw bad(.ipv6Unclosed) }
      let after = host[host.index(after: close)...]
      if !after.isEmpty {
        guard after.hasPrefix(":") else { throw bad(.afterIPv6) }
        port = after.dropFirst()
      }
      host = host[...close]
      guard Host.ipv6Groups(host.dropFirst().dropLast()) != nil else { throw bad(.ipv6Invalid) }
    } else if let colon = host.lastIndex(of: ":") {
      port = host[host.index(after: colon)...]
      host = host[..<colon]
    }
    // A trailing dot names the same host (a fully qualified name): dropped, as the normal form has none.
    if host.hasSuffix("."), host.count > 1 { host = host.dropLast() }
    guard !host.isEmpty else { throw bad(.noHost) }
    if !host.hasPrefix("[") {
      let okHost = host.unicodeScalars.allSatisfy {
        ($0.value < 0x80 && (ProfileName.isAlnum(UInt8($0.value)) || $0 == "-" || $0 == "." || $0 == "_"))
      }
      guard okHost, !host.hasPrefix("."), !host.hasSuffix("."), !host.contains("..") else {
        throw bad(.host(String(host)))
      }
    }
    var portPart = ""
    if let port {
      guard !port.isEmpty, port.count <= 5, port.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(port), n >= 1, n <= 65535
      else { throw bad(.port(String(port))) }
      let isDefault = (scheme == "https" && n == 443) || (scheme == "http" && n == 80)
      if !isDefault { portPart = ":\(n)" }
    }
    path = Server.resolvingDotSegments(path)
    if !path.hasSuffix("/api") { path += "/api" }
    return "\(scheme)://\(host.lowercased())\(portPart)\(path)"
  }

  /// `path` with `.` and `..` segments resolved (RFC 3986, 5.2.4) and empty segments (repeated and
  /// trailing slashes) dropped: `/x/../api`, `//api` and `/./api/` are all `/api`.
  static func resolvingDotSegments(_ path: String) -> String {
    var segments: [Substring] = []
    for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
      if segment == "." { continue }
      if segment == ".." {
        if !segments.isEmpty { segments.removeLast() }
        continue
      }
      segments.append(segment)
    }
    return segments.isEmpty ? "" : "/" + segments.joined(separator: "/")
  }

  /// Whether `text` is what `init(validating:)` makes of it: `http://` or `https://`, a host of lower-case
  /// ASCII letters, digits, '-', '.' and '_' (not starting with '.', no ".."), maybe a port that is not
  /// the scheme's default (1 to 65535, no leading zero), and a path of printable ASCII without '?' or '#'
  /// that ends in "/api". Anything else (upper case, IPv6, a default port…) is left to the full check.
  static func isNormalForm(_ text: String) -> Bool {
    text.utf8.withContiguousStorageIfAvailable(isNormalForm) ?? false
  }

  /// `isNormalForm` of UTF-8 bytes.
  static func isNormalForm(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    func has(_ prefix: StaticString, at start: Int) -> Bool {
      prefix.withUTF8Buffer { p in
        start + p.count <= bytes.count && (0..<p.count).allSatisfy { bytes[start + $0] == p[$0] }
      }
    }
    let https = has("https://", at: 0)
    guard https || has("http://", at: 0) else { return false }
    var i = https ? 8 : 7
    let hostStart = i
    while i < bytes.count, bytes[i] != UInt8(ascii: "/"), bytes[i] != UInt8(ascii: ":") {
      let b = bytes[i]
      let ok =
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
        || b == UInt8(ascii: "-") || b == UInt8(ascii: "_")
        || (b == UInt8(ascii: ".") && i > hostStart && bytes[i - 1] != UInt8(ascii: "."))
      guard ok else { return false }
      i += 1
    }
    guard i > hostStart, i < bytes.count, bytes[i - 1] != UInt8(ascii: ".") else { return false }
    if bytes[i] == UInt8(ascii: ":") {
      i += 1
      let portStart = i
      var port = 0
      while i < bytes.count, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9"), i - portStart < 5 {
        port = port * 10 + Int(bytes[i] - UInt8(ascii: "0"))
        i += 1
      }
      guard i > portStart, bytes[portStart] != UInt8(ascii: "0"), port <= 65535, port != (https ? 443 : 80),
        i < bytes.count, bytes[i] == UInt8(ascii: "/")
      else { return false }
    }
    // The path, from the '/' at i: no empty, "." or ".." segment.
    var segmentStart = i + 1
    for j in i..<bytes.count {
      let b = bytes[j]
      guard b > 0x20, b < 0x7F, b != UInt8(ascii: "?"), b != UInt8(ascii: "#") else { return false }
      if j > i, b == UInt8(ascii: "/") || j == bytes.count - 1 {
        let end = b == UInt8(ascii: "/") ? j : j + 1
        let length = end - segmentStart
        if length == 0 || (length <= 2 && (segmentStart..<end).allSatisfy({ bytes[$0] == UInt8(ascii: ".") })) { return false }
        segmentStart = j + 1
      }
    }
    return bytes.count - i >= 4 && has("/api", at: bytes.count - 4)
  }
}
