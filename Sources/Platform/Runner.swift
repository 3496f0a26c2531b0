// The one way the program starts another (curl, a secret store's helper, a picker, `xdg-open`, the
// commands of a fan-out) and the one way it becomes another (`exec`), with the one PATH lookup they all
// use. Arguments are an argument vector: no shell reads them.

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

package enum Runner {
  /// What to run, and how.
  package struct Request {
    /// The program's path (from `locate`).
    package var path: String
    /// The argument vector, the program's name first.
    package var arguments: [String]
    package var environment: [String: String]
    /// Written to its standard input, which is then closed.
    package var input: [UInt8] = []
    /// Captured standard error; false leaves this process's standard error to it (a picker draws there).
    package var captureErrors = true
    /// Its standard output is read up to this many bytes; one byte more ends the child (`Result.tooMuchOutput`).
    package var outputLimit: Int
    /// Standard error is kept up to this many bytes; the rest is read and dropped.
    package var errorLimit = 64 * 1024
    /// Seconds it may run; at the deadline its whole process group is killed (`Result.timedOut`). Nil: no
    /// deadline (a program that talks to the user).
    package var deadline: Double?
    /// Runs in a process group of its own, so the deadline ends its children too. A program that reads the
    /// terminal must stay in the terminal's foreground group: false.
    package var ownGroup = true

    package init(
      path: String, arguments: [String], environment: [String: String], input: [UInt8] = [], outputLimit: Int,
      deadline: Double?
    ) {
      self.path = path
      self.arguments = arguments
      self.environment = environment
      self.input = input
      self.outputLimit = outputLimit
      self.deadline = deadline
    }
  }

  package struct Result {
    /// The exit status, or -1 when a signal ended it.
    package var status: Int32
    /// The signal that ended it, else 0.
    package var signal: Int32
    package var stdout: [UInt8]
    package var stderr: [UInt8]
    /// The deadline passed: the child's group was killed.
    package var timedOut = false
    /// It printed more than `outputLimit` on standard output: its group was killed.
    package var tooMuchOutput = false
  }

  /// A program that could not be started: its path and `errno`.
  package struct StartError: Error {
    package var path: String
    package var code: Int32
  }

  /// After the child has exited, its output is read for this long more: a helper that leaves a child of
  /// its own holding the pipe does not stall the program (that child's group is then killed).
  static let grace = 0.2

  package static func run(_ request: Request) throws(StartError) -> Result {
    var inPipe: [Int32] = [-1, -1]
    var outPipe: [Int32] = [-1, -1]
    var errPipe: [Int32] = [-1, -1]
    // Close-on-exec everywhere: the child gets only the ends dup2'd onto 0, 1 and 2 (single-threaded,
    // so nothing can fork between pipe and fcntl).
    guard pipe(&inPipe) == 0, pipe(&outPipe) == 0, pipe(&errPipe) == 0 else {
      throw StartError(path: request.path, code: errno)
    }
    for fd in inPipe + outPipe + errPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
    var actions = spawnFileActions()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
    posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
    if request.captureErrors { posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2) }
    var attributes = spawnAttributes()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    if request.ownGroup {
      posix_spawnattr_setpgroup(&attributes, 0)
      posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
    }
    var pid: pid_t = 0
    let spawned = withCStrings(request.arguments, request.environment) { argv, envp in
      posix_spawn(&pid, request.path, &actions, &attributes, argv, envp)
    }
    close(inPipe[0])
    close(outPipe[1])
    close(errPipe[1])
    if spawned != 0 {
      close(inPipe[1])
      close(outPipe[0])
      close(errPipe[0])
      throw StartError(path: request.path, code: spawned)
    }
    // A child that exits before reading its input makes the write fail with EPIPE instead of killing this
    // process; the input is written as the child reads it, so a child that never reads cannot block us.
    let previous = signal(SIGPIPE, SIG_IGN)
    defer { signal(SIGPIPE, previous) }
    for fd in [inPipe[1], outPipe[0], errPipe[0]] { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }

    let start = System.monotonic()
    var result = Result(status: 0, signal: 0, stdout: [], stderr: [])
    var inputOffset = 0
    var inputFD = inPipe[1]
    if request.input.isEmpty {
      close(inputFD)
      inputFD = -1
    }
    var outFD = outPipe[0]
    var errFD = errPipe[0]
    var exitedAt: Double? = nil
    var rawStatus: Int32 = 0
    var chunk = [UInt8](repeating: 0, count: 65536)

    func kill() { _ = cKill(request.ownGroup ? -pid : pid, SIGKILL) }

    while outFD >= 0 || errFD >= 0 {
      let now = System.monotonic()
      if let deadline = request.deadline, exitedAt == nil, now - start >= deadline {
        result.timedOut = true
        kill()
        break
      }
      if let exitedAt, now - exitedAt >= grace {
        // What it left behind still holds the pipe: stop reading, and end that group too (a daemon that
        // detached, such as gpg-agent, has a session of its own and is not in it).
        if request.ownGroup { kill() }
        break
      }
      var wait = 100.0
      if let deadline = request.deadline { wait = min(wait, (deadline - (now - start)) * 1000) }
      if let exitedAt { wait = min(wait, (grace - (now - exitedAt)) * 1000) }
      var fds: [pollfd] = []
      if outFD >= 0 { fds.append(pollfd(fd: outFD, events: Int16(POLLIN), revents: 0)) }
      if errFD >= 0 { fds.append(pollfd(fd: errFD, events: Int16(POLLIN), revents: 0)) }
      if inputFD >= 0 { fds.append(pollfd(fd: inputFD, events: Int16(POLLOUT), revents: 0)) }
      let ready = poll(&fds, nfds_t(fds.count), Int32(max(1, wait)))
      if ready < 0 && errno != EINTR { break }
      for entry in fds where entry.revents != 0 {
        if entry.fd == inputFD {
          let n = request.input.withUnsafeBytes {
            write(inputFD, $0.baseAddress! + inputOffset, $0.count - inputOffset)
          }
          if n > 0 { inputOffset += n }
          if (n < 0 && errno != EAGAIN && errno != EINTR) || inputOffset == request.input.count {
            close(inputFD)
            inputFD = -1
          }
          continue
        }
        let n = chunk.withUnsafeMutableBytes { read(entry.fd, $0.baseAddress, $0.count) }
        if n > 0 {
          if entry.fd == outFD {
            let room = request.outputLimit + 1 - result.stdout.count
            result.stdout.append(contentsOf: chunk[0..<min(n, room)])
            if result.stdout.count > request.outputLimit {
              result.tooMuchOutput = true
              kill()
            }
          } else {
            let room = max(0, request.errorLimit - result.stderr.count)
            result.stderr.append(contentsOf: chunk[0..<min(n, room)])
          }
        } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
          close(entry.fd)
          if entry.fd == outFD { outFD = -1 } else { errFD = -1 }
        }
      }
      if result.tooMuchOutput { break }
      if exitedAt == nil, waitpid(pid, &rawStatus, WNOHANG) == pid { exitedAt = System.monotonic() }
    }
    for fd in [inputFD, outFD, errFD] where fd >= 0 { close(fd) }
    if exitedAt == nil { while waitpid(pid, &rawStatus, 0) < 0 && errno == EINTR {} }
    (result.status, result.signal) = LibC.decode(rawStatus)
    return result
  }

  // MARK: Attached to the terminal

  /// Starts `path` with this process's standard streams, in its process group (Ctrl-C reaches it, not
  /// this process, which ignores SIGINT and SIGQUIT while it waits), and waits: the exit status and the
  /// signal that ended it (0 when none). For the commands of a fan-out.
  package static func runAttached(_ path: String, arguments: [String], environment: [String: String]) throws(StartError) -> (
    status: Int32, signal: Int32
  ) {
    var attributes = spawnAttributes()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var defaults = sigset_t()
    sigemptyset(&defaults)
    sigaddset(&defaults, SIGINT)
    sigaddset(&defaults, SIGQUIT)
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF))
    let previousInt = signal(SIGINT, SIG_IGN)
    let previousQuit = signal(SIGQUIT, SIG_IGN)
    defer {
      signal(SIGINT, previousInt)
      signal(SIGQUIT, previousQuit)
    }
    var pid: pid_t = 0
    let spawned = withCStrings(arguments, environment) { argv, envp in posix_spawn(&pid, path, nil, &attributes, argv, envp) }
    if spawned != 0 { throw StartError(path: path, code: spawned) }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    return LibC.decode(status)
  }

  package static let interruptSignal = SIGINT

  // MARK: Becoming another program

  /// Replaces this process with `path`; returns only when that failed, with a reason (`errno`).
  package static func replace(_ path: String, arguments: [String], environment: [String: String]) -> StartError {
    _ = withCStrings(arguments, environment) { argv, envp in execve(path, argv, envp) }
    return StartError(path: path, code: errno)
  }

  // MARK: The PATH lookup

  /// Where a program is.
  package enum Location: Equatable {
    /// An executable regular file.
    case found(String)
    /// Nothing of that name (exit 127, as env(1) says).
    case notFound
    /// A file of that name that this user cannot run, or a directory (exit 126).
    case notExecutable(String)
  }

  /// The search path when the environment has no PATH.
  package static let defaultSearchPath = "/usr/local/bin:/usr/bin:/bin"

  /// The one PATH lookup: `program` itself when it holds a '/'; else the first executable regular file
  /// of that name in the absolute directories of `searchPath` (empty and relative entries, which would
  /// make the current directory's files run, are skipped). A file of that name that cannot be run is
  /// remembered, and reported when no directory has a runnable one.
  package static func locate(_ program: String, searchPath: String?) -> Location {
    func check(_ candidate: String) -> Location {
      guard let mode = System.mode(of: candidate) else { return .notFound }
      if FileKind(mode: mode) == .regular, access(candidate, X_OK) == 0 { return .found(candidate) }
      return .notExecutable(candidate)
    }
    if program.isEmpty { return .notFound }
    if program.contains("/") { return check(program) }
    var fallback = Location.notFound
    for directory in (searchPath ?? defaultSearchPath).split(separator: ":") where directory.hasPrefix("/") {
      switch check("\(directory)/\(program)") {
      case .found(let path): return .found(path)
      case .notExecutable(let path): if fallback == .notFound { fallback = .notExecutable(path) }
      case .notFound: break
      }
    }
    return fallback
  }

  /// The argument vector and environment as C strings, for the length of `body`.
  private static func withCStrings<T>(
    _ arguments: [String], _ environment: [String: String],
    _ body: ([UnsafeMutablePointer<CChar>?], [UnsafeMutablePointer<CChar>?]) -> T
  ) -> T {
    let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      for p in argv { free(p) }
      for p in envp { free(p) }
    }
    return body(argv, envp)
  }
}

private func cKill(_ pid: pid_t, _ signal: Int32) -> Int32 { kill(pid, signal) }

// What differs between the C libraries for posix_spawn, beside the one place that spawns.
extension Runner {
  /// A `posix_spawn_file_actions_t` ready for `posix_spawn_file_actions_init`: a struct in the Linux C
  /// libraries, a pointer (nil until initialised) on Darwin.
  fileprivate static func spawnFileActions() -> posix_spawn_file_actions_t {
    #if canImport(Darwin)
      return nil
    #else
      return posix_spawn_file_actions_t()
    #endif
  }

  /// A `posix_spawnattr_t` ready for `posix_spawnattr_init` (as above).
  fileprivate static func spawnAttributes() -> posix_spawnattr_t {
    #if canImport(Darwin)
      return nil
    #else
      return posix_spawnattr_t()
    #endif
  }
}
