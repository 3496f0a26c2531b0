import Foundation
import Testing

/// The hooks and the gate (issue 21 items 3 and 4, issue 20 item 5), in real bash, zsh and fish: leaving a
/// trusted tree always restores, any value switches or fails for a real reason, and the hook hands the
/// program only the path of a `.conductor-profile`.
@Suite struct HookGateTests {
  static let shells = HookShell.allCases
  let trees = DirectoryHookTests()

  /// The tree sandbox of DirectoryHookTests, plus `prodtree` (trusted, names prod) and `big` (an
  /// untrusted file over the 4 KiB limit).
  func sandbox() throws -> Sandbox {
    let sandbox = try trees.treeSandbox()
    let prodtree = sandbox.out.appendingPathComponent("prodtree/src")
    try FileManager.default.createDirectory(at: prodtree, withIntermediateDirectories: true)
    try Data("prod\n".utf8).write(to: prodtree.deletingLastPathComponent().appendingPathComponent(".conductor-profile"))
    #expect(try sandbox.run(["allow", prodtree.deletingLastPathComponent().path]).status == 0)
    let big = sandbox.out.appendingPathComponent("big")
    try FileManager.default.createDirectory(at: big, withIntermediateDirectories: true)
    try Data(("dev\n" + String(repeating: "x", count: 5000)).utf8).write(to: big.appendingPathComponent(".conductor-profile"))
    return sandbox
  }

