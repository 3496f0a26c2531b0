import Foundation
import Testing

/// docs/reference.md holds every command's `--help` verbatim, so the reference cannot drift from the
/// program. Re-record it with: RECORD_REFERENCE=1 swift test --filter ReferenceDocTests
@Suite struct ReferenceDocTests {
  static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("docs/reference.md")

  static let preamble = """
    # Command reference

    Generated from the program's own help (`conductor-profile help COMMAND`); a test fails when this
    file and the program disagree. Re-record it with `RECORD_REFERENCE=1 swift test --filter ReferenceDocTests`.
    The surface is specified in the project's contract; the decisions taken where it is silent are in
    [store.md](store.md), [shell.md](shell.md), [guard.md](guard.md), [network.md](network.md),
    [import-export.md](import-export.md), [doctor.md](doctor.md) and [completions.md](completions.md).

    ## Conventions

    - Results go to standard output; warnings (`warning: …`) and errors (`error: …`) to standard error.
    - Every command takes `-h`/`--help`; `help COMMAND` works too; `--version` prints the bare version.
    - Options take their value as `--opt VALUE` or `--opt=VALUE`; `--` ends the options.
    - A usage error (unknown command or option, missing or extra argument, unknown profile name) prints
      `Error: …` with "did you mean …" when a near word exists, the usage line, `  See 'conductor-profile
      COMMAND --help'.`, and exits 64.
    - Exit codes: 0 done; 1 error; 3 refused by the guard; 64 usage error. `exec` exits with its
      command's status.
    - No option takes a secret: a key secret or user token is read from standard input when it is not a
      terminal (one trailing newline dropped), else prompted for without echo.

    ## Environment

    | variable | read for |
    |---|---|
    | `CONDUCTOR_PROFILE_STORE` | the store's path (else `$XDG_CONFIG_HOME/conductor-profile/profiles.json`, else `$HOME/.config/conductor-profile/profiles.json`) |
    | `CONDUCTOR_PROFILE_GUARD` | `warn` or `block`; overrides the store's `guard` |
    | `NO_COLOR` | no colour when set and not empty |
    | `XDG_CONFIG_HOME`, `XDG_CACHE_HOME`, `HOME` | the store and the token cache (`$XDG_CACHE_HOME/conductor-profile/tokens/`, else `~/.cache/conductor-profile/tokens/`) |
    | `CONDUCTOR_PROFILE_ACTIVE` and the other exported variables | the active profile (default NAME of `show`, `token`, `verify`); `CONDUCTOR_PROFILE_VARS` names the extras a switch clears |
    | `_CONDUCTOR_PROFILE_SHELL`, `_CONDUCTOR_PROFILE_PREVIOUS`, `_CONDUCTOR_PROFILE_SESSION`, `_CONDUCTOR_PROFILE_STARTUP`, `_CONDUCTOR_PROFILE_DIRFILE` | private: set by the shell hook for the program it runs |
    | `_CONDUCTOR_PROFILE_DIRFILE` | private: set by the shell hook for the `use` of a directory switch (see `allow`); `CONDUCTOR_PROFILE_FILE`, exported by that switch, is read by `current` |


    """

  static func expected() throws -> String {
    let sandbox = try Sandbox()
    let overview = try sandbox.run(["--help"])
    var text = preamble + "## Overview\n\n```text\n" + overview.stdout + "```\n"
    let names = overview.stdout.split(separator: "\n", omittingEmptySubsequences: false).drop { !$0.hasPrefix("COMMANDS:") }
      .dropFirst()
      .prefix { !$0.isEmpty }.map { String($0.split(separator: " ")[0]) }
    for name in names {
      let help = try sandbox.run(["help", name])
      #expect(help.status == 0, "\(help)")
      text += "\n## \(name)\n\n```text\n" + help.stdout + "```\n"
    }
    return text
  }

  @Test func referenceMatchesTheProgram() throws {
    let text = try Self.expected()
    if ProcessInfo.processInfo.environment["RECORD_REFERENCE"] == "1" {
      try Data(text.utf8).write(to: Self.path)
    }
    let committed = try String(contentsOf: Self.path, encoding: .utf8)
    #expect(
      committed == text,
      "docs/reference.md differs from the program's help; re-record: RECORD_REFERENCE=1 swift test --filter ReferenceDocTests")
  }
}
