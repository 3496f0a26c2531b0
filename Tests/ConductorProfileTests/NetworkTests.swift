import Foundation
import Testing

@testable import ConductorNetwork
@testable import ProfileCommands
@testable import ProfileModel
@testable import ShellOutput

/// The stand-in Conductor server (Tests/Support/fake_conductor.py) on 127.0.0.1, a free port.
/// It stops when this object goes (its standard input closes), so no test leaves one behind.
final class FakeConductor {
  static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Support/fake_conductor.py").path

  let process: TestProcess
  let port: Int
  /// The server as a profile names it (the program adds /api).
  var url: String { "http://127.0.0.1:\(port)" }

  /// Nil when python3 is missing locally (a failure under CI=true).
  static func start(_ arguments: [String] = []) throws -> FakeConductor? {
    guard let python = try requireShell("python3") else { return nil }
    return try FakeConductor(python: python, arguments: arguments)
  }

  private init(python: String, arguments: [String]) throws {
    process = try TestProcess(
      python, [FakeConductor.script] + arguments, environment: ProcessInfo.processInfo.environment, stdin: .pipe,
      stdout: .pipe, timeout: 300)
    // The first line is the port; read at most 64 bytes.
    var line: [UInt8] = []
    var byte: UInt8 = 0
    while line.count < 64 && read(process.output, &byte, 1) == 1 && byte != UInt8(ascii: "\n") { line.append(byte) }
    guard let port = Int(String(decoding: line, as: UTF8.self)) else {
      kill(process.pid, SIGTERM)
      process.wait()
      throw FakeError.noPort(String(decoding: line, as: UTF8.self))
    }
    self.port = port
  }

  enum FakeError: Error { case noPort(String) }

  deinit {
    process.closeInput()
    if process.isRunning { kill(process.pid, SIGTERM) }
    process.wait()
  }

  /// What the server saw: request counts, bodies, headers.
  func stats(_ sandbox: Sandbox) throws -> [String: Any] {
    let r = try sandbox.execute("/usr/bin/env", ["curl", "-s", "--max-time", "5", "\(url)/_stats"])
    let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
    return try #require(object, "\(r)")
  }

  func count(_ endpoint: String, _ sandbox: Sandbox) throws -> Int { try stats(sandbox)[endpoint] as? Int ?? -1 }
}

/// Whether a string is a JWT whose payload has an `exp` in the future.
private func expiry(of jwt: String) -> Int? {
  let parts = jwt.split(separator: ".", omittingEmptySubsequences: false)
  guard parts.count == 3 else { return nil }
  var b64 = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
  while b64.count % 4 != 0 { b64 += "=" }
  guard let data = Data(base64Encoded: b64),
    let claims = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
  else { return nil }
  return claims["exp"] as? Int
}

@Suite struct NetworkTests {
  /// Read at each use: a test that runs late must not see a stale clock.
  static var now: Int { Int(Date().timeIntervalSince1970) }

  func cachePath(_ sandbox: Sandbox, _ name: String) -> String {
    sandbox.home + "/.cache/conductor-profile/tokens/\(name).json"
  }

  // MARK: token, key profiles

