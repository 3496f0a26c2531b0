import Glibc

/// The switch every terminal runs, done before the full program starts: `env NAME [--shell SHELL]`
/// and, through the hook, `use NAME` (and `use` as a shell starts, for the default profile).
///
/// A switch is measured against starting `/bin/true` (docs/benchmarks.md), and the full program spends
/// most of its time on what Swift builds at run time the first time it is used (the type metadata of
/// each kind of array and dictionary, the environment as a dictionary, the store as a tree). This reads
/// the environment, the arguments and the store as bytes, and writes the same code the full program
/// writes. Whenever the case is not plain — anything to say on standard error (an error, a warning, a
/// notice), a user token (the guard decides), text it does not read itself (an escape, a byte that is not
/// ASCII) — it returns having done nothing that shows, and the full program runs as if it had not been
/// here. QuickSwitchTests runs both on the same input and requires the same bytes.
public enum QuickSwitch {
  /// Writes the switch's code and exits 0 when the case is plain; returns otherwise, having written nothing.
  public static func runIfPlain(
    _ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
    _ environment: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
  ) {
    guard let code = output(argc: Int(argc), argv: argv, environment: environment) else { return }
    var written = 0
    while written < code.count {
      let n = write(1, code.base + written, code.count - written)
      if n < 0 && errno == EINTR { continue }
      // As the full program: a closed standard output is not an error of the switch.
      if n <= 0 { break }
      written += n
    }
    exit(0)
  }

  /// What a plain switch prints, or nil when the full program must run.
  static func output(
    argc: Int, argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
    environment: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
  ) -> ByteOutput? {
    let env = QuickEnvironment(entries: environment)
    func argument(_ index: Int) -> ByteSpan? {
      guard index < argc, let word = argv[index] else { return nil }
      return ByteSpan(cString: word)
    }
    guard let command = argument(1) else { return nil }
    // A profile name given as an argument: not an option (nor `-`, the previous profile).
    func isName(_ word: ByteSpan?) -> Bool { word.map { $0.count > 0 && $0[0] != UInt8(ascii: "-") } ?? false }

    let shell: ShellSyntax
    let name: ByteSpan?
    let hook: Bool
    if command.equals("env") {
      hook = false
      if argc == 3, isName(argument(2)) {
        shell = .sh
        name = argument(2)
      } else if argc == 5, let option = argument(3), option.equals("--shell"), isName(argument(2)),
        let given = argument(4).flatMap(QuickSwitch.shell)
      {
        shell = given
        name = argument(2)
      } else if argc == 5, let option = argument(2), option.equals("--shell"), isName(argument(4)),
        let given = argument(3).flatMap(QuickSwitch.shell)
      {
        shell = given
        name = argument(4)
      } else {
        return nil
      }
    } else if command.equals("use") {
      hook = true
      // Through the hook only: it says which shell (never sh).
      guard let given = env.value("_CONDUCTOR_PROFILE_SHELL").flatMap(QuickSwitch.shell), given != .sh else { return nil }
      shell = given
      if argc == 3, isName(argument(2)) {
        name = argument(2)
      } else if argc == 2, let startup = env.value("_CONDUCTOR_PROFILE_STARTUP"), startup.equals("1") {
        name = nil  // the store's default, read below
      } else {
        return nil
      }
    } else {
      return nil
    }

    // What would print a warning or fail before the store is read: the full program says it.
    if let mode = env.value("CONDUCTOR_PROFILE_GUARD"), mode.count > 0, !mode.equals("warn"), !mode.equals("block") {
      return nil
    }
    // Variables from other tools a switch clears, with a notice on standard error.
    if env.value("CONDUCTOR_PROFILE") != nil || env.value("CONDUCTOR_SERVER_AUTH_KEY") != nil
      || env.value("CONDUCTOR_SERVER_AUTH_SECRET") != nil
    {
      return nil
    }

    guard let path = storePath(env) else { return nil }
    let read: StoreText
    switch readStore(path) {
    case .missing:
      // As a shell starts without a store: nothing to switch to, nothing printed. Otherwise, no such profile.
      return name == nil ? ByteOutput(capacity: 16) : nil
    case .failed:
      return nil
    case .read(let bytes):
      read = bytes
    }
    defer { read.release() }
    let text = read.span
    guard let store = QuickStore.read(text, profile: name) else { return nil }
    guard let name else {
      // `use` as a shell starts: the default profile, when the store names one (read again for it).
      guard let fallback = store.defaultName else { return ByteOutput(capacity: 16) }
      guard isName(fallback) else { return nil }
      return code(to: fallback, in: QuickStore.read(text, profile: fallback), shell: shell, hook: hook, env: env)
    }
    return code(to: name, in: store, shell: shell, hook: hook, env: env)
  }

