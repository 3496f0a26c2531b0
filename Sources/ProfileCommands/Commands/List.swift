import ConductorNetwork
import ProfileModel
import ShellOutput

/// `list`: one row a profile, never a secret.
enum ListCommand {
  static let spec = CommandSpec(
    .list, usage: "[--json]", summary: "List the profiles (never a secret).",
    options: [.flag(.json, "Print JSON for scripts.")],
    discussion: """
      Columns: * marks the profile active in this shell; (default) the profile a new shell starts with. Once a team
      catalog brought profiles (catalog sync), SOURCE says where each comes from: local, or catalog NAME.
      A profile that is not valid (a hand-edited store) is listed with ! and AUTH 'invalid', its problem is said
      on standard error, and list exits 1 after printing every row; with --json it is {"name", "invalid": true,
      "problem"} in the same array.
      """,
    run: { invocation, context throws(Failure) in try run(Options(invocation), context) })

  /// `list`'s command line, parsed once.
  struct Options {
    let json: Bool

    init(_ invocation: Invocation) { json = invocation.has(.json) }
  }

  /// One row: a profile, or one that is not valid (a hand-edited store) and why.
  enum Row {
    case valid(ProfileSummary)
    case invalid(name: String, problem: String)
  }

  static func run(_ options: Options, _ context: Context) throws(Failure) {
    let store = try context.loadStore()
    let production = store.productionHosts()
    let active = context.activeName
    var rows: [Row] = []
    // A hand-edited store's invalid profiles (or names) are listed as such, and every valid one still is.
    for name in store.names {
      do throws(Failure) {
        _ = try ProfileName(validating: name)
        let profile = try context.requireProfile(name, in: store, command: .list)
        rows.append(
          .valid(
            ProfileSummary(
              name: name, profile: profile, production: production.contains(profile.server.host),
              isDefault: store.defaultName == name, isActive: active == name)))
      } catch {
        if case .profile(_, let problem) = error {
          rows.append(.invalid(name: name, problem: problem.description))
        } else {
          rows.append(.invalid(name: name, problem: error.description))
        }
      }
    }
    let invalid = rows.compactMap { row -> (String, String)? in
      if case .invalid(let name, let problem) = row { return (name, problem) }
      return nil
    }
    // Said after the rows, then exit 1: the list is whole, and a script sees that something is wrong.
    defer {
      for (name, problem) in invalid {
        let fix =
          (try? ProfileName(validating: name)) == nil
          ? "rename it with: conductor-profile rename \(shellWord(name)) NEW"
          : "fix it in \((try? context.store().path) ?? "the store") by hand, or remove it with: conductor-profile remove \(shellWord(name))"
        context.error("profile \(quoted(name)) is not valid: \(problem); \(fix)")
      }
    }
    let failed: Failure? = invalid.isEmpty ? nil : .exit(ExitCode.failure)
    // Where each profile comes from, once a catalog brought some (docs/catalog.md).
    let fromCatalogs = rows.contains { row in
      if case .valid(let summary) = row { return summary.profile.catalogName != nil }
      return false
    }
    func source(_ row: ProfileSummary) -> String {
      Catalog.marker(of: store.rawProfile(named: row.name), profile: row.name).map { "catalog \($0.name)" } ?? "local"
    }
    if options.json {
      let entries = rows.map { row -> JSON in
        switch row {
        case .valid(let summary):
          guard fromCatalogs, case .object(var object) = summary.json(now: context.now) else {
            return summary.json(now: context.now)
          }
          object["source"] = .string(source(summary))
          return .object(object)
        case .invalid(let name, let problem):
          return .object(["name": .string(name), "invalid": .bool(true), "problem": .string(problem)])
        }
      }
      context.emit(JSON.array(entries).pretty())
      if let failed { throw failed }
      return
    }
    if rows.isEmpty {
      context.note("no profiles yet; add one with: conductor-profile add NAME --server URL --key-id ID")
      return
    }
    let columns = fromCatalogs ? 7 : 6
    let table =
      [["", "NAME", "SERVER", "AUTH", "PRODUCTION", "TOKEN EXPIRES", "SOURCE"].prefix(columns).map { $0 }]
      + rows.map { entry in
        switch entry {
        case .valid(let row):
          return [
            row.isActive ? "*" : "", row.name + (row.isDefault ? " (default)" : ""), row.profile.server.url,
            row.profile.credential.kind.rawValue, row.production ? "yes" : "no",
            row.keyText(now: context.now) ?? row.expiryText(now: context.now), source(row),
          ].prefix(columns).map { TerminalText.sanitize($0) }
        case .invalid(let name, _):
          return ["!", TerminalText.sanitize(name, singleLine: true), "-", "invalid", "-", "-", "-"].prefix(columns).map { $0 }
        }
      }
    let widths = (0..<columns).map { column in table.map { $0[column].count }.max()! }
    for (index, cells) in table.enumerated() {
      var line = ""
      for column in 0..<columns {
        var cell = cells[column]
        let pad = column == columns - 1 ? "" : String(repeating: " ", count: widths[column] - cell.count + (column == 0 ? 1 : 2))
        if context.color, index > 0, case .valid(let row) = rows[index - 1] {
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
    if let failed { throw failed }
  }
}
