/// How a profile authenticates.
public enum Credential: Equatable, Sendable {
  /// An application access key: exchanged at `POST /api/token` for a JWT. Right for anything unattended.
  case key(id: String, secret: Secret)
  /// A user's JWT copied from the UI: that person's full access, prototyping only, never production.
  case userToken(JWT)
  /// An open-source server without authentication.
  case none

  public var kind: Kind {
    switch self {
    case .key: return .key
    case .userToken: return .userToken
    case .none: return .none
    }
  }

  public enum Kind: String, Sendable, CaseIterable {
    case key
    case userToken = "user-token"
    case none
  }
}

/// A JSON Web Token: three base64url segments, the first two JSON objects.
/// A key secret. Its text reaches only what needs it (the store file, a secret store's helper, curl's
/// standard input, a switch's exports) through `text`; printed or interpolated, it shows `<redacted>`.
public struct Secret: Equatable, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
  public let text: String
  public init(_ text: String) { self.text = text }
  public var isEmpty: Bool { text.isEmpty }
  public var description: String { "<redacted>" }
  public var debugDescription: String { "Secret(<redacted>)" }
}

/// A user token. Its text is `raw`; printed or interpolated, the token shows only who and until when.
public struct JWT: Equatable, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
  public var description: String { "JWT(<redacted>, subject: \(subject ?? "-"), expires: \(expires.map(String.init) ?? "-"))" }
  public var debugDescription: String { description }

  public let raw: String
  /// `exp`, Unix seconds, when the token has one.
  public let expires: Int64?
  /// `email`, else `name`, else `sub`: who the token belongs to.
  public let subject: String?

  public init(validating text: String) throws(Failure) {
    func bad(_ fault: TokenFault) -> Failure { .invalid(.token(fault)) }
    if text.isEmpty { throw .invalid(.tokenEmpty) }
    if text.hasPrefix("Bearer ") || text.hasPrefix("bearer ") { throw bad(.bearer) }
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 3 else { throw bad(.segments(parts.count)) }
    let names: [TokenFault.Part] = [.header, .payload]
    var objects: [[String: JSON]] = []
    for i in 0..<2 {
      guard let bytes = Base64URL.decode(parts[i]) else { throw bad(.notBase64(names[i])) }
      guard let json = try? JSON.parse(bytes), let object = json.objectValue else {
        throw bad(.notObject(names[i]))
      }
      objects.append(object)
    }
    if Base64URL.decode(parts[2]) == nil { throw bad(.notBase64(.signature)) }
    let payload = objects[1]
    var expires: Int64? = nil
    if let exp = payload["exp"] {
      guard let seconds = Limits.numericDate(exp) else {
        throw bad(.expiry(String(exp.compact().prefix(64))))
      }
      expires = seconds
    }
    self.raw = text
    self.expires = expires
    self.subject = ["email", "name", "sub"].lazy.compactMap { payload[$0]?.stringValue }.first { !$0.isEmpty }
  }

  /// The payload of a token already known to be a JWT-shaped string, or nil.
  package static func payload(of token: String) -> [String: JSON]? {
    let parts = token.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 3, let bytes = Base64URL.decode(parts[1]) else { return nil }
    return (try? JSON.parse(bytes))?.objectValue
  }
}

enum Base64URL {
  /// Decodes base64url (or base64), with or without padding. Nil for anything else.
  package static func decode(_ text: Substring) -> [UInt8]? {
    var out: [UInt8] = []
    out.reserveCapacity(text.utf8.count * 3 / 4)
    var accumulator: UInt32 = 0
    var bits = 0
    var padding = 0
    for b in text.utf8 {
      let v: UInt32
      switch b {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"): v = UInt32(b - 65)
      case UInt8(ascii: "a")...UInt8(ascii: "z"): v = UInt32(b - 97 + 26)
      case UInt8(ascii: "0")...UInt8(ascii: "9"): v = UInt32(b - 48 + 52)
      case UInt8(ascii: "-"), UInt8(ascii: "+"): v = 62
      case UInt8(ascii: "_"), UInt8(ascii: "/"): v = 63
      case UInt8(ascii: "="):
        padding += 1
        continue
      default: return nil
      }
      if padding > 0 { return nil }
      accumulator = accumulator << 6 | v
      bits += 6
      if bits >= 8 {
        bits -= 8
        out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
      }
    }
    // A single leftover character (6 bits) cannot come from any byte string.
    if bits == 6 || padding > 2 { return nil }
    return out
  }

  static func encode(_ bytes: [UInt8]) -> String {
    let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    var out: [UInt8] = []
    var i = 0
    while i < bytes.count {
      let n = min(3, bytes.count - i)
      var chunk: UInt32 = 0
      for j in 0..<3 { chunk = chunk << 8 | (j < n ? UInt32(bytes[i + j]) : 0) }
      for j in 0..<(n + 1) { out.append(table[Int((chunk >> UInt32(18 - 6 * j)) & 63)]) }
      i += 3
    }
    return String(decoding: out, as: UTF8.self)
  }
}
