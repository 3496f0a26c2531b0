import Foundation
import Testing

/// The seatbelt (issue 16) in real shells: `use -` with `cd -` semantics, limited sessions, confirmation.
@Suite struct SeatbeltTests {
  static let shells = HookShell.allCases

  /// `dev` (key), `prod` (production key), `play` (user token).
  func sandbox() throws -> Sandbox {
    let sandbox = try Sandbox()
    try sandbox.addKey("dev", id: "dev-id", secret: "dev-secret", extra: ["--env", "X_ONE=1"])
    try sandbox.addKey("prod", server: "https://prod.example.com", id: "prod-id", secret: "prod-secret", extra: ["--production"])
    return sandbox
  }

  // MARK: use -

  /// Runs `steps` (each a command line after `conductor-profile`) in one shell and returns, per step,
  /// its exit status and the active profile after it ("" for none).
  func sequence(_ shell: HookShell, _ sandbox: Sandbox, _ steps: [String], env: [String: String] = [:]) throws
    -> [(status: String, active: String)]?
  {
    var script = shell.load + "\n"
    for (i, step) in steps.enumerated() {
      script += "conductor-profile \(step) 2>> err; echo $? > s\(i); printf '%s' \"$CONDUCTOR_PROFILE_ACTIVE\" > a\(i)\n"
    }
    guard let r = try sandbox.shell(shell, script, env: env) else { return nil }
    #expect(r.status == 0 && r.stdout == "", "\(r)")
    return try steps.indices.map { (try sandbox.outText("s\($0)"), try sandbox.outText("a\($0)")) }
  }

  @Test(arguments: shells) func useDashGoesBackToTheProfileBefore(shell: HookShell) throws {
    let sandbox = try sandbox()
    #expect(try sandbox.run(["default", "dev"]).status == 0)
    // The shell starts on the default; `use -` right after start has nothing to go back to.
    guard let steps = try sequence(shell, sandbox, ["use -", "use prod", "use -", "use -", "use dev", "use -"]) else {
      return
    }
    #expect(steps.map(\.status) == ["1\n", "0\n", "0\n", "0\n", "0\n", "0\n"])
    #expect(steps.map(\.active) == ["dev", "prod", "dev", "prod", "dev", "prod"])
    #expect(
      try sandbox.outText("err").hasPrefix(
        "error: no previous profile in this shell: 'use -' goes back to what the shell had before the last switch\n"))
  }

  @Test(arguments: shells) func useDashReturnsToNoProfileAndBack(shell: HookShell) throws {
    let sandbox = try sandbox()
    guard let steps = try sequence(shell, sandbox, ["use prod", "use -", "use -", "use -", "off", "use -", "use -"]) else {
      return
    }
    #expect(steps.map(\.status) == Array(repeating: "0\n", count: 7))
    #expect(steps.map(\.active) == ["prod", "", "prod", "", "", "prod", ""])
    // Back to no profile clears every variable, as off does.
    var script = shell.load + "\nconductor-profile use dev\nconductor-profile use -\nenv -0 > env0\n"
    script += "conductor-profile use -\nenv -0 > env1\n"
    guard let r = try sandbox.shell(shell, script) else { return }
    #expect(r.status == 0 && r.stderr == "", "\(r)")
    #expect(conductorNames(try sandbox.environmentDump("env0")) == [])
    #expect(try sandbox.environmentDump("env1")["X_ONE"] == bytes("1"))
  }

  @Test(arguments: shells) func offCountsAsASwitch(shell: HookShell) throws {
    let sandbox = try sandbox()
    guard let steps = try sequence(shell, sandbox, ["use dev", "use prod", "off", "use -", "use -", "use -"]) else {
      return
    }
    #expect(steps.map(\.active) == ["dev", "prod", "", "prod", "", "prod"])
  }
}