  /// From a trusted tree into a tree that does not switch — untrusted, edited, naming a missing profile,
  /// refused by the guard, over the size limit — or into no tree: back to what the shell had before.
  @Test(arguments: shells) func leavingATrustedTreeAlwaysRestores(shell: HookShell) throws {
    let sandbox = try sandbox()
    var script = "conductor-profile use other\nenv -u OLDPWD -u PWD -u _ -0 > \"$OUT/start\"\n"
    for (i, next) in ["untrusted", "edited", "missing", "risky", "big", "."].enumerated() {
      script += """
        cd "$OUT/tree/l1"
        printf '%s' "$CONDUCTOR_PROFILE_ACTIVE" > "$OUT/in\(i)"
        cd "$OUT/\(next)"
        env -u OLDPWD -u PWD -u _ -0 > "$OUT/next\(i)"

        """
    }
    guard let r = try trees.interactive(sandbox, shell, script, env: ["CONDUCTOR_PROFILE_GUARD": "block"]) else { return }
    #expect(r.status == 0, "\(r)")
    let start = try sandbox.environmentDump("start")
    #expect(start["CONDUCTOR_PROFILE_ACTIVE"] == bytes("other"))
    for (i, next) in ["untrusted", "edited", "missing", "risky", "big", "."].enumerated() {
      #expect(try sandbox.outText("in\(i)") == "dev", "\(next): \(r)")
      let dump = try sandbox.environmentDump("next\(i)").filter { !$0.key.hasPrefix("_CONDUCTOR_PROFILE_") }
      #expect(
        dump.filter { $0.key.hasPrefix("CONDUCTOR_") || $0.key.hasPrefix("X_") }
          == start.filter { ($0.key.hasPrefix("CONDUCTOR_") || $0.key.hasPrefix("X_")) && !$0.key.hasPrefix("_") },
        "leaving the tree for \(next) restores 'other': \(r)")
    }
    #expect(r.stderr.contains("back to 'other'"), "\(r)")
    #expect(r.stderr.contains("is larger than 4096 bytes"), "\(r)")
  }

  /// Entering another trusted tree from inside one switches from the first tree's profile; leaving both
  /// returns to what the shell had before the first.
  @Test(arguments: shells) func treeToTreeAndOutAgain(shell: HookShell) throws {
    let sandbox = try sandbox()
    let script = """
      conductor-profile use other
      cd "$OUT/tree/l1"
      printf '%s' "$CONDUCTOR_PROFILE_ACTIVE" > "$OUT/a"
      cd "$OUT/prodtree/src"
      printf '%s|%s' "$CONDUCTOR_PROFILE_ACTIVE" "$_CONDUCTOR_PROFILE_PREVIOUS" > "$OUT/b"
      cd "$OUT"
      printf '%s' "$CONDUCTOR_PROFILE_ACTIVE" > "$OUT/c"
      """
    guard let r = try trees.interactive(sandbox, shell, script) else { return }
    #expect(r.status == 0, "\(r)")
    #expect(try sandbox.outText("a") == "dev", "\(r)")
    #expect(try sandbox.outText("b") == "prod|dev", "a switch from the first tree's profile: \(r)")
    #expect(try sandbox.outText("c") == "other", "\(r)")
  }

  // MARK: Any value switches or fails for a real reason

  static let hostile: [(String, String)] = [
    ("X_NL", "a\nunset EUID;b"), ("X_QUOTES", "x'\"\nexport PATH=/nowhere\n'"), ("X_TEXT", "unset PWD; export EUID=1"),
    ("X_LINES", "\nreadonly X_TEXT;\nUID=0\n"), ("X_MARK", "\n# conductor-profile switch sets: EUID\n"),
  ]

  @Test(arguments: shells) func hostileMultiLineValuesSwitch(shell: HookShell) throws {
    let sandbox = try sandbox()
    try sandbox.addKey("fuzz", extra: Self.hostile.flatMap { ["--env", "\($0.0)=\($0.1)"] })
    // A trusted tree whose path holds the same text.
    let odd = sandbox.out.appendingPathComponent("odd\nunset EUID;'x\n# conductor-profile switch sets: UID")
    try FileManager.default.createDirectory(at: odd, withIntermediateDirectories: true)
    try Data("fuzz\n".utf8).write(to: odd.appendingPathComponent(".conductor-profile"))
    #expect(try sandbox.run(["allow", odd.path]).status == 0)
    let script = """
      conductor-profile use fuzz; echo $? > "$OUT/s1"
      env -0 > "$OUT/e1"
      conductor-profile use -; echo $? > "$OUT/s2"
      cd "$OUT"/odd*
      env -0 > "$OUT/e2"
      cd "$OUT"
      """
    guard let r = try trees.interactive(sandbox, shell, script) else { return }
    #expect(try sandbox.outText("s1") == "0\n", "\(r)")
    #expect(try sandbox.outText("s2") == "0\n", "\(r)")
    #expect(!r.stderr.contains("read-only") && !r.stderr.contains("no switch"), "\(r)")
    for dump in [try sandbox.environmentDump("e1"), try sandbox.environmentDump("e2")] {
      #expect(dump["CONDUCTOR_PROFILE_ACTIVE"] == bytes("fuzz"), "\(r)")
      for (name, value) in Self.hostile { #expect(dump[name] == bytes(value), "\(name): \(r)") }
      #expect(dump["PATH"] != bytes("/nowhere"))
    }
    #expect(try sandbox.environmentDump("e2")["CONDUCTOR_PROFILE_FILE"] == bytes(odd.path + "/.conductor-profile"))
  }

  /// A read-only variable still stops the switch, for the real reason, before anything changes.
  @Test(arguments: [HookShell.bash, .zsh]) func aReadOnlyVariableStillStopsTheSwitch(shell: HookShell) throws {
    let sandbox = try sandbox()
    try sandbox.addKey("fuzz", extra: Self.hostile.flatMap { ["--env", "\($0.0)=\($0.1)"] })
    let script = """
      readonly X_TEXT=mine
      env -0 > "$OUT/e0"
      conductor-profile use fuzz; echo $? > "$OUT/s1"
      env -0 > "$OUT/e1"
      """
    guard let r = try trees.interactive(sandbox, shell, script) else { return }
    #expect(try sandbox.outText("s1") == "1\n", "\(r)")
    #expect(r.stderr.contains("this shell cannot apply the switch: X_TEXT is read-only"), "\(r)")
    #expect(try sandbox.outBytes("e1") == sandbox.outBytes("e0"), "nothing changed")
  }

  /// Output without the names line is no switch: nothing is evaluated.
  @Test(arguments: [HookShell.bash, .zsh]) func outputWithoutTheNamesLineIsNoSwitch(shell: HookShell) throws {
    let sandbox = try sandbox()
    let script = """
      _conductor_profile_apply "$(printf 'export X_EVIL=1;\\n')"; echo $? > "$OUT/s1"
      printf '%s' "${X_EVIL-unset}" > "$OUT/v1"
      """
    guard let r = try trees.interactive(sandbox, shell, script) else { return }
    #expect(try sandbox.outText("s1") == "1\n", "\(r)")
    #expect(try sandbox.outText("v1") == "unset", "\(r)")
    #expect(r.stderr.contains("the program printed no switch; nothing was changed"), "\(r)")
  }

  // MARK: The hook hands only the path

  /// No byte of an untrusted `.conductor-profile` reaches an argument vector, the environment or a message.
  @Test(arguments: shells) func anUntrustedFilesContentReachesNoArgumentNorMessage(shell: HookShell) throws {
    let sandbox = try sandbox()
    let secret = "ghp_SEKRETtoken123"
    let dir = sandbox.out.appendingPathComponent("leak")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    try Data("\(secret)\n".utf8).write(to: dir.appendingPathComponent(".conductor-profile"))
    let link = sandbox.out.appendingPathComponent("link")
    try FileManager.default.createDirectory(at: link, withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(
      atPath: link.appendingPathComponent(".conductor-profile").path, withDestinationPath: "/proc/self/environ")
    let trace = sandbox.root.appendingPathComponent("trace").path
    let script = "cd \"$OUT/leak\"\ncd \"$OUT/link\"\ncd \"$OUT\"\n"
    guard
      let r = try trees.interactive(
        sandbox, shell, script, env: ["CONDUCTOR_AUTH_SECRET": "inherited-\(secret)"], trace: trace)
    else { return }
    #expect(r.status == 0, "\(r)")
    let calls = try String(contentsOfFile: trace, encoding: .utf8)
    let uses = calls.split(separator: "\n").filter { $0.contains("execve(") && $0.contains("\"use\"") }
    #expect(uses.count == 2, "one process per file, the path alone: \(calls)")
    for line in uses { #expect(!line.contains(secret) && !line.contains("inherited"), "\(line)") }
    #expect(!r.stderr.contains(secret) && !r.stderr.contains("inherited"), "\(r)")
    #expect(r.stderr.contains("/leak/.conductor-profile is not trusted"), "\(r)")
  }

  /// A FIFO costs a `cd` nothing (the hook's test for a regular file passes over it); a 1 GB file costs
  /// one process that reads none of it (its size is refused first).
  @Test(arguments: shells) func aFIFOOrAHugeFileCostsACdNoMore(shell: HookShell) throws {
    let sandbox = try sandbox()
    let fifo = sandbox.out.appendingPathComponent("fifo")
    let huge = sandbox.out.appendingPathComponent("huge")
    for dir in [fifo, huge] { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) }
    #expect(mkfifo(fifo.appendingPathComponent(".conductor-profile").path, 0o600) == 0)
    let handle = try #require(
      FileHandle(
        forWritingAtPath: { () -> String in
          let path = huge.appendingPathComponent(".conductor-profile").path
          FileManager.default.createFile(atPath: path, contents: Data("dev\n".utf8))
          return path
        }()))
    try handle.truncate(atOffset: 1 << 30)
    try handle.close()
    let script = """
      cd "$OUT/fifo"
      cd "$OUT/huge"
      cd "$OUT"
      printf '%s' "$CONDUCTOR_PROFILE_ACTIVE" > "$OUT/active"
      """
    let start = Date()
    guard let r = try trees.interactive(sandbox, shell, script) else { return }
    #expect(Date().timeIntervalSince(start) < 20, "\(r)")
    #expect(r.status == 0, "\(r)")
    #expect(try sandbox.outText("active") == "", "\(r)")
    #expect(r.stderr.contains("/huge/.conductor-profile is larger than 4096 bytes"), "\(r)")
    #expect(!r.stderr.contains("/fifo/"), "the FIFO is passed over: \(r)")
  }
}