  @Test func mintsCachesAndRefreshes() throws {
    let sandbox = try Sandbox()
    guard let server = try FakeConductor.start() else { return }
    try sandbox.addKey("dev", server: server.url)

    let first = try sandbox.run(["token", "dev"])
    #expect(first.status == 0, "\(first)")
    #expect(first.stderr == "")
    let jwt = first.stdout.trimmingCharacters(in: .newlines)
    #expect(first.stdout == jwt + "\n")
    let exp = try #require(expiry(of: jwt))
    #expect(exp > NetworkTests.now)
    #expect(try server.count("token", sandbox) == 1)
    // The server got exactly the key id and secret, as JSON.
    let bodies = try #require(try server.stats(sandbox)["bodies"] as? [String])
    let body = try #require(try JSONSerialization.jsonObject(with: Data(bodies[0].utf8)) as? [String: String])
    #expect(body == ["keyId": "key-id", "keySecret": "s3cret"])

    // Cached: the second call makes no request.
    let second = try sandbox.run(["token", "dev"])
    #expect(second.status == 0 && second.stdout == first.stdout, "\(second)")
    #expect(try server.count("token", sandbox) == 1)

    // --header: the same token, ready for curl -H.
    let header = try sandbox.run(["token", "dev", "--header"])
    #expect(header.stdout == "X-Authorization: \(jwt)\n", "\(header)")
    #expect(try server.count("token", sandbox) == 1)

    // --refresh mints anew and the cache holds the new one.
    let refreshed = try sandbox.run(["token", "dev", "--refresh"])
    #expect(refreshed.status == 0, "\(refreshed)")
    #expect(refreshed.stdout != first.stdout)
    #expect(try server.count("token", sandbox) == 2)
    let third = try sandbox.run(["token", "dev"])
    #expect(third.stdout == refreshed.stdout)
    #expect(try server.count("token", sandbox) == 2)

    // The cache: 0600 file in 0700 directories, naming server and key id.
    let path = cachePath(sandbox, "dev")
    #expect(try sandbox.mode(of: path) == 0o600)
    #expect(try sandbox.mode(of: (path as NSString).deletingLastPathComponent) == 0o700)
    #expect(try sandbox.mode(of: sandbox.home + "/.cache/conductor-profile") == 0o700)
    let cached = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    #expect(cached["token"] as? String == refreshed.stdout.trimmingCharacters(in: .newlines))
    #expect(cached["server"] as? String == server.url + "/api")
    #expect(cached["keyId"] as? String == "key-id")
    #expect(cached["expires"] as? Int == expiry(of: cached["token"] as! String))
  }

  @Test func cacheFollowsXDGCacheHome() throws {
    let sandbox = try Sandbox()
    guard let server = try FakeConductor.start() else { return }
    try sandbox.addKey("dev", server: server.url)
    let xdg = sandbox.root.appendingPathComponent("xdg-cache").path
    let r = try sandbox.run(["token", "dev"], env: ["XDG_CACHE_HOME": xdg])
    #expect(r.status == 0, "\(r)")
    #expect(try sandbox.mode(of: xdg + "/conductor-profile/tokens/dev.json") == 0o600)
    #expect(!FileManager.default.fileExists(atPath: cachePath(sandbox, "dev")))
  }

