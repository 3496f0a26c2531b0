import Foundation
import Testing

@Suite struct SmokeTests {
  @Test func versionIsBare() throws {
    let sandbox = try Sandbox()
    let r = try sandbox.run(["--version"])
    #expect(r.status == 0)
    #expect(r.stdout == "0.1.0\n")
    #expect(r.stderr == "")
  }
}
