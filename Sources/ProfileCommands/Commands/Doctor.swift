import ProfileModel
import ShellOutput

/// `doctor`: one line a check, `ok:` or `problem:` with how to fix it; `--fix` applies the chmods.
enum DoctorCommand {
  static let spec = CommandSpec(
    .doctor, usage: "[--fix]", summary: "Check the store, the shell hook, stray variables and tokens.",
    options: [
      .flag(.fix, "Apply the chmod fixes for the store's permissions; finish or roll back an interrupted promote or rotate.")
    ],
    discussion: """
      Checks: the store parses and every profile in it is valid; the store and its directory are private; the
      shell hook is loaded in this shell; no CONDUCTOR_* variable was set or changed outside a switch; the conductor
      CLI's CONDUCTOR_PROFILE is not set; no user token has expired or expires within a day; the default profile
      exists; no user token is on a production server; each secret store a profile uses has its helper installed,
      unlocked and holding the profile's entry; no promote or rotate was interrupted (--fix finishes it, as
      rotate NAME does); no application key is known to be paused. A finding is a problem (exit 1: a user token
      expired or expiring within the hour, …) or a notice (exit 0: one expiring within a day, zsh without
      compinit, secrets in the file while a secret store is set up here, a key older than the store's
      keyMaxAge). The last lines name every file the tool writes.
      """,
    run: { invocation, context throws(Failure) in try run(Options(invocation), context) })

  /// `doctor`'s command line, parsed once.
  struct Options {
    /// `--fix`: mend the store's permissions.
    let fix: Bool

    init(_ invocation: Invocation) { fix = invocation.has(.fix) }
  }

  /// What the checks found, printed as they go. A finding has a severity: a problem (something does
  /// not work, or is unsafe: `doctor` exits 1) or a notice (worth knowing, nothing broken: exit 0).
  final class Report {
    enum Severity: String {
      case problem
      case notice
    }

    let context: Context
    var problems = 0
    var notices = 0
    init(context: Context) { self.context = context }
    func ok(_ text: String) { context.print("ok: \(text)") }
    /// One finding, `problem: …; fix: …` or `notice: …; fix: …`.
    func report(_ severity: Severity, _ text: String, fix: String) {
      switch severity {
      case .problem: problems += 1
      case .notice: notices += 1
      }
      context.print("\(severity.rawValue): \(text); fix: \(fix)")
    }
    func problem(_ text: String, fix: String) { report(.problem, text, fix: fix) }
    func notice(_ text: String, fix: String) { report(.notice, text, fix: fix) }
    func fixed(_ text: String) { context.print("fixed: \(text)") }
    /// A file the tool writes, where it is on this machine (`file: PATH (what)`).
    func file(_ path: String, _ what: String) { context.print("file: \(path) (\(what))") }
  }

  static func run(_ options: Options, _ context: Context) throws(Failure) {
    let report = Report(context: context)
    let store = try checkStore(report, fix: options.fix)
    checkHook(report)
    checkVariables(report, store: store)
    if let store { checkProfiles(report, store: store) }
    if let store { Seatbelt.checkSettings(report, store: store) }
    AllowCommand.check(report)
    if let store { CatalogCommand.check(report, store: store) }
    if let store { SecretCommands.doctor(report, store: store) }
    if let store { KeyChecks.doctor(report, store: store, fix: options.fix) }
    checkSetup(report, store: store)
    if report.problems > 0 {
      context.note("\(report.problems) problem\(report.problems == 1 ? " needs" : "s need") attention")
      throw .exit(ExitCode.failure)
    }
  }

  // MARK: The store

