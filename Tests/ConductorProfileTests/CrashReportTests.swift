import Foundation
import Testing

@testable import ProfileModel

@Suite struct CrashReportTests {
  /// A fatal signal prints one fixed line and no crash report (no registers, no memory, no backtrace):
  /// the program is stopped while it holds a secret (waiting for a helper) and sent SIGSEGV.
  @Test func aCrashPrintsOneLineAndNoMemory() throws {
    let s = try Sandbox()
    let (script, mode) = try switchableHelper(s)
    #expect(
      try s.run(
        ["add", "dev", "--server", "https://dev.example.com", "--key-id", "k", "--secret-store", "command", "--", script]
      ).status == 0)
    setHelperMode(mode, "hang")
    let err = s.root.appendingPathComponent("err").path
    let child = try TestProcess(
      Sandbox.program, ["env", "dev"], environment: s.environment, stdout: .discard, stderr: .file(err), timeout: 30)
    // Wait until the helper runs (the program then holds the store in memory).
    for _ in 0..<100 where !FileManager.default.fileExists(atPath: s.root.path + "/child.pid") { usleep(50_000) }
    #expect(kill(child.pid, SIGSEGV) == 0)
    let status = child.wait()
    #expect(status == SIGSEGV)
    let text = try String(contentsOfFile: err, encoding: .utf8)
    #expect(
      text
        == "conductor-profile: internal error (a crash); no crash report is printed, as it could show secrets from memory. Please report how it happened.\n",
      "\(text)")
    if let pid = try? String(contentsOfFile: s.root.path + "/child.pid", encoding: .utf8),
      let n = pid_t(pid.trimmingCharacters(in: .whitespacesAndNewlines))
    {
      kill(n, SIGKILL)
    }
  }
}
