import ProfileModel
import ShellOutput

/// A switch the hook asks for because the shell entered a tree with a `.conductor-profile` file: the
/// program reads the file itself, switches only when the file is trusted as it is now, and says so.
struct DirectorySwitch {
  /// Set by the hook for the `use` it runs on a directory change: the file's absolute path.
  static let fileVariable = "_CONDUCTOR_PROFILE_DIRFILE"

  let file: DirectoryFile
  var name: String { file.profileName }

  /// Nil unless this `use` is a directory switch. Throws (one line, nothing switched) when the file
  /// cannot be read, is not trusted, or changed since it was allowed.
  init?(_ context: Context) throws(Failure) {
    guard let path = context.environment[DirectorySwitch.fileVariable], !path.isEmpty else { return nil }
    guard path.hasPrefix("/") else { throw .invalid(.directoryFileVariable(variable: DirectorySwitch.fileVariable)) }
    // Type, size and trust before a byte of the file is interpreted: an untrusted file's content reaches
    // no message (nor, from the hook, any argument: the hook hands over the path alone).
    let contents = try DirectoryFile.load(path)
    let trusted = try TrustFile(store: try context.store()).load()[contents.key]
    let allow = "conductor-profile allow \(shellWord(contents.directory))"
    guard let trusted else {
      context.note("conductor-profile: \(shownText(path)) is not trusted, so nothing switched; trust it with: \(allow)")
      throw .exit(ExitCode.failure)
    }
    guard trusted == contents.hash else {
      context.note(
        "conductor-profile: \(shownText(path)) changed since it was allowed, so nothing switched; check it, then: \(allow)")
      throw .exit(ExitCode.failure)
    }
    let file = try contents.named()
    self.file = file
  }

  /// The profile the file names: a missing one is one line (not a usage error), nothing switched.
  func target(_ context: Context, yes: Bool, requested: Int64?) throws(Failure) -> (
    target: SwitchCommands.Target, session: Int64?
  ) {
    let store = try context.loadStore()
    guard let profile = try store.profile(named: name) else {
      throw .error(
        "\(shownText(file.path)) names the profile '\(name)', which does not exist, so nothing switched; add it (conductor-profile add \(name) …) or edit the file"
      )
    }
    return try SwitchCommands.target(
      name, profile, in: store, context, through: .directory(file.path), yes: yes, requested: requested)
  }

  /// The exports of the switch, with the mark that says which file they came from.
  func marked(_ exports: [Variable]) -> [Variable] {
    var result = exports
    result.append(Variable(ManagedVariable.directoryFile, file.path))
    result.sort { utf8Precedes($0.name, $1.name) }
    return result
  }

  var announcement: String { "conductor-profile: switched to '\(name)' (\(shownText(file.path)))" }
}
