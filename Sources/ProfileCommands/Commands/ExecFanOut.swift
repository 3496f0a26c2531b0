import ProfileModel

/// `exec NAME,NAME… -- COMMAND` and `exec 'GLOB' -- COMMAND`: COMMAND once per profile, one after another,
/// each child with its own environment (the switch plan, `Switch.apply`) and its own guard judgement.
enum ExecFanOut {
  /// Whether NAME asks for a fan-out: a comma list or a glob (neither can be a profile name).
  static func isFanOut(_ word: String) -> Bool { word.contains(where: { ",*?[".contains($0) }) }

  /// The profiles `word` names: a list in the order given, each glob's matches sorted by name, each once.
  static func names(_ word: String, in store: Store) throws(Failure) -> [String] {
    var result: [String] = []
    for part in word.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
      if part.isEmpty {
        throw .usage(
          "\(quoted(word)) has an empty name; give NAME,NAME… or a quoted glob such as 'dev*'", command: .exec)
      }
      var matches: [String]
      if part.contains(where: { "*?[".contains($0) }) {
        matches = store.names.filter { Posix.glob(part, matches: $0) }
        guard !matches.isEmpty else {
          let all = store.names.isEmpty ? "there are no profiles yet" : "the profiles: \(store.names.joined(separator: " "))"
          throw .error("no profile matches \(quoted(part)); \(all)")
        }
      } else {
        guard store.contains(part) else {
          throw .usage(
            "no profile named \(quoted(part))", command: .exec, suggestion: Suggest.nearest(part, in: store.names))
        }
        matches = [part]
      }
      for name in matches where !result.contains(name) { result.append(name) }
    }
    return result
  }

  /// Runs `command` once per profile named by `word`. Returns when all succeeded; else throws `.exit` with
  /// the first non-zero status (3 for a guard refusal).
  static func run(_ word: String, command: [String], failFast: Bool, yes: Bool, context: Context) throws(Failure) {
    let store = try context.loadStore()
    let names = try names(word, in: store)
    // A mistyped CONDUCTOR_PROFILE_GUARD fails the whole command before anything runs.
    _ = try store.effectiveGuard(environment: context.environment)
    if let notice = Switch.notice(environment: context.environment) { context.note(notice) }
    var failures: [(name: String, status: Int32, why: String)] = []
    var ran = 0
    // Ctrl-C reaches the child (same process group); this process waits for it, then stops (Child.runAttached).
    // The commands get the core limit the user had, as a single `exec` gives it (Hardening.swift); this
    // process stays non-dumpable where the platform can say so.
    Child.restoreCoreLimit()
    for name in names {
      if failFast, !failures.isEmpty { break }
      ran += 1
      var status: Int32 = 0
      var why = ""
      do throws(Failure) {
        guard let profile = try store.profile(named: name) else { throw context.noSuchProfile(name, in: store, command: .exec) }
        context.note("==> \(name) (\(profile.server.url))")
        // The gate, per profile: the guard, and confirmProduction as a single exec asks it.
        let (target, _) = try SwitchCommands.target(name, profile, in: store, context, through: .exec, yes: yes)
        let environment = Switch.apply(exports: target.exports, to: context.environment)
        let ended = try spawn(command, environment: environment, context: context)
        status = ended.status
        why = ended.signal.map { "signal \($0)" } ?? "exit \(status)"
        if ended.signal == Child.interruptSignal {
          failures.append((name, status, why))
          break
        }
      } catch {
        if case .exit = error { throw error }
        context.error(error.description)
        status = error.exitCode
        why = error.exitCode == ExitCode.refused ? "refused" : "error"
      }
      if status != 0 { failures.append((name, status, why)) }
    }
    guard let first = failures.first else { return }
    let skipped = names.count - ran
    let list = failures.map { "\($0.name) (\($0.why))" }.joined(separator: ", ")
    context.note(
      "exec: \(ran - failures.count) of \(names.count) succeeded; failed: \(list)"
        + (skipped > 0 ? "; not run (--fail-fast): \(names.suffix(skipped).joined(separator: " "))" : ""))
    throw .exit(first.status)
  }

  /// Starts `command` (found by the one PATH lookup) with the terminal's standard streams and waits for it:
  /// its exit status, 128 + the signal that ended it, 127 when it cannot be found, 126 when it cannot run.
  static func spawnAndWait(_ command: [String], environment: [String: String], context: Context) throws(Failure) -> Int32 {
    try spawn(command, environment: environment, context: context).status
  }

  /// `spawnAndWait`, with the signal that ended the child, if one did.
  static func spawn(_ command: [String], environment: [String: String], context: Context) throws(Failure) -> (
    status: Int32, signal: Int32?
  ) {
    Child.runAttached(command, environment: environment, context: context)
  }
}
