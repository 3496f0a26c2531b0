import Foundation
import Testing

/// Help, --version and usage errors: the shape swift-argument-parser users expect, exit 64, did-you-mean.
@Suite struct UsageTests {
  static let commands = ["add", "set", "list", "show", "rename", "copy", "remove", "default", "env", "current", "exec", "guard"]

  @Test(arguments: commands)
  func helpOnEveryCommand(_ command: String) throws {
    let s = try Sandbox()
    let long = try s.run([command, "--help"])
    #expect(long.status == 0 && long.stderr == "", "\(long)")
    #expect(long.stdout.contains("USAGE: conductor-profile \(command)"))
    #expect(long.stdout.hasPrefix("OVERVIEW: "))
    #expect(long.stdout.contains("  -h, --help              Show help information.\n"))
    let short = try s.run([command, "-h"])
    #expect(short.status == 0 && short.stdout == long.stdout && short.stderr == "", "\(short)")
    let viaHelp = try s.run(["help", command])
    #expect(viaHelp.status == 0 && viaHelp.stdout == long.stdout && viaHelp.stderr == "", "\(viaHelp)")
    #expect(s.storeBytes() == nil)
  }

  @Test func overviewAndVersion() throws {
    let s = try Sandbox()
    for args in [[], ["--help"], ["-h"], ["help"]] {
      let r = try s.run(args)
      #expect(r.status == 0 && r.stderr == "", "\(r)")
      #expect(r.stdout.hasPrefix("OVERVIEW: "))
      for command in Self.commands { #expect(r.stdout.contains("\n  \(command) "), "\(command) missing from the overview") }
    }
    let v = try s.run(["--version"])
    #expect(v.status == 0 && v.stderr == "")
    #expect(v.stdout.range(of: #"^[0-9]+\.[0-9]+\.[0-9]+\n$"#, options: .regularExpression) != nil, "\(v)")
  }

  @Test func addHelpIsExact() throws {
    let r = try Sandbox().run(["help", "add"])
    #expect(
      r.stdout == """
        OVERVIEW: Add a profile.

        USAGE: conductor-profile add NAME --server URL (--key-id ID | --user-token | --no-auth) [--production | --no-production] [--server-type OSS|Enterprise] [--secret-store STORE] [--color COLOR] [--description TEXT] [--env NAME=VALUE]... [--force]

        ARGUMENTS:
          NAME                    The profile's name: letters, digits, '.', '_', '-'.

        OPTIONS:
          --server URL            The Conductor server (https://host[/path]; stored ending in /api).
          --key-id ID             An application access key id; the secret is read from standard input or prompted for.
          --user-token            A user token (JWT) copied from the UI, read from standard input or prompted for. Non-production.
          --no-auth               A server without authentication (open-source Conductor).
          --production            Flag the server as a production cluster.
          --no-production         Say the server is not production, whatever its host's name says.
          --server-type TYPE      OSS or Enterprise, exported as CONDUCTOR_SERVER_TYPE (default: Enterprise with a credential, OSS without).
          --secret-store STORE    Where the secret is kept: file (default), secret-service, pass, keychain, or command (-- COMMAND at the end).
          --color COLOR           The prompt segment's colour: black, red, green, yellow, blue, magenta, cyan or white.
          --description TEXT      A note shown by show.
          --env NAME=VALUE        An extra variable to export with the profile. (repeatable)
          --force                 Replace a profile of the same name.
          -h, --help              Show help information.

        No option takes a secret: it would land in shell history and in ps. Pipe it in, or type it at the prompt:
          printf '%s' "$SECRET" | conductor-profile add dev --server https://dev.example.com --key-id 1a2b3c
        With --secret-store the secret goes to a secret store and the store file keeps none (docs/secrets.md):
          conductor-profile add dev --server https://dev.example.com --key-id 1a2b3c --secret-store pass
          conductor-profile add ci --server https://ci.example.com --key-id 4d5e --secret-store command -- op read op://vault/ci/secret

        """)
  }

