import ProfileModel
import ShellOutput

/// `allow`: trust a `.conductor-profile` file (by path and content hash), so entering its tree switches.
enum AllowCommand {
  static let spec = CommandSpec(
    .allow, usage: "[DIR]",
    summary: "Trust the .conductor-profile file of DIR: entering DIR then switches to its profile.",
    arguments: [ArgumentSpec("DIR", "The directory (or the file); default: the file that applies here.")],
    positionals: 0...1,
    discussion: """
      A .conductor-profile file names a profile (its first line) for a directory tree. The shell hook switches to it
      when the shell enters the tree, and back when it leaves, but only for a file allowed here: the trust is
      remembered by the file's path and the SHA-256 of its content, in trusted-directories.json beside the store, so
      an edited file must be allowed again.
      """,
    run: { invocation, context throws(Failure) in try run(try Options(invocation), context) })

  /// `allow`'s and `deny`'s command line, parsed once.
  struct Options {
    /// DIR (or the file), nil for the file that applies here.
    let directory: String?

    init(_ invocation: Invocation) throws(Failure) {
      directory = invocation.positionals.first
      if directory?.isEmpty == true { throw invocation.usageError("DIR is empty") }
    }
  }

  /// The current directory as the shell spells it (`$PWD` when it is this directory), else the real one.
  static func workingDirectory(_ context: Context) throws(Failure) -> String {
    if let pwd = context.environment["PWD"], pwd.hasPrefix("/"), Posix.sameFile(pwd, ".") { return pwd }
    guard let cwd = Posix.currentDirectory() else {
      throw .error("cannot find the current directory: \(Posix.errorText())")
    }
    return cwd
  }

  /// The file DIR names (DIR/.conductor-profile, or DIR itself when it is such a file), absolute;
  /// without DIR, the nearest one at or above the current directory.
  static func file(_ options: Options, _ context: Context) throws(Failure) -> String {
    let cwd = try workingDirectory(context)
    guard var path = options.directory else {
      guard let found = DirectoryFile.nearest(from: cwd) else {
        throw .error(
          "no \(DirectoryFile.fileName) file in \(shownText(cwd)) or above; create one with a profile name on its first line: echo NAME > \(DirectoryFile.fileName)"
        )
      }
      return found
    }
    if !path.hasPrefix("/") { path = cwd + "/" + path }
    // `.`, `..` and repeated slashes resolved by the text, as the shell's `cd` spells $PWD.
    var parts: [Substring] = []
    for part in path.split(separator: "/") where part != "." {
      if part == ".." { _ = parts.popLast() } else { parts.append(part) }
    }
    path = "/" + parts.joined(separator: "/")
    if Posix.basename(of: path) == DirectoryFile.fileName { return path }
    return (path == "/" ? "" : path) + "/" + DirectoryFile.fileName
  }

  static func run(_ options: Options, _ context: Context) throws(Failure) {
    let file = try DirectoryFile.read(try self.file(options, context))
    let trust = TrustFile(store: try context.store())
    try trust.update { $0[file.key] = file.hash }
    context.print(
      "allowed \(shownText(file.path)) (profile '\(file.profileName)'): a shell that enters \(shownText(file.directory)) switches to it"
    )
    if let store = try context.store().loadIfPresent(), store.contains(file.profileName) { return }
    context.warn(
      "there is no profile '\(file.profileName)' yet, so entering \(shownText(file.directory)) switches nothing until you add it: conductor-profile add \(file.profileName) --server URL …"
    )
  }

  /// `doctor`: trusted files that no longer exist (nothing is said when nothing is trusted).
  static func check(_ report: DoctorCommand.Report) {
    let entries: [String: String]
    do throws(Failure) {
      entries = try TrustFile(store: try report.context.store()).load()
    } catch {
      report.problem(error.description, fix: "mend or remove the trust file, then allow the trees again")
      return
    }
    guard !entries.isEmpty else { return }
    let gone = entries.keys.filter { !Posix.exists($0) }.sorted { utf8Precedes($0, $1) }
    for path in gone {
      report.problem(
        "the trusted \(DirectoryFile.fileName) file \(shownText(path)) no longer exists",
        fix: "forget it: conductor-profile deny \(shellWord(Posix.dirname(of: path)))")
    }
    if gone.isEmpty {
      report.ok("every trusted \(DirectoryFile.fileName) file exists (\(entries.count))")
    }
  }
}
