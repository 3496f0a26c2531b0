import Foundation
import Testing

@testable import ProfileModel

/// `use` with no NAME at a real terminal: the built-in picker and the hand-off to another picker.
@Suite struct PickerTests {
  let seatbelt = SeatbeltTests()

  /// `dev`, `prod` (production), `staging` (a description with an escape sequence in it).
  func sandbox() throws -> Sandbox {
    let sandbox = try seatbelt.sandbox()
    try sandbox.addKey("staging", server: "https://staging.example.com", extra: ["--description", "team \u{1B}[31mstaging"])
    return sandbox
  }

  @Test(arguments: HookShell.allCases) func thePickerSwitchesTheCallingShellOrChangesNothing(shell: HookShell) throws {
    let sandbox = try sandbox()
    let record = shell == .fish ? "echo $status" : "echo $?"
    let snapshot = { (n: Int) in SeatbeltTests.Step.send("stty -a > stty\(n); env -0 > env\(n)\n") }
    let steps: [SeatbeltTests.Step] = [
      snapshot(0), .expect("$ "),
      // Esc: nothing changes.
      .send("conductor-profile use; \(record) > st1\n"), .expect("use> "), .sleep(0.2), .send("\u{1B}"), .expect("$ "),
      snapshot(1), .expect("$ "),
      // Ctrl-C: nothing changes, and no signal reaches the shell.
      .send("conductor-profile use; \(record) > st2\n"), .expect("use> "), .sleep(0.2), .send("\u{3}"), .expect("$ "),
      snapshot(2), .expect("$ "),
      // Typing filters (a subsequence); Enter switches this shell.
      .send("conductor-profile use; \(record) > st3\n"), .expect("use> "), .send("sg"), .expect("use> sg"),
      .sleep(0.2), .send("\r"), .expect("$ "), snapshot(3), .expect("$ "),
      // The most recent first: staging, then dev, prod; the arrow down picks dev.
      .send("conductor-profile use; \(record) > st4\n"), .expect("use> "), .sleep(0.2), .send("\u{1B}[B"), .sleep(0.2),
      .send("\r"), .expect("$ "), snapshot(4), .expect("$ "),
    ]
    guard let r = try seatbelt.atTerminal(shell, sandbox, steps) else { return }
    #expect(r.status == 0, "\(r)")
    let shown = r.stdout
    for n in 1...2 {
      #expect(try sandbox.outBytes("env\(n)") == sandbox.outBytes("env0"), "cancel \(n) changed the environment: \(shown)")
      #expect(try sandbox.outBytes("stty\(n)") == sandbox.outBytes("stty0"), "cancel \(n) left the terminal's mode")
    }
    #expect(try sandbox.outText("st1") == "1\n", "Esc: \(shown)")
    #expect(try sandbox.outText("st2") == "130\n", "Ctrl-C: \(shown)")
    #expect(try sandbox.outText("st3") == "0\n", "\(shown)")
    #expect(try sandbox.environmentDump("env3")["CONDUCTOR_PROFILE_ACTIVE"] == bytes("staging"))
    #expect(try sandbox.outBytes("stty3") == sandbox.outBytes("stty0"))
    #expect(try sandbox.environmentDump("env4")["CONDUCTOR_PROFILE_ACTIVE"] == bytes("dev"), "\(shown)")
    // The rows: production marked in red, the selected row in reverse video, the description escaped.
    let e = "\u{1B}"
    #expect(shown.contains("\(e)[7m> dev      key       \(e)[0m"), "\(shown)")
    #expect(shown.contains("  prod     key       \(e)[31mproduction\(e)[0m"), "\(shown)")
    #expect(shown.contains("  staging  key         team \\e[31mstaging"), "\(shown)")
    #expect(shown.contains("\(e)[7m> staging  key         team \\e[31mstaging\(e)[0m"), "filtered: \(shown)")
    let recent = sandbox.root.appendingPathComponent("home/.config/conductor-profile/recent").path
    #expect(try String(contentsOfFile: recent, encoding: .utf8) == "dev\nstaging\n")
    #expect(try sandbox.mode(of: recent) == 0o600)
  }

