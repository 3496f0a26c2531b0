import Foundation
import Testing

/// env (golden outputs, real shells), exec (the child's environment, exit status) and current.
@Suite struct EnvExecCurrentTests {
  static let secret = #"s'e"c\r$(x)"#
  static let extras: [(String, String)] = [
    ("QUOTE", "it's"), ("SUBST", "$(echo pwned) `id`"), ("BACK", #"a\b\\c"#), ("NL", "line1\nline2"), ("UNI", "é😀"),
    ("EMPTY", ""),
  ]

  /// A key profile whose every value needs quoting.
  func fixture() throws -> Sandbox {
    let s = try Sandbox()
    try s.addKey(
      "dev", server: "https://dev.example.com", id: "id'1", secret: Self.secret,
      extra: Self.extras.flatMap { ["--env", "\($0.0)=\($0.1)"] })
    return s
  }

  static let posixGolden = #"""
    unset CONDUCTOR_AUTH_TOKEN;
    unset CONDUCTOR_PROFILE;
    unset CONDUCTOR_PROFILE_COLOR;
    unset CONDUCTOR_PROFILE_PRODUCTION;
    unset CONDUCTOR_PROFILE_SESSION_ENDS;
    unset CONDUCTOR_PROFILE_TOKEN_EXPIRES;
    unset CONDUCTOR_SERVER_AUTH_KEY;
    unset CONDUCTOR_SERVER_AUTH_SECRET;
    unset ORKES_PROFILE;
    export BACK='a\b\\c';
    export CONDUCTOR_AUTH_KEY='id'\''1';
    export CONDUCTOR_AUTH_SECRET='s'\''e"c\r$(x)';
    export CONDUCTOR_PROFILE_ACTIVE='dev';
    export CONDUCTOR_PROFILE_AUTH='key';
    export CONDUCTOR_PROFILE_VARS='BACK EMPTY NL QUOTE SUBST UNI';
    export CONDUCTOR_SERVER_TYPE='Enterprise';
    export CONDUCTOR_SERVER_URL='https://dev.example.com/api';
    export CONDUCTOR_UI_SERVER_URL='https://dev.example.com';
    export EMPTY='';
    export NL='line1
    line2';
    export QUOTE='it'\''s';
    export SUBST='$(echo pwned) `id`';
    export UNI='é😀';

    """#

  static let fishGolden = #"""
    set -e -g CONDUCTOR_AUTH_TOKEN;
    set -e -g CONDUCTOR_PROFILE;
    set -e -g CONDUCTOR_PROFILE_COLOR;
    set -e -g CONDUCTOR_PROFILE_PRODUCTION;
    set -e -g CONDUCTOR_PROFILE_SESSION_ENDS;
    set -e -g CONDUCTOR_PROFILE_TOKEN_EXPIRES;
    set -e -g CONDUCTOR_SERVER_AUTH_KEY;
    set -e -g CONDUCTOR_SERVER_AUTH_SECRET;
    set -e -g ORKES_PROFILE;
    set -gx BACK 'a\\b\\\\c';
    set -gx CONDUCTOR_AUTH_KEY 'id\'1';
    set -gx CONDUCTOR_AUTH_SECRET 's\'e"c\\r$(x)';
    set -gx CONDUCTOR_PROFILE_ACTIVE 'dev';
    set -gx CONDUCTOR_PROFILE_AUTH 'key';
    set -gx CONDUCTOR_PROFILE_VARS 'BACK EMPTY NL QUOTE SUBST UNI';
    set -gx CONDUCTOR_SERVER_TYPE 'Enterprise';
    set -gx CONDUCTOR_SERVER_URL 'https://dev.example.com/api';
    set -gx CONDUCTOR_UI_SERVER_URL 'https://dev.example.com';
    set -gx EMPTY '';
    set -gx NL 'line1
    line2';
    set -gx QUOTE 'it\'s';
    set -gx SUBST '$(echo pwned) `id`';
    set -gx UNI 'é😀';
    true;

    """#

  @Test(arguments: ["bash", "zsh", "sh", nil, "fish"])
  func envGolden(_ shell: String?) throws {
    let s = try fixture()
    let r = try s.run(["env", "dev"] + (shell.map { ["--shell", $0] } ?? []))
    #expect(r.status == 0 && r.stderr == "", "\(r)")
    #expect(r.stdout == (shell == "fish" ? Self.fishGolden : Self.posixGolden))
  }

  @Test func envFormats() throws {
    let s = try fixture()
    var r = try s.run(["env", "dev", "--format", "json"])
    #expect(r.status == 0 && r.stderr == "", "\(r)")
    #expect(
      r.stdout == #"""
        {
          "BACK" : "a\\b\\\\c",
          "CONDUCTOR_AUTH_KEY" : "id'1",
          "CONDUCTOR_AUTH_SECRET" : "s'e\"c\\r$(x)",
          "CONDUCTOR_PROFILE_ACTIVE" : "dev",
          "CONDUCTOR_PROFILE_AUTH" : "key",
          "CONDUCTOR_PROFILE_VARS" : "BACK EMPTY NL QUOTE SUBST UNI",
          "CONDUCTOR_SERVER_TYPE" : "Enterprise",
          "CONDUCTOR_SERVER_URL" : "https://dev.example.com/api",
          "CONDUCTOR_UI_SERVER_URL" : "https://dev.example.com",
          "EMPTY" : "",
          "NL" : "line1\nline2",
          "QUOTE" : "it's",
          "SUBST" : "$(echo pwned) `id`",
          "UNI" : "é😀"
        }

        """#)
    // No dotenv form carries a\b\\c for sh, python-dotenv and compose alike: refused, naming it
    // (DotenvTests reads the forms back with the real tools).
    r = try s.run(["env", "dev", "--format", "dotenv"])
    #expect(r.status == 1 && r.stdout == "", "\(r)")
    #expect(r.stderr.hasPrefix("error: BACK cannot be written to a dotenv file"), "\(r)")
  }

  @Test func envOfAUserTokenProfileOnProduction() throws {
    let s = try Sandbox()
    try s.addToken("play", server: "https://play.example.com", token: annToken, extra: ["--production"])
    let r = try s.run(["env", "play", "--shell", "bash"])
    #expect(r.status == 0, "\(r)")
    #expect(
      r.stdout == """
        unset CONDUCTOR_AUTH_KEY;
        unset CONDUCTOR_AUTH_SECRET;
        unset CONDUCTOR_PROFILE;
        unset CONDUCTOR_PROFILE_COLOR;
        unset CONDUCTOR_PROFILE_SESSION_ENDS;
        unset CONDUCTOR_SERVER_AUTH_KEY;
        unset CONDUCTOR_SERVER_AUTH_SECRET;
        unset ORKES_PROFILE;
        export CONDUCTOR_AUTH_TOKEN='\(annToken)';
        export CONDUCTOR_PROFILE_ACTIVE='play';
        export CONDUCTOR_PROFILE_AUTH='user-token';
        export CONDUCTOR_PROFILE_PRODUCTION='1';
        export CONDUCTOR_PROFILE_TOKEN_EXPIRES='4102444800';
        export CONDUCTOR_PROFILE_VARS='';
        export CONDUCTOR_SERVER_TYPE='Enterprise';
        export CONDUCTOR_SERVER_URL='https://play.example.com/api';
        export CONDUCTOR_UI_SERVER_URL='https://play.example.com';

        """)
  }

  @Test func envUnsetAndThePreviousExtras() throws {
    let s = try fixture()
    let previous = ["CONDUCTOR_PROFILE_VARS": "OLD1 PATH bad-name HOME OLD2 QUOTE"]
    var r = try s.run(["env", "--unset", "--shell", "bash"], env: previous)
    #expect(r.status == 0 && r.stderr == "", "\(r)")
    #expect(
      r.stdout == """
        unset CONDUCTOR_AUTH_KEY;
        unset CONDUCTOR_AUTH_SECRET;
        unset CONDUCTOR_AUTH_TOKEN;
        unset CONDUCTOR_PROFILE;
        unset CONDUCTOR_PROFILE_ACTIVE;
        unset CONDUCTOR_PROFILE_AUTH;
        unset CONDUCTOR_PROFILE_COLOR;
        unset CONDUCTOR_PROFILE_PRODUCTION;
        unset CONDUCTOR_PROFILE_SESSION_ENDS;
        unset CONDUCTOR_PROFILE_TOKEN_EXPIRES;
        unset CONDUCTOR_PROFILE_VARS;
        unset CONDUCTOR_SERVER_AUTH_KEY;
        unset CONDUCTOR_SERVER_AUTH_SECRET;
        unset CONDUCTOR_SERVER_TYPE;
        unset CONDUCTOR_SERVER_URL;
        unset CONDUCTOR_UI_SERVER_URL;
        unset OLD1;
        unset OLD2;
        unset ORKES_PROFILE;
        unset QUOTE;

        """)
    r = try s.run(["env", "--unset", "--shell", "fish"])
    #expect(
      r.stdout.hasPrefix("set -e -g CONDUCTOR_AUTH_KEY;\n") && r.stdout.hasSuffix("true;\n") && !r.stdout.contains("OLD1"), "\(r)"
    )
    // A switch clears the last profile's extras (not PATH or HOME), and does not unset what it exports again.
    r = try s.run(["env", "dev", "--shell", "bash"], env: previous)
    #expect(r.stdout.contains("unset OLD1;\nunset OLD2;\n"), "\(r)")
    #expect(!r.stdout.contains("unset PATH") && !r.stdout.contains("unset HOME") && !r.stdout.contains("bad-name"))
    #expect(!r.stdout.contains("unset QUOTE"))
  }

  @Test func envSaysInOneLineWhatForeignVariablesItClears() throws {
    let s = try fixture()
    var r = try s.run(["env", "dev"], env: ["CONDUCTOR_PROFILE": "work"])
    #expect(r.status == 0 && r.stdout == Self.posixGolden, "\(r)")
    #expect(
      r.stderr
        == "warning: cleared CONDUCTOR_PROFILE (CONDUCTOR_PROFILE selects a conductor CLI config file that would override the profile)\n"
    )
    r = try s.run(["env", "dev"], env: ["CONDUCTOR_SERVER_AUTH_KEY": "a", "CONDUCTOR_SERVER_AUTH_SECRET": "b"])
    #expect(
      r.stderr
        == "warning: cleared CONDUCTOR_SERVER_AUTH_KEY, CONDUCTOR_SERVER_AUTH_SECRET (the Java SDK falls back to CONDUCTOR_SERVER_AUTH_*)\n"
    )
    r = try s.run(["env", "dev"], env: ["CONDUCTOR_PROFILE": "", "CONDUCTOR_SERVER_AUTH_SECRET": "b"])
    #expect(
      r.stderr.split(separator: "\n").count == 1 && r.stderr.contains("CONDUCTOR_PROFILE, CONDUCTOR_SERVER_AUTH_SECRET"), "\(r)")
    // Our own variables from a previous switch are cleared silently.
    r = try s.run(["env", "dev"], env: ["CONDUCTOR_AUTH_TOKEN": "x", "CONDUCTOR_PROFILE_ACTIVE": "old"])
    #expect(r.stderr == "", "\(r)")
    // --format prints variables for a file, not a switch: no notice.
    r = try s.run(["env", "dev", "--format", "json"], env: ["CONDUCTOR_PROFILE": "work"])
    #expect(r.stderr == "", "\(r)")
  }

  /// Evaluates `env dev` in a real shell and reads every variable back, NUL-separated, byte for byte.
  func roundTrip(shell: String, arguments: [String], script: (String) -> String, syntax: String) throws {
    let s = try fixture()
    let names = Self.extras.map(\.0) + ["CONDUCTOR_AUTH_KEY", "CONDUCTOR_AUTH_SECRET", "CONDUCTOR_SERVER_URL"]
    let expected = Self.extras.map(\.1) + ["id'1", Self.secret, "https://dev.example.com/api"]
    let r = try s.execute(
      shell, arguments + [script(names.joined(separator: " "))],
      env: ["CONDUCTOR_PROFILE": "stale", "CONDUCTOR_AUTH_TOKEN": "stale", "CP_SYNTAX": syntax])
    #expect(r.status == 0, "\(r)")
    let values = r.stdout.split(separator: "\0", omittingEmptySubsequences: false).dropLast().map(String.init)
    #expect(values == expected + ["unset", "unset"], "\(shell): \(r)")
  }

  @Test func valuesSurviveBash() throws {
    guard let bash = try requireShell("bash") else { return }
    try roundTrip(
      shell: bash, arguments: ["--norc", "--noprofile", "-c"],
      script: { names in
        """
        eval "$(conductor-profile env dev --shell "$CP_SYNTAX")" || exit 9
        for n in \(names); do printf '%s\\0' "${!n}"; done
        printf '%s\\0' "${CONDUCTOR_PROFILE-unset}" "${CONDUCTOR_AUTH_TOKEN-unset}"
        """
      }, syntax: "bash")
  }

  @Test func valuesSurviveZsh() throws {
    guard let zsh = try requireShell("zsh") else { return }
    try roundTrip(
      shell: zsh, arguments: ["-f", "-c"],
      script: { names in
        """
        eval "$(conductor-profile env dev --shell "$CP_SYNTAX")" || exit 9
        for n in \(names); do printf '%s\\0' "${(P)n}"; done
        printf '%s\\0' "${CONDUCTOR_PROFILE-unset}" "${CONDUCTOR_AUTH_TOKEN-unset}"
        """
      }, syntax: "zsh")
  }

  @Test func valuesSurviveSh() throws {
    guard let sh = try requireShell("sh") else { return }
    try roundTrip(
      shell: sh, arguments: ["-c"],
      script: { names in
        """
        eval "$(conductor-profile env dev)" || exit 9
        for n in \(names); do eval "v=\\"\\${$n}\\""; printf '%s\\0' "$v"; done
        printf '%s\\0' "${CONDUCTOR_PROFILE-unset}" "${CONDUCTOR_AUTH_TOKEN-unset}"
        """
      }, syntax: "sh")
  }

  @Test func valuesSurviveFish() throws {
    guard let fish = try requireShell("fish") else { return }
    try roundTrip(
      shell: fish, arguments: ["--no-config", "-c"],
      script: { names in
        """
        # The sourced switch itself ends with a true status (fish's `set` keeps the status before it).
        conductor-profile env dev --shell $CP_SYNTAX | source; or exit 8
        test $pipestatus[1] = 0; or exit 9
        for n in \(names); printf '%s\\0' "$$n"; end
        set -q CONDUCTOR_PROFILE; and printf '%s\\0' $CONDUCTOR_PROFILE; or printf '%s\\0' unset
        set -q CONDUCTOR_AUTH_TOKEN; and printf '%s\\0' $CONDUCTOR_AUTH_TOKEN; or printf '%s\\0' unset
        """
      }, syntax: "fish")
  }

  // MARK: exec

  /// The child's environment, read with `env -0`.
  func childEnvironment(_ r: Sandbox.Result) -> [String: String] {
    var result: [String: String] = [:]
    for entry in r.stdout.split(separator: "\0") {
      guard let eq = entry.firstIndex(of: "=") else { continue }
      result[String(entry[..<eq])] = String(entry[entry.index(after: eq)...])
    }
    return result
  }

  @Test func execGivesTheChildExactlyTheProfile() throws {
    let s = try fixture()
    let outside = [
      "CONDUCTOR_PROFILE": "work", "CONDUCTOR_SERVER_AUTH_KEY": "old", "CONDUCTOR_PROFILE_VARS": "PREV", "PREV": "1",
      "CONDUCTOR_AUTH_TOKEN": "stale", "_CONDUCTOR_PROFILE_SHELL": "bash", "_CONDUCTOR_PROFILE_PREVIOUS": "x",
      "UNRELATED": "kept", "CONDUCTOR_OTHER": "kept too",
    ]
    let r = try s.run(["exec", "dev", "--", "/usr/bin/env", "-0"], env: outside)
    #expect(r.status == 0, "\(r)")
    #expect(r.stderr.hasPrefix("warning: cleared CONDUCTOR_PROFILE, CONDUCTOR_SERVER_AUTH_KEY ("), "\(r)")
    var expected = s.environment
    expected["UNRELATED"] = "kept"
    expected["CONDUCTOR_OTHER"] = "kept too"
    let json = try s.run(["env", "dev", "--format", "json"]).stdout
    let exports = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: String])
    expected.merge(exports) { $1 }
    #expect(childEnvironment(r) == expected)
  }

  @Test func execPassesArgumentsVerbatimAndReturnsTheChildsStatus() throws {
    let s = try fixture()
    var r = try s.run(["exec", "dev", "--", "sh", "-c", "exit 7"])
    #expect(r.status == 7, "\(r)")
    r = try s.run(["exec", "dev", "--", "sh", "-c", "printf '%s|' \"$@\"", "argv0", "a b", "--help", "", "$(x)"])
    #expect(r.status == 0 && r.stdout == "a b|--help||$(x)|", "\(r)")
    // Killed by a signal: the parent sees the signal, as if it had started the command itself.
    r = try s.run(["exec", "dev", "--", "sh", "-c", "kill -KILL $$"])
    #expect(r.status == 9, "\(r)")
  }

  /// As env(1), sudo and POSIX shells: 127 when COMMAND is not found, 126 when it is there but cannot run.
  @Test func execOfAMissingCommandIs127AndOfOneThatCannotRun126() throws {
    let s = try fixture()
    var r = try s.run(["exec", "dev", "--", "no-such-command-here", "x"])
    #expect(r.status == 127 && r.stdout == "", "\(r)")
    #expect(r.stderr == "error: cannot run 'no-such-command-here': command not found\n", "\(r)")
    r = try s.run(["exec", "dev", "--", "/nonexistent/prog"])
    #expect(r.status == 127 && r.stderr == "error: cannot run '/nonexistent/prog': command not found\n", "\(r)")
    let notExecutable = s.root.appendingPathComponent("plain").path
    _ = FileManager.default.createFile(atPath: notExecutable, contents: Data("x".utf8), attributes: [.posixPermissions: 0o644])
    r = try s.run(["exec", "dev", "--", notExecutable])
    #expect(r.status == 126 && r.stdout == "", "\(r)")
    #expect(r.stderr == "error: cannot run '\(notExecutable)': \(notExecutable) is not an executable file\n", "\(r)")
    // A directory of that name on PATH cannot run either; an executable later on PATH is found.
    let bin = s.root.appendingPathComponent("bin").path
    try FileManager.default.createDirectory(atPath: bin + "/tool", withIntermediateDirectories: true)
    r = try s.run(["exec", "dev", "--", "tool"], env: ["PATH": bin])
    #expect(r.status == 126 && r.stderr == "error: cannot run 'tool': \(bin)/tool is not an executable file\n", "\(r)")
    let later = s.root.appendingPathComponent("later").path
    try FileManager.default.createDirectory(atPath: later, withIntermediateDirectories: true)
    _ = FileManager.default.createFile(
      atPath: later + "/tool", contents: Data("#!/bin/sh\nexit 5\n".utf8), attributes: [.posixPermissions: 0o755])
    r = try s.run(["exec", "dev", "--", "tool"], env: ["PATH": "\(bin):\(later)"])
    #expect(r.status == 5 && r.stderr == "", "\(r)")
    // A relative or empty PATH entry is never searched (the current directory's files do not run).
    r = try s.execute(
      "/bin/sh", ["-c", "cd \"$0\" && exec \"$1\" exec dev -- tool", s.root.path, Sandbox.program], env: ["PATH": ":later:."])
    #expect(r.status == 127, "\(r)")
  }

  // MARK: current

  /// The variables a switch to `name` leaves in a shell.
  func switched(_ s: Sandbox, _ name: String) throws -> [String: String] {
    let json = try s.run(["env", name, "--format", "json"]).stdout
    return try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: String])
  }

  @Test func currentWithNoProfile() throws {
    let s = try fixture()
    var r = try s.run(["current"])
    #expect(r.status == 1 && r.stdout == "", "\(r)")
    #expect(r.stderr == "error: no profile is active in this shell; switch with: conductor-profile use NAME\n")
    r = try s.run(["current", "--json"])
    #expect(r.status == 1 && r.stdout == "null\n", "\(r)")
  }

  @Test func currentNamesTheActiveProfile() throws {
    let s = try fixture()
    let env = try switched(s, "dev")
    var r = try s.run(["current"], env: env)
    #expect(r.status == 0 && r.stdout == "dev\n" && r.stderr == "", "\(r)")
    r = try s.run(["current", "--json"], env: env)
    #expect(
      r.stdout == """
        {
          "auth" : "key",
          "changed" : [],
          "exists" : true,
          "name" : "dev",
          "production" : false,
          "server" : "https://dev.example.com/api"
        }

        """, "\(r)")
  }

  @Test func currentReportsDrift() throws {
    let s = try fixture()
    var env = try switched(s, "dev")
    env["CONDUCTOR_SERVER_URL"] = "https://elsewhere.example.com/api"
    env["CONDUCTOR_PROFILE"] = "cli"
    env["QUOTE"] = nil
    var r = try s.run(["current"], env: env)
    #expect(r.status == 0 && r.stdout == "dev\n", "\(r)")
    #expect(
      r.stderr
        == "warning: CONDUCTOR_PROFILE, CONDUCTOR_SERVER_URL, QUOTE differ from profile 'dev' (changed by hand since the switch, or the profile was edited); switch again with: conductor-profile use dev\n"
    )
    r = try s.run(["current", "--json"], env: env)
    #expect(
      r.stdout.contains("\"changed\" : [\n    \"CONDUCTOR_PROFILE\",\n    \"CONDUCTOR_SERVER_URL\",\n    \"QUOTE\"\n  ]"), "\(r)")
    // The profile edited since the switch counts too.
    env = try switched(s, "dev")
    _ = try s.run(["set", "dev", "--production"])
    r = try s.run(["current"], env: env)
    #expect(r.stderr.contains("CONDUCTOR_PROFILE_PRODUCTION differs from profile 'dev'"), "\(r)")
  }

  @Test func currentReportsADeletedProfile() throws {
    let s = try fixture()
    let env = try switched(s, "dev")
    _ = try s.run(["remove", "dev"])
    var r = try s.run(["current"], env: env)
    #expect(r.status == 0 && r.stdout == "dev\n", "\(r)")
    #expect(r.stderr.hasPrefix("warning: profile 'dev' no longer exists in the store;"), "\(r)")
    r = try s.run(["current", "--json"], env: env)
    #expect(r.stdout.contains("\"exists\" : false"), "\(r)")
  }
}
