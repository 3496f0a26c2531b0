import Foundation
import Testing

/// Directory profiles in real interactive bash, zsh and fish: a `.conductor-profile` file switches the
/// shell on entering its tree and back on leaving, costs no process otherwise, and keeps `$?`.
/// Each shell runs in its own session (setsid, no terminal) under a time-out.
@Suite struct DirectoryHookTests {
  static let shells = HookShell.allCases
  /// 30 directories deep, below a tree's top.
  static let deep = (1...30).map { "l\($0)" }.joined(separator: "/")
  static let half = (1...15).map { "l\($0)" }.joined(separator: "/")

  /// Profiles dev (key, extras), prod (production key), other, risky (a user token on prod's server); trees
  /// under `out`: tree (dev, allowed, 30 levels deep), untrusted (prod, never allowed), edited (allowed as dev,
  /// then changed), missing (names a profile that does not exist, allowed), risky (allowed).
  func treeSandbox() throws -> Sandbox {
    let sandbox = try Sandbox()
    try sandbox.addKey("dev", id: "dev-id", extra: ["--env", "X_ONE=1", "--env", "X_TWO=two words"])
    try sandbox.addKey("prod", server: "https://prod.example.com", id: "prod-id", extra: ["--production"])
    try sandbox.addKey("other", server: "https://other.example.com", id: "other-id")
    try sandbox.addToken("risky", server: "https://prod.example.com", token: annToken)
    let trees = ["tree": "dev", "untrusted": "prod", "edited": "dev", "missing": "gone", "risky": "risky"]
    for (tree, name) in trees {
      let top = sandbox.out.appendingPathComponent(tree)
      try FileManager.default.createDirectory(at: top.appendingPathComponent(Self.deep), withIntermediateDirectories: true)
      try Data("\(name)\n".utf8).write(to: top.appendingPathComponent(".conductor-profile"))
      if tree != "untrusted" {
        let r = try sandbox.run(["allow", top.path])
        #expect(r.status == 0, "\(r)")
      }
    }
    try Data("prod\n".utf8).write(to: sandbox.out.appendingPathComponent("edited/.conductor-profile"))
    return sandbox
  }

  /// Runs `script` (bash spelling of `$?`) as typed lines into an interactive shell (fish: commands
  /// on standard input) that starts in `out` and sources the hook file. Nil when a tool is missing.
  func interactive(
    _ sandbox: Sandbox, _ shell: HookShell, _ script: String, env: [String: String] = [:], trace: String? = nil
  ) throws -> Sandbox.Result? {
    guard let path = try shell.path(), let setsid = try requireShell("setsid"), let timeout = try requireShell("timeout")
    else { return nil }
    var command = [timeout, "-k", "5", "120"]
    if let trace {
      guard let strace = try requireShell("strace") else { return nil }
      command += [strace, "-f", "-qq", "-e", "trace=execve,clone,clone3,fork,vfork", "-o", trace]
    }
    command += [path] + shell.flags + (shell == .fish ? [] : ["-i"])
    let prelude: String
    switch shell {
    case .bash: prelude = "PS1=''\nPS2=''\n"
    case .zsh: prelude = "unsetopt prompt_sp prompt_cr\nPROMPT=''\nPS2=''\n"
    case .fish: prelude = ""
    }
    let hook = try sandbox.hookFile(shell)
    let input = prelude + "source '\(hook)'\n" + shell.adapt(script) + "\nexit\n"
    try FileManager.default.createDirectory(at: sandbox.out, withIntermediateDirectories: true)
    return try sandbox.execute(
      setsid, ["-w", "sh", "-c", "cd \"$OUT\" && exec \"$@\"", "sh"] + command, stdin: input,
      env: ["OUT": sandbox.out.path].merging(env) { $1 })
  }

  /// Lines of standard error that contain `text`, from where `text` starts (a prompt may precede it).
  func lines(_ r: Sandbox.Result, containing text: String) -> [String] {
    r.stderr.split(separator: "\n").compactMap { line in line.range(of: text).map { String(line[$0.lowerBound...]) } }
  }

