import ProfileModel
import ShellOutput

/// The seatbelt around a switch (issue 16): `use -` back to whatever the shell had, "no profile"
/// included; limited sessions; production confirmed.
enum Seatbelt {
  /// What `_CONDUCTOR_PROFILE_PREVIOUS` holds when the shell had no profile before the last switch: not
  /// a profile name (a name starts with a letter or digit), so `use -` knows to clear.
  static let noProfile = "(none)"

  /// Where `use -` goes.
  enum Previous: Equatable {
    case profile(String)
    case noProfile
  }

  /// The state before the last switch, as the hook passes it in.
  static func previous(_ context: Context) throws(Failure) -> Previous {
    guard let previous = context.environment[SwitchCommands.previousVariable], !previous.isEmpty else {
      throw .error("no previous profile in this shell: 'use -' goes back to what the shell had before the last switch")
    }
    return previous == noProfile ? .noProfile : .profile(previous)
  }

  /// The code that remembers, for the next `use -`, what the shell has now: its profile, or none.
  /// Nothing when the switch does not change the profile (`use dev` in a dev shell, `off` with none).
  static func rememberPrevious(_ shell: ShellSyntax, _ context: Context, next: String?) -> String {
    let active = context.activeName
    guard active != next else { return "" }
    return shell.setPrivate(SwitchCommands.previousVariable, active ?? noProfile)
  }
}

// MARK: Limited sessions

extension Seatbelt {
  /// The hook's private record of a limited session: `DEADLINE NAME…`, the names the end clears (those
  /// `off` would clear right after this switch), so the prompt hook ends it without a process.
  static let sessionVariable = "_CONDUCTOR_PROFILE_SESSION"
  /// The longest session `--for` and `productionSession` take: a week.
  static let longestSession: Int64 = 168 * 3600
  static let durationHelp = "a duration such as 30s, 15m, 1h or 1h30m (at most 168h)"

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
      throw .error(
        "\"productionSession\" in \(try context.store().path) is \(value.compact()), not \(durationHelp) in quotes",
        fix: "fix or remove it"
      )
    }
    return length
  }

  /// How long this switch's session lasts (nil: unlimited): `--for`, and for a production profile the
  /// store's `productionSession` — the shorter when both are given.
  static func sessionLength(requested: Int64?, _ target: SwitchCommands.Target, _ context: Context) throws(Failure)
    -> Int64?
  {
    guard target.production, let policy = try productionSession(target.store, context) else { return requested }
    return min(requested ?? policy, policy)
  }

  /// The exports of a switch to `target`, with its session's end when it has one (said on standard
  /// error), and the hook's record of that session ("" when unlimited).
  static func limit(
    _ target: SwitchCommands.Target, requested: Int64?, _ shell: ShellSyntax, _ context: Context
  ) throws(Failure) -> (exports: [Variable], code: String) {
    guard let length = try sessionLength(requested: requested, target, context) else { return (target.exports, "") }
    let deadline = context.now + length
    context.note(
      "the session on '\(target.name)' ends \(relativeTime(deadline, now: context.now)) (at the first prompt after \(formatUTC(deadline)))"
    )
    return session(shell, deadline: deadline, exports: target.exports)
  }

  /// The exports of a switch with a session ending at `deadline`, and the hook's record of it.
  static func session(
    _ shell: ShellSyntax, deadline: Int64, exports: [Variable]
  ) -> (exports: [Variable], code: String) {
    var variables = exports
    variables.append(Variable(ManagedVariable.sessionEnds, String(deadline)))
    variables.sort { utf8Precedes($0.name, $1.name) }
    let extras = exports.first { $0.name == ManagedVariable.vars }?.value ?? ""
    let names = Switch.cleared(environment: [ManagedVariable.vars: extras])
    return (variables, shell.setPrivate(sessionVariable, ([String(deadline)] + names).joined(separator: " ")))
  }
}

// MARK: Confirmation

extension Seatbelt {
  /// The store's `confirmProduction`.
  static func confirmsProduction(_ store: Store, _ context: Context) throws(Failure) -> Bool {
    guard let value = store.unknown["confirmProduction"], value != .null else { return false }
    guard let flag = value.boolValue else {
      throw .error(
        "\"confirmProduction\" in \(try context.store().path) is \(value.compact()), not true or false", fix: "fix or remove it")
    }
    return flag
  }

  /// With `confirmProduction`, a switch to a production profile goes ahead only when the user types the
  /// profile's name at the terminal, or gave `--yes`. A directory switch or the start-up switch is
  /// refused (never silent, never a question): the user switches by hand.
  static func confirm(
    _ target: SwitchCommands.Target, yes: Bool, startup: Bool, _ context: Context, command: CommandName = .use
  ) throws(Failure) {
    guard target.production, try confirmsProduction(target.store, context) else { return }
    let name = target.name
    let why = "profile '\(name)' is a production profile and the store asks to confirm those (confirmProduction)"
    if let file = context.environment[DirectorySwitch.fileVariable] {
      throw .error("\(why): not switched for \(quoted(file)); switch by hand with: conductor-profile use \(name)")
    }
    if startup { throw .error("\(why): not activated at start-up; switch by hand with: conductor-profile use \(name)") }
    if yes { return }
    guard let fd = Tty.open(context) else {
      let how =
        command == .use
        ? "Confirm with: conductor-profile use \(name) --yes" : "Confirm with --yes on the \(command.rawValue) command line"
      throw .error("\(why), and there is no terminal to ask on; nothing was changed. \(how)")
    }
    defer { Tty.close(fd) }
    let refusal = "\nerror: not confirmed; nothing was changed\n"
    let answer = try Tty.withMode(
      fd, signalExit: ExitCode.failure, farewell: refusal,
      configure: Tty.lineMode
    ) { () throws(Failure) -> [UInt8]? in
      Tty.write(fd, "'\(name)' is production (\(target.profile.server.url)). Type its name to switch: ")
      return Tty.readLine(fd)
    }
    guard let answer else {
      Tty.write(fd, "\n")
      throw .error("not confirmed; nothing was changed")
    }
    let typed = String(decoding: answer, as: UTF8.self).trimmingBlanks()
    guard typed == name else {
      throw .error("not confirmed (\(quoted(typed)) is not '\(name)'); nothing was changed")
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
