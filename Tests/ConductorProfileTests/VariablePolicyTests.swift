import Foundation
import Testing

@testable import ConductorNetwork
@testable import ProfileCommands
@testable import ProfileModel
@testable import ShellOutput

/// Names from every refused family, as the contract and the issue list them, and lower-case shell variables.
let refusedVariableNames: [String] = [
  // managed
  "CONDUCTOR_SERVER_URL", "CONDUCTOR_AUTH_KEY", "CONDUCTOR_AUTH_SECRET", "CONDUCTOR_AUTH_TOKEN", "CONDUCTOR_PROFILE",
  "CONDUCTOR_SERVER_AUTH_KEY", "CONDUCTOR_PROFILE_ACTIVE", "CONDUCTOR_PROFILE_GUARD", "CONDUCTOR_PROFILE_STORE",
  "_CONDUCTOR_PROFILE_SHELL", "XDG_CONFIG_HOME", "NO_COLOR",
  // prompts
  "PS0", "PS1", "PS2", "PS3", "PS4", "PROMPT", "PROMPT2", "PROMPT_COMMAND", "RPROMPT", "RPROMPT2", "RPS1", "SPROMPT",
  // the shell
  "BASH_ENV", "BASHOPTS", "BASH_XTRACEFD", "BASH_COMPAT", "SHELLOPTS", "HISTFILE", "HISTCONTROL", "TMOUT", "ZDOTDIR",
  "FPATH", "ENV", "PATH", "HOME", "IFS", "CDPATH", "NULLCMD",
  // shell and session
  "ARGC", "RANDOM", "SECONDS", "UID", "TERM", "LANG", "LC_ALL", "DBUS_SESSION_BUS_ADDRESS",
  // loader
  "LD_PRELOAD", "LD_AUDIT", "LD_LIBRARY_PATH", "DYLD_INSERT_LIBRARIES", "GCONV_PATH", "GLIBC_TUNABLES",
  // interpreters
  "PYTHONSTARTUP", "PYTHONPATH", "PYTHONHOME", "PERL5OPT", "PERL5LIB", "PERLLIB", "NODE_OPTIONS", "RUBYOPT", "RUBYLIB",
  "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS", "DOTNET_STARTUP_HOOKS", "LUA_INIT", "ERL_AFLAGS", "GOFLAGS",
  // commands
  "GIT_SSH_COMMAND", "GIT_SSH", "GIT_CONFIG_PARAMETERS", "GIT_EDITOR", "EDITOR", "VISUAL", "PAGER", "MANPAGER", "BROWSER",
  "LESSOPEN", "SSH_ASKPASS", "SUDO_ASKPASS",
  // network
  "HTTPS_PROXY", "ALL_PROXY", "SSL_CERT_FILE", "REQUESTS_CA_BUNDLE",
  // TLS libraries, name resolution, secret stores and keys (issue 20)
  "OPENSSL_CONF", "OPENSSL_MODULES", "OPENSSL_ENGINES", "SSLKEYLOGFILE", "HOSTALIASES", "RES_OPTIONS", "LOCALDOMAIN",
  "PASSWORD_STORE_DIR", "PASSWORD_STORE_EXTENSIONS_DIR", "PASSWORD_STORE_GPG_OPTS", "GNUPGHOME", "GPG_AGENT_INFO",
  "GPG_TTY", "KRB5CCNAME", "KRB5_CONFIG", "KRB5_KTNAME",
  // not upper case: a shell's own variables
  "fish_user_paths", "fpath", "path", "Path", "ps1", "A-B", "1A", "",
]

@Suite struct VariablePolicyTests {
  /// A value that runs a command wherever a shell or a tool would evaluate it.
  static func payload(_ out: String) -> String { "$(touch \(out)/ran) `touch \(out)/ran`; touch \(out)/ran" }

  @Test(arguments: refusedVariableNames) func policyRefuses(name: String) {
    #expect(!VariablePolicy.allows(name))
    #expect(throws: Failure.self) { try validateExtraVariable(name: name, value: "x") }
  }

  @Test(arguments: ["CONDUCTOR_CLIENT_HTTP_TIMEOUT", "MY_TEAM", "X", "_X1", "WORKER_DOMAIN", "NODE_ENV", "PSQL_X"])
  func policyAllows(name: String) throws {
    #expect(VariablePolicy.allows(name))
    try validateExtraVariable(name: name, value: "x")
  }

