import ProfileModel
import ShellOutput

/// `allow`: trust a `.conductor-profile` file (by path and content hash), so entering its tree switches.
enum AllowCommand {
  static let spec = CommandSpec(
    .allow, usage: "[DIR] | --command NAME [--yes]",
    summary: "Trust the .conductor-profile file of DIR, or approve the secret command of profile NAME.",
    arguments: [
      ArgumentSpec("DIR", "The directory (or the file); default: the file that applies here.", completes: .directories)
    ],
    options: [
      .value(.command, "NAME", "Approve the secretCommand of profile NAME: shows the command, then asks.", completes: .profiles),
      .flag(.yes, "With --command: approve without asking (no terminal needed)."),
    ],
    positionals: 0...1,
    discussion: """
      A .conductor-profile file names a profile (its first line) for a directory tree. The shell hook switches to it
      when the shell enters the tree, and back when it leaves, but only for a file allowed here: the trust is
      remembered by the file's path and the SHA-256 of its content, in trusted-directories.json beside the store, so
      an edited file must be allowed again.
      A profile whose secret comes from a command (secretStore command) runs it only once you approved that exact
      command for that profile: given to add or set --secret-store command yourself, or approved here with
      --command NAME after reading it (docs/security.md, "Approval of secret commands").
      """,
    run: { invocation, context throws(Failure) in try run(try Options(invocation), context) })

  /// `allow`'s and `deny`'s command line, parsed once.
  struct Options {
    /// DIR (or the file), nil for the file that applies here.
    let directory: String?
    /// `--command NAME`: the profile whose secret command to approve (`allow` only).
    let command: String?
    let yes: Bool

    init(_ invocation: Invocation) throws(Failure) {
      directory = invocation.positionals.first
      if directory?.isEmpty == true { throw invocation.usageError("DIR is empty") }
      let declared = invocation.command.command == .allow
      command = declared ? invocation.value(.command) : nil
      yes = declared && invocation.has(.yes)
      if command != nil, directory != nil {
        throw invocation.usageError("give DIR or --command NAME, not both", option: .command)
      }
      if yes, command == nil { throw invocation.usageError("--yes goes with --command NAME", option: .yes) }
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
    if let name = options.command { return try approveCommand(of: name, yes: options.yes, context) }
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

  /// `allow --command NAME`: shows the profile's secret command, asks (a terminal) or takes `--yes`, and
  /// records the approval of that exact vector for that profile (`CommandApproval`). Nothing is run.
  static func approveCommand(of name: String, yes: Bool, _ context: Context) throws(Failure) {
    let store = try context.loadStore()
    let profile = try context.requireProfile(name, in: store, command: .allow)
    guard let reference = profile.secretStore, reference.kind == .command else {
      throw .error(
        "profile '\(name)' runs no command for its secret (its secret is in \(profile.secretStore?.label ?? "the store file")); nothing to approve"
      )
    }
    let shown = CommandApproval.shown(reference.command)
    if try CommandApproval.isApproved(profile: name, command: reference.command, context: context) {
      context.print("the secret command of profile '\(name)' is already approved: \(shown)")
      return
    }
    context.note("profile '\(name)' gets its secret by running (no shell, as these words):")
    context.note("  \(shown)")
    if !yes {
      let asked = try Seatbelt.confirmed(
        "Run this command whenever profile '\(name)' needs its secret?", refusal: "not approved; nothing was changed", context)
      guard let asked else {
        throw .refused(
          "not approved: there is no terminal to ask on; read the command above, then approve it with: conductor-profile allow --command \(shellWord(name)) --yes"
        )
      }
      guard asked else { throw .error("not approved; nothing was changed") }
    }
    try CommandApproval.approve(profile: name, command: reference.command, context: context)
    context.print("approved the secret command of profile '\(name)': \(shown)")
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