  @Test(arguments: shells) func enterSwitchesLeaveRestoresAndAUseInsideLastsUntilLeaving(shell: HookShell) throws {
    let sandbox = try treeSandbox()
    let script = """
      conductor-profile use other
      env -u OLDPWD -0 > "$OUT/before"
      cd tree
      printf '%s' "$CONDUCTOR_PROFILE_ACTIVE" > "$OUT/in-top"
      cd \(Self.deep)
      printf '%s' "$CONDUCTOR_PROFILE_ACTIVE" > "$OUT/in-deep"
      conductor-profile use prod
      cd "$OUT/tree"
      printf '%s' "$CONDUCTOR_PROFILE_ACTIVE" > "$OUT/used-top"
      cd \(Self.half)
      printf '%s' "$CONDUCTOR_PROFILE_ACTIVE" > "$OUT/used-half"
      cd "$OUT"
      env -u OLDPWD -0 > "$OUT/after"
      conductor-profile off
      env -u OLDPWD -0 > "$OUT/none-before"
      cd tree/\(Self.half)
      printf '%s' "$CONDUCTOR_PROFILE_ACTIVE" > "$OUT/none-in"
      cd "$OUT"
      env -u OLDPWD -0 > "$OUT/none-after"
      """
    guard let r = try interactive(sandbox, shell, script) else { return }
    #expect(r.status == 0, "\(r)")
    #expect(try sandbox.outText("in-top") == "dev", "\(r)")
    #expect(try sandbox.outText("in-deep") == "dev")
    #expect(try sandbox.outText("used-top") == "prod", "a use inside the tree survives cds inside it")
    #expect(try sandbox.outText("used-half") == "prod")
    let before = try sandbox.outBytes("before")
    #expect(try sandbox.environmentDump("before")["CONDUCTOR_PROFILE_ACTIVE"] == bytes("other"))
    #expect(try sandbox.outBytes("after") == before, "leaving restores what the shell had, byte for byte: \(r)")
    #expect(try sandbox.outText("none-in") == "dev")
    #expect(try sandbox.outBytes("none-after") == sandbox.outBytes("none-before"), "leaving restores no profile")
    #expect(conductorNames(try sandbox.environmentDump("none-after")) == [])
    let file = sandbox.out.path + "/tree/.conductor-profile"
    #expect(lines(r, containing: "conductor-profile: switched to 'dev' (\(file))").count == 2, "\(r)")
    #expect(lines(r, containing: "conductor-profile: left \(sandbox.out.path)/tree; back to 'other'").count == 1, "\(r)")
    #expect(lines(r, containing: "conductor-profile: left \(sandbox.out.path)/tree; back to no profile").count == 1, "\(r)")
  }

  /// `allow` through the hook applies the file at once: no `cd` needed after trusting it.
  @Test(arguments: shells) func allowSwitchesTheDirectoryAtOnce(shell: HookShell) throws {
    let sandbox = try treeSandbox()
    let script = """
      cd untrusted
      printf '%s' "$CONDUCTOR_PROFILE_ACTIVE" > "$OUT/before"
      conductor-profile allow
      printf '%s' "$CONDUCTOR_PROFILE_ACTIVE" > "$OUT/after"
      cd "$OUT"
      printf '%s' "$CONDUCTOR_PROFILE_ACTIVE" > "$OUT/left"
      """
    guard let r = try interactive(sandbox, shell, script) else { return }
    #expect(try sandbox.outText("before") == "", "\(r)")
    #expect(try sandbox.outText("after") == "prod", "\(r)")
    #expect(try sandbox.outText("left") == "", "leaving the tree ends it: \(r)")
  }

