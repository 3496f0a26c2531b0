/// The terminal the user sits at, opened as /dev/tty: through the hook the program's standard output is
/// the shell's capture, so questions and the picker read and write here. While a mode is set, it is
/// restored on every exit path: a return, a thrown failure, and SIGINT, SIGTERM, SIGHUP or SIGQUIT
/// (which then end the program with `signalExit`, or 128 + the signal when it is -1: never a signal death).
package enum Tty {
  nonisolated(unsafe) static var fd: Int32 = -1
  nonisolated(unsafe) static var saved = termios()
  nonisolated(unsafe) static var signalExit: Int32 = 1
  /// Written to the terminal when a signal ends the program (prepared beforehand: a handler allocates nothing).
  nonisolated(unsafe) static var farewell: [UInt8] = []
  static let signals = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]

  /// The terminal, when there is one: standard input is a terminal and /dev/tty opens.
  package static func open(_ context: Context) -> Int32? {
    guard context.stdinIsTerminal else { return nil }
    let fd = Platform.openFile("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY)
    return fd >= 0 ? fd : nil
  }

  package static func write(_ fd: Int32, _ text: String) { try? Posix.writeAll(fd, text.utf8, path: "/dev/tty") }

  /// Runs `body` with the terminal in the mode `configure` makes of the current one, and puts the
  /// current one back afterwards, whatever happens.
  package static func withMode<T>(
    _ fd: Int32, signalExit: Int32, farewell: String, configure: (inout termios) -> Void,
    _ body: () throws(Failure) -> T
  ) throws(Failure) -> T {
    var current = termios()
    guard tcgetattr(fd, &current) == 0 else { throw .error("cannot use the terminal: \(Posix.errorText())") }
    Tty.fd = fd
    Tty.saved = current
    Tty.signalExit = signalExit
    Tty.farewell = Array(farewell.utf8)
    for sig in signals {
      signal(sig) { sig in
        tcsetattr(Tty.fd, TCSANOW, &Tty.saved)
        Tty.farewell.withUnsafeBytes { _ = Platform.writeBytes(Tty.fd, $0.baseAddress, $0.count) }
        _exit(Tty.signalExit >= 0 ? Tty.signalExit : 128 + sig)
      }
    }
    // A parent may have left them blocked (a mask is inherited across exec): unblock them, or a SIGTERM
    // would wait, unseen, while the terminal stays in this mode.
    var handled = sigset_t()
    sigemptyset(&handled)
    for sig in signals { sigaddset(&handled, sig) }
    sigprocmask(SIG_UNBLOCK, &handled, nil)
    var mode = current
    configure(&mode)
    tcsetattr(fd, TCSANOW, &mode)
    defer {
      tcsetattr(fd, TCSANOW, &Tty.saved)
      for sig in signals { signal(sig, SIG_DFL) }
    }
    return try body()
  }

  static let controlC: UInt8 = 3

  /// The terminal's line mode, with echo, where Ctrl-C ends the line (as a second end-of-line character)
  /// instead of sending SIGINT to the whole foreground group, the calling shell included.
  package static func lineMode(_ mode: inout termios) {
    mode.c_lflag |= tcflag_t(ICANON | ECHO)
    mode.c_lflag &= ~tcflag_t(ISIG)
    withUnsafeMutableBytes(of: &mode.c_cc) { $0[Int(VEOL)] = controlC }
  }

  /// Reads one line (without its newline) in `lineMode`; nil at end of input or on Ctrl-C.
  package static func readLine(_ fd: Int32, limit: Int = 1024) -> [UInt8]? {
    var line: [UInt8] = []
    var byte: UInt8 = 0
    while true {
      let n = read(fd, &byte, 1)
      if n < 0 && errno == EINTR { continue }
      if n <= 0 || byte == controlC { return nil }
      if byte == UInt8(ascii: "\n") { return line }
      if line.count < limit { line.append(byte) }
    }
  }
}