  @Test func noColorDrawsMarksWithoutColour() throws {
    let sandbox = try sandbox()
    let steps: [SeatbeltTests.Step] = [
      .send("conductor-profile use\n"), .expect("use> "), .send("pr"), .expect("use> pr"), .sleep(0.2), .send("\u{1B}"),
      .expect("$ "),
    ]
    guard let r = try seatbelt.atTerminal(.bash, sandbox, steps, env: ["NO_COLOR": "1"]) else { return }
    #expect(r.status == 0, "\(r)")
    #expect(r.stdout.contains("> prod     key       production\u{1B}[1A"), "\(r)")
    #expect(!r.stdout.contains("\u{1B}[7m") && !r.stdout.contains("\u{1B}[31m"), "\(r)")
  }

  @Test func sigtermRestoresTheTerminal() throws {
    let sandbox = try sandbox()
    let steps: [SeatbeltTests.Step] = [
      // Without job control the program stays in the terminal's foreground group, as through the hook.
      .send(
        "set +m; stty -a > stty0; _CONDUCTOR_PROFILE_SHELL=bash command conductor-profile use </dev/tty >/dev/null & sleep 1; kill -TERM $!; wait $!; echo $? > st; set -m\n"
      ),
      .expect("use> "), .expect("$ "), .sleep(0.2), .send("stty -a > stty1; env -0 > env1\n"), .expect("$ "),
    ]
    guard let r = try seatbelt.atTerminal(.bash, sandbox, steps) else { return }
    #expect(r.status == 0, "\(r)")
    #expect(try sandbox.outText("st") == "143\n", "\(r)")
    #expect(try sandbox.outBytes("stty1") == sandbox.outBytes("stty0"))
    #expect(conductorNames(try sandbox.environmentDump("env1")) == [])
  }