  /// Permissions (fixed with `fix`), then parsing. Returns the store when it could be read.
  static func checkStore(_ report: Report, fix: Bool) throws(Failure) -> Store? {
    let file = try report.context.store()
    var permissionsOK = true
    for (problem, command) in file.permissionProblems() {
      let shown = command.map(shellWord).joined(separator: " ")
      if fix, apply(command) {
        report.fixed(shown)
      } else {
        permissionsOK = false
        report.problem(problem, fix: "\(shown) (or run: conductor-profile doctor --fix)")
      }
    }
    if let problem = file.kindProblem() {
      report.problem(problem, fix: "move it away, or point CONDUCTOR_PROFILE_STORE at a file")
      return nil
    }
    if permissionsOK { report.ok("the store and its directory are private (\(file.path))") }
    let bytes: [UInt8]
    do throws(Failure) {
      guard let read = try Posix.readFile(file.path, limit: .store) else {
        report.ok("no store yet at \(file.path) (add a profile with: conductor-profile add NAME --server URL --key-id ID)")
        return Store()
      }
      bytes = read
    } catch {
      report.problem(error.description, fix: "make the file readable by you")
      return nil
    }
    let store: Store
    do throws(Failure) {
      store = try file.decode(bytes)
    } catch {
      report.problem(error.problem, fix: "edit \(file.path) by hand")
      return nil
    }
    var invalid: [String] = []
    for name in store.names {
      do throws(Failure) { _ = try store.profile(named: name) } catch {
        invalid.append(name)
        report.problem(error.description, fix: "edit \(file.path) by hand, or remove it: conductor-profile remove \(name)")
      }
      if (try? ProfileName(validating: name)) == nil {
        invalid.append(name)
        report.problem(
          "the profile name \(quoted(name)) is not valid", fix: "rename it: conductor-profile rename \(shellWord(name)) NEW")
      }
    }
    if store.version > Store.supportedVersion {
      report.problem(
        "\(file.path) is a version \(store.version) store, newer than this conductor-profile (version \(Store.supportedVersion)): it can be read, not changed",
        fix: "upgrade conductor-profile")
    } else if invalid.isEmpty {
      report.ok("the store parses (\(store.names.count) profile\(store.names.count == 1 ? "" : "s"))")
    }
    return store
  }

  /// Applies a `chmod 600 PATH` or `chmod o-w DIR` fix.
  static func apply(_ command: [String]) -> Bool {
    guard command.count == 3, command[0] == "chmod", let mode = Posix.mode(of: command[2]) else { return false }
    let target: UInt32
    switch command[1] {
    case "600": target = 0o600
    case "o-w": target = mode & 0o7777 & ~0o002
    default: return false
    }
    return Posix.changeMode(command[2], target)
  }

  // MARK: The shell

  static func checkHook(_ report: Report) {
    let env = report.context.environment
    if let shell = env[SwitchCommands.hookShellVariable], !shell.isEmpty {
      report.ok("the shell hook is loaded in this shell (\(shell))")
      return
    }
    let lines = [
      "bash": "add eval \"$(conductor-profile init bash)\" to ~/.bashrc",
      "zsh": "add eval \"$(conductor-profile init zsh)\" to ~/.zshrc",
      "fish": "add conductor-profile init fish | source to ~/.config/fish/config.fish",
    ]
    let shell = Posix.basename(of: env["SHELL"] ?? "")
    let fix =
      lines[shell].map { "\($0), then open a new terminal" }
      ?? "\(lines["bash"]!) (zsh: ~/.zshrc with init zsh; fish: \(lines["fish"]!.dropFirst(4))), then open a new terminal"
    report.problem("the shell hook is not loaded in this shell, so use and off cannot switch it", fix: fix)
  }

