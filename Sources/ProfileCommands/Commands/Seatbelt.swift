import ProfileModel
import ShellOutput

/// The seatbelt around a switch (issue 16): `use -` back to whatever the shell had, "no profile"
/// included; limited sessions; production confirmed.
enum Seatbelt {
  /// What `_CONDUCTOR_PROFILE_PREVIOUS` holds when the shell had no profile before the last switch: not
  /// a profile name (a name starts with a letter or digit), so `use -` knows to clear.
  static let noProfile = "(none)"

  /// Where `use -` goes: a profile, with the length of the limited session it had (it comes back
  /// limited the same way, never unlimited), or no profile.
  enum Previous: Equatable {
    case profile(String, session: Int64?)
    case noProfile
  }

  /// The state before the last switch, as the hook passes it in: `NAME`, `NAME SECONDS` (a limited
  /// session), or `(none)`.
  static func previous(_ context: Context) throws(Failure) -> Previous {
    guard let previous = context.environment[SwitchCommands.previousVariable], !previous.isEmpty else {
      throw .error("no previous profile in this shell: 'use -' goes back to what the shell had before the last switch")
    }
    if previous == noProfile { return .noProfile }
    let words = previous.split(separator: " ", maxSplits: 1)
    guard words.count == 2 else { return .profile(previous, session: nil) }
    guard let length = Int64(words[1]), length > 0, length <= longestSession else {
      throw .error("\(SwitchCommands.previousVariable) is \(quoted(previous)), which no switch writes; switch by name")
    }
    return .profile(String(words[0]), session: length)
  }

  /// The code that remembers, for the next `use -`, what the shell has now: its profile (with the length
  /// of its limited session, when it has one), or none. Nothing when the switch does not change the
  /// profile (`use dev` in a dev shell, `off` with none).
  static func rememberPrevious(_ shell: ShellSyntax, _ context: Context, next: String?) -> String {
    let active = context.activeName
    guard active != next else { return "" }
    guard let active else { return shell.setPrivate(SwitchCommands.previousVariable, noProfile) }
    let length = currentSessionLength(context).map { " \($0)" } ?? ""
    return shell.setPrivate(SwitchCommands.previousVariable, active + length)
  }

  /// The length of this shell's limited session, from the hook's record (`DEADLINE LENGTH NAME…`, passed
  /// in by the hook) when it is the record of the session in force (`CONDUCTOR_PROFILE_SESSION_ENDS`).
  static func currentSessionLength(_ context: Context) -> Int64? {
    guard let ends = context.environment[ManagedVariable.sessionEnds], let record = context.environment[sessionVariable]
    else { return nil }
    let words = record.split(separator: " ")
    guard words.count >= 2, words[0] == ends, let length = Int64(words[1]), length > 0, length <= longestSession else {
      return nil
    }
    return length
  }
}

// MARK: Limited sessions

extension Seatbelt {
  /// The hook's private record of a limited session: `DEADLINE LENGTH NAME…`, the names the end clears
  /// (those `off` would clear right after this switch), so the prompt hook ends it without a process,
  /// and the length `use -` brings back.
  static let sessionVariable = "_CONDUCTOR_PROFILE_SESSION"
  /// The longest session `--for` and `productionSession` take: a week.
  static let longestSession: Int64 = 168 * 3600
  static let durationHelp = SettingKind.durationHelp

  /// A duration — hours, minutes, seconds in that order, each at most once (`30s`, `15m`, `1h30m`,
  /// `90m`) — in seconds; nil when the text is not one, is zero, or is longer than `longestSession`.
  static func seconds(_ text: String) -> Int64? { DurationText.seconds(text, longest: longestSession) }

  /// `--for DURATION` as given, checked before anything is read.
  static func requestedSession(_ invocation: Invocation) throws(Failure) -> Int64? {
    guard let text = invocation.value(.forDuration) else { return nil }
    guard let length = seconds(text) else {
      throw invocation.usageError("--for \(quoted(text)) is not \(durationHelp)", option: .forDuration)
    }
    return length
  }

  /// The store's `productionSession`, when it sets one.
  static func productionSession(_ store: Store, _ context: Context) throws(Failure) -> Int64? {
    guard let value = store.unknown["productionSession"], value != .null else { return nil }
    guard let text = value.stringValue, let length = seconds(text) else {
      throw .invalid(.setting("productionSession", value: value.compact(), in: try context.store().path, expected: .duration))
    }
    return length
  }

  /// How long a session lasts (nil: unlimited): `--for` (or the length `use -` brings back), and for a
  /// production profile the store's `productionSession` — the shorter when both are given.
  static func sessionLength(requested: Int64?, production: Bool, store: Store, _ context: Context) throws(Failure)
    -> Int64?
  {
    guard production, let policy = try productionSession(store, context) else { return requested }
    return min(requested ?? policy, policy)
  }

  /// The exports of a switch to `target` limited to `length` seconds when given (said on standard
  /// error), and the hook's record of that session ("" when unlimited).
  static func limit(
    _ target: SwitchCommands.Target, length: Int64?, _ shell: ShellSyntax, _ context: Context
  ) -> (exports: [Variable], code: String) {
    guard let length else { return (target.exports, "") }
    let deadline = context.now + length
    context.note(
      "the session on '\(target.name)' ends \(relativeTime(deadline, now: context.now)) (at the first prompt after \(formatUTC(deadline)))"
    )
    return session(shell, deadline: deadline, length: length, exports: target.exports)
  }

