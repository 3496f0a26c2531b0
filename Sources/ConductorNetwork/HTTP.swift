// HTTP through curl, run as a child process. The program stays a small static binary without
// Foundation or a TLS stack of its own, and nothing secret ever reaches a command line: curl is started
// as `curl -q --config -` and reads the whole request (URL, headers, body, timeouts) from a pipe on its
// standard input, so `ps` and /proc/PID/cmdline show only those three words.

import ProfileModel

/// One request: method, URL, headers (`Name: value`) and an optional body.
package struct HTTPRequest {
  package var method: String
  package var url: String
  package var headers: [String]
  package var body: String?

  package init(method: String, url: String, headers: [String] = [], body: String? = nil) {
    self.method = method
    self.url = url
    self.headers = headers
    self.body = body
  }
}

/// A response: the status and the body as received.
package struct HTTPResponse {
  package var status: Int
  var body: [UInt8]

  var text: String { String(decoding: body, as: UTF8.self) }
  /// The body as a JSON object, when it is one.
  package var object: [String: JSON]? { (try? JSON.parse(body))?.objectValue }
  package var isSuccess: Bool { (200..<300).contains(status) }

  /// The server's error, as Conductor reports it (`{"error":"INVALID_TOKEN","message":…}`), else the
  /// status alone: `HTTP 401 INVALID_TOKEN (Token is invalid)`.
  package var errorSummary: String {
    var text = "HTTP \(status)"
    let object = self.object
    if let code = object?["error"]?.stringValue ?? object?["code"]?.stringValue, !code.isEmpty {
      text += " " + TerminalText.clip(code, limit: 80)
    }
    if let message = object?["message"]?.stringValue, !message.isEmpty {
      text += " (\(TerminalText.clip(message)))"
    }
    return text
  }

  /// The server's error code (`INVALID_TOKEN`, `EXPIRED_TOKEN`), when its body names one.
  var errorCode: String? { object?["error"]?.stringValue ?? object?["code"]?.stringValue }

  /// Advice for a status that says nothing about the credential (redirect, not found, server failure).
  package func genericHint(name: String, server: Server, request: String) -> String {
    switch status {
    case 300..<400:
      return
        "the server redirects, and conductor-profile does not follow redirects (they could carry the secret to another host); set the server to the final URL (often https:// instead of http://) with: conductor-profile set \(name) --server URL"
    case 404, 405: return "is \(server.url) a Conductor server? \(request) was not found"
    case 500...: return "the server failed; try again later"
    default: return "check the server URL and try again"
    }
  }

}

