import Foundation
import Testing

/// The program at a real terminal (a pseudo-terminal driven by Tests/Support/pty_run.py): secrets are
/// prompted for without echo, and colour appears only on a terminal and never with NO_COLOR.
@Suite struct TerminalTests {
  static let driver = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Support/pty_run.py").path

  /// What the terminal showed, or nil when python3 is missing (a failure under CI=true).
  func atTerminal(
    _ sandbox: Sandbox, prompt: String = "", answer: String = "", _ arguments: [String], env: [String: String] = [:]
  )
    throws -> Sandbox.Result?
  {
    guard let python = try requireShell("python3") else { return nil }
    return try sandbox.execute(python, [Self.driver, prompt, answer, Sandbox.program] + arguments, env: env)
  }

  @Test func keySecretIsPromptedForWithoutEcho() throws {
    let sandbox = try Sandbox()
    let secret = "hunter2-not-echoed"
    guard
      let r = try atTerminal(
        sandbox, prompt: "Key secret for dev: ", answer: secret,
        ["add", "dev", "--server", "https://dev.example.com", "--key-id", "k1"])
    else { return }
    #expect(r.status == 0, "\(r)")
    #expect(r.stdout == "Key secret for dev: \r\nadded profile 'dev' (key, https://dev.example.com/api)\r\n", "\(r)")
    #expect(!r.stdout.contains(secret), "the secret was echoed")
    let shown = try sandbox.run(["show", "dev", "--reveal"])
    #expect(shown.stdout.contains("key secret:    \(secret)\n"), "\(shown)")
  }

  @Test func userTokenIsPromptedForWithoutEcho() throws {
    let sandbox = try Sandbox()
    let token = makeJWT(["sub": "ada@example.com", "exp": 4_102_444_800])
    guard
      let r = try atTerminal(
        sandbox, prompt: "User token for play: ", answer: token,
        ["add", "play", "--server", "https://play.example.com", "--user-token"])
    else { return }
    #expect(r.status == 0, "\(r)")
    #expect(!r.stdout.contains(token), "the token was echoed")
    #expect(try sandbox.run(["token", "play"]).stdout == token + "\n")
  }

  @Test func listIsColouredOnlyOnATerminalWithoutNoColor() throws {
    let sandbox = try Sandbox()
    try sandbox.addKey("prod", server: "https://prod.example.com", extra: ["--production"])
    guard let coloured = try atTerminal(sandbox, ["list"]) else { return }
    #expect(coloured.status == 0)
    #expect(coloured.stdout.contains("\u{1B}[31myes\u{1B}[0m"), "production in red: \(coloured)")
    let plain = try #require(try atTerminal(sandbox, ["list"], env: ["NO_COLOR": "1"]))
    #expect(!plain.stdout.contains("\u{1B}"), "\(plain)")
    #expect(!(try sandbox.run(["list"])).stdout.contains("\u{1B}"), "no colour in a pipe")
  }
}
