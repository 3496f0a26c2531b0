/// The one way the program runs another (curl, a secret store's helper, a picker): a child process with
/// its standard input fed from a buffer, its output captured, and its errors captured or left on this
/// process's standard error (for a program that talks to the user, such as a picker). Arguments are an
/// argument vector: no shell reads them.
package enum Child {
  package struct Result {
    /// The exit status, or -1 when a signal ended it.
    package var status: Int32
    package var stdout: [UInt8]
    package var stderr: [UInt8]
  }

  package static func run(
    _ path: String, arguments: [String], environment: [String: String], input: [UInt8], captureErrors: Bool = true
  ) throws(Failure)
    -> Result
  {
    var inPipe: [Int32] = [-1, -1]
    var outPipe: [Int32] = [-1, -1]
    var errPipe: [Int32] = [-1, -1]
    // Close-on-exec everywhere: the child gets only the ends dup2'd onto 0, 1 and 2 (single-threaded,
    // so nothing can fork between pipe and fcntl).
    guard pipe(&inPipe) == 0, pipe(&outPipe) == 0, pipe(&errPipe) == 0 else {
      throw .error("cannot start \(path): \(Posix.errorText())")
    }
    for fd in inPipe + outPipe + errPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
    var actions = Platform.spawnFileActions()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
    posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
    if captureErrors { posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2) }

    let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      for p in argv { free(p) }
      for p in envp { free(p) }
    }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, path, &actions, nil, argv, envp)
    close(inPipe[0])
    close(outPipe[1])
    close(errPipe[1])
    if spawned != 0 {
      close(inPipe[1])
      close(outPipe[0])
      close(errPipe[0])
      throw .error("cannot run \(path): \(Posix.errorText(spawned))")
    }
    // The input is small (well under a pipe's 64 KiB), so it is written whole before reading; a child
    // that exits early makes the write fail with EPIPE instead of killing this process.
    let previous = signal(SIGPIPE, SIG_IGN)
    try? Posix.writeAll(inPipe[1], input, path: "the standard input of \(path)")
    close(inPipe[1])
    signal(SIGPIPE, previous)

    var stdout: [UInt8] = []
    var stderr: [UInt8] = []
    var fds = [
      pollfd(fd: outPipe[0], events: Int16(POLLIN), revents: 0), pollfd(fd: errPipe[0], events: Int16(POLLIN), revents: 0),
    ]
    var open = 2
    var chunk = [UInt8](repeating: 0, count: 65536)
    while open > 0 {
      if poll(&fds, nfds_t(fds.count), -1) < 0 {
        if errno == EINTR { continue }
        break
      }
      for i in 0..<fds.count where fds[i].fd >= 0 && fds[i].revents != 0 {
        let n = chunk.withUnsafeMutableBytes { read(fds[i].fd, $0.baseAddress, $0.count) }
        if n > 0 {
          if i == 0 { stdout.append(contentsOf: chunk[0..<n]) } else { stderr.append(contentsOf: chunk[0..<n]) }
        } else if n == 0 || errno != EINTR {
          close(fds[i].fd)
          fds[i].fd = -1
          open -= 1
        }
      }
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    // WIFEXITED / WEXITSTATUS, which Swift does not import.
    let exited = status & 0x7f == 0
    return Result(status: exited ? (status >> 8) & 0xff : -1, stdout: stdout, stderr: stderr)
  }
}
