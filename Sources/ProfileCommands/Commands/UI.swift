import ProfileModel

/// `ui [NAME] [WORKFLOW_ID]`: the cluster's web UI (the server without `/api`), or one execution's page.
enum UICommand {
  static let spec = CommandSpec(
    .ui, usage: "[NAME] [WORKFLOW_ID] [--print]", summary: "Open the cluster's web UI, or a workflow execution's page.",
    arguments: [
      ArgumentSpec("NAME", "The profile (default: the one active in this shell).", completes: .profiles),
      ArgumentSpec("WORKFLOW_ID", "A workflow execution to open: its page is SERVER/execution/WORKFLOW_ID."),
    ],
    options: [.flag(.print, "Print the URL instead of opening it.")],
    positionals: 0...2,
    discussion: """
      The UI is the server without /api (https://dev.example.com/api -> https://dev.example.com). It is opened
      with xdg-open, else open (macOS), found on PATH. A workflow id is letters, digits, '-', '_', '.' and ':'
      (up to 128), so nothing else can reach the URL or the opener's arguments. To name an execution of the
      active profile, give both: conductor-profile ui "$CONDUCTOR_PROFILE_ACTIVE" 8f3c…
      """,
    run: { invocation, context throws(Failure) in try run(try Options(invocation), context) })

  /// `ui`'s command line, parsed once.
  struct Options {
    /// NAME, nil for the active profile.
    let name: String?
    /// WORKFLOW_ID, checked.
    let workflowID: String?
    let print: Bool

    init(_ invocation: Invocation) throws(Failure) {
      name = invocation.positionals.first
      workflowID = invocation.positionals.count > 1 ? invocation.positionals[1] : nil
      if let workflowID { try validateWorkflowID(workflowID) }
      print = invocation.has(.print)
    }
  }

  static let openers = ["xdg-open", "open"]

  /// A workflow id as Conductor makes them (UUIDs) or as a custom id generator might: 1 to 128 of
  /// `[A-Za-z0-9._:-]`, not starting with '-' or '.'.
  static func validateWorkflowID(_ id: String) throws(Failure) {
    let bytes = Array(id.utf8)
    let ok =
      !bytes.isEmpty && bytes.count <= 128 && bytes[0] != UInt8(ascii: "-") && bytes[0] != UInt8(ascii: ".")
      && bytes.allSatisfy {
        ProfileName.isAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
          || $0 == UInt8(ascii: ":")
      }
    guard ok else { throw .invalid(.workflowID(id)) }
  }

  static func run(_ options: Options, _ context: Context) throws(Failure) {
    let name = try context.profileNameOrActive(options.name, command: .ui)
    var url = options.workflowID.map { "/execution/" + $0 } ?? ""
    let store = try context.loadStore()
    let profile = try context.requireProfile(name, in: store, command: .ui)
    url = profile.server.uiURL + url
    if options.print {
      context.print(url)
      return
    }
    guard
      let opener = openers.lazy.compactMap({ SecretHelper.locate($0, environment: context.environment) }).first
    else {
      throw .error("cannot open a browser: neither xdg-open nor open is on PATH; open \(url) yourself, or print it with --print")
    }
    context.note("opening \(url)")
    let status = Child.runAttached([opener, url], environment: context.environment, context: context).status
    guard status == 0 else {
      throw .error("\(opener) could not open \(url) (exit \(status)); open it yourself, or print it with --print")
    }
  }
}
