import ConductorNetwork
import ProfileModel

/// `list`: one row a profile, never a secret.
enum ListCommand {
  static let spec = CommandSpec(
    .list, usage: "[--json]", summary: "List the profiles (never a secret).",
    options: [.flag(.json, "Print JSON for scripts.")],
    discussion: "Columns: * marks the profile active in this shell; (default) the profile a new shell starts with.",
    run: { invocation, context throws(Failure) in try run(Options(invocation), context) })

  /// `list`'s command line, parsed once.
  struct Options {
    let json: Bool

    init(_ invocation: Invocation) { json = invocation.has(.json) }
  }

  static func run(_ options: Options, _ context: Context) throws(Failure) {
    let store = try context.loadStore()
    let production = store.productionHosts()
    let active = context.activeName
    var rows: [ProfileSummary] = []
    for name in store.names {
      let profile = try context.requireProfile(name, in: store, command: .list)
      rows.append(
        ProfileSummary(
          name: name, profile: profile, production: production.contains(profile.server.host),
          isDefault: store.defaultName == name, isActive: active == name))
    }
    if options.json {
      context.emit(JSON.array(rows.map { $0.json(now: context.now) }).pretty())
      return
    }
    if rows.isEmpty {
      context.note("no profiles yet; add one with: conductor-profile add NAME --server URL --key-id ID")
      return
    }
    let table =
      [["", "NAME", "SERVER", "AUTH", "PRODUCTION", "TOKEN EXPIRES"]]
      + rows.map { row in
        [
          row.isActive ? "*" : "", row.name + (row.isDefault ? " (default)" : ""), row.profile.server.url,
          row.profile.credential.kind.rawValue, row.production ? "yes" : "no", row.expiryText(now: context.now),
        ].map { TerminalText.sanitize($0) }
      }
    let widths = (0..<6).map { column in table.map { $0[column].count }.max()! }
    for (index, cells) in table.enumerated() {
      var line = ""
      for column in 0..<6 {
        var cell = cells[column]
        let pad = column == 5 ? "" : String(repeating: " ", count: widths[column] - cell.count + (column == 0 ? 1 : 2))
        if context.color, index > 0 {
          let row = rows[index - 1]
          if column == 1 && row.isActive { cell = "\u{1B}[1m\(cell)\u{1B}[0m" }
          if column == 4 && row.production { cell = "\u{1B}[31m\(cell)\u{1B}[0m" }
          if column == 3 && row.profile.credential.kind == .userToken { cell = "\u{1B}[33m\(cell)\u{1B}[0m" }
        }
        line += cell + pad
      }
      while line.hasSuffix(" ") { line.removeLast() }
      // Sanitised cell by cell above, so the colour codes added here stay.
      context.emit(line + "\n")
    }
  }
}