  /// The code for a switch to the profile `name` of `store`, when it is plain.
  private static func code(
    to name: ByteSpan, in store: QuickStore?, shell: ShellSyntax, hook: Bool, env: QuickEnvironment
  ) -> ByteOutput? {
    guard let store, let target = store.target, let profile = QuickProfile(target),
      let production = isProduction(profile, store)
    else { return nil }
    return render(name: name, profile: profile, production: production, shell: shell, hook: hook, env: env)
  }

  static func shell(_ word: ByteSpan) -> ShellSyntax? {
    if word.equals("bash") { return .bash }
    if word.equals("zsh") { return .zsh }
    if word.equals("fish") { return .fish }
    if word.equals("sh") { return .sh }
    return nil
  }

  /// `Target.production`: the profile's flag, or another profile flagging its server. Nil when a
  /// production server is not in normal form (the full program normalises it to compare).
  static func isProduction(_ profile: QuickProfile, _ store: QuickStore) -> Bool? {
    if profile.production { return true }
    for index in 0..<store.productionServers.count {
      let other = store.productionServers[index]
      if other.equals(profile.server) { return true }
      // A different server in normal form is another server.
      guard Server.isNormalForm(other.buffer) else { return nil }
    }
    return false
  }

  // MARK: The store

  /// `StoreFile(environment:)`'s path, when the variables it reads are plain text.
  static func storePath(_ env: QuickEnvironment) -> ByteOutput? {
    let path = ByteOutput(capacity: 256)
    if let explicit = env.value("CONDUCTOR_PROFILE_STORE"), explicit.count > 0 {
      path.append(explicit)
    } else if let config = env.value("XDG_CONFIG_HOME"), config.count > 0, config[0] == UInt8(ascii: "/") {
      path.append(config)
      path.append("/conductor-profile/profiles.json")
    } else if let home = env.value("HOME"), home.count > 0 {
      path.append(home)
      path.append("/.config/conductor-profile/profiles.json")
    } else {
      return nil
    }
    return path.span.isPlainASCII ? path : nil
  }

  enum StoreRead {
    case missing
    case failed
    case read(StoreText)
  }

  /// The store's bytes, checked as `StoreFile.loadIfPresent` checks the file and its directory;
  /// `.failed` for whatever the full program would refuse or report (and for a file that grows while read).
  static func readStore(_ path: ByteOutput) -> StoreRead {
    let bytes = path.span
    // The directory, as `Posix.dirname(of:)` makes it.
    let directory = ByteOutput(capacity: bytes.count + 1)
    var slash = bytes.count - 1
    while slash >= 0, bytes[slash] != UInt8(ascii: "/") { slash -= 1 }
    if slash < 0 {
      directory.append(UInt8(ascii: "."))
    } else {
      directory.append(ByteSpan(bytes.start, max(slash, 1)))
    }
    var st = stat()
    if directory.withCString({ stat($0, &st) }) == 0, st.st_mode & 0o002 != 0, st.st_mode & 0o1000 == 0 { return .failed }
    let fd = path.withCString { open($0, O_RDONLY | O_CLOEXEC) }
    if fd < 0 { return errno == ENOENT ? .missing : .failed }
    defer { close(fd) }
    guard fstat(fd, &st) == 0, st.st_mode & 0o077 == 0, st.st_size >= 0,
      var text = StoreText(capacity: Int(st.st_size) + 1)
    else { return .failed }
    while true {
      let n = read(fd, text.base + text.count, text.capacity - text.count)
      if n == 0 { return .read(text) }
      if n < 0 && errno == EINTR { continue }
      if n < 0 || text.count + n == text.capacity {
        text.release()
        return .failed
      }
      text.count += n
    }
  }

  // MARK: The code

