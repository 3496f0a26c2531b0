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
