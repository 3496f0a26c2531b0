import ProfileModel

/// The spec of each command: an exhaustive switch, so a new `CommandName` case needs its spec.
extension CommandName {
  var spec: CommandSpec {
    switch self {
    case .add: AddCommand.spec
    case .set: SetCommand.spec
    case .list: ListCommand.spec
    case .show: ShowCommand.spec
    case .rename: RenameCommand.spec
    case .copy: CopyCommand.spec
    case .remove: RemoveCommand.spec
    case .defaultCommand: DefaultCommand.spec
    case .use: UseCommand.spec
    case .off: OffCommand.spec
    case .env: EnvCommand.spec
    case .current: CurrentCommand.spec
    case .exec: ExecCommand.spec
    case .ui: UICommand.spec
    case .guardCommand: GuardCommand.spec
    case .token: TokenCommand.spec
    case .verify: VerifyCommand.spec
    case .importCommand: ImportCommand.spec
    case .export: ExportCommand.spec
    case .doctor: DoctorCommand.spec
    case .allow: AllowCommand.spec
    case .deny: DenyCommand.spec
    case .catalog: CatalogCommand.spec
    case .initCommand: InitCommand.spec
    case .completions: CompletionCommands.spec
    case .completeProfiles: CompletionCommands.profiles
    case .manPage: ManPage.spec
    }
  }
}

enum Commands {
  /// Every command's spec, in the order `--help` lists them (help and completions).
  static var all: [CommandSpec] { CommandName.allCases.map(\.spec) }

  /// The spec of one command, without building the others' (a run needs one: each spec is a static
  /// built on first use, with its option and argument arrays).
  static func spec(named name: String) -> CommandSpec? { CommandName(rawValue: name)?.spec }
}

// Helpers shared by the commands.
extension Context {
  /// The store, read (an empty one when there is no file yet).
  func loadStore() throws(Failure) -> Store {
    let store = try store().load()
    keep(store)
    return store
  }

  /// A profile that must exist: an unknown name is a usage error that suggests the nearest name.
  func requireProfile(_ name: String, in store: Store, command: CommandName) throws(Failure) -> Profile {
    guard let profile = try store.profile(named: name) else { throw noSuchProfile(name, in: store, command: command) }
    return profile
  }

  func noSuchProfile(_ name: String, in store: Store, command: CommandName) -> Failure {
    .unknownProfile(name, command: command, known: store.names)
  }

  /// NAME, or the profile active in this shell when NAME is omitted.
  func profileNameOrActive(_ name: String?, command: CommandName) throws(Failure) -> String {
    if let name { return name }
    guard let active = activeName else {
      throw .error(
        "no profile is active in this shell; name one (conductor-profile \(command.rawValue) NAME) or switch with: conductor-profile use NAME"
      )
    }
    return active
  }
}

/// `--env NAME=VALUE` words, validated.
func parseAssignments(_ words: [String], command: CommandName) throws(Failure) -> [(name: String, value: String)] {
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
