import ProfileModel
import ShellOutput

/// `off`: clear this shell's profile variables (through the hook).
enum OffCommand {
  static let spec = CommandSpec(
    .off, usage: "", summary: "Clear this shell's profile variables (through the shell hook).",
    run: { _, context throws(Failure) in try run(context) })

  static func run(_ context: Context) throws(Failure) {
    let shell = try SwitchCommands.hookShell(context, command: .off)
    if let notice = Switch.notice(environment: context.environment) { context.note(notice) }
    let changes = Switch.unsets(Switch.cleared(environment: context.environment))
    var names = changes.map(\.name)
    let remember = Seatbelt.rememberPrevious(shell, context, next: nil)
    if !remember.isEmpty { names.append(SwitchCommands.previousVariable) }
    context.emit(ShellSyntax.withNames(names, shell.render(changes) + remember))
  }
}
