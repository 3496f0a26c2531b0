import Foundation
import Testing

@testable import ConductorNetwork
@testable import ProfileCommands
@testable import ProfileModel
@testable import ShellOutput

/// The hooks with other people's shells: an alias at load time, a switch the shell cannot apply,
/// completion of names from a hand-edited store.
@Suite struct HookTrustTests {
  func sandbox() throws -> Sandbox {
    let s = try Sandbox()
    for (name, extra) in [("a", ["--env", "X_RO=from-a"]), ("b", [])] {
      let r = try s.run(["add", name, "--server", "https://\(name).example.com", "--no-auth"] + extra)
      #expect(r.status == 0, "\(r)")
    }
    return s
  }

  /// bash (aliases expanded, as in an interactive shell) and zsh load the hook with an alias present.
  @Test(arguments: [HookShell.bash, .zsh]) func anAliasAtLoadTimeDoesNotBreakTheHook(shell: HookShell) throws {
    let s = try sandbox()
    let setup = shell == .bash ? "shopt -s expand_aliases\n" : ""
    let script = """
      \(setup)alias conductor-profile='command conductor-profile'
      \(shell.load)
      echo "loaded=$?" > status
      unalias conductor-profile
      conductor-profile use b; echo "use=$?" >> status
      printf '%s\\n' "$CONDUCTOR_PROFILE_ACTIVE" >> status
      \(shell == .zsh ? "echo \"command-function=${+functions[command]}\" >> status" : "type -t command >> status")
      """
    guard let r = try s.shell(shell, script) else { return }
    let expected = shell == .zsh ? "loaded=0\nuse=0\nb\ncommand-function=0\n" : "loaded=0\nuse=0\nb\nbuiltin\n"
    #expect(try s.outText("status") == expected, "\(r)")
    #expect(!r.stderr.contains("syntax error") && !r.stderr.contains("parse error"), "\(r)")
  }

  /// A variable the shell refuses (made read-only): `use` says so, exits 1, and the shell stays as it was —
  /// in zsh with err_exit too.
  @Test(arguments: [HookShell.bash, .zsh]) func aSwitchTheShellCannotApplyFailsAndChangesNothing(shell: HookShell) throws {
    let s = try sandbox()
    let readonly = shell == .zsh ? "typeset -r X_RO=mine" : "readonly X_RO=mine"
    let errexit = shell == .zsh ? "setopt err_exit" : ""
    let script = """
      \(shell.load)
      conductor-profile use b
      \(readonly)
      env -0 > before
      \(errexit)
      conductor-profile use a || echo "use=$?" > status
      env -0 > after
      echo alive >> status
      """
    guard let r = try s.shell(shell, script) else { return }
    #expect(try s.outText("status") == "use=1\nalive\n", "\(r)")
    #expect(try s.outBytes("before") == s.outBytes("after"), "the environment is byte for byte the same")
    #expect(try s.environmentDump("after")["CONDUCTOR_PROFILE_ACTIVE"] == bytes("b"))
    #expect(r.stderr.contains("conductor-profile: this shell cannot apply the switch: X_RO is read-only"), "\(r)")
  }

  /// Completion offers only valid profile names, as literal words: a hand-edited store's `$(cmd)` runs nothing.
  @Test func bashCompletionNeverEvaluatesStoreText() throws {
    guard let bash = try requireShell("bash") else { return }
    let s = try Sandbox()
    try FileManager.default.createDirectory(at: s.out, withIntermediateDirectories: true)
    let ran = s.out.appendingPathComponent("ran").path
    var profiles: [String: Any] = [:]
    for name in ["dev", "$(touch \(ran))", "`touch \(ran)`", "a b", "*", "$((1+1))", "${HOME}", "x;touch \(ran)"] {
      profiles[name] = ["server": "https://x.example.com/api", "auth": ["kind": "none"]]
    }
    let store = try JSONSerialization.data(withJSONObject: ["version": 1, "profiles": profiles])
    try s.writeStore(String(decoding: store, as: UTF8.self))
    let names = try s.run(["__complete", "--", "use", ""])
    #expect(names.stdout == "dev\n:nofiles\n", "\(names)")
    let script = try s.run(["completions", "bash"])
    let path = s.root.appendingPathComponent("completion.bash").path
    try script.stdout.write(toFile: path, atomically: true, encoding: .utf8)
    for words in [["conductor-profile", "use", ""], ["conductor-profile", "show", ""], ["conductor-profile", "exec", ""]] {
      let program = """
        source \(ShellSyntax.bash.quote(path))
        COMP_WORDS=(\(words.map { ShellSyntax.bash.quote($0) }.joined(separator: " "))); COMP_CWORD=\(words.count - 1)
        _conductor_profile_complete
        printf '%s\\n' "${COMPREPLY[@]}"
        """
      let r = try s.execute(bash, ["--norc", "--noprofile", "-c", program], env: ["OUT": s.out.path])
      #expect(r.stdout.split(separator: "\n").filter { $0 != "-" } == ["dev"], "\(words): \(r)")
    }
    #expect(!FileManager.default.fileExists(atPath: ran), "nothing from the store ran")
  }
}
