import ProfileModel

/// `use` with no NAME at a terminal: pick a profile. The built-in picker draws on the terminal (never on
/// standard output, which the hook evaluates); `CONDUCTOR_PROFILE_PICKER` hands off to another one.
enum Picker {
  static let variable = "CONDUCTOR_PROFILE_PICKER"

  /// One profile as the picker lists it.
  struct Row {
    let name: String
    let kind: String
    let production: Bool
    let description: String
  }

  /// The profile the user picks. No terminal: a usage error. Esc (exit 1) or Ctrl-C (exit 130): nothing
  /// changes and nothing more is printed.
  static func choose(_ context: Context) throws(Failure) -> String {
    guard let fd = Tty.open(context) else {
      throw .usage("missing NAME (at a terminal, use without NAME opens a picker)", command: .use)
    }
    defer { Tty.close(fd) }
    let store = try context.loadStore()
    let rows = try self.rows(store, context)
    guard !rows.isEmpty else {
      throw .error("there are no profiles yet; add one with: conductor-profile add NAME --server URL --key-id ID")
    }
    if let command = context.environment[variable], !command.isEmpty {
      return try handOff(command, rows, context)
    }
    let color = (context.environment["NO_COLOR"] ?? "").isEmpty
    return try Tty.withMode(fd, signalExit: -1, farewell: "\r\u{1B}[J", configure: Tty.rawMode) { () throws(Failure) -> String in
      var state = State(rows: rows)
      return try state.run(fd, color: color)
    }
  }

  /// The profiles, most recently used first, then the others by name. Only valid names: none can hold a
  /// control character.
  static func rows(_ store: Store, _ context: Context) throws(Failure) -> [Row] {
    let production = store.productionHosts()
    var rows: [Row] = []
    for name in Recent.order(store.names, context) where (try? ProfileName(validating: name)) != nil {
      let profile = try? store.profile(named: name)
      rows.append(
        Row(
          name: name, kind: profile?.credential.kind.rawValue ?? "?",
          production: profile.map { $0.isFlaggedProduction || production.contains($0.server.host) } ?? false,
          description: visible(profile?.description ?? "")))
    }
    return rows
  }

  /// A row's text for the terminal: control characters, newline and tab shown escaped, never sent.
  static func visible(_ text: String) -> String { TerminalText.sanitize(text, singleLine: true) }

  /// Whether `pattern`'s letters appear in `name` in order (case-insensitive).
  static func matches(_ pattern: [UInt8], _ name: String) -> Bool {
    var i = 0
    for byte in name.utf8 where i < pattern.count {
      if lower(byte) == lower(pattern[i]) { i += 1 }
    }
    return i == pattern.count
  }

  static func lower(_ b: UInt8) -> UInt8 { b >= 65 && b <= 90 ? b + 32 : b }

  // MARK: The built-in picker

  struct State {
    let rows: [Row]
    var query: [UInt8] = []
    var selected = 0
    var top = 0
    var shownLines = 0

    var matching: [Row] { rows.filter { Picker.matches(query, $0.name) } }

    mutating func run(_ fd: Int32, color: Bool) throws(Failure) -> String {
      let size = Tty.size(fd)
      let columns = size.map { $0.columns > 0 ? $0.columns : 80 } ?? 80
      let height = size.map { $0.rows > 2 ? min(10, $0.rows - 2) : 10 } ?? 10
      while true {
        let list = matching
        selected = min(selected, max(0, list.count - 1))
        if selected < top { top = selected }
        if selected >= top + height { top = selected - height + 1 }
        draw(fd, list, columns: columns, height: height, color: color)
        guard let key = Picker.readKey(fd) else { try cancel(fd, code: 1) }
        switch key {
        case .enter:
          guard !list.isEmpty else { continue }
          Tty.write(fd, "\r\u{1B}[J")
          return list[selected].name
        case .cancel: try cancel(fd, code: 1)
        case .interrupt: try cancel(fd, code: 130)
        case .up: selected = max(0, selected - 1)
        case .down: selected = min(max(0, list.count - 1), selected + 1)
        case .erase:
          if !query.isEmpty { query.removeLast() }
        case .clear: query = []
        case .letter(let b):
          query.append(b)
          selected = 0
          top = 0
        case .ignored: break
        }
      }
    }

    func cancel(_ fd: Int32, code: Int32) throws(Failure) -> Never {
      Tty.write(fd, "\r\u{1B}[J")
      throw .exit(code)
    }

    /// The query line and the visible rows, drawn from the query line down; the cursor ends on the
    /// query line after the typed text.
    func draw(_ fd: Int32, _ list: [Row], columns: Int, height: Int, color: Bool) {
      let prompt = "use> "
      var out = "\r\u{1B}[J" + prompt + String(decoding: query, as: UTF8.self)
      let width = rows.map(\.name.count).max() ?? 0
      // The kind column, at least one space wider than its longest word: `user-token` fills 10 columns, and
      // must not run into `production`.
      let kindWidth = max(10, (rows.map(\.kind.count).max() ?? 0) + 1)
      var lines = 0
      if list.isEmpty {
        out += "\r\n  (no profile matches)"
        lines = 1
      }
      for (i, row) in list.enumerated().dropFirst(top).prefix(height) {
        var text = (i == selected ? "> " : "  ") + row.name.padding(to: width) + "  " + row.kind.padding(to: kindWidth)
        var production = row.production ? "production" : ""
        var tail = row.description.isEmpty ? "" : "  " + row.description
        // Cut to the terminal's width (one column a character; names and the marks are ASCII).
        var room = columns - 1 - text.count - production.count
        if room < 0 {
          text = String(text.prefix(columns - 1))
          production = ""
          tail = ""
          room = 0
        }
        if tail.count > room { tail = String(tail.prefix(max(0, room - 1))) + (room > 0 ? "…" : "") }
        if color && row.production { production = "\u{1B}[31m" + production + "\u{1B}[0m" }
        var line = text + production + tail
        if color && i == selected { line = "\u{1B}[7m" + line + "\u{1B}[0m" }
        out += "\r\n" + line
        lines += 1
      }
      out += "\u{1B}[\(lines)A\r\u{1B}[\(prompt.count + query.count)C"
      Tty.write(fd, out)
    }
  }