  /// Writes a cache entry by hand, as if an earlier run had minted it.
  func plant(_ sandbox: Sandbox, _ name: String, token: String, server: String, keyID: String, expires: Int) throws {
    let dir = sandbox.home + "/.cache/conductor-profile/tokens"
    try FileManager.default.createDirectory(
      atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    let object: [String: Any] = ["token": token, "server": server, "keyId": keyID, "expires": expires, "minted": 0]
    let data = try JSONSerialization.data(withJSONObject: object)
    #expect(FileManager.default.createFile(atPath: dir + "/\(name).json", contents: data, attributes: [.posixPermissions: 0o600]))
  }

  @Test(arguments: [
    // (seconds until the cached token expires, same server, same key id, reused?)
    (3600, true, true, true),
    (301 + 30, true, true, true),
    (299, true, true, false),
    (-10, true, true, false),
    (3600, false, true, false),
    (3600, true, false, false),
  ])
  func cacheReuseRules(remaining: Int, sameServer: Bool, sameKey: Bool, reused: Bool) throws {
    let sandbox = try Sandbox()
    guard let server = try FakeConductor.start() else { return }
    try sandbox.addKey("dev", server: server.url)
    let planted = makeJWT(["sub": "planted", "exp": NetworkTests.now + remaining])
    try plant(
      sandbox, "dev", token: planted, server: sameServer ? server.url + "/api" : "https://other.example.com/api",
      keyID: sameKey ? "key-id" : "old-key", expires: NetworkTests.now + remaining)
    let r = try sandbox.run(["token", "dev"])
    #expect(r.status == 0, "\(r)")
    #expect((r.stdout == planted + "\n") == reused, "\(r)")
    #expect(try server.count("token", sandbox) == (reused ? 0 : 1))
  }

  @Test func unreadableCacheIsMintedAgain() throws {
    let sandbox = try Sandbox()
    guard let server = try FakeConductor.start() else { return }
    try sandbox.addKey("dev", server: server.url)
    try plant(sandbox, "dev", token: "x", server: server.url + "/api", keyID: "key-id", expires: NetworkTests.now + 3600)
    try Data("{not json".utf8).write(to: URL(fileURLWithPath: cachePath(sandbox, "dev")))
    let r = try sandbox.run(["token", "dev"])
    #expect(r.status == 0 && expiry(of: r.stdout.trimmingCharacters(in: .newlines)) != nil, "\(r)")
    #expect(try server.count("token", sandbox) == 1)
  }

  @Test func setAndRemoveForgetTheCachedToken() throws {
    let sandbox = try Sandbox()
    guard let server = try FakeConductor.start() else { return }
    try sandbox.addKey("dev", server: server.url)
    #expect(try sandbox.run(["token", "dev"]).status == 0)
    #expect(FileManager.default.fileExists(atPath: cachePath(sandbox, "dev")))
    #expect(try sandbox.run(["set", "dev", "--secret"], stdin: "s3cret\n").status == 0)
    #expect(!FileManager.default.fileExists(atPath: cachePath(sandbox, "dev")))
    #expect(try sandbox.run(["token", "dev"]).status == 0)
    #expect(try server.count("token", sandbox) == 2)
    #expect(try sandbox.run(["remove", "dev"]).status == 0)
    #expect(!FileManager.default.fileExists(atPath: cachePath(sandbox, "dev")))
  }

  @Test func wrongSecretNamesTheServerError() throws {
    let sandbox = try Sandbox()
    guard let server = try FakeConductor.start() else { return }
    try sandbox.addKey("dev", server: server.url, secret: "wrong")
    let r = try sandbox.run(["token", "dev"])
    #expect(r.status == 1, "\(r)")
    #expect(r.stdout == "")
    #expect(r.stderr.hasPrefix("error: "))
    #expect(r.stderr.contains("HTTP 401 INVALID_TOKEN"), "\(r)")
    #expect(r.stderr.contains("conductor-profile set dev --secret"), "\(r)")
    #expect(!r.stderr.contains("wrong"), "the secret must not be printed: \(r)")
    #expect(!FileManager.default.fileExists(atPath: cachePath(sandbox, "dev")))

    let v = try sandbox.run(["verify", "dev"])
    #expect(v.status == 1 && v.stdout == "" && v.stderr.contains("INVALID_TOKEN"), "\(v)")
  }

  @Test func httpStatusWithoutJSONIsNamed() throws {
    let sandbox = try Sandbox()
    guard let server = try FakeConductor.start(["--status", "502"]) else { return }
    try sandbox.addKey("dev", server: server.url)
    let r = try sandbox.run(["token", "dev"])
    #expect(r.status == 1, "\(r)")
    #expect(r.stderr.contains("HTTP 502"), "\(r)")
  }

  @Test func notFoundAsksWhetherItIsAConductorServer() throws {
    let sandbox = try Sandbox()
    guard let server = try FakeConductor.start() else { return }
    try sandbox.addKey("dev", server: server.url + "/elsewhere")
    let r = try sandbox.run(["token", "dev"])
    #expect(r.status == 1, "\(r)")
    #expect(r.stderr.contains("HTTP 404"), "\(r)")
    #expect(r.stderr.contains("a Conductor server? POST \(server.url)/elsewhere/api/token was not found"), "\(r)")
  }

  @Test func secretsWithQuotesAndBackslashesArriveIntact() throws {
    let id = #"id"x\y"#
    let secret = #"p"a\ss w'o$r`d \n"#
    let sandbox = try Sandbox()
    guard let server = try FakeConductor.start(["--key-id", id, "--key-secret", secret]) else { return }
    try sandbox.addKey("dev", server: server.url, id: id, secret: secret)
    let r = try sandbox.run(["token", "dev"])
    #expect(r.status == 0, "\(r)")
    let bodies = try #require(try server.stats(sandbox)["bodies"] as? [String])
    let body = try #require(try JSONSerialization.jsonObject(with: Data(bodies[0].utf8)) as? [String: String])
    #expect(body == ["keyId": id, "keySecret": secret])
  }

  @Test func curlConfigQuoting() throws {
    #expect(try HTTP.quote(#"a"b\c"#) == #""a\"b\\c""#)
    #expect(try HTTP.quote("tab\there") == #""tab\there""#)
    #expect(try HTTP.quote("@/etc/passwd") == #""@/etc/passwd""#)
    #expect(throws: Failure.self) { try HTTP.quote("bell\u{7}") }
    let config = try HTTP.curlConfig(
      for: HTTPRequest(method: "POST", url: "http://[::1]:8080/api/token", headers: ["A: b"], body: "{\"k\":\"v\\\\\"}"))
    #expect(config.contains("\ngloboff\n"))
    #expect(config.contains("url = \"http://[::1]:8080/api/token\"\n"))
    #expect(config.contains(#"data-raw = "{\"k\":\"v\\\\\"}""#))
    #expect(config.contains("connect-timeout = 5\n") && config.contains("max-time = 15\n"))
    #expect(!config.contains("location"))
  }

  // MARK: token, other kinds

  @Test func userTokenProfilePrintsItsToken() throws {
    let sandbox = try Sandbox()
    let jwt = makeJWT(["sub": "jane", "exp": NetworkTests.now + 7200])
    try sandbox.addToken("play", token: jwt)
    let r = try sandbox.run(["token", "play"])
    #expect(r.status == 0 && r.stdout == jwt + "\n" && r.stderr == "", "\(r)")
    let h = try sandbox.run(["token", "play", "--header"])
    #expect(h.stdout == "X-Authorization: \(jwt)\n")
  }

  @Test func expiredUserTokenIsAnError() throws {
    let sandbox = try Sandbox()
    let jwt = makeJWT(["sub": "jane", "exp": NetworkTests.now - 60])
    try sandbox.addToken("play", token: jwt)
    let r = try sandbox.run(["token", "play"])
    #expect(r.status == 1, "\(r)")
    #expect(r.stdout == "")
    #expect(r.stderr.hasPrefix("error: the user token of profile 'play' expired"), "\(r)")
    #expect(r.stderr.contains("conductor-profile set play --user-token"))
  }

  @Test func noAuthProfileHasNoToken() throws {
    let sandbox = try Sandbox()
    #expect(try sandbox.run(["add", "oss", "--server", "http://127.0.0.1:1", "--no-auth"]).status == 0)
    let r = try sandbox.run(["token", "oss"])
    #expect(r.status == 1 && r.stdout == "", "\(r)")
    #expect(r.stderr.contains("no credential"), "\(r)")
    let v = try sandbox.run(["verify", "oss"])
    #expect(v.status == 1 && v.stderr.contains("no credential"), "\(v)")
  }

  @Test func nameDefaultsToTheActiveProfile() throws {
    let sandbox = try Sandbox()
    let jwt = makeJWT(["sub": "jane"])
    try sandbox.addToken("play", token: jwt)
    let r = try sandbox.run(["token"], env: ["CONDUCTOR_PROFILE_ACTIVE": "play"])
    #expect(r.status == 0 && r.stdout == jwt + "\n", "\(r)")
    let none = try sandbox.run(["token"])
    #expect(none.status == 1 && none.stderr.contains("no profile is active"), "\(none)")
    let unknown = try sandbox.run(["verify", "paly"])
    #expect(unknown.status == 64 && unknown.stderr.contains("did you mean 'play'"), "\(unknown)")
  }

  // MARK: the guard

  @Test func blockModeRefusesAUserTokenOnProduction() throws {
    let sandbox = try Sandbox()
    let server = "https://prod.example.com"
    try sandbox.addKey("prod", server: server, extra: ["--production"])
    let jwt = makeJWT(["sub": "jane", "exp": NetworkTests.now + 7200])
    try sandbox.addToken("play", server: server, token: jwt)
    let blocked = try sandbox.run(["token", "play"], env: ["CONDUCTOR_PROFILE_GUARD": "block"])
    #expect(blocked.status == 3, "\(blocked)")
    #expect(blocked.stdout == "")
    #expect(blocked.stderr.contains("refused"), "\(blocked)")
    // Block mode from the store too.
    var store = try sandbox.storeJSON()
    store["guard"] = "block"
    try sandbox.writeStore(String(decoding: try JSONSerialization.data(withJSONObject: store), as: UTF8.self))
    let fromStore = try sandbox.run(["token", "play", "--header"])
    #expect(fromStore.status == 3 && fromStore.stdout == "", "\(fromStore)")
    // Warn mode: the token, and one warning.
    let warned = try sandbox.run(["token", "play"], env: ["CONDUCTOR_PROFILE_GUARD": "warn"])
    #expect(warned.status == 0 && warned.stdout == jwt + "\n", "\(warned)")
    #expect(warned.stderr.hasPrefix("warning: "), "\(warned)")
  }

  @Test func guardCountsAMintedTokenAsNoUserToken() throws {
    let sandbox = try Sandbox()
    guard let server = try FakeConductor.start() else { return }
    try sandbox.addKey("prod", server: server.url, extra: ["--production"])
    let minted = try sandbox.run(["token", "prod"])
    #expect(minted.status == 0, "\(minted)")
    let jwt = minted.stdout.trimmingCharacters(in: .newlines)
    let env = ["CONDUCTOR_SERVER_URL": server.url + "/api"]
    let ok = try sandbox.run(["guard"], env: env.merging(["CONDUCTOR_AUTH_TOKEN": jwt]) { $1 })
    #expect(ok.status == 0, "\(ok)")
    let user = makeJWT(["sub": "jane", "exp": NetworkTests.now + 7200])
    let refused = try sandbox.run(["guard"], env: env.merging(["CONDUCTOR_AUTH_TOKEN": user]) { $1 })
    #expect(refused.status == 3, "\(refused)")
  }

  // MARK: verify

  @Test func verifyKeyMintsFreshAndLeavesTheCache() throws {
    let sandbox = try Sandbox()
    guard let server = try FakeConductor.start() else { return }
    try sandbox.addKey("dev", server: server.url)
    let first = try sandbox.run(["verify", "dev"])
    #expect(first.status == 0, "\(first)")
    let lines = first.stdout.split(separator: "\n").map(String.init)
    #expect(lines.first == "ok: the application key 'key-id' of profile 'dev' works on \(server.url)/api", "\(first)")
    #expect(lines.contains("  name:    app-key-id"), "\(first)")
    #expect(lines.contains("  sub:     key-id"), "\(first)")
    // The server mints exp = now + 3600; a second may pass before the program reads the clock.
    let expires = lines.last ?? ""
    #expect(expires.hasPrefix("  expires: ") && (expires.hasSuffix("(in 1h 0m)") || expires.hasSuffix("(in 59m)")), "\(first)")
    #expect(!FileManager.default.fileExists(atPath: cachePath(sandbox, "dev")))
    // Never from the cache: each verify asks the server.
    #expect(try sandbox.run(["token", "dev"]).status == 0)
    #expect(try sandbox.run(["verify", "dev"]).status == 0)
    #expect(try server.count("token", sandbox) == 3)
  }

  @Test func verifyUserTokenAsksUserInfo() throws {
    let sandbox = try Sandbox()
    let jwt = makeJWT(["sub": "jane@example.com", "exp": NetworkTests.now + 7200])
    guard let server = try FakeConductor.start(["--user-token", jwt]) else { return }
    try sandbox.addToken("play", server: server.url, token: jwt)
    let r = try sandbox.run(["verify", "play"])
    #expect(r.status == 0, "\(r)")
    #expect(
      r.stdout.hasPrefix(
        """
        ok: the user token of profile 'play' works on \(server.url)/api
          user:    Jane Doe (jane@example.com)
          roles:   USER, ADMIN
          groups:  engineering
          expires: 
        """), "\(r)")
    #expect(r.stdout.hasSuffix("(in 2h 0m)\n") || r.stdout.hasSuffix("(in 1h 59m)\n"), "\(r)")
    let headers = try #require(try server.stats(sandbox)["headers"] as? [[String: String]])
    #expect(headers.first?["X-Authorization"] == jwt)
  }

