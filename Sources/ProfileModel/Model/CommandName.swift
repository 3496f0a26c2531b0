/// Every command, in the order `--help` lists them: the cases of `CommandName`. Each command's spec lives
/// beside its code (ProfileCommands: `CommandName.spec`, an exhaustive switch, so a new case needs its spec).
public enum CommandName: String, CaseIterable, Sendable {
  case add, set, list, show, rename, copy, remove
  case defaultCommand = "default"
  case use, off, env, current, exec, ui
  case guardCommand = "guard"
  case token, verify
  case importCommand = "import"
  case export, doctor
  case allow, deny
  case catalog
  case initCommand = "init"
  case completions
  case completeProfiles = "__complete-profiles"
  case manPage = "__man"

  /// The command a word names. Written out, not synthesised: the synthesised one builds a table of every
  /// name on first use, a tenth of a switch (docs/performance.md); `CommandRegistryTests` keeps it exact.
  public init?(rawValue: String) {
    switch rawValue {
    case Self.use.rawValue: self = .use
    case Self.env.rawValue: self = .env
    case Self.off.rawValue: self = .off
    case Self.exec.rawValue: self = .exec
    case Self.current.rawValue: self = .current
    case Self.add.rawValue: self = .add
    case Self.set.rawValue: self = .set
    case Self.list.rawValue: self = .list
    case Self.show.rawValue: self = .show
    case Self.rename.rawValue: self = .rename
    case Self.copy.rawValue: self = .copy
    case Self.remove.rawValue: self = .remove
    case Self.defaultCommand.rawValue: self = .defaultCommand
    case Self.ui.rawValue: self = .ui
    case Self.guardCommand.rawValue: self = .guardCommand
    case Self.token.rawValue: self = .token
    case Self.verify.rawValue: self = .verify
    case Self.importCommand.rawValue: self = .importCommand
    case Self.export.rawValue: self = .export
    case Self.doctor.rawValue: self = .doctor
    case Self.allow.rawValue: self = .allow
    case Self.deny.rawValue: self = .deny
    case Self.catalog.rawValue: self = .catalog
    case Self.initCommand.rawValue: self = .initCommand
    case Self.completions.rawValue: self = .completions
    case Self.completeProfiles.rawValue: self = .completeProfiles
    case Self.manPage.rawValue: self = .manPage
    default: return nil
    }
  }
}
