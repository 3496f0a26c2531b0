import Platform

/// What one run of the program sees and where it writes: arguments aside, everything a command touches
/// goes through here, so the program can be run in-process with a captured one.
public final class Context {
  public let environment: [String: String]
  public let now: Int64
  package let stdinIsTerminal: Bool
  let stdoutIsTerminal: Bool
  private let writeOut: (String) -> Void
  private let writeErr: (String) -> Void
  private let readInput: () throws(Failure) -> [UInt8]
  private let flushOut: () -> Void
  private var storeFile: StoreFile?
  /// Stores read in this run, kept as long as the context: the program exits without first taking
  /// apart the tree of a large store, one release at a time (a quarter of a switch with 10,000 profiles).
  /// A chain of boxes, not an array: `[Store]` would cost its type metadata on the switch path.
  private var kept: KeptStore?

  /// Keeps `store` until the program exits (see `kept`).
  package func keep(_ store: Store) { kept = KeptStore(store, next: kept) }

  public init(
    environment: [String: String], now: Int64, stdinIsTerminal: Bool, stdoutIsTerminal: Bool,
    writeOut: @escaping (String) -> Void, writeErr: @escaping (String) -> Void,
    readInput: @escaping () throws(Failure) -> [UInt8],
    flush: @escaping () -> Void = {}
  ) {
    self.flushOut = flush
    self.environment = environment
    self.now = now
    self.stdinIsTerminal = stdinIsTerminal
    self.stdoutIsTerminal = stdoutIsTerminal
    self.writeOut = writeOut
    self.writeErr = writeErr
    self.readInput = readInput
  }

  /// The real process: file descriptors 0, 1 and 2, `environ`, the clock.
  public static func process() -> Context {
    let env = System.environment()
    let out = OutputBuffer(fd: 1)
    return Context(
      environment: env, now: Posix.now(), stdinIsTerminal: Posix.isTerminal(0), stdoutIsTerminal: Posix.isTerminal(1),
      writeOut: { out.append($0) },
      writeErr: { s in
        out.flush()
        _ = try? Posix.writeAll(2, s.utf8, path: "standard error")
      },
      // A secret is at most Limits.secretBytes (and a line break): read one byte past that, no further.
      readInput: { () throws(Failure) in
        do throws(SystemError) {
          return try BoundedRead.read(0, limit: Limits.secretBytes + 2, path: "standard input")
        } catch {
          throw Failure(error)
        }
      },
      flush: { out.flush() })
  }

  // MARK: Output

  /// Writes out what standard output holds (before exec, and at exit).
  public func flush() { flushOut() }

  // Human-readable output: control characters escaped (`TerminalText`), whatever their source.
  public func print(_ line: String) { writeOut(TerminalText.sanitize(line) + "\n") }
  public func write(_ text: String) { writeOut(TerminalText.sanitize(text)) }
  public func warn(_ message: String) { writeErr("warning: \(TerminalText.sanitize(message))\n") }
  public func note(_ line: String) { writeErr(TerminalText.sanitize(line) + "\n") }
  public func error(_ message: String) { writeErr("error: \(TerminalText.sanitize(message))\n") }

  /// Machine output, exactly as given: JSON, shell code, dotenv, a token, completion words, and text
  /// whose parts were sanitised before colour was added.
  public func emit(_ text: String) { writeOut(text) }

  /// Colour on standard output: only on a terminal, never with NO_COLOR.
  package var color: Bool { stdoutIsTerminal && (environment["NO_COLOR"] ?? "").isEmpty }

  // MARK: The store

  public func store() throws(Failure) -> StoreFile {
    if let storeFile { return storeFile }
    let file = try StoreFile(environment: environment)
    storeFile = file
    return file
  }

  /// The active profile's name in this shell, from `CONDUCTOR_PROFILE_ACTIVE`.
  package var activeName: String? {
    guard let name = environment[ManagedVariable.active], !name.isEmpty else { return nil }
    return name
  }

  // MARK: Secrets

  /// Reads a secret: standard input when it is not a terminal (one trailing newline dropped),
  /// else a prompt on the terminal with echo off.
  package func readSecret(prompt: String) throws(Failure) -> String {
    let bytes: [UInt8]
    if stdinIsTerminal {
      bytes = try SecretPrompt.readWithoutEcho(prompt: prompt)
    } else {
      bytes = try readInput()
    }
    var text = bytes
    if text.last == UInt8(ascii: "\n") {
      text.removeLast()
      if text.last == UInt8(ascii: "\r") { text.removeLast() }
    }
    if text.count > Limits.secretBytes {
      throw .invalid(.secretTooLong(fromTerminal: stdinIsTerminal))
    }
    guard let s = String(validating: text, as: UTF8.self) else {
      throw .invalid(.secretNotUTF8)
    }
    if s.utf8.contains(0) { throw .invalid(.secretNUL) }
    return s
  }
}

/// Standard output, written in large pieces (a switch prints one block of code).
final class OutputBuffer {
  let fd: Int32
  var bytes: [UInt8] = []
  init(fd: Int32) { self.fd = fd }
  func append(_ s: String) {
    bytes.append(contentsOf: s.utf8)
    if bytes.count > 1 << 16 { flush() }
  }
  func flush() {
    guard !bytes.isEmpty else { return }
    _ = try? Posix.writeAll(fd, bytes, path: "standard output")
    bytes.removeAll(keepingCapacity: true)
  }
  deinit { flush() }
}

enum SecretPrompt {
  /// Reads a line from the terminal (standard input) with echo off, after `prompt` on standard error. The
  /// mode is put back by `Tty.withMode`, the one place that changes a terminal's mode: on return, on a
  /// failure, and when a signal ends the program (Ctrl-C: exit 130).
  static func readWithoutEcho(prompt: String) throws(Failure) -> [UInt8] {
    defer { try? Posix.writeAll(2, [UInt8(ascii: "\n")], path: "standard error") }
    return try Tty.withMode(0, signalExit: -1, farewell: "\n", configure: .noEcho) {
      // Asked once echo is off (nothing typed after the question can show). The prompt names a profile,
      // which a hand-edited store can fill with anything: the one sanitiser.
      try? Posix.writeAll(2, TerminalText.sanitize(prompt).utf8, path: "standard error")
      return Terminal.readSecretLine(0, limit: Limits.secretBytes)
    }
  }
}

/// One store kept alive by the context, and the one kept before it.
private final class KeptStore {
  let store: Store
  let next: KeptStore?

  init(_ store: Store, next: KeptStore?) {
    self.store = store
    self.next = next
  }
}