  /// Every family's every pattern refuses a name made from it, and docs/security.md names it.
  @Test func everyPatternRefusesAndIsDocumented() throws {
    let docs = try String(
      contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/security.md"), encoding: .utf8)
    for family in VariablePolicy.families {
      #expect(docs.contains(family.family), "docs/security.md does not name the family '\(family.family)'")
      for pattern in family.patterns {
        let sample = pattern.replacingOccurrences(of: "*", with: "X").replacingOccurrences(of: "#", with: "7")
        #expect(VariablePolicy.refusal(sample)?.family == family.family, "\(sample) from \(pattern)")
        // Managed names come from ManagedVariable.cleared: the docs name the family, not each variable.
        if family.family != VariablePolicy.families[0].family {
          #expect(docs.contains("`\(pattern)`"), "docs/security.md does not list `\(pattern)`")
        }
      }
    }
    for managed in ManagedVariable.cleared { #expect(!VariablePolicy.allows(managed)) }
  }

  @Test func valuesAreLimited() throws {
    try validateExtraVariable(name: "A", value: String(repeating: "x", count: VariablePolicy.maximumValueBytes))
    #expect(throws: Failure.self) {
      try validateExtraVariable(name: "A", value: String(repeating: "x", count: VariablePolicy.maximumValueBytes + 1))
    }
    #expect(throws: Failure.self) { try validateExtraVariable(name: "A", value: "a\u{0}b") }
  }

  /// add --env, set --env and import file all refuse the name, and leave the store as it was.
  @Test(arguments: refusedVariableNames) func everyEntryPointRefuses(name: String) throws {
    let s = try Sandbox()
    try s.addKey("dev")
    let before = try #require(s.storeBytes())
    let value = Self.payload(s.root.path)
    var results = [
      try s.run(["add", "new", "--server", "https://x.example.com", "--no-auth", "--env", "\(name)=\(value)"]),
      try s.run(["set", "dev", "--env", "\(name)=\(value)"]),
    ]
    let export: [String: Any] = [
      "version": 1,
      "profiles": [
        "shared": ["server": "https://x.example.com/api", "auth": ["kind": "none"], "env": [name: value]]
      ],
    ]
    let file = s.root.appendingPathComponent("export.json")
    try JSONSerialization.data(withJSONObject: export).write(to: file)
    results.append(try s.run(["import", "file", file.path]))
    for r in results {
      #expect(r.status == 1, "\(r)")
      #expect(r.stdout.isEmpty, "\(r)")
      #expect(r.stderr.hasPrefix("error: "), "\(r)")
      #expect(r.stderr.contains(name.isEmpty ? "''" : name), "\(r)")
    }
    #expect(s.storeBytes() == before)
    #expect(!FileManager.default.fileExists(atPath: s.root.path + "/ran"))
  }

  /// A hand-edited store with such a name: every switch path refuses it, the shell stays as it was, nothing runs.
  @Test(arguments: HookShell.allCases) func handEditedStoreIsRefusedAtEverySwitch(shell: HookShell) throws {
    let s = try Sandbox()
    let names = refusedVariableNames.filter { !$0.isEmpty }
    var profiles: [String: Any] = ["ok": ["server": "https://ok.example.com/api", "auth": ["kind": "none"]]]
    for (i, name) in names.enumerated() {
      profiles["p\(i)"] = [
        "server": "https://x.example.com/api", "auth": ["kind": "none"], "env": [name: Self.payload("$OUT")],
      ]
    }
    let store = try JSONSerialization.data(withJSONObject: ["version": 1, "profiles": profiles], options: [.sortedKeys])
    try s.writeStore(String(decoding: store, as: UTF8.self))
    let indices = names.indices.map { "p\($0)" }.joined(separator: " ")
    let setup = shell == .zsh ? "setopt prompt_subst\n" : ""
    let loop =
      shell == .fish
      ? """
      for p in \(indices)
        conductor-profile use $p 2>>err; echo $status >> statuses
        conductor-profile exec $p -- true 2>>err; echo $status >> statuses
        conductor-profile env $p --shell fish 2>>err; echo $status >> statuses
      end
      """
      : """
      for p in \(indices); do
        conductor-profile use $p 2>>err; echo $? >> statuses
        conductor-profile exec $p -- true 2>>err; echo $? >> statuses
        conductor-profile env $p --shell \(shell) 2>>err; echo $? >> statuses
      done
      """
    let script = """
      \(setup)\(shell.load)
      conductor-profile use ok
      env -0 > before
      \(loop)
      env -0 > after
      """
    guard let r = try s.shell(shell, script) else { return }
    #expect(r.status == 0, "\(r)")
    let statuses = try s.outText("statuses").split(separator: "\n")
    #expect(statuses.count == names.count * 3)
    #expect(statuses.allSatisfy { $0 == "1" }, "\(statuses)")
    let before = try s.environmentDump("before")
    let after = try s.environmentDump("after")
    #expect(before == after)
    #expect(before["CONDUCTOR_PROFILE_ACTIVE"] == bytes("ok"))
    #expect(!FileManager.default.fileExists(atPath: s.out.path + "/ran"))
    let errors = try s.outText("err")
    for name in names { #expect(errors.contains(name), "no error names \(name)") }
  }

  /// A switch clears only names a profile could have set: a hand-made CONDUCTOR_PROFILE_VARS cannot unset PATH.
  @Test func clearingIgnoresRefusedNames() throws {
    let s = try Sandbox()
    let r = try s.run(["env", "--unset"], env: ["CONDUCTOR_PROFILE_VARS": "PATH LD_PRELOAD MY_VAR path PS1"])
    #expect(r.status == 0, "\(r)")
    #expect(r.stdout.contains("unset MY_VAR;\n"))
    for name in ["PATH", "LD_PRELOAD", "path", "PS1"] { #expect(!r.stdout.contains("unset \(name);")) }
  }
}

// Written for mutants of Tests/Support/mutants.txt that no earlier test killed (docs/mutations.md).
extension VariablePolicyTests {
  /// The names docs/security.md lists in its table of refused families, as written there (`NAME*` and `*NAME`
  /// made concrete with an X, `PS#` with a 7).
  static func documentedRefusedNames() throws -> [String] {
    let docs = try String(
      contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/security.md"), encoding: .utf8)
    let lines = docs.split(separator: "\n", omittingEmptySubsequences: false)
    let start = try #require(lines.firstIndex { $0.hasPrefix("| family | names |") })
    var names: [String] = []
    for line in lines[(start + 2)...] {
      guard line.hasPrefix("|") else { break }
      let cells = line.split(separator: "|", omittingEmptySubsequences: false)
      guard cells.count > 3 else { continue }
      for (i, part) in cells[2].split(separator: "`", omittingEmptySubsequences: false).enumerated() where i % 2 == 1 {
        names.append(part.replacingOccurrences(of: "*", with: "X").replacingOccurrences(of: "#", with: "7"))
      }
    }
    return names
  }

  /// P10-P15: the docs are the reference here, not the source's own table (a test that walks
  /// `VariablePolicy.families` cannot see a pattern deleted from it). Every name the table lists is refused.
  @Test func everyDocumentedNameIsRefused() throws {
    let names = try Self.documentedRefusedNames()
    #expect(names.count > 120, "\(names.count) names read from docs/security.md")
    for required in [
      "CONDUCTOR_AUTH_X", "CONDUCTOR_SERVER_AUTH_X", "MALLOC_X", "LOCPATH", "NLSPATH", "KUBECONFIG", "DOCKER_HOST",
      "DOCKER_CONFIG", "XDG_X", "PS7",
    ] {
      #expect(names.contains(required), "docs/security.md no longer lists \(required)")
    }
    let s = try Sandbox()
    try s.addKey("dev")
    let before = try #require(s.storeBytes())
    for name in names {
      let r = try s.run(["set", "dev", "--env", "\(name)=x"])
      #expect(r.status == 1, "\(name): \(r)")
      #expect(r.stdout == "", "\(name): \(r)")
      #expect(r.stderr.hasPrefix("error: a profile cannot set \(name) ("), "\(name): \(r)")
    }
    #expect(s.storeBytes() == before)
  }
}
