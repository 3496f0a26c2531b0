import ProfileModel
import ShellOutput

/// What completes a word on the command line: said once, beside each command's spec (`ArgumentSpec`,
/// `OptionSpec`), and answered by the hidden `__complete` (Commands/Complete.swift) that the completion
/// scripts in shell/completions/ call on every Tab.
public indirect enum Completion: Sendable {
  /// Nothing (free text: a URL, a new name, a duration).
  case none
  /// The names of the store's profiles (only valid names, as literal words).
  case profiles
  /// The store's profile names, and `-` when the shell remembers a previous profile (`use`).
  case profilesOrPrevious
  /// These words.
  case values([String])
  case files
  case directories
  /// What completes depends on the command's first argument: an argument not named here completes nothing.
  case byFirst([String: Completion])
}

extension Option {
  /// What completes this option's value, for every command that takes it (an `OptionSpec` may say otherwise).
  var completion: Completion {
    switch self {
    case .shell: .values(ShellSyntax.allCases.map(\.rawValue))
    case .format: .values(FileFormat.allCases.map(\.rawValue))
    case .serverType: .values(ServerType.allCases.map(\.rawValue))
    case .color: .values(PromptColor.allCases.map(\.rawValue))
    case .secretStore: .values(SecretStoreKind.allCases.map(\.rawValue))
    case .dir: .directories
    case .role: .values(PromoteCommand.knownRoles)
    default: .none
    }
  }
}