  @Test func unknownCommandSuggestsTheNearest() throws {
    let s = try Sandbox()
    let r = try s.run(["lsit"])
    #expect(
      r.stderr == """
        Error: unknown command 'lsit'; did you mean 'list'?
        Usage: conductor-profile COMMAND [OPTIONS]
          See 'conductor-profile --help'.

        """)
    #expect(r.status == 64 && r.stdout == "")
    expectUsageError(try s.run(["rmove", "x"]), command: nil, containing: "unknown command 'rmove'", suggestion: "remove")
    expectUsageError(try s.run(["defualt"]), command: nil, containing: "unknown command 'defualt'", suggestion: "default")
    expectUsageError(try s.run(["help", "shwo"]), command: nil, containing: "unknown command 'shwo'", suggestion: "show")
    // Nothing close: no suggestion.
    for word in ["nope", "zzzzzzz", "deploy", "x"] {
      expectUsageError(try s.run([word]), command: nil, containing: "unknown command '\(word)'")
    }
    expectUsageError(try s.run(["--verison"]), command: nil, containing: "unknown option '--verison'", suggestion: "--version")
    expectUsageError(try s.run(["help", "add", "set"]), command: nil, containing: "help takes one command")
  }

  @Test func unknownOptionSuggestsTheNearest() throws {
    let s = try Sandbox()
    let r = try s.run(["add", "x", "--sever", "https://x.example.com", "--no-auth"])
    #expect(
      r.stderr == """
        Error: unknown option '--sever'; did you mean '--server'?
        Usage: conductor-profile add NAME --server URL (--key-id ID | --user-token | --no-auth) [--production | --no-production] [--server-type OSS|Enterprise] [--secret-store STORE] [--color COLOR] [--description TEXT] [--env NAME=VALUE]... [--force]
          See 'conductor-profile add --help'.

        """)
    #expect(r.status == 64)
    expectUsageError(try s.run(["list", "--josn"]), command: "list", containing: "unknown option '--josn'", suggestion: "--json")
    expectUsageError(try s.run(["show", "--reveall"]), command: "show", containing: "'--reveall'", suggestion: "--reveal")
    expectUsageError(try s.run(["set", "x", "--no-prod"]), command: "set", containing: "'--no-prod'")
    expectUsageError(try s.run(["list", "--completely-different"]), command: "list", containing: "'--completely-different'")
    expectUsageError(try s.run(["list", "-x"]), command: "list", containing: "unknown option '-x'")
    #expect(s.storeBytes() == nil)
  }

  @Test func argumentCountErrors() throws {
    let s = try Sandbox()
    try s.addKey("dev")
    let before = s.storeBytes()
    expectUsageError(try s.run(["add"]), command: "add", containing: "missing NAME")
    expectUsageError(try s.run(["add", "x"]), command: "add", containing: "missing --server URL")
    expectUsageError(try s.run(["add", "x", "--server"]), command: "add", containing: "--server needs a value (URL)")
    expectUsageError(try s.run(["add", "x", "--server", "--no-auth"]), command: "add", containing: "--server needs a value")
    expectUsageError(
      try s.run(["add", "x", "y", "--server", "https://x.example.com", "--no-auth"]), command: "add",
      containing: "unexpected argument 'y'")
    expectUsageError(
      try s.run(["add", "x", "--server", "https://x.example.com"]), command: "add", containing: "give one credential")
    expectUsageError(try s.run(["list", "extra"]), command: "list", containing: "unexpected argument 'extra'")
    expectUsageError(try s.run(["show", "a", "b"]), command: "show", containing: "unexpected argument 'b'")
    expectUsageError(try s.run(["rename", "a"]), command: "rename", containing: "missing NEW")
    expectUsageError(try s.run(["copy"]), command: "copy", containing: "missing SOURCE")
    expectUsageError(try s.run(["exec", "dev"]), command: "exec", containing: "missing the command to run after '--'")
    expectUsageError(try s.run(["exec", "dev", "--"]), command: "exec", containing: "missing COMMAND")
    expectUsageError(try s.run(["exec", "--", "true"]), command: "exec", containing: "missing NAME")
    expectUsageError(try s.run(["env"]), command: "env", containing: "missing NAME")
    expectUsageError(try s.run(["list", "--json=yes"]), command: "list", containing: "--json takes no value")
    expectUsageError(try s.run(["list", "--json", "--json"]), command: "list", containing: "--json is given twice")
    expectUsageError(
      try s.run(["add", "x", "--server", "a", "--server", "b", "--no-auth"]), command: "add",
      containing: "--server is given twice")
    #expect(s.storeBytes() == before)
  }

  @Test func malformedAndConflictingOptions() throws {
    let s = try Sandbox()
    try s.addKey("dev")
    let before = s.storeBytes()
    expectUsageError(
      try s.run(["add", "x", "--server", "https://x.example.com", "--no-auth", "--env", "FOO"]), command: "add",
      containing: "--env needs NAME=VALUE, got 'FOO'")
    expectUsageError(try s.run(["set", "dev", "--env", "FOO"]), command: "set", containing: "--env needs NAME=VALUE")
    expectUsageError(
      try s.run(["add", "x", "--server", "https://x.example.com", "--no-auth", "--key-id", "k"]), command: "add",
      containing: "--key-id and --no-auth cannot be used together")
    expectUsageError(
      try s.run(["add", "x", "--server", "https://x.example.com", "--user-token", "--no-auth"]), command: "add",
      containing: "--user-token and --no-auth cannot be used together")
    expectUsageError(
      try s.run(["set", "dev", "--user-token", "--secret"]), command: "set", containing: "cannot be used together")
    expectUsageError(
      try s.run(["env", "dev", "--shell", "bash", "--format", "json"]), command: "env", containing: "cannot be used together")
    expectUsageError(try s.run(["env", "dev", "--unset"]), command: "env", containing: "give NAME or --unset, not both")
    expectUsageError(
      try s.run(["env", "dev", "--shell", "zhs"]), command: "env", containing: "unknown shell 'zhs'", suggestion: "zsh")
    // bsh is one edit from both bash and sh: a tie suggests nothing.
    expectUsageError(try s.run(["env", "dev", "--shell", "bsh"]), command: "env", containing: "unknown shell 'bsh'")
    expectUsageError(
      try s.run(["env", "dev", "--shell", "powershell"]), command: "env", containing: "unknown shell 'powershell'")
    expectUsageError(
      try s.run(["env", "dev", "--format", "jsno"]), command: "env", containing: "unknown format 'jsno'", suggestion: "json")
    #expect(s.storeBytes() == before)
  }

  @Test func unknownProfilesSuggestTheNearestName() throws {
    let s = try Sandbox()
    try s.addKey("staging")
    try s.addKey("prod")
    let before = s.storeBytes()
    expectUsageError(
      try s.run(["show", "stagign"]), command: "show", containing: "no profile named 'stagign'", suggestion: "staging")
    expectUsageError(try s.run(["remove", "prdo"]), command: "remove", containing: "no profile named 'prdo'", suggestion: "prod")
    expectUsageError(try s.run(["env", "prod1"]), command: "env", containing: "no profile named 'prod1'", suggestion: "prod")
    expectUsageError(
      try s.run(["exec", "staging2", "--", "true"]), command: "exec", containing: "'staging2'", suggestion: "staging")
    expectUsageError(
      try s.run(["use", "stging"], env: ["_CONDUCTOR_PROFILE_SHELL": "bash"]), command: "use", containing: "'stging'",
      suggestion: "staging")
    // Nothing close: no suggestion.
    expectUsageError(try s.run(["show", "development"]), command: "show", containing: "no profile named 'development'")
    expectUsageError(try s.run(["remove", "qa"]), command: "remove", containing: "no profile named 'qa'")
    #expect(s.storeBytes() == before)
  }
}
