/// Every command, in the order `--help` lists them. A command's spec lives beside its code.
enum Commands {
  static let all: [CommandSpec] = [
    ManageCommands.add, ManageCommands.set, ManageCommands.list, ManageCommands.show,
    ManageCommands.rename, ManageCommands.copy, ManageCommands.remove, ManageCommands.defaultCommand,
    SwitchCommands.use, SwitchCommands.off, SwitchCommands.env, SwitchCommands.current, SwitchCommands.exec,
    GuardCommand.spec,
    NetworkCommands.token, NetworkCommands.verify,
    ImportExportCommands.importCommand, ImportExportCommands.export, DoctorCommand.spec,
    InitCommand.spec, CompletionCommands.spec, CompletionCommands.profiles,
  ]
}

// Helpers shared by the commands.
extension Context {
  /// The store, read (an empty one when there is no file yet).
  func loadStore() throws(Failure) -> Store {
    let store = try store().load()
    storesRead.append(store)
    return store
  }

  /// A profile that must exist: an unknown name is a usage error that suggests the nearest name.
  func requireProfile(_ name: String, in store: Store, command: String) throws(Failure) -> Profile {
    guard let profile = try store.profile(named: name) else { throw noSuchProfile(name, in: store, command: command) }
    return profile
  }

  func noSuchProfile(_ name: String, in store: Store, command: String) -> Failure {
    let hint =
      store.isEmpty
      ? " (there are no profiles yet; add one with: conductor-profile add NAME --server URL --key-id ID)" : ""
    return .usage("no profile named \(quoted(name))\(hint)", command: command, suggestion: Suggest.nearest(name, in: store.names))
  }

  /// NAME, or the profile active in this shell when NAME is omitted.
  func profileNameOrActive(_ invocation: Invocation) throws(Failure) -> String {
    if let name = invocation.positionals.first { return name }
    guard let active = activeName else {
      throw .error(
        "no profile is active in this shell; name one (conductor-profile \(invocation.command.name) NAME) or switch with: conductor-profile use NAME"
      )
    }
    return active
  }
}

/// `--env NAME=VALUE` words, validated.
func parseAssignments(_ words: [String], command: String) throws(Failure) -> [(name: String, value: String)] {
  var result: [(String, String)] = []
  for word in words {
    guard let eq = word.firstIndex(of: "=") else {
      throw .usage("--env needs NAME=VALUE, got \(quoted(word))", command: command)
    }
    let name = String(word[..<eq])
    let value = String(word[word.index(after: eq)...])
    try validateExtraVariable(name: name, value: value)
    result.append((name, value))
  }
  return result
}
