import ConductorNetwork
import ProfileModel

/// `copy`: a profile duplicated under a new name (RenameCommand.move does both).
enum CopyCommand {
  static let spec = CommandSpec(
    .copy, usage: "SOURCE NEW", summary: "Copy a profile under a new name.",
    arguments: [ArgumentSpec("SOURCE", "The profile to copy."), ArgumentSpec("NEW", "The copy's name.")], positionals: 2...2,
    run: { invocation, context throws(Failure) in
      try RenameCommand.move(try RenameCommand.Options(invocation), context, keepSource: true)
    })
}
