import Foundation
import Testing

/// A new shell costs one process of ours: `init` prints the hook, the completions and the start-up
/// switch to the default profile in one output (the contract's `init` row), counted with strace.
@Suite struct StartupTests {
  /// `dev` is the default; `prod` exists too.
  func sandboxWithDefault() throws -> Sandbox {
    let sandbox = try Sandbox()
    try sandbox.addKey("dev", id: "dev-id", secret: "dev-secret")
    try sandbox.addKey("prod", server: "https://prod.example.com", id: "prod-id")
    #expect(try sandbox.run(["default", "dev"]).status == 0)
    return sandbox
  }

  @Test(arguments: HookShell.allCases) func initPrintsTheStartupSwitchAfterTheHookAndCompletions(shell: HookShell) throws {
    let sandbox = try sandboxWithDefault()
    let r = try sandbox.run(["init", shell.rawValue])
    #expect(r.status == 0 && r.stderr.isEmpty, "\(r)")
    let hook = try String(contentsOf: ShellInitTests.committed(shell), encoding: .utf8)
    let completions = try sandbox.run(["completions", shell.rawValue]).stdout
    let env = try sandbox.run(["env", "dev", "--shell", shell.rawValue]).stdout
    let (set, unset) = ShellInitTests.initMarker(shell)
    // The switch's first line names what it sets (for the hook's check), in the order the code does.
    let names = env.split(separator: "\n").compactMap { line -> Substring? in
      let words = line.split(separator: " ")
      return line.hasPrefix("set -e -g ") ? words[3] : words.count > 1 ? words[shell == .fish ? 2 : 1] : nil
    }.map { $0.split(separator: "=")[0].split(separator: ";")[0] }
    let code = "# conductor-profile switch sets: " + names.joined(separator: " ") + "\n" + env
    let startup =
      shell == .fish
      ? "if set -q _CONDUCTOR_PROFILE_INIT\n" + code + "end\n"
      : "if [[ -n \"${_CONDUCTOR_PROFILE_INIT-}\" ]]; then\n" + code + "_conductor_profile_segment\nfi\n"
    #expect(r.stdout == set + hook + completions + startup + unset)
    // A shell that has a profile keeps it: no switch in the output.
    let inherited = try sandbox.run(["init", shell.rawValue], env: ["CONDUCTOR_PROFILE_ACTIVE": "prod"])
    #expect(inherited.stdout == set + hook + completions + unset, "\(inherited)")
  }

  /// The start-up refusal of the guard is printed as `use` prints it, and the hook is loaded all the same.
  @Test func aRefusedDefaultStillLoadsTheHook() throws {
    let sandbox = try Sandbox()
    try sandbox.addKey("prod", server: "https://prod.example.com", extra: ["--production"])
    try sandbox.addToken("risky", server: "https://prod.example.com", token: annToken)
    #expect(try sandbox.run(["default", "risky"]).status == 0)
    let r = try sandbox.run(["init", "bash"], env: ["CONDUCTOR_PROFILE_GUARD": "block"])
    #expect(r.status == 0, "\(r)")
    #expect(r.stderr.contains("refused by the guard"), "\(r)")
    #expect(!r.stdout.contains("export CONDUCTOR_PROFILE_ACTIVE="), "\(r)")
    #expect(r.stdout.contains("function conductor-profile {") && r.stdout.hasSuffix("unset _CONDUCTOR_PROFILE_INIT\n"))
  }

  /// The successful `execve` calls of the program in an strace log.
  static func programRuns(_ trace: String) -> Int {
    trace.split(separator: "\n").filter { $0.contains("execve(\"\(Sandbox.program)\"") && $0.hasSuffix(" = 0") }.count
  }

  /// A new interactive shell whose start-up file is the README's one line, with a default profile:
  /// exactly one process of ours, and the default is active at the first prompt.
  @Test(.requires("strace"), arguments: HookShell.allCases) func aNewShellStartsOneProcessOfOurs(shell: HookShell) throws {
    let strace = try Tool.require("strace")
    let path = try #require(try shell.path())
    let sandbox = try sandboxWithDefault()
    try FileManager.default.createDirectory(at: sandbox.out, withIntermediateDirectories: true)
    let trace = sandbox.root.appendingPathComponent("trace").path
    let dump = "env -0 > '\(sandbox.out.path)/env0'"
    let arguments: [String]
    var stdin: String? = nil
    switch shell {
    case .bash, .zsh:
      // Interactive, its commands on standard input (its own session: no terminal to take).
      arguments = shell.flags + ["-i"]
      stdin = shell.load + "\n" + dump + "\nexit\n"
    case .fish:
      arguments = ["--no-config", "-i", "-c", shell.load + "; " + dump]
    }
    let r = try sandbox.execute(strace, ["-f", "-qq", "-e", "trace=execve", "-o", trace, path] + arguments, stdin: stdin)
    #expect(r.status == 0, "\(r)")
    #expect(!r.stderr.contains("error") && !r.stderr.contains("warning"), "\(r)")
    let log = try String(contentsOfFile: trace, encoding: .utf8)
    #expect(Self.programRuns(log) == 1, "\(log)")
    let env = try sandbox.environmentDump("env0")
    #expect(env["CONDUCTOR_PROFILE_ACTIVE"] == bytes("dev") && env["CONDUCTOR_AUTH_SECRET"] == bytes("dev-secret"))
    #expect(env["_CONDUCTOR_PROFILE_INIT"] == nil)
  }
}