  @Test func verifyExpiredUserToken() throws {
    let sandbox = try Sandbox()
    let jwt = makeJWT(["sub": "jane", "exp": NetworkTests.now - 3 * 3600])
    guard let server = try FakeConductor.start(["--expired-token", jwt]) else { return }
    try sandbox.addToken("play", server: server.url, token: jwt)
    let r = try sandbox.run(["verify", "play"])
    #expect(r.status == 1 && r.stdout == "", "\(r)")
    #expect(r.stderr.contains("HTTP 401 EXPIRED_TOKEN (Token has expired)"), "\(r)")
    #expect(r.stderr.contains("expired 3h 0m ago"), "\(r)")
    #expect(r.stderr.contains("conductor-profile set play --user-token"), "\(r)")
  }

  @Test func verifyInvalidUserToken() throws {
    let sandbox = try Sandbox()
    guard let server = try FakeConductor.start() else { return }
    try sandbox.addToken("play", server: server.url, token: makeJWT(["sub": "jane"]))
    let r = try sandbox.run(["verify", "play"])
    #expect(r.status == 1 && r.stderr.contains("HTTP 401 INVALID_TOKEN"), "\(r)")
  }

  // MARK: transport failures

  @Test func connectionRefusedFailsFast() throws {
    let sandbox = try Sandbox()
    try sandbox.addKey("gone", server: "http://127.0.0.1:1")
    let start = Date()
    let r = try sandbox.run(["token", "gone"])
    #expect(Date().timeIntervalSince(start) < 4)
    #expect(r.status == 1 && r.stdout == "", "\(r)")
    #expect(r.stderr.contains("could not connect to 127.0.0.1:1"), "\(r)")
  }