  /// The variables a switch exports or clears, judged against the active profile (or none).
  static func checkVariables(_ report: Report, store: Store?) {
    let env = report.context.environment
    if let selector = env[ManagedVariable.cliProfile] {
      report.problem(
        "CONDUCTOR_PROFILE is set (\(quoted(selector))): the conductor CLI then reads ~/.conductor-cli/config-\(selector).yaml and ignores the variables a switch exports",
        fix: "unset CONDUCTOR_PROFILE and remove it from your shell startup files (a switch also clears it)")
    } else {
      report.ok("CONDUCTOR_PROFILE (the conductor CLI's profile selector) is not set")
    }
    let legacy = [ManagedVariable.legacyKey, ManagedVariable.legacySecret].filter { env[$0] != nil }
    if !legacy.isEmpty {
      report.problem(
        "\(legacy.joined(separator: ", ")) \(legacy.count == 1 ? "is" : "are") set: the Java SDK falls back to \(legacy.count == 1 ? "it" : "them")",
        fix:
          "unset \(legacy.joined(separator: " ")) and remove \(legacy.count == 1 ? "it" : "them") from your shell startup files")
    }
    if let selector = env[ManagedVariable.orkesProfile] {
      report.problem(
        "ORKES_PROFILE is set (\(quoted(selector))): older conductor CLI releases then read a config file and ignore the variables a switch exports",
        fix: "unset ORKES_PROFILE and remove it from your shell startup files (a switch also clears it)")
    }
    let watched = ManagedVariable.cleared.filter { !ManagedVariable.foreign.contains($0) }
    guard let active = env[ManagedVariable.active], !active.isEmpty else {
      let stray = watched.filter { env[$0] != nil }
      if stray.isEmpty {
        report.ok("no profile is active and no CONDUCTOR_* variable is set by hand")
      } else {
        report.problem(
          "\(stray.joined(separator: ", ")) \(stray.count == 1 ? "is" : "are") set but no profile is active (set by hand or by a startup file); programs will use \(stray.count == 1 ? "it" : "them")",
          fix:
            "remove \(stray.count == 1 ? "it" : "them") from your shell startup files and unset \(stray.joined(separator: " ")), or keep \(stray.count == 1 ? "it" : "them") as a profile: conductor-profile import env NAME"
        )
      }
      return
    }
    guard let store else { return }
    guard let profile = try? store.profile(named: active) else {
      report.problem(
        "the active profile '\(active)' no longer exists in the store",
        fix: "switch to another: conductor-profile use NAME, or clear: conductor-profile off")
      return
    }
    // CONDUCTOR_PROFILE and the Java SDK's older names are reported on their own above.
    let changed = SwitchCommands.Target(name: active, profile: profile, store: store).drift(environment: env)
      .filter { watched.contains($0) || !ManagedVariable.cleared.contains($0) }
    if changed.isEmpty {
      report.ok("the CONDUCTOR_* variables are those of the active profile '\(active)'")
    } else {
      report.problem(
        "\(changed.joined(separator: ", ")) \(changed.count == 1 ? "differs" : "differ") from the active profile '\(active)' (changed by hand since the switch, or the profile was edited)",
        fix: "switch again: conductor-profile use \(active)")
    }
  }

  // MARK: Profiles

  static func checkProfiles(_ report: Report, store: Store) {
    let context = report.context
    if let name = store.defaultName, !store.contains(name) {
      report.problem(
        "the default profile '\(name)' does not exist",
        fix: "set another: conductor-profile default NAME, or none: conductor-profile default --unset")
    }
    if let mode = context.environment["CONDUCTOR_PROFILE_GUARD"], !mode.isEmpty, GuardMode(rawValue: mode) == nil {
      report.problem("CONDUCTOR_PROFILE_GUARD is \(quoted(mode)), not warn or block", fix: "set it to warn or block, or unset it")
    }
    var tokensOK = true
    var guardOK = true
    // When in doubt, production: a production profile whose server does not validate still marks the host
    // its text names, or, when none can be read, makes every user token count as on production.
    for (name, server, host) in store.unreadableProductionServers() {
      guardOK = false
      let effect =
        host.map { "its host \($0) still counts as production" }
        ?? "no host can be read from it, so every user token counts as on production until it is fixed"
      report.problem(
        "the production profile '\(name)' has the server \(quoted(server)), which is not a valid URL; \(effect)",
        fix:
          "edit \((try? context.store().path) ?? "the store") by hand to give it an http or https URL with a host, or remove it: conductor-profile remove \(name)"
      )
    }
    for name in store.names {
      if let profile = try? store.profile(named: name), let warning = ClearText.warning(name: name, profile: profile) {
        report.problem(warning, fix: "conductor-profile set \(name) --server https://…")
      }
      guard let profile = try? store.profile(named: name), case .userToken(let jwt) = profile.credential else { continue }
      if let exp = jwt.expires, exp - context.now <= tokenNotice {
        tokensOK = false
        let when =
          exp <= context.now ? "expired \(relativeTime(exp, now: context.now))" : "expires \(relativeTime(exp, now: context.now))"
        report.report(
          tokenSeverity(expires: exp, now: context.now), "the user token of profile '\(name)' \(when) (\(formatUTC(exp)))",
          fix: "copy a new one from the Conductor UI (user menu > Copy Token) and run: conductor-profile set \(name) --user-token"
        )
      }
      if Guard.judge(profile, in: store).contains(.userTokenOnProduction(doubt: nil)) {
        guardOK = false
        report.problem(
          "profile '\(name)' uses a user token on the production server \(profile.server.url)",
          fix:
            "use an application access key (Access Control > Applications): conductor-profile add NAME --server \(profile.server.url) --key-id ID, then conductor-profile remove \(name)"
        )
      }
    }
    if tokensOK { report.ok("no user token has expired or expires within a day") }
    if guardOK { report.ok("no user token is on a production server") }
  }
}
