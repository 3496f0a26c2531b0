/// Which names a profile's extra variables (`env`) may have: the one rule, applied wherever a profile
/// enters (`add`, `set`, `import`) or is used (every switch reads the profile through `Profile(json:)`),
/// and when a switch clears the previous profile's extras (only names a profile could have set).
///
/// A profile is data that people share (exports, dotfiles, a team's store). Its extra variables are
/// exported into an interactive shell, so a name that a shell, the dynamic loader or a language runtime
/// reads as code or start-up behaviour would let whoever wrote the profile run code in the shell of
/// whoever uses it. `docs/security.md` shows this table with its reasons.
public enum VariablePolicy {
  /// The longest value an extra variable may have (bytes of UTF-8).
  public static let maximumValueBytes = ReadLimit.variable.bytes

  /// A family of refused names: the patterns that match it, examples, and why it is refused.
  ///
  /// Patterns: `NAME` exactly; `PREFIX*` a name starting with PREFIX; `*SUFFIX` a name ending with
  /// SUFFIX; `PREFIX*SUFFIX` both; `PREFIX#` PREFIX followed by one or more digits.
  public struct Family: Sendable {
    public let family: String
    public let patterns: [String]
    /// Why, in a few words, for an error message.
    public let brief: String
    /// Why, in full, for docs/security.md.
    public let reason: String

    public func matches(_ name: String) -> Bool { patterns.contains { VariablePolicy.match(name, $0) } }
  }

