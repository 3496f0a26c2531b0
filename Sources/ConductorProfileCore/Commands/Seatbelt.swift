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
  static func seconds(_ text: String) -> Int64? {
    var total: Int64 = 0
    var number: Int64? = nil
    var units: [(letter: UInt8, size: Int64)] = [(UInt8(ascii: "h"), 3600), (UInt8(ascii: "m"), 60), (UInt8(ascii: "s"), 1)]
    for byte in text.utf8 {
      if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
        let n = (number ?? 0) * 10 + Int64(byte - UInt8(ascii: "0"))
        guard n <= 1_000_000 else { return nil }
        number = n
      } else {
        guard let n = number, let i = units.firstIndex(where: { $0.letter == byte }) else { return nil }
        total += n * units[i].size
        units.removeFirst(i + 1)
        number = nil
      }
    }
    guard number == nil, total > 0, total <= longestSession else { return nil }
    return total
  }

  /// `--for DURATION` as given, checked before anything is read.
  static func requestedSession(_ invocation: Invocation) throws(Failure) -> Int64? {
    guard let text = invocation.value("for") else { return nil }
    guard let length = seconds(text) else { throw invocation.usageError("--for \(quoted(text)) is not \(durationHelp)") }
    return length
  }

  /// The store's `productionSession`, when it sets one.
  static func productionSession(_ store: Store, _ context: Context) throws(Failure) -> Int64? {
    guard let value = store.unknown["productionSession"], value != .null else { return nil }
    guard let text = value.stringValue, let length = seconds(text) else {
      throw .error(
        "\"productionSession\" in \(try context.store().path) is \(value.compact()), not \(durationHelp) in quotes; fix or remove it"
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