package enum HTTP {
  /// Seconds allowed to resolve the host and connect (curl `--connect-timeout`).
  package static let connectTimeout = 5
  /// Seconds allowed for the whole request (curl `--max-time`).
  package static let maxTime = 15

  /// Marks the status curl writes after the body (`--write-out`).
  static let statusMarker = "\n:conductor-profile-status:"

  /// Sends `request` with curl and returns the response, whatever its status. Failing to reach the
  /// server (DNS, refused, timeout, TLS) throws an error that names the problem.
  package static func send(_ request: HTTPRequest, environment: [String: String]) throws(Failure) -> HTTPResponse {
    let curl = try findCurl(environment: environment)
    let config = try curlConfig(for: request)
    // curl's own --max-time ends a slow request; the deadline is the backstop for a curl that hangs.
    let result = try Child.run(
      curl, arguments: ["curl", "-q", "--config", "-"], environment: environment, input: Array(config.utf8),
      limit: .serverAnswer, seconds: Double(maxTime + connectTimeout))
    if result.timedOut {
      throw .server(
        request.url,
        problem: "cannot reach \(request.url): curl did not finish within \(maxTime + connectTimeout) s and was stopped")
    }
    if result.tooMuchOutput {
      throw .server(
        request.url,
        problem:
          "the answer of \(request.url) is larger than \(ReadLimit.serverAnswer.shown), the most \(ReadLimit.serverAnswer.what) may be; it was not read further"
      )
    }
    let out = result.stdout
    guard result.status == 0 else {
      throw .server(request.url, problem: transportProblem(request.url, status: result.status, stderr: result.stderr))
    }
    // The body, then the marker and the status.
    let marker = Array(statusMarker.utf8)
    guard let at = lastIndex(of: marker, in: out), let status = Int(String(decoding: out[(at + marker.count)...], as: UTF8.self))
    else {
      throw .server(request.url, problem: "cannot read the answer of \(request.url): curl gave no HTTP status")
    }
    if status == 0 { throw .server(request.url, problem: "\(request.url) gave no HTTP answer") }
    return HTTPResponse(status: status, body: Array(out[..<at]))
  }

  /// The config curl reads on its standard input. Every value is double-quoted with curl's escapes.
  static func curlConfig(for request: HTTPRequest) throws(Failure) -> String {
    var lines = [
      "silent", "show-error",
      // A URL is taken literally: `[` in an IPv6 address is not a curl glob.
      "globoff",
      // Only the protocols a Conductor server speaks; never follow a redirect (it would carry the secret elsewhere).
      "proto = \(try quote("=http,https"))",
      "connect-timeout = \(connectTimeout)",
      "max-time = \(maxTime)",
      "user-agent = \(try quote("conductor-profile/\(Program.version)"))",
      "request = \(try quote(request.method))",
      "url = \(try quote(request.url))",
      "write-out = \(try quote(statusMarker + "%{http_code}"))",
    ]
    for header in request.headers { lines.append("header = \(try quote(header))") }
    // data-raw, not data: a body that starts with @ is never read as a file name.
    if let body = request.body { lines.append("data-raw = \(try quote(body))") }
    return lines.joined(separator: "\n") + "\n"
  }

  /// A curl config-file value: `"…"` with `\\`, `\"`, `\t`, `\n`, `\r` escaped. Other control
  /// characters cannot be written there (and no valid value has them).
  static func quote(_ value: String) throws(Failure) -> String {
    var out = "\""
    for scalar in value.unicodeScalars {
      switch scalar {
      case "\\": out += "\\\\"
      case "\"": out += "\\\""
      case "\t": out += "\\t"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F {
          throw .invalid(.requestControlCharacter(scalar.value))
        }
        out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }

  /// `curl` on PATH (else the usual places), or an error that says how to install it.
  static func findCurl(environment: [String: String]) throws(Failure) -> String {
    if case .found(let path) = Child.locate("curl", environment: environment) { return path }
    throw .error(
      "curl is not installed or not on PATH; conductor-profile runs curl to talk to the Conductor server. Install it (apt-get install curl, dnf install curl, apk add curl or brew install curl) and try again"
    )
  }

  /// What went wrong before any HTTP answer, from curl's exit status and message.
  static func transportProblem(_ url: String, status: Int32, stderr: [UInt8]) -> String {
    let server = Server.hostPort(of: url)
    let what: String
    switch status {
    case 5: what = "could not resolve the proxy (check HTTPS_PROXY / HTTP_PROXY / ALL_PROXY)"
    case 6: what = "could not resolve the host \(server.host) (DNS); check the server URL and your network or VPN"
    case 7:
      what = "could not connect to \(server.hostPort) (connection refused or no route); is the server up, and the URL right?"
    case 28:
      what =
        "timed out (no connection within \(connectTimeout) s or no complete answer within \(maxTime) s); the server or the network is slow or unreachable"
    case 35, 51, 53, 54, 58, 59, 60, 64, 66, 77, 80, 82, 83, 90, 91:
      what =
        "the TLS connection to \(server.hostPort) failed (certificate or handshake); check the URL's scheme and the server's certificate"
    case 52: what = "the server closed the connection without an answer"
    case 55, 56: what = "the connection to \(server.hostPort) broke while talking to the server"
    case 47: what = "the server redirected (conductor-profile does not follow redirects); use the final URL as the server"
    case 1: what = "curl does not support this URL's protocol"
    case -1: what = "curl was killed by a signal"
    default: what = "curl failed with exit status \(status)"
    }
    var detail = String(decoding: stderr, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
    if let close = detail.firstIndex(of: ")"), detail.hasPrefix("curl: (") {
      detail = String(detail[detail.index(after: close)...]).trimmingLeadingSpaces()
    }
    return "cannot reach \(url): \(what)" + (detail.isEmpty ? "" : " [curl: \(TerminalText.clip(detail))]")
  }

  static func lastIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
    guard haystack.count >= needle.count else { return nil }
    var i = haystack.count - needle.count
    while i >= 0 {
      if haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
      i -= 1
    }
    return nil
  }
}

extension String {
  fileprivate func trimmingLeadingSpaces() -> String { String(drop { $0 == " " }) }
}

extension Server {
  /// The host and `host:port` of a URL, for messages.
  static func hostPort(of url: String) -> (host: String, hostPort: String) {
    var rest = Substring(url)
    if let scheme = rest.firstRange(of: "://") { rest = rest[scheme.upperBound...] }
    let authority = rest.prefix { $0 != "/" }
    let hostPort = authority.split(separator: "@").last.map(String.init) ?? String(authority)
    var host = hostPort
    if hostPort.hasPrefix("[") {
      host = String(hostPort.prefix { $0 != "]" }.dropFirst())
    } else if let colon = hostPort.lastIndex(of: ":") {
      host = String(hostPort[..<colon])
    }
    return (host, hostPort)
  }
}