  /// Every refused family, in the order `docs/security.md` lists them. Managed names come first, derived
  /// from `ManagedVariable.cleared`, so a variable the tool starts to manage is refused with no change here.
  public static let families: [Family] =
    [
      Family(
        family: "managed by conductor-profile",
        patterns: ManagedVariable.cleared + [
          "CONDUCTOR_AUTH_*", "CONDUCTOR_SERVER_AUTH_*", "CONDUCTOR_PROFILE_*", "_CONDUCTOR_PROFILE_*",
        ],
        brief: "a switch sets or clears it itself",
        reason:
          "a switch sets or clears these itself (server, credential, the tool's settings and the hook's private state); a profile that set one could point the credential at another server or turn the guard off"
      ),
      Family(
        family: "settings conductor-profile reads",
        patterns: ["XDG_*", "NO_COLOR"],
        brief: "conductor-profile reads it as a setting",
        reason: "they choose where the store, the trust file and the token cache are, and how output looks"
      ),
      Family(
        family: "prompts",
        patterns: ["PS#", "PROMPT*", "RPROMPT*", "RPS#", "SPROMPT", "POSTEDIT", "PROMPT_COMMAND"],
        brief: "a shell expands it as code at every prompt",
        reason:
          "bash expands PS0-PS4 and runs PROMPT_COMMAND at every prompt; zsh with prompt_subst runs $(…) in PROMPT, RPROMPT, SPROMPT: a value would run code at the next prompt"
      ),
      Family(
        family: "the shell's own state",
        patterns: [
          "BASH*", "SHELLOPTS", "POSIXLY_CORRECT", "HIST*", "TMOUT", "ZDOTDIR", "FPATH", "MODULE_PATH", "ENV", "PATH",
          "HOME", "IFS", "CDPATH", "SHELL", "PWD", "OLDPWD", "SHLVL", "MAIL", "MAILPATH", "MAILCHECK", "INPUTRC",
          "GLOBIGNORE", "EXECIGNORE", "FIGNORE", "COMP_*", "NULLCMD", "READNULLCMD", "ZSH*", "FISH*", "TERMINFO*", "TMPDIR",
        ],
        brief: "the shell reads it as options, start-up files or search paths",
        reason:
          "the shell reads them as options, start-up files, function and command search paths, word splitting or history (BASH_ENV and ENV name files a shell runs, BASHOPTS/SHELLOPTS turn on xtrace and more, TMOUT ends the shell); clearing them at the next switch would break the shell too"
      ),
      Family(
        family: "variables a shell or the session defines",
        patterns: [
          "ARGC", "LINENO", "RANDOM", "SRANDOM", "SECONDS", "EPOCHSECONDS", "EPOCHREALTIME", "ERRNO", "TTYIDLE",
          "UID", "EUID", "GID", "EGID", "USER", "USERNAME", "LOGNAME", "PPID", "GROUPS", "FUNCNAME", "DIRSTACK", "OPTIND",
          "OPTARG", "OPTERR", "REPLY", "PIPESTATUS", "COLUMNS", "LINES", "WORDCHARS", "KEYBOARD_HACK", "TERM", "LANG",
          "LANGUAGE", "LC_*", "TZ", "DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS",
        ],
        brief: "a shell or the session gives it a meaning of its own",
        reason:
          "zsh and bash make some read-only or special (ARGC, RANDOM, SECONDS, UID): a switch could not apply, or would change how the shell behaves; the others describe the session (TERM, LANG, DISPLAY, the D-Bus address a keyring is reached at), and the next switch would unset the user's own value"
      ),
      Family(
        family: "the dynamic loader and the C library",
        patterns: ["LD_*", "DYLD_*", "GCONV_PATH", "GLIBC_TUNABLES", "LOCPATH", "NLSPATH", "MALLOC_*"],
        brief: "it loads code into every program the shell starts",
        reason:
          "LD_PRELOAD, LD_AUDIT, LD_LIBRARY_PATH, DYLD_INSERT_LIBRARIES and GCONV_PATH load a library of the writer's choosing into every program the shell starts"
      ),
      Family(
        family: "interpreter start-up hooks",
        patterns: [
          "PYTHON*", "PERL*", "NODE_OPTIONS", "NODE_PATH", "NODE_REPL_EXTERNAL_MODULE", "NODE_EXTRA_CA_CERTS",
          "NODE_TLS_REJECT_UNAUTHORIZED", "RUBYOPT", "RUBYLIB", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS",
          "JAVA_OPTS", "CLASSPATH", "MAVEN_OPTS", "GRADLE_OPTS", "DOTNET_STARTUP_HOOKS", "CORECLR_*", "LUA_INIT*",
          "LUA_PATH*", "LUA_CPATH*", "PHPRC", "PHP_INI_SCAN_DIR", "R_PROFILE*", "R_ENVIRON*", "ERL_*FLAGS", "GOFLAGS",
          "TCLLIBPATH",
        ],
        brief: "a language runtime loads or runs code from it at start-up",
        reason:
          "Python, Perl, Node.js, Ruby, the JVM, .NET, Lua, PHP, R, Erlang and Go read these at start-up to load or run code (PYTHONSTARTUP, PERL5OPT=-Mmodule, NODE_OPTIONS=--require, JAVA_TOOL_OPTIONS=-javaagent) — an SDK worker started from the shell would run it"
      ),
      Family(
        family: "commands other programs run",
        patterns: [
          "*_COMMAND", "*ASKPASS", "*EDITOR", "VISUAL", "*PAGER", "BROWSER", "TERMINAL", "LESSOPEN", "LESSCLOSE", "LESSKEY*",
          "GIT_*", "SSH_AUTH_SOCK", "KUBECONFIG", "DOCKER_HOST", "DOCKER_CONFIG",
        ],
        brief: "other programs run the command it names",
        reason:
          "git, ssh, less, man, sudo and others run the command these name (GIT_SSH_COMMAND, EDITOR, PAGER, LESSOPEN) or load a configuration that runs one (GIT_CONFIG_*, KUBECONFIG)"
      ),
      Family(
        family: "where network traffic goes and whom it trusts",
        patterns: ["*_PROXY", "SSL_CERT_*", "*_CA_BUNDLE", "CURL_HOME", "WGETRC"],
        brief: "it redirects or weakens the connection the secret travels over",
        reason:
          "HTTPS_PROXY and a replaced CA bundle send the secret a profile exports through a machine of the writer's choosing"
      ),
      Family(
        family: "TLS libraries",
        patterns: ["OPENSSL_*", "SSLKEYLOGFILE"],
        brief: "a TLS library loads code from it or writes the session keys where it says",
        reason:
          "OpenSSL reads the configuration file OPENSSL_CONF names, which can load engines and providers (code) into curl, Python and every program linked with it; OPENSSL_MODULES names where it loads them from; SSLKEYLOGFILE makes curl, Python, Node.js and browsers write every TLS session key to a file of the writer's choosing, so recorded traffic carrying the secret can be decrypted"
      ),
      Family(
        family: "name resolution",
        patterns: ["HOSTALIASES", "RES_OPTIONS", "LOCALDOMAIN"],
        brief: "it changes which host a server name reaches",
        reason:
          "the C library's resolver reads them: HOSTALIASES names a file that maps one host name to another, LOCALDOMAIN and RES_OPTIONS change the search domains and how names are looked up, so a profile's server name could reach a host of the writer's choosing with the secret"
      ),
      Family(
        family: "secret stores and keys",
        patterns: ["PASSWORD_STORE_*", "GNUPGHOME", "GPG_*", "KRB5*"],
        brief: "it changes where a secret store reads and writes secrets, or runs code from it",
        reason:
          "pass reads PASSWORD_STORE_DIR (which store), PASSWORD_STORE_GPG_OPTS and PASSWORD_STORE_EXTENSIONS_DIR (scripts it runs); GNUPGHOME and GPG_AGENT_INFO choose the keyring and the agent gpg talks to; KRB5CCNAME and KRB5_CONFIG choose Kerberos credentials and a configuration that loads plugins: a profile setting them could make the next secret read or write go elsewhere, or run code"
      ),
    ]