  @Test func anotherPickerGetsTheNamesAndGivesOne() throws {
    let sandbox = try sandbox()
    let picker = sandbox.root.appendingPathComponent("picker").path
    try Data("#!/bin/sh\ncat > \"$OUT/names\"\necho \"$ANSWER\"\nexit \"${STATUS:-0}\"\n".utf8).write(
      to: URL(fileURLWithPath: picker))
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: picker)
    let steps: [SeatbeltTests.Step] = [
      .send("ANSWER=prod conductor-profile use; echo $? > st1; env -0 > env1\n"), .expect("$ "),
      .send("ANSWER=nope conductor-profile use; echo $? > st2; env -0 > env2\n"), .expect("$ "),
      .send("ANSWER=dev STATUS=130 conductor-profile use; echo $? > st3; env -0 > env3\n"), .expect("$ "),
    ]
    guard
      let r = try seatbelt.atTerminal(
        .bash, sandbox, steps, env: ["CONDUCTOR_PROFILE_PICKER": "'\(picker)' --flag", "OUT": sandbox.out.path])
    else { return }
    #expect(r.status == 0, "\(r)")
    #expect(try sandbox.outText("names") == "prod\ndev\nstaging\n", "the most recent first")
    #expect(try sandbox.outText("st1") == "0\n")
    #expect(try sandbox.environmentDump("env1")["CONDUCTOR_PROFILE_ACTIVE"] == bytes("prod"))
    #expect(try sandbox.outText("st2") == "1\n")
    #expect(r.stdout.contains("printed 'nope', which is not a profile; nothing was changed"), "\(r)")
    #expect(try sandbox.outText("st3") == "1\n")
    #expect(try sandbox.outBytes("env2") == sandbox.outBytes("env1"))
    #expect(try sandbox.outBytes("env3") == sandbox.outBytes("env1"))
  }

  @Test func withoutProfilesThePickerSaysHowToAddOne() throws {
    let sandbox = try Sandbox()
    let steps: [SeatbeltTests.Step] = [.send("conductor-profile use; echo $? > st\n"), .expect("$ ")]
    guard let r = try seatbelt.atTerminal(.bash, sandbox, steps) else { return }
    #expect(try sandbox.outText("st") == "1\n", "\(r)")
    #expect(
      r.stdout.contains("error: there are no profiles yet; add one with: conductor-profile add NAME --server URL --key-id ID"))
  }

  @Test(arguments: HookShell.allCases) func withoutATerminalNoNameIsAUsageError(shell: HookShell) throws {
    let sandbox = try sandbox()
    guard let r = try sandbox.shell(shell, "\(shell.load)\nconductor-profile use; echo $? > st\n") else { return }
    #expect(try sandbox.outText("st") == "64\n")
    #expect(r.stderr.hasPrefix("Error: missing NAME (at a terminal, use without NAME opens a picker)\n"), "\(r)")
  }

  @Test func theListScrollsTenRowsAtATime() throws {
    let sandbox = try Sandbox()
    let names = (1...15).map { String(format: "p%02d", $0) }
    for name in names {
      #expect(try sandbox.run(["add", name, "--server", "https://\(name).example.com", "--no-auth"]).status == 0)
    }
    let steps: [SeatbeltTests.Step] =
      [.send("conductor-profile use\n"), .expect("use> "), .sleep(0.2)]
      + Array(repeating: SeatbeltTests.Step.send("\u{1B}[B"), count: 12) + [
        .sleep(0.3), .send("\r"), .expect("$ "), .send("env -0 > env1\n"), .expect("$ "),
      ]
    guard let r = try seatbelt.atTerminal(.bash, sandbox, steps, env: ["NO_COLOR": "1"]) else { return }
    #expect(r.status == 0, "\(r)")
    #expect(try sandbox.environmentDump("env1")["CONDUCTOR_PROFILE_ACTIVE"] == bytes("p13"), "\(r)")
    let draws = r.stdout.components(separatedBy: "use> ")
    #expect(draws.count > 2, "\(r)")
    #expect(draws[1].contains("> p01") && draws[1].contains("  p10") && !draws[1].contains("p11"), "\(draws[1])")
    #expect(draws.last?.contains("> p13") == true && draws.last?.contains("p03") == false, "\(r)")
  }
}

// Written for mutants of Tests/Support/mutants.txt that no earlier test killed (docs/mutations.md).
extension PickerTests {
  @Test func aPickerRowEscapesNewlineAndTab() {
    #expect(TerminalText.sanitize("a\nb\tc", singleLine: true) == "a\\nb\\tc")
    #expect(TerminalText.sanitize("a\nb\tc") == "a\nb\tc")
  }
}

extension PickerTests {
  /// The picker's columns stay apart when a kind fills its column: `user-token production`, never glued.
  @Test func pickerColumnsStayApart() throws {
    let sandbox = try Sandbox()
    try sandbox.addKey("dev")
    try sandbox.addToken(
      "ui", server: "https://ui.example.com", token: makeJWT(["sub": "ann", "exp": nowSeconds() + 86400]),
      extra: ["--production"])
    let steps: [SeatbeltTests.Step] = [
      .send("conductor-profile use\n"), .expect("use> "), .sleep(0.3), .send("\u{1B}"), .expect("$ "),
    ]
    guard let r = try SeatbeltTests().atTerminal(.bash, sandbox, steps, env: ["NO_COLOR": "1"]) else { return }
    #expect(r.status == 0, "\(r)")
    // Every row's kind padded to the same 11 columns, so the production column lines up.
    #expect(r.stdout.contains("dev  key        "), "\(r)")
    #expect(r.stdout.contains("  ui   user-token production"), "\(r)")
    #expect(!r.stdout.contains("user-tokenproduction"), "\(r)")
  }
}
