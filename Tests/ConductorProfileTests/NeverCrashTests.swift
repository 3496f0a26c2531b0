import Foundation
import Testing

@testable import ConductorNetwork
@testable import ProfileCommands
@testable import ProfileModel
@testable import ShellOutput

/// The program never dies of a signal on any input, and never leaves a core file.
@Suite struct NeverCrashTests {
  /// Numbers at every limit, strings where numbers belong, and deep nesting, as JSON text.
  static let edgeValues = [
    "-9223372036854775808", "9223372036854775807", "9223372036854775808", "-9223372036854775809", "18446744073709551616",
    "1e308", "-1e308", "1e309", "1.5", "0.0000001", "1e-400", "-0", "0", "-1", "253402300799", "253402300800",
    "4102444800.999", "\"123\"", "\"\"", "[]", "{}", "true", "null", "[1]", "{\"exp\":1}",
    "1" + String(repeating: "0", count: 400), String(repeating: "[", count: 300) + String(repeating: "]", count: 300),
    String(repeating: "[", count: 600) + String(repeating: "]", count: 600), "\"\\u0000\\u001b]52;c;eA==\\u0007\"",
  ]

  /// A deterministic generator (SplitMix64), so a failure names a payload that can be made again.
  struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
  }

  static func b64(_ text: String) -> String {
    Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
      .replacingOccurrences(of: "=", with: "")
  }

  /// Tokens whose payloads put edge values in `exp`, `iat`, `nbf` and the name claims, at random.
  static func tokens(count: Int, seed: UInt64) -> [String] {
    var rng = SplitMix(state: seed)
    var result: [String] = []
    for i in 0..<count {
      var members: [String] = []
      // Every edge value once as exp, then random ones.
      let exp = i < edgeValues.count ? edgeValues[i] : edgeValues.randomElement(using: &rng)!
      members.append("\"exp\":\(exp)")
      for claim in ["iat", "nbf", "email", "name", "sub"] where Bool.random(using: &rng) {
        members.append("\"\(claim)\":\(edgeValues.randomElement(using: &rng)!)")
      }
      let header = Bool.random(using: &rng) ? "{\"alg\":\"none\"}" : "{\"alg\":\(edgeValues.randomElement(using: &rng)!)}"
      result.append(b64(header) + "." + b64("{" + members.joined(separator: ",") + "}") + ".")
    }
    return result
  }

  /// Runs the program through sh, which reports a death by signal N as status 128+N.
  func status(_ s: Sandbox, _ arguments: [String], stdin: String? = nil, env: [String: String] = [:]) throws -> (Int, String) {
    let r = try s.execute(
      "/bin/sh", ["-c", "\"$0\" \"$@\"; echo \"<<$?>>\" >&2", Sandbox.program] + arguments, stdin: stdin, env: env)
    let marker = try #require(r.stderr.components(separatedBy: "<<").last?.components(separatedBy: ">>").first)
    return (Int(marker) ?? -1, r.description)
  }

  @Test func rangeIsCheckedAtTheEdge() {
    #expect(Limits.numericDate(.number("-9223372036854775808")) == nil)
    #expect(Limits.numericDate(.number("1e308")) == nil)
    #expect(Limits.numericDate(.number("1.5")) == 1)
    #expect(Limits.numericDate(.string("123")) == nil)
    #expect(Limits.numericDate(.number("253402300799")) == 253_402_300_799)
    #expect(Limits.numericDate(.number("253402300800")) == nil)
  }

  @Test func randomPayloadsNeverKillTheProgram() throws {
    let s = try Sandbox()
    let tokens = Self.tokens(count: 80, seed: 11)
    // add: each token on standard input.
    for (i, token) in tokens.enumerated() {
      let (code, text) = try status(s, ["add", "a\(i)", "--server", "https://x.example.com", "--user-token"], stdin: token)
      #expect(code == 0 || code == 1, "add of \(token): \(text)")
    }
    // A hand-edited store holding every token, and an export of it to import.
    var profiles: [String] = []
    for (i, token) in tokens.enumerated() {
      profiles.append(
        "\"p\(i)\":{\"auth\":{\"kind\":\"user-token\",\"token\":\"\(token)\"},\"production\":\(i % 2 == 0),\"server\":\"https://x.example.com\"}"
      )
    }
    let store = "{\"version\":1,\"profiles\":{" + profiles.joined(separator: ",") + "}}"
    let file = s.root.appendingPathComponent("export.json")
    try Data(store.utf8).write(to: file)
    let (importCode, importText) = try status(s, ["import", "file", file.path, "--force"])
    #expect(importCode == 0 || importCode == 1, "\(importText)")
    try s.writeStore(store)
    for arguments in [["list"], ["list", "--json"], ["doctor"], ["export"]] {
      let (code, text) = try status(s, arguments)
      #expect(code < 128 && code >= 0, "\(arguments): \(text)")
    }
    let hook = ["_CONDUCTOR_PROFILE_SHELL": "bash"]
    for i in tokens.indices {
      for arguments in [["show", "p\(i)"], ["token", "p\(i)"], ["env", "p\(i)"], ["exec", "p\(i)", "--", "true"]] {
        let (code, text) = try status(s, arguments)
        #expect(code < 128 && code >= 0, "\(arguments): \(text)")
      }
      let (useCode, useText) = try status(s, ["use", "p\(i)"], env: hook)
      #expect(useCode < 128 && useCode >= 0, "\(useText)")
      #expect(try s.run(["default", "p\(i)"]).status < 128)
      let (startCode, startText) = try status(
        s, ["use"], env: hook.merging(["_CONDUCTOR_PROFILE_STARTUP": "1", "CONDUCTOR_PROFILE_GUARD": "block"]) { $1 })
      #expect(startCode < 128 && startCode >= 0, "\(startText)")
      let (guardCode, guardText) = try status(
        s, ["guard"], env: ["CONDUCTOR_AUTH_TOKEN": tokens[i], "CONDUCTOR_SERVER_URL": "https://x.example.com"])
      #expect(guardCode == 0 || guardCode == 3, "\(guardText)")
    }
  }

  /// Ctrl-\ at the secret prompt kills the program with SIGQUIT, which dumps core — but not this program:
  /// its core limit is 0 and it is not dumpable, so no core file holds the secret typed so far.
  @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3"), "needs python3 for a pty"))
  func noCoreFileAfterCtrlBackslashAtTheSecretPrompt() throws {
    let s = try Sandbox()
    let dir = s.root.appendingPathComponent("cwd")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    // Raises the core limit, runs the command on a pty, types half a secret at the prompt, then Ctrl-\;
    // prints the child's /proc limits line for core files, and how it ended.
    let driver = #"""
      import os, pty, resource, select, signal, sys, time
      # The test runner's threads may block signals, and a child inherits the mask: unblock them.
      signal.pthread_sigmask(signal.SIG_SETMASK, [])
      hard = resource.getrlimit(resource.RLIMIT_CORE)[1]
      resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))
      prompt = sys.argv[1].encode()
      pid, fd = pty.fork()
      if pid == 0:
          os.execvp(sys.argv[2], sys.argv[2:])
      shown, deadline, soft = b"", time.monotonic() + 10, "?"
      while time.monotonic() < deadline:
          r, _, _ = select.select([fd], [], [], 0.05)
          if r:
              try:
                  shown += os.read(fd, 4096)
              except OSError:
                  break
          if prompt in shown:
              time.sleep(0.2)
              soft = [l for l in open(f"/proc/{pid}/limits") if l.startswith("Max core file size")][0].split()[4]
              os.write(fd, b"half-a-secret-XYZZY")
              time.sleep(0.1)
              os.write(fd, b"\x1c")
              break
      else:
          os.kill(pid, signal.SIGKILL)
      # Drain the terminal while the child ends (the Swift runtime may print a crash report first).
      end = time.monotonic() + 20
      while time.monotonic() < end:
          done, status = os.waitpid(pid, os.WNOHANG)
          if done:
              break
          r, _, _ = select.select([fd], [], [], 0.05)
          if r:
              try:
                  os.read(fd, 4096)
              except OSError:
                  pass
      else:
          os.kill(pid, signal.SIGKILL)
          _, status = os.waitpid(pid, 0)
      print(soft, "ended", hard != 0)
      """#
    let script = s.root.appendingPathComponent("driver.py")
    try Data(driver.utf8).write(to: script)
    func run(_ prompt: String, _ command: [String]) throws -> String {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
      process.arguments = [script.path, prompt] + command
      process.currentDirectoryURL = dir
      // The Swift runtime's crash report would wait 30 s for a key at the terminal: not here.
      process.environment = s.environment.merging(["SWIFT_BACKTRACE": "interactive=no"]) { $1 }
      let pipe = Pipe()
      process.standardOutput = pipe
      process.standardInput = FileHandle.nullDevice
      try process.run()
      process.waitUntilExit()
      return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }
    let shown = try run("Key secret for", [Sandbox.program, "add", "k", "--server", "https://x.example.com", "--key-id", "id"])
    #expect(shown.hasPrefix("0 ended "), "the core limit was 0 at the prompt, and Ctrl-\\ ended it: \(shown)")
    let cores = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix("core") }
    #expect(cores.isEmpty, "\(cores)")
    // The same with a program that does not turn dumps off: a core file appears, when this machine writes
    // them to the working directory (core_pattern "core"); else the check above is all there is.
    let pattern = (try? String(contentsOfFile: "/proc/sys/kernel/core_pattern", encoding: .utf8)) ?? ""
    if pattern.hasPrefix("core"), shown.hasSuffix("True\n") {
      _ = try run("Secret: ", ["/usr/bin/python3", "-c", "import getpass; getpass.getpass('Secret: ')"])
      let control = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix("core") }
      #expect(!control.isEmpty, "a program that keeps dumps on leaves a core file here: the test can see one")
    }
  }

  /// The process makes itself non-dumpable (no dump even to a core_pattern pipe, which ignores the limit).
  @Test(
    .enabled(if: StorePathTests.strace != nil || ProcessInfo.processInfo.environment["CI"] == "true", "strace cannot trace here"))
  func theProcessIsNotDumpable() throws {
    let strace = try #require(StorePathTests.strace)
    let s = try Sandbox()
    let r = try s.execute(strace, ["-e", "trace=prctl,prlimit64,setrlimit", Sandbox.program, "--version"])
    #expect(r.stderr.contains("prctl(PR_SET_DUMPABLE, SUID_DUMP_DISABLE) = 0"), "\(r)")
    #expect(r.stderr.contains("RLIMIT_CORE, {rlim_cur=0,"), "\(r)")
  }

  /// A program that `exec` starts gets the core limit the shell gave conductor-profile, not 0.
  @Test func execRestoresTheCoreLimit() throws {
    let s = try Sandbox()
    try s.addKey("dev")
    let r = try s.execute(
      "/bin/sh", ["-c", "ulimit -c 1024; \"$0\" exec dev -- sh -c 'ulimit -c'", Sandbox.program])
    #expect(r.status == 0, "\(r)")
    #expect(r.stdout == "1024\n", "\(r)")
  }
}
