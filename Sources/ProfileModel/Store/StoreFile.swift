import Platform
import ShellOutput

/// The store on disk: where it is, who may read it, and how it changes without losing an update.
public struct StoreFile: Sendable {
  public let path: String
  public var directory: String { Posix.dirname(of: path) }
  package var lockPath: String { path + ".lock" }

  public init(path: String) { self.path = path }

  /// `$CONDUCTOR_PROFILE_STORE`, else `$XDG_CONFIG_HOME/conductor-profile/profiles.json`,
  /// else `$HOME/.config/conductor-profile/profiles.json`.
  public init(environment: [String: String]) throws(Failure) {
    if let explicit = environment["CONDUCTOR_PROFILE_STORE"], !explicit.isEmpty {
      path = explicit
    } else if let config = environment["XDG_CONFIG_HOME"], config.hasPrefix("/") {
      path = config + "/conductor-profile/profiles.json"
    } else if let home = environment["HOME"], !home.isEmpty {
      path = home + "/.config/conductor-profile/profiles.json"
    } else {
      throw .error("cannot find the profile store: HOME is not set; set HOME or CONDUCTOR_PROFILE_STORE")
    }
  }

  // MARK: Reading

  /// The store, or an empty one when the file does not exist yet.
  public func load() throws(Failure) -> Store {
    try loadIfPresent() ?? Store()
  }

  /// The store, or nil when the file does not exist.
  public func loadIfPresent() throws(Failure) -> Store? {
    try checkDirectory()
    try checkKind()
    let opened: (fd: Int32, mode: FileMode)?
    do throws(SystemError) { opened = try BoundedRead.open(path) } catch {
      throw .file(path, .readStore, errno: error.code)
    }
    guard let (fd, mode) = opened else { return nil }
    defer { System.close(fd) }
    try checkFileMode(mode)
    return try decode(try Posix.readOpened(fd, path: path, limit: .store))
  }

  package func decode(_ bytes: [UInt8]) throws(Failure) -> Store {
    let parsed: ParsedStore
    do throws(JSONSyntaxError) {
      parsed = try JSON.parseStore(bytes)
    } catch {
      throw .document(.store(path: path), .syntax(error))
    }
    do throws(Failure) {
      return try Store(text: bytes, json: parsed.json, located: parsed.profiles)
    } catch {
      throw .document(.store(path: path), .invalid(error))
    }
  }

  // MARK: Permissions

  /// The problems with the store's permissions, each with the `chmod` that mends it.
  public func permissionProblems() -> [(problem: String, fix: [String])] {
    var problems: [Invalid] = []
    if let mode = Posix.mode(of: directory), mode & 0o002 != 0, mode & 0o1000 == 0 {
      problems.append(.storeDirectoryWritable(directory: directory))
    }
    if kindProblem() == nil, let mode = Posix.mode(of: path), mode & 0o077 != 0 {
      problems.append(.storeFileMode(path: path, mode: mode & 0o777))
    }
    return problems.map { ($0.description, $0.chmod ?? []) }
  }

  func checkDirectory() throws(Failure) {
    if let mode = Posix.mode(of: directory), mode & 0o002 != 0, mode & 0o1000 == 0 {
      throw .invalid(.storeDirectoryWritable(directory: directory))
    }
  }

  func checkFileMode(_ mode: FileMode) throws(Failure) {
    if mode & 0o077 != 0 { throw .invalid(.storeFileMode(path: path, mode: mode & 0o777)) }
  }

  // MARK: Writing

  /// Changes the store under an exclusive lock: re-read, apply `change`, write a new file and rename it
  /// over the old one. Nothing is written when `change` throws or changes nothing.
  @discardableResult
  public func update<T>(_ change: (inout Store) throws(Failure) -> T) throws(Failure) -> T {
    try Posix.makeDirectories(directory)
    try checkDirectory()
    try checkKind()
    let lock = try StoreFile.lock(lockPath)
    defer { System.close(lock) }  // closing releases the lock
    let before = try Posix.readFile(path, limit: .store)
    if before != nil, let mode = Posix.mode(of: path) { try checkFileMode(mode) }
    var store = try before.map { bytes throws(Failure) in try decode(bytes) } ?? Store()
    try store.checkWritable(path: path)
    let result = try change(&store)
    let after = Array(store.json().pretty().utf8)
    if after != before {
      removeStaleTemporaryFiles()
      try Posix.writeAtomically(after, to: try writeTarget())
    }
    return result
  }

  /// Removes the temporary files (`.profiles.json.PID.N.tmp`) of writers killed before their rename.
  /// Called under the lock: only a writer holding it makes one, so any found then is stale.
  func removeStaleTemporaryFiles() {
    let prefix = "." + Posix.basename(of: path) + "."
    for name in System.names(in: directory) ?? [] where name.hasPrefix(prefix) && name.hasSuffix(".tmp") {
      System.remove(directory + "/" + name)
    }
  }
}

extension StoreFile {
  /// Takes the exclusive lock on `path` (a lock file beside the file it guards), waiting for it. Returns the
  /// descriptor: closing it releases the lock. The store and the trust file (DirectoryTrust.swift) use it.
  static func lock(_ path: String) throws(Failure) -> Int32 {
    do throws(SystemError) { return try System.lock(path) } catch { throw Failure(error) }
  }
}
