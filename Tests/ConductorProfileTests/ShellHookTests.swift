import Foundation
import Testing

/// The hooks in real shells: switching, start-up, quoting, isolation between shells, the guard.
@Suite struct ShellHookTests {
  static let shells = HookShell.allCases

  /// A sandbox with a key profile `dev` (with extras), a production key profile `prod`, and a user-token
  /// profile `play` on a non-production server.
  func standardSandbox() throws -> Sandbox {
    let sandbox = try Sandbox()
    try sandbox.addKey(
      "dev", id: "dev-id", secret: "dev-secret", extra: ["--env", "X_ONE=1", "--env", "X_TWO=two words"])
    try sandbox.addKey("prod", server: "https://prod.example.com", id: "prod-id", secret: "prod-secret", extra: ["--production"])
    try sandbox.addToken("play", token: makeJWT(["sub": "ada@example.com", "exp": nowSeconds() + 86400]))
    return sandbox
  }

  // MARK: Start-up

  @Test(arguments: shells) func startupActivatesTheDefault(shell: HookShell) throws {
    let sandbox = try standardSandbox()
    #expect(try sandbox.run(["default", "dev"]).status == 0)
    guard let r = try sandbox.shell(shell, "\(shell.load)\nenv -0 > env0\n") else { return }
    #expect(r.status == 0, "\(r)")
    #expect(r.stdout == "")
    #expect(r.stderr == "")
    let env = try sandbox.environmentDump("env0")
    #expect(env["CONDUCTOR_PROFILE_ACTIVE"] == bytes("dev"))
    #expect(env["CONDUCTOR_SERVER_URL"] == bytes("https://dev.example.com/api"))
    #expect(env["CONDUCTOR_AUTH_KEY"] == bytes("dev-id"))
    #expect(env["CONDUCTOR_AUTH_SECRET"] == bytes("dev-secret"))
    #expect(env["X_TWO"] == bytes("two words"))
  }

  @Test(arguments: shells) func startupWithoutDefaultDoesNothing(shell: HookShell) throws {
    let sandbox = try standardSandbox()
    guard let r = try sandbox.shell(shell, "\(shell.load)\nenv -0 > env0\n") else { return }
    #expect(r.status == 0, "\(r)")
    #expect(r.stdout == "" && r.stderr == "", "\(r)")
    #expect(conductorNames(try sandbox.environmentDump("env0")) == [])
  }

  @Test(arguments: shells) func startupKeepsAnInheritedProfile(shell: HookShell) throws {
    // A shell started from a shell with a profile keeps that profile, even when a default is set.
    let sandbox = try standardSandbox()
    #expect(try sandbox.run(["default", "dev"]).status == 0)
    guard
      let r = try sandbox.shell(
        shell, "\(shell.load)\nenv -0 > env0\n",
        env: ["CONDUCTOR_PROFILE_ACTIVE": "prod", "CONDUCTOR_SERVER_URL": "https://prod.example.com/api"])
    else { return }
    #expect(r.status == 0, "\(r)")
    let env = try sandbox.environmentDump("env0")
    #expect(env["CONDUCTOR_PROFILE_ACTIVE"] == bytes("prod"))
    #expect(env["CONDUCTOR_AUTH_KEY"] == nil)
  }

  // MARK: use, use -, off

  @Test(arguments: shells) func useSwitchesBackAndOff(shell: HookShell) throws {
    let sandbox = try standardSandbox()
    let script = """
      \(shell.load)
      conductor-profile use dev; echo $? > s1; env -0 > e1
      conductor-profile use play; echo $? > s2; env -0 > e2
      conductor-profile use -; echo $? > s3; env -0 > e3
      conductor-profile off; echo $? > s4; env -0 > e4
      conductor-profile use -; echo $? > s5; env -0 > e5

      """
    // Variables from outside that a switch clears: the CLI's profile selector and the Java SDK's old names.
    guard
      let r = try sandbox.shell(
        shell, script,
        env: ["CONDUCTOR_PROFILE": "cli-profile", "CONDUCTOR_SERVER_AUTH_KEY": "old", "CONDUCTOR_SERVER_AUTH_SECRET": "old"])
    else { return }
    #expect(r.status == 0, "\(r)")
    #expect(r.stdout == "")
    for n in 1...5 { #expect(try sandbox.outText("s\(n)") == "0\n", "step \(n): \(r)") }
    // One line on standard error, once, when the foreign variables were cleared.
    #expect(r.stderr.components(separatedBy: "\n").filter { $0.contains("cleared") }.count == 1, "\(r)")
    #expect(r.stderr.contains("CONDUCTOR_PROFILE"))

    let dev = try sandbox.environmentDump("e1")
    #expect(
      conductorNames(dev) == [
        "CONDUCTOR_AUTH_KEY", "CONDUCTOR_AUTH_SECRET", "CONDUCTOR_PROFILE_ACTIVE", "CONDUCTOR_PROFILE_AUTH",
        "CONDUCTOR_PROFILE_VARS", "CONDUCTOR_SERVER_TYPE", "CONDUCTOR_SERVER_URL", "CONDUCTOR_UI_SERVER_URL", "X_ONE", "X_TWO",
      ])
    #expect(dev["CONDUCTOR_AUTH_SECRET"] == bytes("dev-secret"))
    #expect(dev["CONDUCTOR_PROFILE_AUTH"] == bytes("key"))
    #expect(dev["CONDUCTOR_PROFILE_VARS"] == bytes("X_ONE X_TWO"))

    let play = try sandbox.environmentDump("e2")
    #expect(
      conductorNames(play) == [
        "CONDUCTOR_AUTH_TOKEN", "CONDUCTOR_PROFILE_ACTIVE", "CONDUCTOR_PROFILE_AUTH", "CONDUCTOR_PROFILE_TOKEN_EXPIRES",
        "CONDUCTOR_PROFILE_VARS", "CONDUCTOR_SERVER_TYPE", "CONDUCTOR_SERVER_URL", "CONDUCTOR_UI_SERVER_URL",
      ], "the previous profile's key, secret and extras are cleared")
    #expect(play["CONDUCTOR_PROFILE_AUTH"] == bytes("user-token"))
    #expect(play["CONDUCTOR_SERVER_URL"] == bytes("https://play.example.com/api"))