  /// The family that refuses `name`, or nil when a profile may set it (it must also be `[A-Z_][A-Z0-9_]*`).
  public static func refusal(_ name: String) -> Family? {
    families.first { $0.matches(name) }
  }

  /// Whether `name` has the shape of an extra variable: upper-case letters, digits and `_`, not starting
  /// with a digit. Lower-case names are a shell's own variables (fish's `fish_user_paths`, zsh's `fpath`).
  public static func isUpperCaseName(_ name: String) -> Bool {
    guard let first = name.utf8.first, first == UInt8(ascii: "_") || (first >= 0x41 && first <= 0x5A) else { return false }
    return name.utf8.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: "_") }
  }

  /// Whether a switch may export (and later clear) `name` as a profile's extra variable.
  public static func allows(_ name: String) -> Bool { isUpperCaseName(name) && refusal(name) == nil }

  /// `PREFIX*`, `*SUFFIX`, `PREFIX#` or an exact name (see `Family`).
  static func match(_ name: String, _ pattern: String) -> Bool {
    if pattern.hasPrefix("*") { return name.hasSuffix(pattern.dropFirst()) }
    if pattern.hasSuffix("*") { return name.hasPrefix(pattern.dropLast()) }
    // `ERL_*FLAGS`: a prefix and a suffix.
    if let star = pattern.firstIndex(of: "*") {
      let head = pattern[..<star]
      let tail = pattern[pattern.index(after: star)...]
      return name.count >= head.count + tail.count && name.hasPrefix(head) && name.hasSuffix(tail)
    }
    if pattern.hasSuffix("#") {
      let prefix = pattern.dropLast()
      guard name.hasPrefix(prefix) else { return false }
      let rest = name.utf8.dropFirst(prefix.utf8.count)
      return !rest.isEmpty && rest.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }
    return name == pattern
  }
}

/// Validates an extra variable of a profile's `env`: its name (`VariablePolicy`) and its value (no NUL,
/// at most 32 KiB). Every entry point calls this: `--env` of add and set, import, and the store reader.
package func validateExtraVariable(name: String, value: String) throws(Failure) {
  guard VariablePolicy.isUpperCaseName(name) else {
    throw .invalid(.variableName(name))
  }
  if let family = VariablePolicy.refusal(name) {
    throw .invalid(.variableRefused(name, family: family.family, why: family.brief))
  }
  if value.utf8.contains(0) { throw .invalid(.variableNUL(name)) }
  if value.utf8.count > VariablePolicy.maximumValueBytes {
    throw .invalid(.variableTooLong(name, bytes: value.utf8.count, limit: VariablePolicy.maximumValueBytes))
  }
}