  @Test func slowServerTimesOut() throws {
    let sandbox = try Sandbox()
    guard let server = try FakeConductor.start(["--delay", "40"]) else { return }
    try sandbox.addKey("slow", server: server.url)
    let start = Date()
    let r = try sandbox.run(["token", "slow"])
    let elapsed = Date().timeIntervalSince(start)
    #expect(r.status == 1, "\(r)")
    #expect(r.stderr.contains("timed out"), "\(r)")
    #expect(elapsed >= 14 && elapsed < 25, "took \(elapsed) s")
  }

  @Test func missingCurlIsAClearError() throws {
    let sandbox = try Sandbox()
    try sandbox.addKey("dev", server: "http://127.0.0.1:1")
    let r = try sandbox.run(["token", "dev"], env: ["PATH": sandbox.root.path + "/empty-bin"])
    #expect(r.status == 1, "\(r)")
    #expect(r.stderr.hasPrefix("error: curl is not installed or not on PATH"), "\(r)")
  }

  /// While a request is in flight, no process's command line (nor, where readable, its environment)
  /// holds the key secret.
  @Test func secretNeverOnACommandLine() throws {
    let secret = "sEcReT-\(UUID().uuidString)"
    let sandbox = try Sandbox()
    guard let server = try FakeConductor.start(["--key-secret", secret, "--delay", "2"]) else { return }
    try sandbox.addKey("dev", server: server.url, secret: secret)

    let process = try TestProcess(Sandbox.program, ["token", "dev", "--refresh"], environment: sandbox.environment)

    var sawCurl = false
    var leaks: [String] = []
    let needle = Data(secret.utf8)
    // The fake server is given the secret on its own command line: it alone may show it.
    let exempt = String(server.process.pid)
    let deadline = Date().addingTimeInterval(20)
    while process.isRunning && Date() < deadline {
      let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc"))?.filter { Int($0) != nil } ?? []
      for pid in pids where pid != exempt {
        if let cmdline = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") {
          if cmdline.range(of: needle) != nil { leaks.append("/proc/\(pid)/cmdline") }
          let words = cmdline.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
          if words.first.map({ $0.hasSuffix("curl") }) == true && words.contains("--config") { sawCurl = true }
        }
        if let environ = FileManager.default.contents(atPath: "/proc/\(pid)/environ"), environ.range(of: needle) != nil {
          leaks.append("/proc/\(pid)/environ")
        }
      }
      usleep(20_000)
    }
    #expect(process.wait() == 0)
    #expect(sawCurl, "the scan never saw curl running, so it proved nothing")
    #expect(leaks.isEmpty, "the secret is visible in \(Set(leaks).sorted())")
    // The scan itself can find the secret where it is (the fake server's command line).
    #expect(FileManager.default.contents(atPath: "/proc/\(exempt)/cmdline")?.range(of: needle) != nil)
    #expect(try server.count("token", sandbox) == 1)
  }
}
