import ProfileModel

/// A token `token` minted for a key profile, as its cache file holds it:
/// `{"expires": 1767225600, "keyId": "…", "minted": 1767222000, "server": "https://…/api", "token": "eyJ…"}`.
/// Server and key id are kept so that a profile changed behind the cache's back never gets a stale token.
package struct CachedToken: Equatable {
  package var token: String
  var server: String
  var keyID: String
  /// The token's `exp`, Unix seconds; nil when it has none (then it is never reused).
  package var expires: Int64?
  /// When it was minted, Unix seconds.
  var minted: Int64

  package var json: JSON {
    var object: [String: JSON] = [
      "token": .string(token), "server": .string(server), "keyId": .string(keyID), "minted": .integer(minted),
    ]
    if let expires { object["expires"] = .integer(expires) }
    return .object(object)
  }

  init(token: String, server: String, keyID: String, expires: Int64?, minted: Int64) {
    self.token = token
    self.server = server
    self.keyID = keyID
    self.expires = expires
    self.minted = minted
  }

  init?(json: JSON) {
    guard let object = json.objectValue, let token = object["token"]?.stringValue,
      let server = object["server"]?.stringValue, let keyID = object["keyId"]?.stringValue
    else { return nil }
    self.init(
      token: token, server: server, keyID: keyID, expires: object["expires"].flatMap(Limits.numericDate),
      minted: object["minted"]?.integerValue ?? 0)
  }

  /// Good for reuse: same server and key, and more than `margin` seconds before its expiry.
  package func isReusable(server: Server, keyID: String, now: Int64, margin: Int64 = Minting.reuseMargin) -> Bool {
    guard self.server == server.url, self.keyID == keyID, let expires else { return false }
    return expires - now > margin
  }
}

extension TokenCache {
  /// The cached token of a profile, or nil (no file, or one that does not parse: it is minted anew).
  package func entry(for name: String) -> CachedToken? {
    guard let path = path(for: name), let bytes = try? Posix.readFile(path, limit: .tokenCache), let json = try? JSON.parse(bytes)
    else {
      return nil
    }
    return CachedToken(json: json)
  }

  /// Writes a profile's token: the directories 0700, the file 0600, atomically.
  package func store(_ entry: CachedToken, for name: String) throws(Failure) {
    guard let directory else {
      throw .error("cannot cache the token: neither XDG_CACHE_HOME (an absolute path) nor HOME is set")
    }
    guard let path = path(for: name) else { throw .invalid(.cacheName(name)) }
    try Posix.makeDirectories(directory)
    // The cache directories are this program's own: keep them private even when made by hand.
    for dir in [Posix.dirname(of: directory), directory] {
      if let mode = Posix.mode(of: dir), mode & 0o077 != 0 { Posix.changeMode(dir, 0o700) }
    }
    try Posix.writeAtomically(Array(entry.json.pretty().utf8), to: path)
  }
}

/// Exchanging an application access key for a JWT at `POST {server}/token`.
package enum Minting {
  /// A cached token is reused until this many seconds before its `exp`.
  static let reuseMargin: Int64 = 300

  /// Mints a token for a key profile, or throws an error naming the server's answer.
  package static func mint(name: String, server: Server, keyID: String, secret: String, context: Context) throws(Failure)
    -> CachedToken
  {
    let response = try post(server: server, keyID: keyID, secret: secret, context: context)
    return try token(from: response, name: name, server: server, keyID: keyID, context: context)
  }

  /// `POST {server}/token` with the key, whatever the answer.
  package static func post(server: Server, keyID: String, secret: String, context: Context) throws(Failure) -> HTTPResponse {
    let body = JSON.object(["keyId": .string(keyID), "keySecret": .string(secret)]).compact()
    let request = HTTPRequest(
      method: "POST", url: server.url + "/token",
      headers: ["Content-Type: application/json", "Accept: application/json"], body: body)
    return try HTTP.send(request, environment: context.environment)
  }

  /// The token in the server's answer to `post`, or an error naming what it said.
  package static func token(from response: HTTPResponse, name: String, server: Server, keyID: String, context: Context)
    throws(Failure) -> CachedToken
  {
    guard response.isSuccess else {
      let hint =
        response.status == 401 || response.status == 403
        ? "check the key id and secret: conductor-profile set \(name) --secret (and --key-id ID), or create a new key under Access Control > Applications"
        : response.genericHint(name: name, server: server, request: "POST \(server.url)/token")
      throw .server(
        server.url,
        problem:
          "\(server.url) refused the application key \(quoted(keyID)) of profile '\(name)': \(response.errorSummary); \(hint)")
    }
    guard let token = response.object?["token"]?.stringValue, !token.isEmpty else {
      throw .server(
        server.url,
        problem:
          "\(server.url)/token answered HTTP \(response.status) without a token (\(TerminalText.clip(response.text, limit: 80))); is \(server.url) a Conductor server?"
      )
    }
    if token.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }) {
      throw .server(
        server.url,
        problem:
          "\(server.url)/token answered with a token that contains whitespace or control characters; is it a Conductor server?")
    }
    let expires = JWT.payload(of: token)?["exp"].flatMap(Limits.numericDate)
    return CachedToken(token: token, server: server.url, keyID: keyID, expires: expires, minted: context.now)
  }
}