  /// The exports of `env`'s code for a limited session: the deadline exported (no hook record: a hook
  /// loaded later ends it with `off`).
  static func limited(_ exports: [Variable], length: Int64?, _ context: Context) -> [Variable] {
    guard let length else { return exports }
    var variables = exports
    variables.append(Variable(ManagedVariable.sessionEnds, String(context.now + length)))
    variables.sort { utf8Precedes($0.name, $1.name) }
    return variables
  }

  /// The exports of a switch with a session ending at `deadline`, and the hook's record of it.
  static func session(
    _ shell: ShellSyntax, deadline: Int64, length: Int64, exports: [Variable]
  ) -> (exports: [Variable], code: String) {
    var variables = exports
    variables.append(Variable(ManagedVariable.sessionEnds, String(deadline)))
    variables.sort { utf8Precedes($0.name, $1.name) }
    let extras = exports.first { $0.name == ManagedVariable.vars }?.value ?? ""
    let names = Switch.cleared(environment: [ManagedVariable.vars: extras])
    return (
      variables, shell.setPrivate(sessionVariable, ([String(deadline), String(length)] + names).joined(separator: " "))
    )
  }
}

// MARK: Confirmation

extension Seatbelt {
  /// The store's `confirmProduction`.
  static func confirmsProduction(_ store: Store, _ context: Context) throws(Failure) -> Bool {
    guard let value = store.unknown["confirmProduction"], value != .null else { return false }
    guard let flag = value.boolValue else {
      throw .invalid(.setting("confirmProduction", value: value.compact(), in: try context.store().path, expected: .boolean))
    }
    return flag
  }

  /// Asks on the terminal for the production profile's name (`confirmProduction`); `doing` says what
  /// the answer allows ("switch", "run the command"). True when confirmed, false when there is no
  /// terminal to ask on; a wrong name, an empty answer, end of input or Ctrl-C throws (exit 1).
  static func ask(name: String, server: String, doing: String, _ context: Context) throws(Failure) -> Bool {
    // The name and server come from the store, which a hand edit can fill with anything: `question` sanitises.
    switch try question(
      "'\(name)' is production (\(server)). Type its name to \(doing): ", refusal: "not confirmed; nothing was changed",
      context)
    {
    case .noTerminal: return false
    case .endOfInput: throw .error("not confirmed; nothing was changed")
    case .line(let typed):
      guard typed == name else { throw .error("not confirmed (\(quoted(typed)) is not '\(name)'); nothing was changed") }
      return true
    }
  }

  /// What the terminal answered to `question`.
  enum Answer: Equatable {
    /// There is no terminal to ask on (`/dev/tty` cannot be opened).
    case noTerminal
    /// The input ended before a line was typed.
    case endOfInput
    /// The line typed, without leading and trailing blanks.
    case line(String)
  }

  /// The one way the program asks its user something: `text` on `/dev/tty` through the one sanitiser (a
  /// profile's name, a server, a catalog's name can come from a file), one line read back in line mode.
  /// Ctrl-C (or any signal that ends the program) restores the terminal and prints `error: refusal`.
  static func question(_ text: String, refusal: String, _ context: Context) throws(Failure) -> Answer {
    guard let fd = Tty.open(context) else { return .noTerminal }
    defer { Tty.close(fd) }
    let answer = try Tty.withMode(fd, signalExit: ExitCode.failure, farewell: "\nerror: \(refusal)\n", configure: Tty.lineMode) {
      () throws(Failure) -> [UInt8]? in
      Tty.write(fd, TerminalText.sanitize(text, singleLine: true))
      return Tty.readLine(fd)
    }
    guard let answer else {
      Tty.write(fd, "\n")
      return .endOfInput
    }
    return .line(String(decoding: answer, as: UTF8.self).trimmingBlanks())
  }

  /// A yes-or-no `question` (` [y/N] ` is added): true for y or yes, false for anything else, nil when
  /// there is no terminal to ask on.
  static func confirmed(_ text: String, refusal: String, _ context: Context) throws(Failure) -> Bool? {
    switch try question(text + " [y/N] ", refusal: refusal, context) {
    case .noTerminal: return nil
    case .endOfInput: return false
    case .line(let typed): return typed.lowercased() == "y" || typed.lowercased() == "yes"
    }
  }
}

extension String {
  /// Without leading and trailing spaces, tabs and carriage returns.
  fileprivate func trimmingBlanks() -> String {
    let blanks: Set<Character> = [" ", "\t", "\r"]
    var s = Substring(self)
    while let c = s.first, blanks.contains(c) { s = s.dropFirst() }
    while let c = s.last, blanks.contains(c) { s = s.dropLast() }
    return String(s)
  }
}

// MARK: doctor

extension Seatbelt {
  /// `doctor`: the store's `productionSession` and `confirmProduction` are values a switch can use (a
  /// problem otherwise; nothing is said when they are fine or absent).
  static func checkSettings(_ report: DoctorCommand.Report, store: Store) {
    let context = report.context
    let path = (try? context.store().path) ?? "the store"
    do throws(Failure) { _ = try productionSession(store, context) } catch {
      report.problem(error.problem, fix: "edit \(path) by hand (see docs/seatbelt.md)")
    }
    do throws(Failure) { _ = try confirmsProduction(store, context) } catch {
      report.problem(error.problem, fix: "edit \(path) by hand (see docs/seatbelt.md)")
    }
  }
}
