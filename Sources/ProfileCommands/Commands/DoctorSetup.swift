import ConductorNetwork
import ProfileModel

// `doctor`: what a newcomer's set-up needs (issue 23) — when an expiring token is a problem or a notice,
// whether zsh can load the completions, where a secret could go instead of the store file, and every
// file the tool writes. Kept apart from the other checks so each stays in one place.
extension DoctorCommand {
  /// A user token expiring within this many seconds is reported: a notice, a problem within `tokenProblem`.
  static let tokenNotice: Int64 = 86400
  /// Within an hour (or expired) a user token is a problem: the next switch or a long job may outlive it.
  static let tokenProblem: Int64 = 3600

  static func tokenSeverity(expires: Int64, now: Int64) -> Report.Severity {
    expires - now <= tokenProblem ? .problem : .notice
  }

  /// The hook's zsh wrapper says whether compinit has run (`_CONDUCTOR_PROFILE_COMPINIT`: 1 or 0).
  static let compinitVariable = "_CONDUCTOR_PROFILE_COMPINIT"

  static func checkSetup(_ report: Report, store: Store?) {
    checkCompletions(report)
    if let store { suggestSecretStore(report, store: store) }
    listFiles(report)
  }

  /// zsh completes nothing until compinit has run: a notice (everything else works).
  static func checkCompletions(_ report: Report) {
    let env = report.context.environment
    guard env[SwitchCommands.hookShellVariable] == "zsh", let compinit = env[compinitVariable] else { return }
    if compinit == "0" {
      report.notice(
        "zsh has not run compinit, so Tab completes nothing for conductor-profile",
        fix: "add autoload -Uz compinit && compinit to ~/.zshrc, before the init line, then open a new terminal")
    } else {
      report.ok("zsh's completion system is loaded (compinit), so Tab completes conductor-profile")
    }
  }

  /// Profiles whose secret sits in the store file, when a secret store is ready on this machine: a
  /// notice with the one command that moves them all. Starts no helper: it looks for the program and its
  /// set-up only (a session bus for the keyring, `pass init`'s `.gpg-id`).
  static func suggestSecretStore(_ report: Report, store: Store) {
    let inFile = store.names.filter { name in
      guard let profile = try? store.profile(named: name) else { return false }
      return profile.credential.kind != .none && profile.secretStore == nil
    }
    guard !inFile.isEmpty, let available = availableSecretStore(report.context.environment) else { return }
    let count = inFile.count == 1 ? "profile '\(inFile[0])' keeps its secret" : "\(inFile.count) profiles keep their secrets"
    report.notice(
      "\(count) in the store file (0600); \(available.rawValue) is set up on this machine and would keep \(inFile.count == 1 ? "it" : "them") out of it",
      fix: "conductor-profile set --all --secret-store \(available.rawValue)")
  }

  /// The first secret store that looks ready here: the desktop keyring, pass, the macOS keychain.
  static func availableSecretStore(_ environment: [String: String]) -> SecretStoreKind? {
    if !(environment["DBUS_SESSION_BUS_ADDRESS"] ?? "").isEmpty,
      SecretHelper.locate("secret-tool", environment: environment) != nil
    {
      return .secretService
    }
    if SecretHelper.locate("pass", environment: environment) != nil,
      let root = SecretHelper.passDirectories(environment).last, Posix.exists(root + "/.gpg-id")
    {
      return .pass
    }
    if let home = environment["HOME"], Posix.exists(home + "/Library/Keychains"),
      SecretHelper.locate("security", environment: environment) != nil
    {
      return .keychain
    }
    return nil
  }

  /// Every file the tool writes, where it is here, and whether it exists yet (the README's Uninstall).
  static func listFiles(_ report: Report) {
    let context = report.context
    guard let file = try? context.store() else { return }
    func state(_ path: String) -> String { Posix.exists(path) ? "" : ", not created yet" }
    report.file(file.path, "the store\(state(file.path))")
    report.file(file.lockPath, "the store's lock\(state(file.lockPath))")
    let trust = TrustFile(store: file)
    report.file(
      trust.path, "the trust file: allowed directory files, approved secret commands, team catalogs\(state(trust.path))")
    report.file(trust.lockPath, "the trust file's lock\(state(trust.lockPath))")
    if let recent = Recent.path(context) { report.file(recent, "the picker's recent profiles\(state(recent))") }
    if let tokens = TokenCache(environment: context.environment).directory {
      report.file(tokens + "/", "minted tokens, until they expire\(state(tokens))")
    }
  }
}
