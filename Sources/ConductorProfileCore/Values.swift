// The validated values a profile is made of. Each has one failable constructor that says, when it
// refuses, what was wrong and how to fix it.

/// A profile name: 1–64 characters, `[A-Za-z0-9][A-Za-z0-9._-]*`.
public struct ProfileName: Hashable, Comparable, Sendable, CustomStringConvertible {
  public let value: String
  public var description: String { value }

  public init(validating text: String) throws(Failure) {
    let bytes = Array(text.utf8)
    guard !bytes.isEmpty else {
      throw .error(
        "a profile name cannot be empty: use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit")
    }
    let ok =
      bytes.count <= 64 && ProfileName.isAlnum(bytes[0])
      && bytes.allSatisfy {
        ProfileName.isAlnum($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-")
      }
    guard ok else {
      throw .error(
        "invalid profile name \(quoted(text)): use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"
      )
    }
    value = text
  }

  init(trusted: String) { value = trusted }

  static func isAlnum(_ b: UInt8) -> Bool {
    (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
  }

  public static func < (a: ProfileName, b: ProfileName) -> Bool {
    utf8Precedes(a.value, b.value)
  }
}

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
    func bad(_ why: String) -> Failure {
      .error("invalid server \(quoted(text)): \(why); give an http or https URL such as https://conductor.example.com/api")
    }
    if text.isEmpty { throw bad("it is empty") }
    if text.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }) {
      throw bad("it contains whitespace or a control character")
    }
    if text.contains("?") { throw bad("it has a query ('?…'), which a server address cannot carry") }
    if text.contains("#") { throw bad("it has a fragment ('#…'), which a server address cannot carry") }
    guard let sep = text.firstRange(of: "://") else { throw bad("it has no scheme") }
    let scheme = text[..<sep.lowerBound].lowercased()
    guard scheme == "http" || scheme == "https" else { throw bad("the scheme '\(scheme)' is not http or https") }
    let rest = text[sep.upperBound...]
    let authority = rest.prefix { $0 != "/" }
    var path = String(rest.dropFirst(authority.count))
    if authority.contains("@") { throw bad("it has a user name or password in it") }
    var host = Substring(authority)
    var port: Substring? = nil
    if host.hasPrefix("[") {
      guard let close = host.firstIndex(of: "]") else { throw bad("the IPv6 address has no closing ']'") }
      let after = host[host.index(after: close)...]
      if !after.isEmpty {
        guard after.hasPrefix(":") else { throw bad("unexpected text after the IPv6 address") }
        port = after.dropFirst()
      }
      host = host[...close]
      guard Host.ipv6Groups(host.dropFirst().dropLast()) != nil else { throw bad("the IPv6 address is not valid") }
    } else if let colon = host.lastIndex(of: ":") {
      port = host[host.index(after: colon)...]
      host = host[..<colon]
    }
    // A trailing dot names the same host (a fully qualified name): dropped, as the normal form has none.
    if host.hasSuffix("."), host.count > 1 { host = host.dropLast() }
    guard !host.isEmpty else { throw bad("it has no host") }
    if !host.hasPrefix("[") {
      let okHost = host.unicodeScalars.allSatisfy {
        ($0.value < 0x80 && (ProfileName.isAlnum(UInt8($0.value)) || $0 == "-" || $0 == "." || $0 == "_"))
      }
      guard okHost, !host.hasPrefix("."), !host.hasSuffix("."), !host.contains("..") else {
        throw bad("the host '\(host)' is not a valid host name")
      }
    }
    var portPart = ""
    if let port {
      guard !port.isEmpty, port.count <= 5, port.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(port), n >= 1, n <= 65535
      else { throw bad("the port '\(port)' is not a number from 1 to 65535") }
      let isDefault = (scheme == "https" && n == 443) || (scheme == "http" && n == 80)
      if !isDefault { portPart = ":\(n)" }
    }
    path = Server.resolvingDotSegments(path)
    if !path.hasSuffix("/api") { path += "/api" }
    return "\(scheme)://\(host.lowercased())\(portPart)\(path)"
  }

  init(trusted: String) { url = trusted }

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

/// An application access key id: non-empty, no whitespace or control characters.
func validateKeyID(_ id: String) throws(Failure) {
  if id.isEmpty { throw .error("the key id is empty; give the id of an application access key (Access Control > Applications)") }
  if id.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }) {
    throw .error("invalid key id \(quoted(id)): it contains whitespace or a control character; copy the key id again")
  }
}

/// A key secret: non-empty, no control characters.
func validateKeySecret(_ secret: String) throws(Failure) {
  if secret.isEmpty { throw .error("the key secret is empty; give the secret shown when the access key was created") }
  if secret.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
    throw .error("the key secret contains a control character (a line break or tab?); give it on one line")
  }
}

/// The variables this tool manages, in the order the contract lists them. None may be a profile's extra variable.
public enum ManagedVariable {
  public static let serverURL = "CONDUCTOR_SERVER_URL"
  public static let authKey = "CONDUCTOR_AUTH_KEY"
  public static let authSecret = "CONDUCTOR_AUTH_SECRET"
  public static let authToken = "CONDUCTOR_AUTH_TOKEN"
  public static let active = "CONDUCTOR_PROFILE_ACTIVE"
  public static let auth = "CONDUCTOR_PROFILE_AUTH"
  public static let production = "CONDUCTOR_PROFILE_PRODUCTION"
  public static let tokenExpires = "CONDUCTOR_PROFILE_TOKEN_EXPIRES"
  public static let vars = "CONDUCTOR_PROFILE_VARS"
  /// What the conductor CLI reads to tell Orkes (`Enterprise`) from open-source Conductor (`OSS`).
  public static let serverType = "CONDUCTOR_SERVER_TYPE"
  /// The server without `/api`: the Python SDK's links into the UI.
  public static let uiServerURL = "CONDUCTOR_UI_SERVER_URL"
  /// The end of a limited session (`use --for`, `productionSession`), Unix seconds: the prompt hook ends it.
  public static let sessionEnds = "CONDUCTOR_PROFILE_SESSION_ENDS"
  /// The profile's prompt colour (`--color`), for the prompt segment.
  public static let color = "CONDUCTOR_PROFILE_COLOR"
  /// Older names the Java SDK falls back to, and the conductor CLI's profile-file selector: cleared on every switch.
  public static let legacyKey = "CONDUCTOR_SERVER_AUTH_KEY"
  public static let legacySecret = "CONDUCTOR_SERVER_AUTH_SECRET"
  public static let cliProfile = "CONDUCTOR_PROFILE"
  /// The profile-file selector of older conductor CLI releases.
  public static let orkesProfile = "ORKES_PROFILE"
  /// The variables above that a switch clears but this tool never sets: said in one line when one was set.
  public static let foreign: [String] = [cliProfile, orkesProfile, legacyKey, legacySecret]

  /// Every variable a switch clears before it exports.
  public static let cleared: [String] = [
    serverURL, authKey, authSecret, authToken, active, auth, production, tokenExpires, vars, legacyKey, legacySecret,
    cliProfile, serverType, uiServerURL, orkesProfile, sessionEnds, color,
  ]
}

/// A variable name `[A-Za-z_][A-Za-z0-9_]*`.
func isVariableName(_ name: String) -> Bool {
  guard let first = name.utf8.first, first == UInt8(ascii: "_") || (ProfileName.isAlnum(first) && first > 0x39) else {
    return false
  }
  return name.utf8.allSatisfy { ProfileName.isAlnum($0) || $0 == UInt8(ascii: "_") }
}