  enum Key: Equatable {
    case enter, cancel, interrupt, up, down, erase, clear, ignored
    case letter(UInt8)
  }

  /// One key from the terminal in raw mode; nil at end of input.
  static func readKey(_ fd: Int32) -> Key? {
    guard let byte = readByte(fd, wait: -1) else { return nil }
    switch byte {
    case 0x0D, 0x0A: return .enter
    case 0x03: return .interrupt
    case 0x04, 0x07: return .cancel
    case 0x7F, 0x08: return .erase
    case 0x15: return .clear
    case 0x10: return .up
    case 0x0E: return .down
    case 0x1B:
      // Esc alone cancels; Esc [ A / Esc O A (and B) are the arrows.
      guard let next = readByte(fd, wait: 50) else { return .cancel }
      guard next == UInt8(ascii: "[") || next == UInt8(ascii: "O"), let last = readByte(fd, wait: 50) else {
        return .ignored
      }
      if last == UInt8(ascii: "A") { return .up }
      if last == UInt8(ascii: "B") { return .down }
      // The rest of a longer sequence (Esc [ 1 ; 5 A …): read to its final byte.
      var final = last
      while final >= 0x20 && final < 0x40, let more = readByte(fd, wait: 50) { final = more }
      return .ignored
    case 0x20..<0x7F: return .letter(byte)
    default: return .ignored
    }
  }

  /// A byte, waiting up to `wait` milliseconds (-1: as long as it takes); nil at end of input or time-out.
  static func readByte(_ fd: Int32, wait: Int32) -> UInt8? { Tty.readByte(fd, wait: wait) }

  // MARK: Another picker

  /// Runs `command` (the user's own setting, through /bin/sh as EDITOR-like settings are) with the names
  /// on its standard input, one a line, and takes the one it prints. Its standard error and the terminal
  /// stay the user's, for it to draw on.
  static func handOff(_ command: String, _ rows: [Row], _ context: Context) throws(Failure) -> String {
    var input: [UInt8] = []
    for row in rows {
      input += row.name.utf8
      input.append(UInt8(ascii: "\n"))
    }
    let environment = context.environment.filter { !$0.key.hasPrefix("_CONDUCTOR_PROFILE_") }
    let ended = try Child.run(
      "/bin/sh", arguments: ["sh", "-c", command], environment: environment, input: input, captureErrors: false)
    let exited = ended.status == 0
    let output = ended.stdout
    var line = output.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).first.map(Array.init) ?? []
    if line.last == UInt8(ascii: "\r") { line.removeLast() }
    guard exited, !line.isEmpty else { throw .exit(ExitCode.failure) }
    let name = String(decoding: line, as: UTF8.self)
    guard rows.contains(where: { $0.name == name }) else {
      throw .error("\(variable) (\(quoted(command))) printed \(quoted(name)), which is not a profile; nothing was changed")
    }
    return name
  }
}

/// The profiles most recently switched to, most recent first: a file beside the store (`recent`, 0600),
/// one name a line. Best effort: a file that cannot be read or written only loses the order.
enum Recent {
  static let limit = 100

  static func path(_ context: Context) -> String? {
    guard let store = try? context.store() else { return nil }
    return Posix.dirname(of: store.path) + "/recent"
  }

  static func read(_ context: Context) -> [String] {
    guard let path = path(context), let bytes = try? Posix.readFile(path, limit: .recent) else { return [] }
    return bytes.split(separator: UInt8(ascii: "\n")).map { String(decoding: $0, as: UTF8.self) }
  }

  /// `names` (sorted) with the recently used ones first, in the order they were used.
  static func order(_ names: [String], _ context: Context) -> [String] {
    let known = Set(names)
    var seen = Set<String>()
    var result: [String] = []
    for name in read(context) where known.contains(name) && seen.insert(name).inserted { result.append(name) }
    for name in names where !seen.contains(name) { result.append(name) }
    return result
  }

  /// Puts `name` first. Written to a new file (O_EXCL, 0600) renamed over the old one; no fsync: the
  /// order is a convenience, and a switch is measured in microseconds.
  static func remember(_ name: String, _ context: Context) {
    guard let path = path(context), Posix.mode(of: Posix.dirname(of: path)) != nil else { return }
    var names = [name]
    for other in read(context) where other != name && names.count < limit { names.append(other) }
    let bytes = Array(names.joined(separator: "\n").utf8) + [UInt8(ascii: "\n")]
    Posix.replaceWithoutSync(path, with: bytes)
  }
}
