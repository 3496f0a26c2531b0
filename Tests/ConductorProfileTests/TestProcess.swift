import Foundation
import Testing

/// A child process the tests start: always in its own session (no controlling terminal, so it can
/// never read the keyboard of the terminal `swift test` was started from, nor take its foreground),
/// its signals at their defaults, no descriptor of ours but the three it is given, and bounded by a
/// time-out — a child still running then is killed with its whole session and the test fails with
/// what it printed. See the top of ShellSupport.swift for when to use what.
final class TestProcess: @unchecked Sendable {
  /// What a child's standard input is.
  enum Input {
    /// Nothing: an empty stream, at its end at once (`/dev/null`).
    case none
    /// These bytes through a pipe, closed after them.
    case bytes([UInt8])
    /// A pipe the test keeps open (`input`), for a child that runs while the test talks to it.
    case pipe
  }

  /// What a child's standard output or error is.
  enum Output {
    case discard
    /// A file, created or truncated.
    case file(String)
    /// A pipe the test reads (`output`); standard error may share it with `.sameAsStdout`.
    case pipe
    /// Standard error only: wherever standard output goes.
    case sameAsStdout
  }

  let pid: pid_t
  let command: String
  /// The test's end of the `.pipe` standard input (write, then close), or -1.
  private(set) var input: Int32 = -1
  /// The test's end of the `.pipe` standard output (read), or -1.
  private(set) var output: Int32 = -1

  private let lock = NSLock()
  private var reaped = false
  private var status: Int32 = 0
  private var killedAfter: Double?
  private let feeder = DispatchGroup()

  /// Seconds a child may run before it is killed, unless the call says otherwise.
  static let defaultTimeout: Double = 120

  private static let ignorePipeSignal: Void = { signal(SIGPIPE, SIG_IGN) }()

  /// Starts `executable` (an absolute path) with `arguments` in its own session.
  init(
    _ executable: String, _ arguments: [String], environment: [String: String], directory: String? = nil,
    stdin: Input = .none, stdout: Output = .discard, stderr: Output = .discard, timeout: Double = TestProcess.defaultTimeout
  ) throws {
    _ = TestProcess.ignorePipeSignal
    command = ([executable] + arguments).joined(separator: " ")
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }

    var theirs: [Int32] = []  // descriptors the child gets, closed here once it has them
    defer { for fd in theirs { close(fd) } }
    func pipeEnds() throws -> (read: Int32, write: Int32) {
      var fds: [Int32] = [-1, -1]
      guard GNU.pipe2(&fds, O_CLOEXEC) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
      return (fds[0], fds[1])
    }
    func openFile(_ path: String, _ flags: Int32) throws -> Int32 {
      let fd = open(path, flags | O_CLOEXEC, 0o644)
      guard fd >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
      return fd
    }

    var bytes: [UInt8]?
    switch stdin {
    case .none:
      theirs.append(try openFile("/dev/null", O_RDONLY))
    case .bytes(let b):
      let ends = try pipeEnds()
      theirs.append(ends.read)
      input = ends.write
      bytes = b
    case .pipe:
      let ends = try pipeEnds()
      theirs.append(ends.read)
      input = ends.write
    }
    posix_spawn_file_actions_adddup2(&actions, theirs[0], 0)
    for (target, choice) in [(Int32(1), stdout), (Int32(2), stderr)] {
      switch choice {
      case .discard:
        let fd = try openFile("/dev/null", O_WRONLY)
        theirs.append(fd)
        posix_spawn_file_actions_adddup2(&actions, fd, target)
      case .file(let path):
        let fd = try openFile(path, O_WRONLY | O_CREAT | O_TRUNC)
        theirs.append(fd)
        posix_spawn_file_actions_adddup2(&actions, fd, target)
      case .pipe:
        let ends = try pipeEnds()
        theirs.append(ends.write)
        output = ends.read
        posix_spawn_file_actions_adddup2(&actions, ends.write, target)
      case .sameAsStdout:
        posix_spawn_file_actions_adddup2(&actions, 1, target)
      }
    }
    _ = GNU.addclosefrom(&actions, 3)
    if let directory { _ = GNU.addchdir(&actions, directory) }

