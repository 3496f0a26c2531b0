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

  // MARK: Limited sessions

  /// Runs `use` as the hook does, for bash, and returns the result and its exported variables.
  func hookUse(_ sandbox: Sandbox, _ arguments: [String], env: [String: String] = [:]) throws -> (
    Sandbox.Result, [String: String]
  ) {
    let r = try sandbox.run(["use"] + arguments, env: env.merging(["_CONDUCTOR_PROFILE_SHELL": "bash"]) { $1 })
    var exported: [String: String] = [:]
    for line in r.stdout.split(separator: "\n") where line.hasPrefix("export ") {
      let body = line.dropFirst("export ".count)
      guard let eq = body.firstIndex(of: "=") else { continue }
      exported[String(body[..<eq])] = String(body[body.index(after: eq)...]).trimmingCharacters(
        in: CharacterSet(charactersIn: "';"))
    }
    return (r, exported)
  }

  static let durations: [(String, Int)] = [
    ("30s", 30), ("15m", 900), ("1h", 3600), ("1h30m", 5400), ("90m", 5400), ("1h0m5s", 3605), ("168h", 604_800),
  ]

  @Test(arguments: durations) func forSetsTheDeadline(text: String, seconds: Int) throws {
    let sandbox = try sandbox()
    let before = nowSeconds()
    let (r, exported) = try hookUse(sandbox, ["dev", "--for", text])
    #expect(r.status == 0, "\(r)")
    let ends = try #require(exported["CONDUCTOR_PROFILE_SESSION_ENDS"].flatMap { Int($0) }, "\(r)")
    #expect(ends >= before + seconds && ends <= nowSeconds() + seconds)
    // The hook's record: the deadline, then what off would clear (the managed names and dev's extra).
    let record = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("_CONDUCTOR_PROFILE_SESSION=") })
    // The hook's record: the deadline, the length (what `use -` brings back), then what off would clear.
    #expect(record.hasPrefix("_CONDUCTOR_PROFILE_SESSION='\(ends) \(seconds) CONDUCTOR_AUTH_KEY CONDUCTOR_AUTH_SECRET "))
    #expect(record.contains(" CONDUCTOR_PROFILE_SESSION_ENDS ") && record.hasSuffix(" X_ONE';"), "\(record)")
    #expect(r.stderr.hasPrefix("the session on 'dev' ends in "), "\(r)")
  }

  @Test(arguments: ["", "0s", "1x", "10", "m", "1m1h", "1h1h", "169h", "-5m", "1 h", "1h30", "9999999s"])
  func badDurationsAreUsageErrors(text: String) throws {
    let sandbox = try sandbox()
    let (r, _) = try hookUse(sandbox, ["dev", "--for", text])
    #expect(r.status == 64, "\(r)")
    #expect(r.stdout == "")
    #expect(r.stderr.hasPrefix("Error: --for '\(text)' is not a duration such as 30s, 15m, 1h or 1h30m (at most 168h)\n"), "\(r)")
  }

  @Test func productionSessionLimitsEveryProductionSwitch() throws {
    let sandbox = try sandbox()
    var store = try String(contentsOfFile: sandbox.storePath, encoding: .utf8)
    store = store.replacingOccurrences(of: "\"profiles\" : {", with: "\"productionSession\" : \"1h\",\n  \"profiles\" : {")
    try sandbox.writeStore(store)
    let now = nowSeconds()
    func ends(_ arguments: [String]) throws -> Int? {
      let (r, exported) = try hookUse(sandbox, arguments)
      #expect(r.status == 0, "\(r)")
      return exported["CONDUCTOR_PROFILE_SESSION_ENDS"].flatMap { Int($0) }.map { $0 - now }
    }
    #expect(try ends(["dev"]) == nil, "not production: unlimited")
    #expect(try ends(["prod"]).map { (3600...3602).contains($0) } == true)
    #expect(try ends(["prod", "--for", "2h"]).map { (3600...3602).contains($0) } == true, "the shorter wins")
    #expect(try ends(["prod", "--for", "10m"]).map { (600...602).contains($0) } == true)
    #expect(try ends(["dev", "--for", "2h"]).map { (7200...7202).contains($0) } == true)

    try sandbox.writeStore(store.replacingOccurrences(of: "\"1h\"", with: "\"soon\""))
    let before = sandbox.storeBytes()
    let (r, _) = try hookUse(sandbox, ["prod"])
    #expect(r.status == 1 && r.stdout == "", "\(r)")
    #expect(r.stderr.hasPrefix("error: \"productionSession\" in \(sandbox.storePath) is \"soon\", not a duration"), "\(r)")
    #expect(sandbox.storeBytes() == before)
  }

  @Test func doctorReportsSettingsASwitchCannotUse() throws {
    let sandbox = try sandbox()
    var store = try String(contentsOfFile: sandbox.storePath, encoding: .utf8)
    store = store.replacingOccurrences(
      of: "\"profiles\" : {", with: "\"confirmProduction\" : 1,\n  \"productionSession\" : \"1d\",\n  \"profiles\" : {")
    try sandbox.writeStore(store)
    let r = try sandbox.run(["doctor"])
    #expect(r.status == 1, "\(r)")
    let path = sandbox.storePath
    #expect(
      r.stdout.contains(
        "problem: \"productionSession\" in \(path) is \"1d\", not a duration such as 30s, 15m, 1h or 1h30m (at most 168h) in quotes; fix: edit \(path) by hand (see docs/seatbelt.md)\n"
      ), "\(r)")
    #expect(
      r.stdout.contains("problem: \"confirmProduction\" in \(path) is 1, not true or false; fix: edit"), "\(r)")
  }

  @Test func aSessionIsNotADriftFromTheProfile() throws {
    let sandbox = try sandbox()
    let (_, exported) = try hookUse(sandbox, ["dev", "--for", "1h"])
    let r = try sandbox.run(["current"], env: exported)
    #expect(r.status == 0 && r.stdout == "dev\n" && r.stderr == "", "\(r)")
  }

  /// An interactive shell reading its commands from a pipe prints a prompt (on standard error) before each.
  func interactive(_ shell: HookShell, _ sandbox: Sandbox, _ commands: String, env: [String: String] = [:]) throws
    -> Sandbox.Result?
  {
    guard let path = try shell.path() else { return nil }
    let hook = try sandbox.hookFile(shell)
    try FileManager.default.createDirectory(at: sandbox.out, withIntermediateDirectories: true)
    let setup =
      shell == .bash
      ? "source '\(hook)'\nPS1='<${CONDUCTOR_PROFILE_PS1}>'\n"
      : "source '\(hook)'\nunsetopt prompt_sp prompt_cr\nsetopt prompt_subst\nPROMPT='<${CONDUCTOR_PROFILE_PS1}>'\n"
    return try sandbox.execute(
      path, shell.flags + ["-i"], stdin: "cd '\(sandbox.out.path)'\n" + setup + commands + "exit\n",
      env: env.merging(["NO_COLOR": "1"]) { $1 })
  }

  @Test(arguments: [HookShell.bash, .zsh]) func aSessionEndsAtTheFirstPromptAfterItsDeadline(shell: HookShell) throws {
    let sandbox = try sandbox()
    let commands = """
      conductor-profile use dev --for 3s
      env -0 > before
      sleep 4
      env -0 > after
      printf '%s' "$_CONDUCTOR_PROFILE_PREVIOUS" > previous

      """
    guard let r = try interactive(shell, sandbox, commands) else { return }
    #expect(r.status == 0, "\(r)")
    let before = try sandbox.environmentDump("before")
    #expect(before["CONDUCTOR_PROFILE_ACTIVE"] == bytes("dev"), "before the deadline nothing changes")
    #expect(before["X_ONE"] == bytes("1"))
    #expect(r.stderr.contains(/<dev [0-3]s>/), "the prompt shows the time left: \(r)")
    #expect(conductorNames(try sandbox.environmentDump("after")) == [], "the session ended as off would: \(r)")
    #expect(try sandbox.outText("previous") == "dev 3", "use - goes back to it, limited the same way")
    let announced = "conductor-profile: the limited session on dev has ended; its variables are cleared\n<>"
    #expect(r.stderr.components(separatedBy: announced).count == 2, "announced once, before the prompt: \(r)")
  }

  @Test func fishEndsASessionBeforeThePromptAfterItsDeadline() throws {
    let sandbox = try sandbox()
    let script = """
      conductor-profile init fish | source
      conductor-profile use dev --for 3s 2> /dev/null
      emit fish_prompt
      env -0 > before
      conductor_profile_prompt > segment
      sleep 4
      emit fish_prompt
      env -0 > after
      printf '%s' "$_CONDUCTOR_PROFILE_PREVIOUS" > previous

      """
    guard let r = try sandbox.shell(.fish, script, env: ["NO_COLOR": "1"]) else { return }
    #expect(r.status == 0, "\(r)")
    #expect(try sandbox.environmentDump("before")["CONDUCTOR_PROFILE_ACTIVE"] == bytes("dev"))
    // fish's clock (boot time plus uptime, from /proc) may be a second behind time(2).
    #expect(try sandbox.outText("segment").wholeMatch(of: /dev [0-4]s/) != nil)
    #expect(conductorNames(try sandbox.environmentDump("after")) == [])
    #expect(try sandbox.outText("previous") == "dev 3")
    #expect(r.stderr == "conductor-profile: the limited session on dev has ended; its variables are cleared\n", "\(r)")
  }

  @Test(arguments: HookShell.allCases) func aShellThatInheritedASessionEndsItWithOff(shell: HookShell) throws {
    let sandbox = try sandbox()
    let (_, exported) = try hookUse(sandbox, ["dev"])
    var env = exported
    env["CONDUCTOR_PROFILE_SESSION_ENDS"] = String(nowSeconds() - 1)
    let script =
      shell == .fish
      ? "conductor-profile init fish | source\nemit fish_prompt\nenv -0 > after\n"
      : "\(shell.load)\n_conductor_profile_precmd\nenv -0 > after\n"
    guard let r = try sandbox.shell(shell, script, env: env) else { return }
    #expect(r.status == 0, "\(r)")
    #expect(conductorNames(try sandbox.environmentDump("after")) == [], "\(r)")
    #expect(r.stderr == "conductor-profile: the limited session on dev has ended; its variables are cleared\n", "\(r)")
  }

  /// The segment's time left, exact bytes, with and without colour.
  @Test(arguments: HookShell.allCases) func theSegmentShowsTheTimeLeft(shell: HookShell) throws {
    let sandbox = try sandbox()
    let hook = try sandbox.hookFile(shell)
    let now = nowSeconds()
    let cases: [(Int, String)] = [(725, " 13m"), (5430, " 1h31m"), (7170, " 2h"), (-100, " 0s")]
    for (offset, left) in cases {
      for noColor in ["", "1"] {
        let env = [
          "CONDUCTOR_PROFILE_ACTIVE": "prod", "CONDUCTOR_PROFILE_AUTH": "key", "CONDUCTOR_PROFILE_PRODUCTION": "1",
          "CONDUCTOR_PROFILE_SESSION_ENDS": String(now + offset), "NO_COLOR": noColor, "TERM": "xterm-256color",
        ]
        guard let r = try sandbox.shell(shell, "source '\(hook)'\nconductor_profile_prompt > segment\n", env: env) else {
          return
        }
        #expect(r.status == 0 && r.stderr == "", "\(r)")
        let text = "prod" + left
        let e = "\u{1B}"
        let expected: String
        switch (shell, noColor) {
        case (_, "1"): expected = text
        case (.bash, _): expected = "\u{1}\(e)[31m\u{2}\(text)\u{1}\(e)[0m\u{2}"
        case (.zsh, _): expected = "%F{red}\(text)%f"
        case (.fish, _): expected = "\(e)[31m\(text)\(e)(B\(e)[m"
        }
        #expect(try sandbox.outBytes("segment") == bytes(expected), "\(shell) \(offset) NO_COLOR=\(noColor)")
      }
    }
  }

  /// A prompt during a limited session starts no process: strace counts them.
  @Test(arguments: [HookShell.bash, .zsh]) func theSessionCheckStartsNoProcess(shell: HookShell) throws {
    let sandbox = try sandbox()
    guard let strace = try requireShell("strace"), let path = try shell.path() else { return }
    let hook = try sandbox.hookFile(shell)
    let (_, exported) = try hookUse(sandbox, ["prod", "--for", "1h"])
    let setup =
      shell == .bash
      ? "source '\(hook)'\nPS1='<${CONDUCTOR_PROFILE_PS1}>'\n"
      : "source '\(hook)'\nunsetopt prompt_sp prompt_cr\nsetopt prompt_subst\nPROMPT='<${CONDUCTOR_PROFILE_PS1}>'\n"
    let input = setup + String(repeating: "\n", count: 25) + "exit\n"
    let trace = sandbox.root.appendingPathComponent("trace").path
    let r = try sandbox.execute(
      strace, ["-f", "-qq", "-e", "trace=execve,clone,clone3,fork,vfork", "-o", trace, path] + shell.flags + ["-i"],
      stdin: input, env: exported.merging(["NO_COLOR": "1", "CONDUCTOR_PROFILE_COLOR": "blue"]) { $1 })
    #expect(r.status == 0, "\(r)")
    #expect(r.stderr.components(separatedBy: "<prod 1h>").count - 1 >= 25, "\(r)")
    let count = ShellPromptTests.processes(in: try String(contentsOfFile: trace, encoding: .utf8))
    #expect(count.execs == 0 && count.forks == 0, "25 prompts started \(count) processes")
  }

  @Test func fishSessionCheckStartsNoProcess() throws {
    let sandbox = try sandbox()
    guard let strace = try requireShell("strace"), let path = try HookShell.fish.path() else { return }
    let hook = try sandbox.hookFile(.fish)
    let (_, exported) = try hookUse(sandbox, ["prod", "--for", "1h"])
    let script =
      "source '\(hook)'\nfor i in \((1...25).map(String.init).joined(separator: " "))\n  emit fish_prompt\n  conductor_profile_prompt\nend\n"
    let trace = sandbox.root.appendingPathComponent("trace").path
    let r = try sandbox.execute(
      strace, ["-f", "-qq", "-e", "trace=execve,clone,clone3,fork,vfork", "-o", trace, path, "--no-config", "-c", script],
      env: exported.merging(["NO_COLOR": "1", "CONDUCTOR_PROFILE_COLOR": "blue"]) { $1 })
    #expect(r.status == 0, "\(r)")
    #expect(r.stdout.components(separatedBy: "prod 1h").count - 1 == 25, "\(r)")
    let count = ShellPromptTests.processes(in: try String(contentsOfFile: trace, encoding: .utf8))
    #expect(count.execs == 0 && count.forks == 0, "25 prompts started \(count) processes")
  }

  // MARK: At a real terminal

  static let sessionDriver = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Support/pty_session.py").path

  enum Step {
    case expect(String)
    case send(String)
    case sleep(Double)
  }

  /// Runs `shell` on a pseudo-terminal of its own (a new session: never the tester's terminal), loads the
  /// hook with the prompt `$ `, then runs `steps`; the shell works in `out`. Nil when python3 is missing.
  func atTerminal(_ shell: HookShell, _ sandbox: Sandbox, _ steps: [Step], env: [String: String] = [:]) throws
    -> Sandbox.Result?
  {
    guard let python = try requireShell("python3"), let path = try shell.path() else { return nil }
    let hook = try sandbox.hookFile(shell)
    try FileManager.default.createDirectory(at: sandbox.out, withIntermediateDirectories: true)
    let rc = sandbox.root.appendingPathComponent("rc").path
    let setup: String
    switch shell {
    case .bash: setup = "PS1='$ '\nbind 'set enable-bracketed-paste off'\nsource '\(hook)'\n"
    case .zsh: setup = "unsetopt prompt_sp prompt_cr\nPROMPT='$ '\nsource '\(hook)'\n"
    case .fish: setup = "function fish_prompt; printf '$ '; end\nsource '\(hook)'\n"
    }
    try Data((setup + "cd '\(sandbox.out.path)'\n").utf8).write(to: URL(fileURLWithPath: rc))
    var script: [[Any]] = [["send", "source '\(rc)'; echo RE\"\"ADY\n"], ["expect", "READY"], ["expect", "$ "]]
    for step in steps {
      switch step {
      case .expect(let text): script.append(["expect", text])
      case .send(let text): script.append(["send", text])
      case .sleep(let seconds): script.append(["sleep", seconds])
      }
    }
    script.append(["send", "exit 0\n"])
    let json = String(decoding: try JSONSerialization.data(withJSONObject: script), as: UTF8.self)
    var environment = env
    environment["TERM"] = environment["TERM"] ?? "xterm-256color"
    return try sandbox.execute(python, [Self.sessionDriver, json, path] + shell.flags + ["-i"], env: environment)
  }

  /// `prod` needs confirming.
  func confirmingSandbox() throws -> Sandbox {
    let sandbox = try sandbox()
    var store = try String(contentsOfFile: sandbox.storePath, encoding: .utf8)
    store = store.replacingOccurrences(of: "\"profiles\" : {", with: "\"confirmProduction\" : true,\n  \"profiles\" : {")
    try sandbox.writeStore(store)
    return sandbox
  }

  @Test(arguments: HookShell.allCases) func confirmationAtATerminal(shell: HookShell) throws {
    let sandbox = try confirmingSandbox()
    let question = "'prod' is production (https://prod.example.com/api). Type its name to switch: "
    let record = shell == .fish ? "echo $status" : "echo $?"
    var steps: [Step] = [.send("conductor-profile use dev; stty -a > stty0; env -0 > env0\n"), .expect("$ ")]
    for (n, answer) in ["prd\n", "\n", "\u{3}"].enumerated() {
      steps += [
        .send("conductor-profile use prod; \(record) > st\(n + 1)\n"), .expect(question), .sleep(0.1), .send(answer),
        .expect("$ "), .send("stty -a > stty\(n + 1); env -0 > env\(n + 1)\n"), .expect("$ "),
      ]
    }
    steps += [
      .send("conductor-profile use prod; \(record) > st4\n"), .expect(question), .sleep(0.1), .send("prod\n"),
      .expect("$ "), .send("env -0 > env4\n"), .expect("$ "),
    ]
    guard let r = try atTerminal(shell, sandbox, steps) else { return }
    #expect(r.status == 0, "\(r)")
    let before = try sandbox.outBytes("env0")
    for n in 1...3 {
      #expect(try sandbox.outText("st\(n)") == "1\n", "answer \(n): \(r)")
      #expect(try sandbox.outBytes("env\(n)") == before, "answer \(n) changed nothing")
      #expect(try sandbox.outBytes("stty\(n)") == sandbox.outBytes("stty0"), "answer \(n) left the terminal's mode")
    }
    #expect(r.stdout.contains("error: not confirmed ('prd' is not 'prod'); nothing was changed"), "\(r)")
    #expect(r.stdout.contains("error: not confirmed ('' is not 'prod'); nothing was changed"), "\(r)")
    #expect(r.stdout.contains("^C\r\nerror: not confirmed; nothing was changed"), "\(r)")
    #expect(try sandbox.outText("st4") == "0\n", "\(r)")
    #expect(try sandbox.environmentDump("env4")["CONDUCTOR_PROFILE_ACTIVE"] == bytes("prod"))
  }

  @Test func sigtermDuringTheQuestionRestoresTheTerminal() throws {
    let sandbox = try confirmingSandbox()
    let steps: [Step] = [
      // Without job control the program stays in the terminal's foreground group, as through the hook.
      .send(
        "set +m; stty -a > stty0; _CONDUCTOR_PROFILE_SHELL=bash command conductor-profile use prod </dev/tty >/dev/null & sleep 1; kill -TERM $!; wait $!; echo $? > st; set -m\n"
      ),
      .expect("Type its name to switch: "), .expect("$ "), .sleep(0.2), .send("stty -a > stty1; env -0 > env1\n"),
      .expect("$ "),
    ]
    guard let r = try atTerminal(.bash, sandbox, steps) else { return }
    #expect(r.status == 0, "\(r)")
    #expect(try sandbox.outText("st") == "1\n", "\(r)")
    #expect(r.stdout.contains("error: not confirmed; nothing was changed"), "\(r)")
    #expect(try sandbox.outBytes("stty1") == sandbox.outBytes("stty0"))
    #expect(conductorNames(try sandbox.environmentDump("env1")) == [])
  }

  @Test(arguments: HookShell.allCases) func confirmationWithoutATerminal(shell: HookShell) throws {
    let sandbox = try confirmingSandbox()
    let script = """
      \(shell.load)
      conductor-profile use dev
      env -0 > env0
      conductor-profile use prod 2> err; echo $? > st1
      env -0 > env1
      conductor-profile use prod --yes; echo $? > st2
      env -0 > env2

      """
    guard let r = try sandbox.shell(shell, script) else { return }
    #expect(r.status == 0, "\(r)")
    #expect(try sandbox.outText("st1") == "3\n", "refused by a seatbelt")
    #expect(try sandbox.outBytes("env1") == sandbox.outBytes("env0"))
    #expect(
      try sandbox.outText("err")
        == "error: profile 'prod' is a production profile and the store asks to confirm those (confirmProduction), and there is no terminal to ask on; nothing was changed. Confirm with: conductor-profile use prod --yes\n"
    )
    #expect(try sandbox.outText("st2") == "0\n")
    #expect(try sandbox.environmentDump("env2")["CONDUCTOR_PROFILE_ACTIVE"] == bytes("prod"))
  }

  /// A fan-out `exec` confirms each production profile as `use` does: without a terminal it runs the
  /// others and refuses that one (exit 3), unless `--yes`.
  @Test func fanOutExecConfirmsProductionProfiles() throws {
    let sandbox = try confirmingSandbox()
    let r = try sandbox.run(["exec", "dev,prod", "--", "sh", "-c", "printf '%s;' \"$CONDUCTOR_PROFILE_ACTIVE\""])
    #expect(r.status == 3, "\(r)")
    #expect(r.stdout == "dev;", "\(r)")
    #expect(
      r.stderr.contains(
        "error: profile 'prod' is a production profile and the store asks to confirm those (confirmProduction), and there is no terminal to ask on; nothing was changed. Confirm with: conductor-profile exec prod --yes -- COMMAND\n"
      ), "\(r)")
    let confirmed = try sandbox.run(
      ["exec", "dev,prod", "--yes", "--", "sh", "-c", "printf '%s;' \"$CONDUCTOR_PROFILE_ACTIVE\""])
    #expect(confirmed.status == 0 && confirmed.stdout == "dev;prod;", "\(confirmed)")
  }

  @Test func directoryAndStartupSwitchesToAProductionProfileAreRefused() throws {
    let sandbox = try confirmingSandbox()
    // Two trusted directory files (allow), one naming the production profile.
    func trusted(_ directory: String, _ name: String) throws -> String {
      let path = sandbox.root.appendingPathComponent(directory).path
      try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
      try Data("\(name)\n".utf8).write(to: URL(fileURLWithPath: path + "/.conductor-profile"))
      #expect(try sandbox.run(["allow", path]).status == 0)
      return path + "/.conductor-profile"
    }
    let prodFile = try trusted("app", "prod")
    let devFile = try trusted("dev-app", "dev")
    let (r, _) = try hookUse(sandbox, ["prod", "--yes"], env: ["_CONDUCTOR_PROFILE_DIRFILE": prodFile])
    #expect(r.status == 3 && r.stdout == "", "\(r)")
    #expect(
      r.stderr
        == "error: profile 'prod' is a production profile and the store asks to confirm those (confirmProduction): not switched for '\(prodFile)'; switch by hand with: conductor-profile use prod\n"
    )
    #expect(try hookUse(sandbox, ["dev"], env: ["_CONDUCTOR_PROFILE_DIRFILE": devFile]).0.status == 0)
    #expect(try sandbox.run(["default", "prod"]).status == 0)
    guard let shell = try sandbox.shell(.bash, "\(HookShell.bash.load)\nenv -0 > env0\n") else { return }
    #expect(shell.status == 0)
    #expect(conductorNames(try sandbox.environmentDump("env0")) == [], "not activated")
    #expect(
      shell.stderr.contains("(confirmProduction): not activated at start-up; switch by hand with: conductor-profile use prod\n"))
  }

  @Test func aConfirmProductionThatIsNotABooleanFails() throws {
    let sandbox = try confirmingSandbox()
    try sandbox.writeStore(
      try String(contentsOfFile: sandbox.storePath, encoding: .utf8).replacingOccurrences(
        of: "\"confirmProduction\" : true", with: "\"confirmProduction\" : \"yes\""))
    let (r, _) = try hookUse(sandbox, ["prod", "--yes"])
    #expect(r.status == 1 && r.stdout == "", "\(r)")
    #expect(r.stderr.hasPrefix("error: \"confirmProduction\" in \(sandbox.storePath) is \"yes\", not true or false"), "\(r)")
    #expect(try hookUse(sandbox, ["dev"]).0.status == 0, "only a switch to a production profile reads it")
  }
}