  /// `Switch.changes`, written by the lines `ShellSyntax.render` writes with, and for `use` the hook's previous profile.
  static func render(
    name: ByteSpan, profile: QuickProfile, production: Bool, shell: ShellSyntax, hook: Bool, env: QuickEnvironment
  ) -> ByteOutput? {
    // The exports (`Switch.exports`): name, value, name, value…, sorted by name.
    let exports = SpanList(capacity: 32)
    func export(_ variable: StaticString, _ value: ByteSpan) {
      exports.append(ByteSpan(variable))
      exports.append(value)
    }
    export("CONDUCTOR_SERVER_URL", profile.server)
    export("CONDUCTOR_PROFILE_ACTIVE", name)
    export("CONDUCTOR_PROFILE_AUTH", profile.kind)
    if let id = profile.keyID, let secret = profile.keySecret {
      export("CONDUCTOR_AUTH_KEY", id)
      export("CONDUCTOR_AUTH_SECRET", secret)
    }
    if production { export("CONDUCTOR_PROFILE_PRODUCTION", ByteSpan("1")) }
    let extras = profile.extras
    extras.sort(groupsOf: 2)
    let names = ByteOutput(capacity: 64)
    for index in stride(from: 0, to: extras.count, by: 2) {
      exports.append(extras[index])
      exports.append(extras[index + 1])
      if names.count > 0 { names.append(UInt8(ascii: " ")) }
      names.append(extras[index])
    }
    export("CONDUCTOR_PROFILE_VARS", names.span)
    exports.sort(groupsOf: 2)

    // The names cleared first (`Switch.cleared`): the managed ones and the last profile's extras.
    let cleared = SpanList(capacity: 32)
    for index in 0..<ManagedVariable.clearedCount { cleared.append(ByteSpan(ManagedVariable.clearedName(index))) }
    if let previous = env.value("CONDUCTOR_PROFILE_VARS") {
      guard previous.isPlainASCII else { return nil }
      var start = 0
      while start < previous.count {
        var end = start
        while end < previous.count, previous[end] != UInt8(ascii: " ") { end += 1 }
        let word = ByteSpan(previous.start + start, end - start)
        if word.count > 0, isVariableName(word.buffer), !isReservedVariable(word.buffer), !cleared.contains(word) {
          cleared.append(word)
        }
        start = end + 1
      }
    }
    cleared.sort()

    let code = ByteOutput(capacity: 1024)
    var erased = false
    for index in 0..<cleared.count {
      let variable = cleared[index]
      var exported = false
      for e in stride(from: 0, to: exports.count, by: 2) where exports[e].equals(variable) { exported = true }
      if exported { continue }
      erased = true
      shell.appendChange(variable, nil, to: code)
    }
    for index in stride(from: 0, to: exports.count, by: 2) { shell.appendChange(exports[index], exports[index + 1], to: code) }
    shell.appendEnd(erased: erased, to: code)
    // Through the hook, the profile `use -` goes back to.
    if hook, let active = env.value("CONDUCTOR_PROFILE_ACTIVE"), active.count > 0, !active.equals(name) {
      guard active.isPlainASCII else { return nil }
      shell.appendPrivate(ByteSpan("_CONDUCTOR_PROFILE_PREVIOUS"), active, to: code)
    }
    // The value of CONDUCTOR_PROFILE_VARS is in `names`, which must live until it was copied.
    withExtendedLifetime(names) {}
    return code
  }
}

/// The process environment, read where it is: `Context.process` makes a dictionary of it, which is
/// most of the full program's start-up.
struct QuickEnvironment {
  let entries: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?

  /// The value of `name`: the last entry for it, as the dictionary the full program makes keeps. Nil when unset.
  func value(_ name: StaticString) -> ByteSpan? {
    guard let entries else { return nil }
    let wanted = ByteSpan(name)
    var found: ByteSpan? = nil
    var index = 0
    while let entry = entries[index] {
      let text = UnsafeRawPointer(entry).assumingMemoryBound(to: UInt8.self)
      if strncmp(entry, UnsafeRawPointer(wanted.start).assumingMemoryBound(to: CChar.self), wanted.count) == 0,
        text[wanted.count] == UInt8(ascii: "=")
      {
        found = ByteSpan(cString: entry + wanted.count + 1)
      }
      index += 1
    }
    return found
  }
}

/// The store's bytes, in memory of their own. A large store is read into pages mapped in one call
/// (MAP_POPULATE): with 10,000 profiles, taking 700 page faults one at a time was a third of a switch.
struct StoreText {
  let base: UnsafeMutablePointer<UInt8>
  /// One byte more than the file held when opened: a read that fills it means the file grew.
  let capacity: Int
  var count = 0
  private let mapped: Bool

  init?(capacity: Int) {
    self.capacity = capacity
    mapped = capacity >= 1 << 18
    if mapped {
      let pages = mmap(nil, capacity, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0)
      guard let pages, pages != UnsafeMutableRawPointer(bitPattern: -1) else { return nil }
      base = pages.assumingMemoryBound(to: UInt8.self)
    } else {
      guard let memory = malloc(capacity) else { return nil }
      base = memory.assumingMemoryBound(to: UInt8.self)
    }
  }

  var span: ByteSpan { ByteSpan(base, count) }

  func release() {
    if mapped { munmap(base, capacity) } else { free(base) }
  }
}
