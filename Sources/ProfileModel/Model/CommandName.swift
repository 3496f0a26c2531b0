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
  case initCommand = "init"
  case completions
  case completeProfiles = "__complete-profiles"
  case manPage = "__man"
}
