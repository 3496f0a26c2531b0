import Platform
import ShellOutput

/// A `.conductor-profile` file: the profile it names for its directory tree, and the hash of its bytes.
/// Only the first line is read as a name; the file never holds a secret.
package struct DirectoryFile {
  package static let fileName = ".conductor-profile"
  /// A name is at most 64 bytes: a larger file is a mistake (or not ours), refused before it is read.
  static let maxSize = ReadLimit.directoryFile.bytes

  /// The path as found (as the shell spells `$PWD`: symbolic links kept).
  package let path: String
  /// What the trust file remembers: the real path of the file's directory, then the file's name. A
  /// symbolic link named `.conductor-profile` is keyed by where the link is, never by its target.
  package let key: String
  package let profileName: String
  /// `sha256:` and the hex digest of the whole file.
  package let hash: String
  package var directory: String { Posix.dirname(of: path) }

  /// The file checked and named: `load`, then the name on its first line. For `allow`, which shows
  /// the name of the file the user asks to trust; a switch checks trust between the two (`load`, `named`).
  package static func read(_ path: String) throws(Failure) -> DirectoryFile {
    try load(path).named()
  }

  /// The file's bytes and hash, nothing read from them yet: a regular file (a FIFO, device or
  /// directory is refused at once, without blocking) of at most `maxSize` bytes, read no further
  /// than `maxSize + 1` (a file in /proc reports a size of 0).
  package static func load(_ path: String) throws(Failure) -> Contents {
    let shown = shownText(path)
    // O_NONBLOCK: a FIFO put there by someone else cannot stop the switch.
    let bytes: [UInt8]
    do throws(BoundedRead.Problem) {
      guard let read = try BoundedRead.file(path, limit: maxSize) else {
        throw .system(SystemError(path, .read, code: System.notFound))
      }
      bytes = read
    } catch {
      switch error {
      case .system(let e): throw .file(path, .read, errno: e.code)
      case .notRegular: throw .invalid(.directoryFileNotRegular(path: shown))
      case .tooLarge: throw .invalid(.directoryFileTooLarge(path: shown, limit: maxSize))
      }
    }
    return Contents(path: path, key: key(for: path), hash: "sha256:" + SHA256.hex(bytes), bytes: bytes)
  }

  /// A `.conductor-profile` file read but not yet named: what a trust check compares (its hash), before
  /// a byte of it is interpreted or shown.
  package struct Contents {
    package let path: String
    package let key: String
    package let hash: String
    let bytes: [UInt8]
    package var directory: String { Posix.dirname(of: path) }

    /// The profile name on the first line (blanks around it dropped). The line itself is never shown:
    /// whatever was put there by mistake (a token, say) stays off the screen.
    package func named() throws(Failure) -> DirectoryFile {
      var line = Array(bytes.prefix { $0 != UInt8(ascii: "\n") })
      while let last = line.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") || last == UInt8(ascii: "\r") {
        line.removeLast()
      }
      while let first = line.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") { line.removeFirst() }
      let text = String(decoding: line, as: UTF8.self)
      guard (try? ProfileName(validating: text)) != nil else {
        throw .invalid(.directoryFileName(path: shownText(path)))
      }
      return DirectoryFile(path: path, key: key, profileName: text, hash: hash)
    }
  }

  /// The trust file's key for a file path: its directory's real path (when it exists) and its name.
  package static func key(for path: String) -> String {
    let directory = Posix.dirname(of: path)
    guard let real = System.realPath(directory) else { return path }
    return (real == "/" ? "" : real) + "/" + Posix.basename(of: path)
  }

  /// The nearest `.conductor-profile` at or above `directory` (an absolute path), as the hook finds it.
  package static func nearest(from directory: String) -> String? {
    var dir = directory == "/" ? "" : directory
    while true {
      let candidate = dir + "/" + fileName
      if let mode = Posix.mode(of: candidate), FileKind(mode: mode) == .regular { return candidate }
      if dir.isEmpty { return nil }
      dir = Posix.dirname(of: dir)
      if dir == "/" { dir = "" }
    }
  }
}

/// The trust file beside the store: the `.conductor-profile` files `allow` trusted, by key and content
/// hash; the secret commands this user approved (`CommandApproval`), by profile and the hash of the
/// profile's name and vector; the team catalogs synced (`catalog sync`), by path and content hash.
/// Written as the store is (lock, re-read, temporary file, rename), mode 0600.
///
///     { "catalogs" : { "/srv/team/catalog.json" : "sha256:…" },
///       "commands" : { "sha256:…" : "ci" },
///       "trusted" : { "/home/ann/src/api/.conductor-profile" : "sha256:…" }, "version" : 1 }
package struct TrustFile {
  /// The kinds of trust the file keeps, each its own object.
  package enum Section: String, Sendable {
    /// `.conductor-profile` files (`allow`).
    case directories = "trusted"
    /// Secret commands (`allow --command`, or given to `add`/`set` by this user).
    case commands
    /// Team catalogs (`catalog add`, `catalog sync`).
    case catalogs
  }

  package static let fileName = "trusted-directories.json"
  package let store: StoreFile
  package var path: String { store.directory + "/" + TrustFile.fileName }

  package init(store: StoreFile) { self.store = store }
  package var lockPath: String { path + ".lock" }

  /// Trusted keys and their hashes (empty when there is no trust file yet).
  package func load(_ section: Section = .directories) throws(Failure) -> [String: String] {
    try entries(try read(), section)
  }

  private func read() throws(Failure) -> JSON? {
    try store.checkDirectory()
    guard let bytes = try Posix.readFile(path, limit: .trustFile) else { return nil }
    if let mode = Posix.mode(of: path), mode & 0o022 != 0 {
      throw .invalid(.trustFileWritable(path: path))
    }
    do throws(JSONSyntaxError) {
      return try JSON.parse(bytes)
    } catch {
      throw .document(.trustFile(path: path), .syntax(error))
    }
  }

  private func entries(_ json: JSON?, _ section: Section) throws(Failure) -> [String: String] {
    guard let json else { return [:] }
    guard let object = json.objectValue, let trusted = (object[section.rawValue] ?? .object([:])).objectValue else {
      throw .document(.trustFile(path: path), .content("has no \"\(section.rawValue)\" object"))
    }
    var result: [String: String] = [:]
    for (key, value) in trusted {
      if let hash = value.stringValue { result[key] = hash }
    }
    return result
  }

  /// Changes the trusted entries under the lock; keys this version does not know are kept.
  package func update(_ section: Section = .directories, _ change: (inout [String: String]) -> Void) throws(Failure) {
    try Posix.makeDirectories(store.directory)
    try store.checkDirectory()
    let lock = try StoreFile.lock(lockPath)
    defer { System.close(lock) }  // closing releases the lock
    let json = try read()
    let before = try entries(json, section)
    var after = before
    change(&after)
    guard after != before else { return }
    var object = json?.objectValue ?? [:]
    object["version"] = .integer(1)
    object[section.rawValue] = .object(after.mapValues { .string($0) })
    StoreFile(path: path).removeStaleTemporaryFiles()  // of writers killed before their rename
    try Posix.writeAtomically(Array(JSON.object(object).pretty().utf8), to: path)
  }
}

/// Text for a message: as it is, or quoted with control characters escaped when it holds any (or a blank).
package func shownText(_ text: String) -> String {
  let q = quoted(text)
  return q.dropFirst().dropLast() == text[...] && !text.contains(" ") && !text.isEmpty ? text : q
}
