// The terminal the user sits at, opened as /dev/tty: through the hook the program's standard output is
// the shell's capture, so questions and the picker read and write here. While a mode is set, it is
// restored on every exit path: a return, a thrown failure, and SIGINT, SIGTERM, SIGHUP or SIGQUIT
// (which then end the program with `signalExit`, or 128 + the signal when it is -1: never a signal death).

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

package enum Terminal {
  nonisolated(unsafe) static var fd: Int32 = -1
  nonisolated(unsafe) static var saved = termios()
  nonisolated(unsafe) static var signalExit: Int32 = 1
  /// Written to the terminal when a signal ends the program (prepared beforehand: a handler allocates nothing).
  nonisolated(unsafe) static var farewell: [UInt8] = []
  static let signals = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]

  /// The modes the program puts a terminal in.
  package enum Mode {
    /// Echo off (a secret is typed).
    case noEcho
    /// Line mode with echo, where Ctrl-C ends the line (as a second end-of-line character) instead of
    /// sending SIGINT to the whole foreground group, the calling shell included.
    case line
    /// Every key as it is typed (one byte at a time, no flow control, CR as typed), no echo, no signals
    /// from keys (the picker).
    case raw
  }

  /// /dev/tty, when `stdinIsTerminal` and it opens.
  package static func open(stdinIsTerminal: Bool) -> Int32? {
    guard stdinIsTerminal else { return nil }
    let fd = LibC.openFile("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY)
    return fd >= 0 ? fd : nil
  }

  package static func close(_ fd: Int32) { LibC.closeFile(fd) }

  package static func write(_ fd: Int32, _ text: String) { try? System.writeAll(fd, text.utf8, path: "/dev/tty") }

  /// Runs `body` with the terminal in `mode`, and puts the current one back afterwards, whatever happens.
  /// A terminal whose mode cannot be read throws `unusable(reason)`.
  package static func withMode<T, E: Error>(
    _ fd: Int32, _ mode: Mode, signalExit: Int32, farewell: String, unusable: (String) -> E,
    _ body: () throws(E) -> T
  ) throws(E) -> T {
    var current = termios()
    guard tcgetattr(fd, &current) == 0 else { throw unusable(System.errorText(errno)) }
    Terminal.fd = fd
    Terminal.saved = current
    Terminal.signalExit = signalExit
    Terminal.farewell = Array(farewell.utf8)
    for sig in signals {
      signal(sig) { sig in
        tcsetattr(Terminal.fd, TCSANOW, &Terminal.saved)
        Terminal.farewell.withUnsafeBytes { _ = LibC.writeBytes(Terminal.fd, $0.baseAddress, $0.count) }
        _exit(Terminal.signalExit >= 0 ? Terminal.signalExit : 128 + sig)
      }
    }
    // A parent may have left them blocked (a mask is inherited across exec): unblock them, or a SIGTERM
    // would wait, unseen, while the terminal stays in this mode.
    var handled = sigset_t()
    sigemptyset(&handled)
    for sig in signals { sigaddset(&handled, sig) }
    sigprocmask(SIG_UNBLOCK, &handled, nil)
    var changed = current
    switch mode {
    case .noEcho: changed.c_lflag &= ~tcflag_t(ECHO)
    case .line:
      changed.c_lflag |= tcflag_t(ICANON | ECHO)
      changed.c_lflag &= ~tcflag_t(ISIG)
      withUnsafeMutableBytes(of: &changed.c_cc) { $0[Int(VEOL)] = controlC }
    case .raw:
      changed.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG | IEXTEN)
      changed.c_iflag &= ~tcflag_t(IXON | ICRNL | INLCR)
      withUnsafeMutableBytes(of: &changed.c_cc) {
        $0[Int(VMIN)] = 1
        $0[Int(VTIME)] = 0
      }
    }
    tcsetattr(fd, TCSANOW, &changed)
    defer {
      tcsetattr(fd, TCSANOW, &Terminal.saved)
      for sig in signals { signal(sig, SIG_DFL) }
    }
    return try body()
  }

  package static let controlC: UInt8 = 3

  /// The terminal's columns and rows, when it says (TIOCGWINSZ).
  package static func size(_ fd: Int32) -> (columns: Int, rows: Int)? {
    var size = winsize()
    guard ioctl(fd, UInt(TIOCGWINSZ), &size) == 0 else { return nil }
    return (Int(size.ws_col), Int(size.ws_row))
  }

  /// Reads one line (without its newline) in `.line` mode; nil at end of input or on Ctrl-C. A longer
  /// line than `limit` is cut there (the rest is read and dropped).
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

  /// Reads a line with echo off (`.noEcho`) up to `limit` + 1 bytes, without its newline: a longer
  /// one is cut there, and the caller refuses it.
  package static func readSecretLine(_ fd: Int32, limit: Int) -> [UInt8] {
    var line: [UInt8] = []
    var byte: UInt8 = 0
    while line.count <= limit {
      let n = read(fd, &byte, 1)
      if n < 0 && errno == EINTR { continue }
      if n <= 0 || byte == UInt8(ascii: "\n") { break }
      line.append(byte)
    }
    return line
  }

  /// One byte from `fd`, waiting at most `milliseconds` (-1: as long as it takes); nil when none came.
  package static func readByte(_ fd: Int32, milliseconds: Int32) -> UInt8? {
    if milliseconds >= 0 {
      var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
      guard poll(&p, 1, milliseconds) == 1 else { return nil }
    }
    var byte: UInt8 = 0
    while true {
      let n = read(fd, &byte, 1)
      if n < 0 && errno == EINTR { continue }
      return n == 1 ? byte : nil
    }
  }
}
