import ProfileModel
import ShellOutput

/// `deny`: stop trusting a `.conductor-profile` file.
enum DenyCommand {
  static let spec = CommandSpec(
    .deny, usage: "[DIR]", summary: "Stop trusting the .conductor-profile file of DIR.",
    arguments: [ArgumentSpec("DIR", "The directory (or the file); default: the file that applies here.")],
    positionals: 0...1, run: { invocation, context throws(Failure) in try run(try AllowCommand.Options(invocation), context) })

  static func run(_ options: AllowCommand.Options, _ context: Context) throws(Failure) {
    let path = try AllowCommand.file(options, context)
    let key = DirectoryFile.key(for: path)
    let trust = TrustFile(store: try context.store())
    var removed = false
    try trust.update { entries in
      removed = entries.removeValue(forKey: key) != nil || entries.removeValue(forKey: path) != nil
    }
    if removed {
      context.print("denied \(shownText(path)): entering \(shownText(Posix.dirname(of: path))) no longer switches")
    } else {
      context.print("\(shownText(path)) was not trusted; nothing changed")
    }
  }
}
