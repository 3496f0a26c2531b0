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
    var code = shell.render(Switch.unsets(Switch.cleared(environment: context.environment)))
    code += Seatbelt.rememberPrevious(shell, context, next: nil)
    context.emit(code)
  }
}
