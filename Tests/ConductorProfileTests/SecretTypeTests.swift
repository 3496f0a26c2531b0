import Testing

@testable import ConductorNetwork
@testable import ProfileCommands
@testable import ProfileModel
@testable import ShellOutput

/// A secret is a type whose description is redacted: interpolated into a message or a log by mistake,
/// it shows nothing of itself.
@Suite struct SecretTypeTests {
  @Test func aKeySecretAndATokenDescribeThemselvesRedacted() throws {
    let secret = Secret("s3cr3t-value")
    #expect("\(secret)" == "<redacted>")
    #expect(String(reflecting: secret) == "Secret(<redacted>)")
    #expect(secret.text == "s3cr3t-value")
    let credential = Credential.key(id: "id", secret: secret)
    #expect(!"\(credential)".contains("s3cr3t"), "\(credential)")
    let token = try JWT(validating: annToken)
    #expect(!"\(token)".contains(annToken) && !String(reflecting: token).contains(annToken))
    #expect(!"\(Credential.userToken(token))".contains(annToken))
  }
}

// Written for mutants of Tests/Support/mutants.txt that no earlier test killed (docs/mutations.md).
extension SecretTypeTests {
  /// L07: a secret on standard input that is not UTF-8 is refused, not stored with U+FFFD in its place.
  @Test func aSecretThatIsNotUTF8IsRefused() throws {
    let s = try Sandbox()
    try s.addKey("dev")
    let before = try #require(s.storeBytes())
    let r = try TestProcess.run(
      Sandbox.program, ["add", "new", "--server", "https://x.example.com", "--key-id", "k"], environment: s.environment,
      stdin: [0x61, 0xFF, 0x62, 0x0A])
    #expect(r.status == 1, "\(r)")
    #expect(r.stdout == "", "\(r)")
    #expect(r.stderr == "error: the secret read from standard input is not UTF-8 text\n", "\(r)")
    #expect(s.storeBytes() == before)
  }
}