    // Its own session; the signals the test process ignores or blocks back at their defaults.
    posix_spawnattr_setflags(&attributes, Int16(GNU.setsid | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for s in [SIGPIPE, SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGCHLD, SIGTTIN, SIGTTOU, SIGTSTP, SIGALRM, SIGUSR1, SIGUSR2] {
      sigaddset(&defaults, s)
    }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    var none = sigset_t()
    sigemptyset(&none)
    posix_spawnattr_setsigmask(&attributes, &none)

    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { for p in argv + envp { free(p) } }
    var child: pid_t = 0
    let result = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
    guard result == 0 else {
      if input >= 0 { close(input) }
      if output >= 0 { close(output) }
      throw POSIXError(.init(rawValue: result) ?? .EIO)
    }
    pid = child

    if let bytes {
      let fd = input
      input = -1
      DispatchQueue.global().async(group: feeder) {
        var offset = 0
        while offset < bytes.count {
          let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
          if n < 0 && errno == EINTR { continue }
          if n <= 0 { break }  // the child closed its end (EPIPE): it has read all it wants
          offset += n
        }
        close(fd)
      }
    }
    DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { [weak self] in self?.expire(after: timeout) }
  }

  deinit {
    if input >= 0 { close(input) }
    if output >= 0 { close(output) }
  }

  /// Kills the session when the child has not ended yet.
  private func expire(after seconds: Double) {
    lock.lock()
    defer { lock.unlock() }
    guard !reaped else { return }
    killedAfter = seconds
    kill(-pid, SIGKILL)
    kill(pid, SIGKILL)
  }

  /// Closes the test's end of a `.pipe` standard input.
  func closeInput() {
    if input >= 0 { close(input) }
    input = -1
  }

  /// Whether the child is still running (it is not reaped).
  var isRunning: Bool {
    var info = siginfo_t()
    if waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info._sifields._sigchld.si_pid == 0 { return true }
    return false
  }

  /// Waits for the child and returns its status as `Process.terminationStatus` reports it: the exit
  /// status, or the signal's number when a signal ended it. When the time-out killed it, `timedOut` is set.
  @discardableResult
  func wait() -> Int32 {
    lock.lock()
    if reaped {
      lock.unlock()
      return status
    }
    lock.unlock()
    // Wait for it to end without reaping it, so its pid (and session) stay ours until `reaped` is set.
    var info = siginfo_t()
    while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0 && errno == EINTR {}
    lock.lock()
    reaped = true
    lock.unlock()
    var raw: Int32 = 0
    while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
    feeder.wait()
    status = raw & 0x7f == 0 ? (raw >> 8) & 0xff : raw & 0x7f
    return status
  }

  /// The seconds after which the time-out killed the child, or nil.
  var timedOut: Double? {
    lock.lock()
    defer { lock.unlock() }
    return killedAfter
  }

  /// Reads the `.pipe` standard output to its end.
  func readOutput() -> [UInt8] {
    var data: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = buffer.withUnsafeMutableBytes { read(output, $0.baseAddress, $0.count) }
      if n < 0 && errno == EINTR { continue }
      if n <= 0 { break }
      data += buffer[0..<n]
    }
    return data
  }

  /// Runs a child to its end: its status and what it wrote on standard output and standard error
  /// (through files, so neither stream can fill a pipe and block it). A child that outlives `timeout`
  /// is killed and the current test fails, showing what it had printed.
  static func run(
    _ executable: String, _ arguments: [String], environment: [String: String], directory: String? = nil,
    stdin: [UInt8]? = nil, mergeStderr: Bool = false, timeout: Double = TestProcess.defaultTimeout,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> Sandbox.Result {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("cp-child-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let outPath = scratch.appendingPathComponent("out").path
    let errPath = scratch.appendingPathComponent("err").path
    let child = try TestProcess(
      executable, arguments, environment: environment, directory: directory, stdin: stdin.map { .bytes($0) } ?? .none,
      stdout: .file(outPath), stderr: mergeStderr ? .sameAsStdout : .file(errPath), timeout: timeout)
    let status = child.wait()
    let out = FileManager.default.contents(atPath: outPath) ?? Data()
    let err = mergeStderr ? Data() : FileManager.default.contents(atPath: errPath) ?? Data()
    let result = Sandbox.Result(
      status: status, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
    if let seconds = child.timedOut {
      Issue.record(
        "timed out after \(Int(seconds)) s and was killed: \(child.command)\n\(result)", sourceLocation: sourceLocation)
    }
    return result
  }
}

/// glibc's extensions that Swift's Glibc module leaves out (it does not define _GNU_SOURCE).
private enum GNU {
  /// POSIX_SPAWN_SETSID (spawn.h): the child calls setsid().
  static let setsid: Int32 = 0x80
  static func symbol<T>(_ name: String, as type: T.Type) -> T {
    guard let pointer = dlsym(nil, name) else {  // nil: RTLD_DEFAULT
      fatalError("glibc has no \(name)")
    }
    return unsafeBitCast(pointer, to: type)
  }
  static let pipe2 = symbol("pipe2", as: (@convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32).self)
  static let addclosefrom = symbol(
    "posix_spawn_file_actions_addclosefrom_np",
    as: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
  static let addchdir = symbol(
    "posix_spawn_file_actions_addchdir_np",
    as: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32).self)
}

/// The tools the tests run besides the program, and where each is.
enum Tool {
  static var ci: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

  /// The tool's path on the test process's PATH (and the usual directories), or nil. Tools named in
  /// `CONDUCTOR_PROFILE_TEST_HIDE` (comma separated) count as missing, to see what a machine without them reports.
  static func find(_ name: String) -> String? {
    let hidden = ProcessInfo.processInfo.environment["CONDUCTOR_PROFILE_TEST_HIDE"] ?? ""
    if hidden.split(separator: ",").contains(Substring(name)) { return nil }
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    let dirs = path.split(separator: ":").map(String.init) + ["/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin"]
    return dirs.lazy.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
  }

  /// Whether every tool is installed — or CI=true, where a test must run and fail without it.
  /// For `.enabled(if:)`; use `.requires(…)` below, which also says why it skipped.
  static func runnable(_ names: [String]) -> Bool { ci || names.allSatisfy { find($0) != nil } }

  /// The tool's path. When it is missing: under CI=true the test fails (.ci/run installs it);
  /// otherwise the current test (or test case) is cancelled, which Swift Testing reports as skipped,
  /// with the reason.
  static func require(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
    if let path = find(name) { return path }
    if ci {
      Issue.record("\(name) is not installed, and CI must run this test (.ci/run installs it)", sourceLocation: sourceLocation)
      throw Missing(name: name)
    }
    try Test.cancel("skipped: \(name) is not installed", sourceLocation: sourceLocation)
  }

  struct Missing: Error, CustomStringConvertible {
    var name: String
    var description: String { "\(name) is not installed" }
  }
}

extension Trait where Self == ConditionTrait {
  /// Runs the test only where the tools are installed: a visible skip with the reason locally, and
  /// under CI=true the test runs (and fails at `Tool.require`) so nothing is silently left out.
  static func requires(_ names: String...) -> Self {
    .enabled(if: Tool.runnable(names), "skipped: needs \(names.joined(separator: ", ")) (not installed)")
  }
}
