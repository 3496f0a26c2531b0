import Platform

/// The terminal the user sits at (Platform's `Terminal`), with failures in the model's terms.
package enum Tty {
  /// The terminal, when there is one: standard input is a terminal and /dev/tty opens.
  package static func open(_ context: Context) -> Int32? { Terminal.open(stdinIsTerminal: context.stdinIsTerminal) }

  package static func close(_ fd: Int32) { Terminal.close(fd) }

  package static func write(_ fd: Int32, _ text: String) { Terminal.write(fd, text) }

  /// The picker's mode: keys as typed, no echo, no signals from keys.
  package static let rawMode = Terminal.Mode.raw
  /// Line mode with echo, where Ctrl-C ends the line instead of interrupting (`Terminal.Mode.line`).
  package static let lineMode = Terminal.Mode.line

  /// Runs `body` with the terminal in `configure`'s mode, and puts the current one back afterwards,
  /// whatever happens (a return, a failure, a signal).
  package static func withMode<T>(
    _ fd: Int32, signalExit: Int32, farewell: String, configure mode: Terminal.Mode, _ body: () throws(Failure) -> T
  ) throws(Failure) -> T {
    try Terminal.withMode(
      fd, mode, signalExit: signalExit, farewell: farewell, unusable: { Failure.error("cannot use the terminal: \($0)") },
      body)
  }

  /// The terminal's columns and rows, when it says.
  package static func size(_ fd: Int32) -> (columns: Int, rows: Int)? { Terminal.size(fd) }

  /// Reads one line (without its newline) in `lineMode`; nil at end of input or on Ctrl-C.
  package static func readLine(_ fd: Int32, limit: Int = 1024) -> [UInt8]? { Terminal.readLine(fd, limit: limit) }

  /// A byte, waiting up to `wait` milliseconds (-1: as long as it takes); nil at end of input or time-out.
  package static func readByte(_ fd: Int32, wait: Int32) -> UInt8? { Terminal.readByte(fd, milliseconds: wait) }
}