    let back = try sandbox.environmentDump("e3")
    #expect(conductorNames(back) == conductorNames(dev))
    for name in conductorNames(dev) { #expect(back[name] == dev[name], "\(name) after use -") }

    #expect(conductorNames(try sandbox.environmentDump("e4")) == [], "off clears every variable")
    #expect(try sandbox.environmentDump("e5")["CONDUCTOR_PROFILE_ACTIVE"] == bytes("dev"), "use - after off")
    // The hook's private state stays a shell variable: never exported.
    for n in 1...5 { #expect(try sandbox.environmentDump("e\(n)").keys.allSatisfy { !$0.hasPrefix("_CONDUCTOR") }) }
  }

  @Test(arguments: shells) func failedUseChangesNothingAndReturnsTheStatus(shell: HookShell) throws {
    let sandbox = try standardSandbox()
    let script = """
      \(shell.load)
      conductor-profile use dev
      env -0 > before
      conductor-profile use dve; echo $? > status1
      conductor-profile use; echo $? > status2
      conductor-profile list > /dev/null; echo $? > status3
      env -0 > after

      """
    guard let r = try sandbox.shell(shell, script) else { return }
    #expect(try sandbox.outText("status1") == "64\n")
    #expect(try sandbox.outText("status2") == "64\n")
    #expect(try sandbox.outText("status3") == "0\n")
    #expect(r.stderr.contains("did you mean 'dev'?"), "\(r)")
    #expect(try sandbox.outBytes("before") == sandbox.outBytes("after"))
  }

  @Test(arguments: shells) func hostileValuesReadBackByteForByte(shell: HookShell) throws {
    let sandbox = try Sandbox()
    let pwned = sandbox.root.appendingPathComponent("pwned").path
    let secret = "s'q\"d$(touch \(pwned))`touch \(pwned)`\\n\\\\*?[a] ü ✓ 日本 😀 $HOME ${HOME} %s %% !!"
    let extras: [(String, String)] = [
      ("X_NEWLINES", "line one\nline two\n\n"),
      ("X_QUOTES", "'\"''\"\"'\\'"),
      ("X_SUBST", "$(touch \(pwned)) `touch \(pwned)` $((1+1)) ${HOME} (touch \(pwned))"),
      ("X_GLOB", "*"),
      ("X_BACKSLASH", "\\ \\\\ \\n \\' \\\" \\"),
      ("X_EMPTY", ""),
      ("X_SPACES", "  lead and trail \t\r "),
      ("X_UNICODE", "Grüße — ☃ 😀 \u{301}e"),
      ("X_FISH", "\\$status {a,b} ; end; echo pwned"),
    ]
    try sandbox.addKey(
      "weird", id: "id-with-ü", secret: secret, extra: extras.flatMap { ["--env", "\($0.0)=\($0.1)"] })
    try sandbox.addKey("plain")
    // A few files in the working directory, so an unquoted * or ? would expand to something.
    try FileManager.default.createDirectory(at: sandbox.out, withIntermediateDirectories: true)
    for name in ["a", "b", "c d"] {
      _ = FileManager.default.createFile(atPath: sandbox.out.appendingPathComponent(name).path, contents: nil)
    }
    let script = """
      \(shell.load)
      conductor-profile use weird; echo $? > s1
      env -0 > e1
      printf '%s\\0' "$CONDUCTOR_AUTH_SECRET" "$X_NEWLINES" "$X_GLOB" > printed
      conductor-profile use plain; echo $? > s2
      env -0 > e2

      """
    guard let r = try sandbox.shell(shell, script) else { return }
    #expect(r.status == 0, "\(r)")
    #expect(try sandbox.outText("s1") == "0\n", "\(r)")
    let env = try sandbox.environmentDump("e1")
    #expect(env["CONDUCTOR_AUTH_SECRET"] == bytes(secret))
    #expect(env["CONDUCTOR_AUTH_KEY"] == bytes("id-with-ü"))
    for (name, value) in extras { #expect(env[name] == bytes(value), "\(name)") }
    #expect(try sandbox.outBytes("printed") == bytes(secret + "\0" + "line one\nline two\n\n" + "\0" + "*\0"))
    #expect(!FileManager.default.fileExists(atPath: pwned), "a value ran as code")
    #expect(!FileManager.default.fileExists(atPath: sandbox.out.appendingPathComponent("pwned").path))
    // The next switch clears every extra of the last profile.
    #expect(try sandbox.outText("s2") == "0\n")
    let after = try sandbox.environmentDump("e2")
    for (name, _) in extras { #expect(after[name] == nil, "\(name) is cleared by the next switch") }
    #expect(after["CONDUCTOR_AUTH_SECRET"] == bytes("s3cret"))
  }

  // MARK: Each terminal is its own

  @Test(arguments: shells) func twoShellsSideBySide(shell: HookShell) throws {
    let sandbox = try standardSandbox()
    guard let path = try shell.path() else { return }
    try FileManager.default.createDirectory(at: sandbox.out, withIntermediateDirectories: true)
    // A waits for B's switch to be done before it looks at its own environment, and the other way round.
    let wait = { (file: String) in
      shell == .fish
        ? "set -l i 0; while not test -e \(file); and test $i -lt 400; sleep 0.05; set i (math $i + 1); end"
        : "i=0; while [ ! -e \(file) ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i + 1)); done"
    }
    let a = """
      cd "$OUT"; \(shell.load)
      conductor-profile use dev; touch a-switched
      \(wait("b-switched"))
      env -0 > a-env

      """
    let b = """
      cd "$OUT"; \(shell.load)
      \(wait("a-switched"))
      conductor-profile use prod; touch b-switched
      env -0 > b-env

      """
    func start(_ script: String) throws -> TestProcess {
      try TestProcess(
        path, shell.flags + ["-c", script], environment: sandbox.environment.merging(["OUT": sandbox.out.path]) { $1 })
    }
    let first = try start(a)
    let second = try start(b)
    #expect(first.wait() == 0 && second.wait() == 0)
    let envA = try sandbox.environmentDump("a-env")
    let envB = try sandbox.environmentDump("b-env")
    #expect(envA["CONDUCTOR_PROFILE_ACTIVE"] == bytes("dev"), "B's switch left A alone")
    #expect(envA["CONDUCTOR_AUTH_SECRET"] == bytes("dev-secret"))
    #expect(envA["CONDUCTOR_PROFILE_PRODUCTION"] == nil)
    #expect(envB["CONDUCTOR_PROFILE_ACTIVE"] == bytes("prod"))
    #expect(envB["CONDUCTOR_PROFILE_PRODUCTION"] == bytes("1"))
    #expect(envB["X_ONE"] == nil)
  }

  // MARK: The guard

  /// `prod` flags https://prod.example.com as production; `risky` is a user token on that server.
  func guardSandbox(mode: String? = nil) throws -> Sandbox {
    let sandbox = try standardSandbox()
    try sandbox.addToken(
      "risky", server: "https://prod.example.com", token: makeJWT(["sub": "ada@example.com", "exp": nowSeconds() + 86400]))
    if let mode { sandbox.environment["CONDUCTOR_PROFILE_GUARD"] = mode }
    return sandbox
  }

  @Test(arguments: shells) func blockModeRefusalLeavesTheEnvironmentAsItWas(shell: HookShell) throws {
    let sandbox = try guardSandbox(mode: "block")
    let script = """
      \(shell.load)
      conductor-profile use dev
      conductor-profile use play
      env -0 > before; printf '%s' "$_CONDUCTOR_PROFILE_PREVIOUS" > before-previous
      conductor-profile use risky; echo $? > status
      env -0 > after; printf '%s' "$_CONDUCTOR_PROFILE_PREVIOUS" > after-previous

      """
    guard let r = try sandbox.shell(shell, script) else { return }
    #expect(try sandbox.outText("status") == "3\n", "\(r)")
    #expect(try sandbox.outBytes("before") == sandbox.outBytes("after"), "the environment is byte for byte the same")
    #expect(try sandbox.outText("before-previous") == "dev")
    #expect(try sandbox.outText("after-previous") == "dev")
    #expect(try sandbox.environmentDump("after")["CONDUCTOR_PROFILE_ACTIVE"] == bytes("play"))
    #expect(r.stderr.hasPrefix("error: refused by the guard (mode block): profile 'risky' uses a user token"), "\(r)")
    #expect(r.stdout == "")
  }

  @Test(arguments: shells) func warnModeWarnsOnceAndSwitches(shell: HookShell) throws {
    let sandbox = try guardSandbox()
    guard let r = try sandbox.shell(shell, "\(shell.load)\nconductor-profile use risky; echo $? > status\nenv -0 > env0\n")
    else { return }
    #expect(try sandbox.outText("status") == "0\n", "\(r)")
    let warnings = r.stderr.split(separator: "\n").filter { $0.hasPrefix("warning:") }
    #expect(warnings.count == 1, "\(r)")
    #expect(warnings.first?.contains("profile 'risky' uses a user token on the production server") == true)
    let env = try sandbox.environmentDump("env0")
    #expect(env["CONDUCTOR_PROFILE_ACTIVE"] == bytes("risky"))
    #expect(env["CONDUCTOR_PROFILE_PRODUCTION"] == bytes("1"))
  }

  @Test(arguments: shells) func blockModeDoesNotActivateARiskyDefault(shell: HookShell) throws {
    let sandbox = try guardSandbox(mode: "block")
    #expect(try sandbox.run(["default", "risky"]).status == 0)
    guard let r = try sandbox.shell(shell, "\(shell.load)\necho $? > status\nenv -0 > env0\n") else { return }
    #expect(r.status == 0, "the shell starts")
    #expect(conductorNames(try sandbox.environmentDump("env0")) == [], "nothing activated")
    #expect(r.stderr.contains("refused by the guard (mode block): profile 'risky'"), "\(r)")
    #expect(r.stdout == "")
  }

  @Test(arguments: shells) func warnModeActivatesARiskyDefaultWithAWarning(shell: HookShell) throws {
    let sandbox = try guardSandbox()
    #expect(try sandbox.run(["default", "risky"]).status == 0)
    guard let r = try sandbox.shell(shell, "\(shell.load)\nenv -0 > env0\n") else { return }
    #expect(try sandbox.environmentDump("env0")["CONDUCTOR_PROFILE_ACTIVE"] == bytes("risky"))
    #expect(r.stderr.split(separator: "\n").filter { $0.hasPrefix("warning:") }.count == 1, "\(r)")
  }

  /// `use` warns when a user token has expired or expires within the hour, and still switches.
  @Test(arguments: shells) func useWarnsAboutExpiry(shell: HookShell) throws {
    let sandbox = try standardSandbox()
    let now = nowSeconds()
    try sandbox.addToken("gone", token: makeJWT(["sub": "ada@example.com", "exp": now - 120]))
    try sandbox.addToken("soon", token: makeJWT(["sub": "ada@example.com", "exp": now + 1800]))
    try sandbox.addToken("later", token: makeJWT(["sub": "ada@example.com", "exp": now + 7200]))
    let script = """
      \(shell.load)
      conductor-profile use gone 2> gone.err; echo $? > gone.status
      printf '%s' "$CONDUCTOR_PROFILE_ACTIVE" > gone.active
      conductor-profile use soon 2> soon.err
      conductor-profile use later 2> later.err

      """
    guard let r = try sandbox.shell(shell, script) else { return }
    #expect(try sandbox.outText("gone.status") == "0\n", "\(r)")
    #expect(try sandbox.outText("gone.active") == "gone", "an expired token is switched to, with a warning")
    let gone = try sandbox.outText("gone.err")
    #expect(gone.hasPrefix("warning: the user token of profile 'gone' expired 2m ago ("), "\(gone)")
    #expect(gone.contains("conductor-profile set gone --user-token"), "\(gone)")
    let soon = try sandbox.outText("soon.err")
    #expect(soon.hasPrefix("warning: the user token of profile 'soon' expires in ") && soon.contains("m ("), "\(soon)")
    #expect(try sandbox.outText("later.err") == "", "no warning beyond the hour")
  }

  // MARK: Without the hook

  @Test func useWithoutTheHookSaysHowToInstallIt() throws {
    let sandbox = try standardSandbox()
    let before = sandbox.storeBytes()
    for command in [["use", "dev"], ["off"]] {
      let r = try sandbox.run(command)
      #expect(r.status == 1, "\(r)")
      #expect(r.stdout == "")
      #expect(r.stderr.contains("needs the shell hook"), "\(r)")
      #expect(r.stderr.contains("eval \"$(conductor-profile init bash)\""))
      #expect(r.stderr.contains("conductor-profile init fish | source"))
    }
    #expect(sandbox.storeBytes() == before)
  }
}