  @Test(arguments: shells) func untrustedEditedMissingAndRefusedSwitchNothingWithOneLineEach(shell: HookShell) throws {
    let sandbox = try treeSandbox()
    let script = """
      conductor-profile use other
      env -u OLDPWD -u PWD -0 > "$OUT/before"
      cd untrusted
      echo $? > "$OUT/untrusted-status"
      cd \(Self.deep)
      cd "$OUT"
      cd edited/\(Self.half)
      cd ..
      cd "$OUT"
      cd missing
      cd l1
      cd "$OUT"
      cd risky
      echo $? > "$OUT/risky-status"
      cd l1
      env -u OLDPWD -u PWD -0 > "$OUT/after"
      cd "$OUT"
      env -u OLDPWD -u PWD -0 > "$OUT/back"
      """
    guard let r = try interactive(sandbox, shell, script, env: ["CONDUCTOR_PROFILE_GUARD": "block"]) else { return }
    #expect(r.status == 0, "\(r)")
    let out = sandbox.out.path
    #expect(
      lines(r, containing: "conductor-profile: \(out)/untrusted/")
        == [
          "conductor-profile: \(out)/untrusted/.conductor-profile is not trusted, so nothing switched; trust it with: conductor-profile allow \(out)/untrusted"
        ], "\(r)")
    #expect(
      lines(r, containing: "conductor-profile: \(out)/edited/")
        == [
          "conductor-profile: \(out)/edited/.conductor-profile changed since it was allowed, so nothing switched; check it, then: conductor-profile allow \(out)/edited"
        ], "\(r)")
    #expect(
      lines(r, containing: "error: \(out)/missing/")
        == [
          "error: \(out)/missing/.conductor-profile names the profile 'gone', which does not exist, so nothing switched; add it (conductor-profile add gone …) or edit the file"
        ], "\(r)")
    #expect(lines(r, containing: "refused by the guard (mode block): profile 'risky'").count == 1, "\(r)")
    #expect(lines(r, containing: "switched to").isEmpty && lines(r, containing: "left ").isEmpty, "\(r)")
    let before = try sandbox.outBytes("before")
    #expect(try sandbox.outBytes("after") == before, "nothing switched: the environment is byte for byte the same")
    #expect(try sandbox.outBytes("back") == before)
    #expect(try sandbox.outText("untrusted-status") == "0\n", "\(r)")
    #expect(try sandbox.outText("risky-status") == "0\n", "\(r)")
  }

  @Test(arguments: [HookShell.bash, .zsh]) func thePromptSeesTheLastStatusAcrossASwitch(shell: HookShell) throws {
    let sandbox = try treeSandbox()
    // The prompt shows $? in brackets; a failing command on the line that enters, leaves or is refused.
    let prompt = shell == .bash ? "PS1='[$?]'" : "PROMPT='[%?]'"
    let script = """
      \(prompt)
      cd tree; (exit 7)
      cd "$OUT"; (exit 5)
      cd untrusted; (exit 4)
      cd "$OUT"
      cd risky; (exit 6)
      """
    guard let r = try interactive(sandbox, shell, script, env: ["CONDUCTOR_PROFILE_GUARD": "block"]) else { return }
    for (status, message) in [
      ("7", "switched to 'dev'"), ("5", "back to no profile"), ("4", "is not trusted"), ("6", "refused by the guard"),
    ] {
      let pattern = try Regex("\(message)[^\\n]*\\n(\\[[0-9]+\\])*\\[\(status)\\]")
      #expect(r.stderr.contains(pattern), "after '\(message)' the prompt shows [\(status)]: \(r)")
    }
  }

  @Test func fishKeepsTheStatusAcrossASwitch() throws {
    let sandbox = try treeSandbox()
    let script = """
      cd tree; false; echo $? > "$OUT/s1"
      cd "$OUT"; false; echo $? > "$OUT/s2"
      cd untrusted; echo $? > "$OUT/s3"
      """
    guard let r = try interactive(sandbox, .fish, script) else { return }
    #expect(try sandbox.outText("s1") == "1\n", "\(r)")
    #expect(try sandbox.outText("s2") == "1\n", "\(r)")
    #expect(try sandbox.outText("s3") == "0\n", "\(r)")
  }

  @Test(arguments: shells) func nestedTreesSwitchToTheNearestFileAndLeavingRestoresTheFirstBefore(shell: HookShell) throws {
    let sandbox = try treeSandbox()
    // tree/l1/l2 holds its own file, naming prod (allowed): the nearest file applies.
    let inner = sandbox.out.appendingPathComponent("tree/l1/l2")
    try Data("prod\n".utf8).write(to: inner.appendingPathComponent(".conductor-profile"))
    #expect(try sandbox.run(["allow", inner.path]).status == 0)
    // bash under `set -u`: the hook's functions read no unset variable.
    let script = """
      \(shell == .bash ? "set -u" : "")
      cd tree/l1
      printf '%s' "$CONDUCTOR_PROFILE_ACTIVE" > "$OUT/outer"
      cd l2/l3
      printf '%s' "$CONDUCTOR_PROFILE_ACTIVE" > "$OUT/inner"
      cd "$OUT/tree"
      printf '%s' "$CONDUCTOR_PROFILE_ACTIVE" > "$OUT/outer-again"
      cd "$OUT/untrusted"
      printf '%s' "\(shell == .fish ? "$CONDUCTOR_PROFILE_ACTIVE" : "${CONDUCTOR_PROFILE_ACTIVE-}")" > "$OUT/untrusted-restored"
      cd "$OUT"
      env -0 > "$OUT/left"
      """
    guard let r = try interactive(sandbox, shell, script) else { return }
    #expect(r.status == 0, "\(r)")
    #expect(try sandbox.outText("outer") == "dev", "\(r)")
    #expect(try sandbox.outText("inner") == "prod", "\(r)")
    #expect(try sandbox.outText("outer-again") == "dev", "\(r)")
    // Leaving a trusted tree for an untrusted one restores what the shell had before the first tree.
    #expect(try sandbox.outText("untrusted-restored") == "", "an untrusted tree switches nothing: \(r)")
    #expect(conductorNames(try sandbox.environmentDump("left")) == [], "\(r)")
    #expect(!r.stderr.contains("unbound variable"), "\(r)")
  }

  @Test(arguments: shells) func aShellThatStartsInATreeSwitchesAfterTheDefault(shell: HookShell) throws {
    let sandbox = try treeSandbox()
    #expect(try sandbox.run(["default", "other"]).status == 0)
    guard let path = try shell.path(), let setsid = try requireShell("setsid"), let timeout = try requireShell("timeout")
    else { return }
    // Starts in tree/l1 and loads the hook as the README says: bash looks at its first prompt, zsh and
    // fish when the hook loads, after the start-up switch to the default.
    let prelude = shell == .bash ? "PS1=''\n" : shell == .zsh ? "PROMPT=''\n" : ""
    let script = """
      \(prelude)\(shell.load)
      printf '%s' "$CONDUCTOR_PROFILE_ACTIVE" > "$OUT/inside"
      cd "$OUT"
      printf '%s' "$CONDUCTOR_PROFILE_ACTIVE" > "$OUT/outside"
      exit

      """
    try FileManager.default.createDirectory(at: sandbox.out, withIntermediateDirectories: true)
    let r = try sandbox.execute(
      setsid,
      ["-w", timeout, "-k", "5", "120", "sh", "-c", "cd \"$OUT/tree/l1\" && exec \"$@\"", "sh", path] + shell.flags
        + (shell == .fish ? [] : ["-i"]),
      stdin: script, env: ["OUT": sandbox.out.path])
    #expect(try sandbox.outText("inside") == "dev", "\(r)")
    #expect(try sandbox.outText("outside") == "other", "leaving returns to the default it started with: \(r)")
  }

  @Test(arguments: shells) func aDirectoryNameWithControlCharactersWorksAndIsShownAsText(shell: HookShell) throws {
    let sandbox = try treeSandbox()
    let odd = sandbox.out.appendingPathComponent("odd\n\u{1B}[31mname $(x)")
    try FileManager.default.createDirectory(at: odd.appendingPathComponent("sub"), withIntermediateDirectories: true)
    try Data("dev\n".utf8).write(to: odd.appendingPathComponent(".conductor-profile"))
    #expect(try sandbox.run(["allow", odd.path]).status == 0)
    // The directory is found with a glob, so the script holds no control character.
    let script = """
      cd "$OUT"/odd*/sub
      printf '%s' "$CONDUCTOR_PROFILE_ACTIVE" > "$OUT/inside"
      cd "$OUT"
      printf '%s' "$CONDUCTOR_PROFILE_ACTIVE" > "$OUT/outside"
      """
    guard let r = try interactive(sandbox, shell, script) else { return }
    #expect(try sandbox.outText("inside") == "dev", "\(r)")
    #expect(try sandbox.outText("outside") == "", "\(r)")
    #expect(!r.stderr.contains("\u{1B}[31mname"), "no control character reaches the terminal: \(r)")
    #expect(lines(r, containing: "switched to 'dev'").count == 1, "\(r)")
    #expect(lines(r, containing: "name $(x); back to no profile").count == 1, "\(r)")
  }

  @Test(arguments: shells) func leavingWhenTheProfileBeforeIsGoneLeavesNoProfile(shell: HookShell) throws {
    let sandbox = try treeSandbox()
    let script = """
      conductor-profile use other
      cd tree
      conductor-profile remove other
      cd "$OUT"
      env -0 > "$OUT/left"
      """
    guard let r = try interactive(sandbox, shell, script) else { return }
    #expect(r.status == 0, "\(r)")
    #expect(conductorNames(try sandbox.environmentDump("left")) == [], "never the tree's profile outside it: \(r)")
    #expect(lines(r, containing: "back to no profile").count == 1, "\(r)")
  }

  @Test(arguments: shells) func aShellThatInheritsATreesProfileKeepsItThereAndDropsItOutside(shell: HookShell) throws {
    let sandbox = try treeSandbox()
    // The environment a shell inside the tree exports to a shell it starts.
    var inherited =
      try JSONSerialization.jsonObject(
        with: Data(try sandbox.run(["env", "dev", "--format", "json"]).stdout.utf8)) as! [String: String]
    inherited["CONDUCTOR_PROFILE_FILE"] = sandbox.out.path + "/tree/.conductor-profile"
    let trace = sandbox.root.appendingPathComponent("trace").path
    let script = """
      cd tree/l1
      printf '%s' "$CONDUCTOR_PROFILE_ACTIVE" > "$OUT/inside"
      """
    guard let r = try interactive(sandbox, shell, script, env: inherited, trace: trace) else { return }
    #expect(try sandbox.outText("inside") == "dev", "\(r)")
    let count = ShellPromptTests.processes(in: try String(contentsOfFile: trace, encoding: .utf8))
    #expect(count.execs == 0 && count.forks == 0, "already in force: no process \(count)")
    // Leaving: no profile (the one it inherited belongs to the tree).
    guard let left = try interactive(sandbox, shell, script + "\ncd \"$OUT\"\nenv -0 > \"$OUT/left\"\n", env: inherited)
    else { return }
    #expect(conductorNames(try sandbox.environmentDump("left")) == [], "\(left)")
    #expect(lines(left, containing: "back to no profile").count == 1, "\(left)")
  }

  @Test func zshDoesNotSwitchInASubshell() throws {
    let sandbox = try treeSandbox()
    let script = """
      x=$(cd tree; print -rn -- in)
      printf '%s|%s' "$x" "${CONDUCTOR_PROFILE_ACTIVE-}" > "$OUT/after-subshell"
      cd tree
      printf '%s' "$CONDUCTOR_PROFILE_ACTIVE" > "$OUT/inside"
      """
    guard let r = try interactive(sandbox, .zsh, script) else { return }
    #expect(try sandbox.outText("after-subshell") == "in|", "\(r)")
    #expect(try sandbox.outText("inside") == "dev", "the shell itself still switches: \(r)")
    #expect(lines(r, containing: "switched to").count == 1, "\(r)")
  }

  // MARK: The cost

  @Test(arguments: shells) func onlyEnteringATreeStartsAProcess(shell: HookShell) throws {
    let sandbox = try treeSandbox()
    let trace = sandbox.root.appendingPathComponent("trace").path
    // 100 prompts without a directory change (fish: 100 fish_prompt events and prompt segments), then
    // entering the tree (one process), then 100 cds inside it, between depth 15 and depth 30.
    var prompts = String(repeating: "\n", count: 100)
    if shell == .fish {
      prompts =
        "for i in \((1...100).map(String.init).joined(separator: " "))\n emit fish_prompt\n conductor_profile_prompt\nend\n"
    }
    var cds = ""
    for i in 0..<100 { cds += "cd \"$OUT/tree/\(i % 2 == 0 ? Self.deep : Self.half)\"\n" }
    let script = prompts + "cd tree\n" + cds + "printf '%s' \"$CONDUCTOR_PROFILE_ACTIVE\" > \"$OUT/active\"\n"
    // The shell inherits a profile, so the start-up switch (the contract's one process at start) does not run.
    let inherited =
      try JSONSerialization.jsonObject(
        with: Data(try sandbox.run(["env", "other", "--format", "json"]).stdout.utf8)) as! [String: String]
    guard let r = try interactive(sandbox, shell, script, env: inherited, trace: trace) else { return }
    #expect(r.status == 0, "\(r)")
    #expect(try sandbox.outText("active") == "dev", "\(r)")
    let text = try String(contentsOfFile: trace, encoding: .utf8)
    let count = ShellPromptTests.processes(in: text)
    let execs = text.split(separator: "\n").filter { $0.contains("execve(") }.dropFirst()
    #expect(count.execs == 1 && count.forks == 1, "one process, on entering: \(count) \(execs)")
    #expect(execs.allSatisfy { $0.contains("conductor-profile\"") }, "\(execs)")
  }
}
