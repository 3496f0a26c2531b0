import ProfileModel

/// The Orkes application API (Access Control > Applications), as `whoami`, `promote` and `rotate` use it.
/// Every call sends `X-Authorization: <JWT>` through curl's standard input (HTTP.swift), never an argument.
///
///   GET    /api/token/userInfo                                  who the token is, with roles
///   POST   /api/applications                  {"name": …}       → {"id", "name", …}
///   POST   /api/applications/{id}/roles/{role}                  (403 for a non-admin granting an admin role)
///   POST   /api/applications/{id}/accessKeys                    → {"id", "secret"}: the secret is shown once
///   GET    /api/applications/{id}/accessKeys                    → [{"id", "createdAt" (ms), "status"}]
///   POST   /api/applications/{id}/accessKeys/{keyId}/status     toggles ACTIVE/INACTIVE; → the key, new status
///   DELETE /api/applications/{id}/accessKeys/{keyId}
///   GET    /api/applications/key/{keyId}                        → the application that owns the key
package struct ApplicationAPI {
  package let server: Server
  /// The JWT every call carries.
  let token: String
  let environment: [String: String]

  package init(server: Server, token: String, environment: [String: String]) {
    self.server = server
    self.token = token
    self.environment = environment
  }

  /// An application as the server describes it.
  package struct Application: Equatable {
    package var id: String
    package var name: String?

    /// A name as the server gave it, as the store keeps it (whoami, rotate): on one line, at most 200
    /// characters. A server's answer (up to 4 MiB) never grows the store toward its limit.
    static func kept(_ name: String) -> String { TerminalText.clip(name) }
  }

  /// An access key as the list describes it.
  package struct Key: Equatable {
    package var id: String
    /// Unix milliseconds.
    package var createdAt: Int64?
    package var status: KeyStatus?
  }

  /// An answer outside 2xx, with its status: the server said no (and made nothing).
  package struct Refusal: Error {
    package let status: Int
    package let failure: Failure
  }

  /// A key just made: its id and the secret the server shows this once.
  package struct NewKey {
    package var id: String
    package var secret: Secret
  }

  // MARK: Calls

  package func userInfo() throws(Failure) -> [String: JSON] {
    let response = try call("GET", "/token/userInfo", what: "read who the credential is")
    return try object(response, "GET /token/userInfo")
  }

  package func createApplication(named name: String) throws(Failure) -> Application {
    let body = JSON.object(["name": .string(name)]).compact()
    let response = try call("POST", "/applications", body: body, what: "create the application \(quoted(name))")
    let object = try object(response, "POST /applications")
    guard let id = identifier(object["id"]) else { throw malformed("POST /applications", "no application id") }
    return Application(id: id, name: object["name"]?.stringValue.map(Application.kept) ?? name)
  }

  /// Gives the application a role. Returns nil when done, or the refusal when the server answered 403
  /// (only an admin may grant an admin role), which no retry changes; other failures throw.
  package func addRole(_ role: String, to application: String) throws(Failure) -> Failure? {
    let path = "/applications/\(try segment(application))/roles/\(try segment(role))"
    let what = "give the application \(quoted(application)) the role \(quoted(role))"
    let response = try send("POST", path)
    if response.status == 403 { return failure(response, "POST", path, what: what) }
    _ = try check(response, "POST", path, what: what)
    return nil
  }

  package func createKey(for application: String) throws(Failure) -> NewKey {
    switch try createKeyAnswer(for: application) {
    case .success(let key): return key
    case .failure(let refusal): throw refusal.failure
    }
  }

  /// `createKey`, with a refusal (an HTTP answer outside 2xx: the server made no key) returned as
  /// `.failure`; only a failure to get an answer at all (the key may or may not exist) throws.
  package func createKeyAnswer(for application: String) throws(Failure) -> Result<NewKey, Refusal> {
    let path = "/applications/\(try segment(application))/accessKeys"
    let what = "create an access key for the application \(quoted(application))"
    let response = try send("POST", path)
    guard response.isSuccess else {
      return .failure(Refusal(status: response.status, failure: failure(response, "POST", path, what: what)))
    }
    let object = try object(response, "POST \(path)")
    guard let id = identifier(object["id"]), let secret = object["secret"]?.stringValue else {
      throw malformed("POST \(path)", "no key id or secret")
    }
    do throws(Failure) {
      try validateKeyID(id)
      try validateKeySecret(secret)
    } catch {
      throw malformed("POST \(path)", "a key that is not usable (\(error.description))")
    }
    return .success(NewKey(id: id, secret: Secret(secret)))
  }

  package func listKeys(of application: String) throws(Failure) -> [Key] {
    let path = "/applications/\(try segment(application))/accessKeys"
    let response = try call("GET", path, what: "list the access keys of the application \(quoted(application))")
    guard case .array(let items)? = try? JSON.parse(response.body) else {
      throw malformed("GET \(path)", "no list of keys")
    }
    return items.compactMap { item in
      guard let object = item.objectValue, let id = identifier(object["id"]) else { return nil }
      return Key(
        id: id, createdAt: object["createdAt"].flatMap(KeyInfo.milliseconds),
        status: object["status"]?.stringValue.flatMap(KeyStatus.init(rawValue:)))
    }
  }

  /// Flips a key between ACTIVE and INACTIVE (not idempotent: read the status first) and returns the new
  /// status, as the server says it.
  package func toggleKey(_ key: String, of application: String) throws(Failure) -> KeyStatus? {
    let path = "/applications/\(try segment(application))/accessKeys/\(try segment(key))/status"
    let response = try call("POST", path, what: "change the status of the access key \(quoted(key))")
    return response.object?["status"]?.stringValue.flatMap(KeyStatus.init(rawValue:))
  }

  package func deleteKey(_ key: String, of application: String) throws(Failure) {
    let path = "/applications/\(try segment(application))/accessKeys/\(try segment(key))"
    _ = try call("DELETE", path, what: "delete the access key \(quoted(key))")
  }

  package func application(owning key: String) throws(Failure) -> Application {
    switch try applicationAnswer(owning: key) {
    case .success(let application): return application
    case .failure(let refusal): throw refusal.failure
    }
  }

  /// `application(owning:)`, with a refusal (401, 403: this credential may not see it) returned.
  package func applicationAnswer(owning key: String) throws(Failure) -> Result<Application, Refusal> {
    let path = "/applications/key/\(try segment(key))"
    let what = "find the application of the access key \(quoted(key))"
    let response = try send("GET", path)
    guard response.isSuccess else {
      return .failure(Refusal(status: response.status, failure: failure(response, "GET", path, what: what)))
    }
    let object = try object(response, "GET \(path)")
    guard let id = identifier(object["id"]) else { throw malformed("GET \(path)", "no application id") }
    return .success(Application(id: id, name: object["name"]?.stringValue.map(Application.kept)))
  }

  // MARK: Plumbing

  /// Sends one call; an answer outside 2xx throws a `.server` failure naming the call and the server's error.
  func call(_ method: String, _ path: String, body: String? = nil, what: String) throws(Failure) -> HTTPResponse {
    try check(try send(method, path, body: body), method, path, what: what)
  }

  func send(_ method: String, _ path: String, body: String? = nil) throws(Failure) -> HTTPResponse {
    var headers = ["X-Authorization: \(token)", "Accept: application/json"]
    if body != nil { headers.append("Content-Type: application/json") }
    let request = HTTPRequest(method: method, url: server.url + path, headers: headers, body: body)
    return try HTTP.send(request, environment: environment)
  }

  func check(_ response: HTTPResponse, _ method: String, _ path: String, what: String) throws(Failure) -> HTTPResponse {
    guard response.isSuccess else { throw failure(response, method, path, what: what) }
    return response
  }

  func failure(_ response: HTTPResponse, _ method: String, _ path: String, what: String) -> Failure {
    var hint: String
    switch response.status {
    case 401: hint = "the credential was refused (expired or revoked?)"
    case 403: hint = "the credential may not do this (it needs a role that allows it, such as ADMIN)"
    default: hint = response.genericHint(name: "NAME", server: server, request: "\(method) \(server.url)\(path)")
    }
    if response.status == 404 && path.hasPrefix("/applications") {
      hint = "no such application or key on \(server.url) (or the server has no application API: is it an Orkes server?)"
    }
    return .server(
      server.url, problem: "cannot \(what) on \(server.url): \(method) \(path) answered \(response.errorSummary); \(hint)")
  }

  func object(_ response: HTTPResponse, _ call: String) throws(Failure) -> [String: JSON] {
    guard let object = response.object else { throw malformed(call, "no JSON object") }
    return object
  }

  func malformed(_ call: String, _ what: String) -> Failure {
    .server(server.url, problem: "\(server.url): \(call) answered with \(what); is it an Orkes Conductor server?")
  }

  /// An id as the server gives it: a string, or a number written as text.
  func identifier(_ value: JSON?) -> String? {
    switch value {
    case .string(let s)? where !s.isEmpty: return s
    case .number(let n)?: return n
    default: return nil
    }
  }

  /// One path segment: an id or role the server gave or the user typed, refused when it could change the path.
  package func segment(_ text: String) throws(Failure) -> String {
    let allowed = text.unicodeScalars.allSatisfy { c in
      (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c == "-" || c == "_" || c == "." || c == ":"
        || c == "@"
    }
    guard allowed, !text.isEmpty, text != ".", text != ".." else {
      throw .invalid(.requestPathSegment(text))
    }
    return text
  }
}

extension Minting {
  /// "key paused" rather than a generic 401: the server refused the key, and the store knows it is
  /// INACTIVE (as `whoami`, `rotate` or `promote` last saw it). Nil otherwise.
  package static func pausedRefusal(_ response: HTTPResponse, name: String, profile: Profile, keyID: String) -> Failure? {
    guard !response.isSuccess, response.status == 401 || response.status == 403, profile.keyInfo?.status == .inactive else {
      return nil
    }
    return .server(
      profile.server.url,
      problem:
        "key paused: the application key \(quoted(keyID)) of profile '\(name)' is INACTIVE on \(profile.server.url) (\(response.errorSummary)); resume it under Access Control > Applications, or give the profile a working key: conductor-profile set \(name) --key-id ID --secret"
    )
  }
}
