// Thin wrappers over the system calls the store and the commands need, in the program's own types: no
// C type or constant leaves this target. Every file this program creates is made with its final mode in
// the open(2) call, so there is no moment at which another user can read it.

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// What was tried on a file when a system call failed.
public enum FileAction: Equatable, Sendable {
  case read, readStore, write, replace, createDirectory, createTemporaryFileIn, openLockFile, lock, readLink, readDirectory

  package var verb: String {
    switch self {
    case .read: "read"
    case .readStore: "read the profile store"
    case .write: "write"
    case .replace: "replace"
    case .createDirectory: "create the directory"
    case .createTemporaryFileIn: "create a temporary file in"
    case .openLockFile: "open the lock file"
    case .lock: "lock"
    case .readLink: "read the symbolic link"
    case .readDirectory: "read the directory"
    }
  }
}

/// A system call on a file failed: which file, what was tried, and `errno`.
package struct SystemError: Error, Sendable {
  package var path: String
  package var action: FileAction
  package var code: Int32

  package init(_ path: String, _ action: FileAction, code: Int32) {
    self.path = path
    self.action = action
    self.code = code
  }
}

/// A file's permission bits and type bits (`st_mode`), in one integer type on every platform.
package typealias FileMode = UInt32

/// What is at a path.
package enum FileKind: Sendable, Equatable {
  case regular, directory, symbolicLink, fifo, socket, characterDevice, blockDevice, other

  package init(mode: FileMode) {
    switch mode & 0o170000 {
    case 0o100000: self = .regular
    case 0o040000: self = .directory
    case 0o120000: self = .symbolicLink
    case 0o010000: self = .fifo
    case 0o140000: self = .socket
    case 0o020000: self = .characterDevice
    case 0o060000: self = .blockDevice
    default: self = .other
    }
  }

  /// For messages: "a directory", "a FIFO (named pipe)".
  package var noun: String {
    switch self {
    case .regular: "a regular file"
    case .directory: "a directory"
    case .symbolicLink: "a symbolic link"
    case .fifo: "a FIFO (named pipe)"
    case .socket: "a socket"
    case .characterDevice: "a character device"
    case .blockDevice: "a block device"
    case .other: "not a regular file"
    }
  }
}

package enum System {
  package static var errno: Int32 { cErrno() }
  package static let notFound = ENOENT
  package static let interrupted = EINTR

  package static func errorText(_ code: Int32) -> String { String(cString: strerror(code)) }

  // MARK: The process

  /// NAME=VALUE split at the first '=' on the bytes (a Character search costs more than the rest of
  /// start-up). Made with room for every entry: growing it rehashes, a tenth of start-up.
  package static func environment() -> [String: String] {
    var count = 0
    let environ = LibC.environment
    while environ[count] != nil { count += 1 }
    var env = [String: String](minimumCapacity: count)
    var p = environ
    while let entry = p.pointee {
      let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(entry).assumingMemoryBound(to: UInt8.self), count: strlen(entry))
      if let eq = bytes.firstIndex(of: UInt8(ascii: "=")) {
        env[String(decoding: UnsafeBufferPointer(rebasing: bytes[..<eq]), as: UTF8.self)] = String(
          decoding: UnsafeBufferPointer(rebasing: bytes[(eq + 1)...]), as: UTF8.self)
      }
      p += 1
    }
    return env
  }

  package static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

  /// Unix seconds.
  package static func now() -> Int64 { Int64(time(nil)) }

  /// Waits `milliseconds` (a signal's interruption resumes the rest). For a short pause between retries.
  package static func sleep(milliseconds: Int) {
    var wait = timespec(tv_sec: milliseconds / 1000, tv_nsec: (milliseconds % 1000) * 1_000_000)
    var left = timespec()
    while nanosleep(&wait, &left) != 0 && errno == EINTR { wait = left }
  }

  /// Seconds on a clock that never goes back (for deadlines).
  package static func monotonic() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
  }

  package static func processID() -> Int32 { Int32(getpid()) }

  /// The current directory, as the kernel knows it (symbolic links resolved).
  package static func currentDirectory() -> String? {
    guard let cwd = getcwd(nil, 0) else { return nil }
    defer { free(cwd) }
    return String(cString: cwd)
  }

  /// Ends the process now with `status` (after the caller flushed what it holds).
  package static func exit(_ status: Int32) -> Never { cExit(status) }

  // MARK: Files

  /// The mode of what `path` leads to (symbolic links followed), nil when nothing is there.
  package static func mode(of path: String) -> FileMode? {
    var st = stat()
    return stat(path, &st) == 0 ? FileMode(st.st_mode) : nil
  }

  /// The mode of `path` itself (a symbolic link is not followed).
  package static func linkMode(of path: String) -> FileMode? {
    var st = stat()
    return lstat(path, &st) == 0 ? FileMode(st.st_mode) : nil
  }

  package static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

  /// Removes `path` when it is an empty directory (`rmdir`); anything else stays. True when it went.
  @discardableResult package static func removeEmptyDirectory(_ path: String) -> Bool { rmdir(path) == 0 }

  /// A regular file this user may execute.
  package static func isExecutableFile(_ path: String) -> Bool {
    guard access(path, X_OK) == 0, let mode = mode(of: path) else { return false }
    return FileKind(mode: mode) == .regular
  }

  @discardableResult
  package static func changeMode(_ path: String, _ mode: FileMode) -> Bool { chmod(path, mode_t(mode)) == 0 }

  @discardableResult
  package static func remove(_ path: String) -> Bool { unlink(path) == 0 }

  package static func close(_ fd: Int32) { LibC.closeFile(fd) }

  /// The target of a symbolic link.
  package static func readLink(_ path: String) throws(SystemError) -> String {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let n = readlink(path, &buffer, buffer.count - 1)
    guard n > 0 else { throw SystemError(path, .readLink, code: errno) }
    return String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// The real path of `path` (symbolic links, `.` and `..` resolved), nil when it cannot be resolved.
  package static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  /// The names in a directory (without `.` and `..`), nil when it cannot be opened.
  package static func names(in directory: String) -> [String]? { try? listDirectory(directory) }

  /// Whether two paths lead to the same file (device and inode).
  package static func sameFile(_ a: String, _ b: String) -> Bool {
    var x = stat()
    var y = stat()
    return stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_dev == y.st_dev && x.st_ino == y.st_ino
  }

  /// The names in a directory (without `.` and `..`).
  package static func listDirectory(_ directory: String) throws(SystemError) -> [String] {
    guard let dir = opendir(directory) else { throw SystemError(directory, .readDirectory, code: errno) }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
      let name = withUnsafePointer(to: entry.pointee.d_name) {
        String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names
  }

  package static func writeAll(_ fd: Int32, _ bytes: some Collection<UInt8>, path: String) throws(SystemError) {
    let array = Array(bytes)
    var offset = 0
    while offset < array.count {
      let n = array.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
      if n < 0 {
        if errno == EINTR { continue }
        throw SystemError(path, .write, code: errno)
      }
      offset += n
    }
  }

  /// Creates `path` and any missing parent with mode 0700 (`mkdir -p -m 700`, for the new ones only).
  package static func makeDirectories(_ path: String) throws(SystemError) {
    if mode(of: path) != nil { return }
    let parent = dirname(of: path)
    if parent != path { try makeDirectories(parent) }
    if mkdir(path, 0o700) != 0 && errno != EEXIST {
      throw SystemError(path, .createDirectory, code: errno)
    }
    chmod(path, 0o700)
  }

  /// Creates `path` with mode 0600 and writes `bytes` into it; false when it exists or cannot be written.
  package static func createExclusively(_ path: String, _ bytes: [UInt8]) -> Bool {
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard fd >= 0 else { return false }
    defer { cClose(fd) }
    return (try? writeAll(fd, bytes, path: path)) != nil
  }

  @discardableResult
  package static func rename(_ from: String, to: String) -> Bool { cRename(from, to) == 0 }

  /// Writes `bytes` to `path` atomically with mode 0600: a new file (O_EXCL) beside it, fsync, rename
  /// over the target, fsync the directory. A process killed at any instant leaves the old file or the new.
  /// The message of a failure after the rename says that the file was replaced.
  package static func writeAtomically(_ bytes: [UInt8], to path: String) throws(AtomicWriteError) {
    let directory = dirname(of: path)
    var temporary = ""
    var fd: Int32 = -1
    for attempt in 0..<100 {
      temporary = "\(directory)/.\(basename(of: path)).\(getpid()).\(attempt).tmp"
      fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
      if fd >= 0 || errno != EEXIST { break }
    }
    if fd < 0 { throw .system(SystemError(directory, .createTemporaryFileIn, code: errno)) }
    var renamed = false
    defer { if !renamed { unlink(temporary) } }
    do {
      defer { cClose(fd) }
      fchmod(fd, 0o600)
      do throws(SystemError) { try writeAll(fd, bytes, path: temporary) } catch { throw .system(error) }
      if fsync(fd) != 0 { throw .system(SystemError(temporary, .write, code: errno)) }
    }
    if cRename(temporary, path) != 0 { throw .system(SystemError(path, .replace, code: errno)) }
    renamed = true
    // The rename is durable only once the directory is: a failure here is an error (EINVAL: a file
    // system that cannot sync a directory, which has nothing more to write).
    let dfd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if dfd < 0 {
      throw .replacedButNotSynced(
        "\(path) was replaced, but its directory \(directory) cannot be opened to sync it: \(errorText(errno))")
    }
    defer { cClose(dfd) }
    if fsync(dfd) != 0 && errno != EINVAL {
      throw .replacedButNotSynced(
        "\(path) was replaced, but its directory \(directory) could not be synced to disk: \(errorText(errno)); check the disk")
    }
  }

  package enum AtomicWriteError: Error {
    case system(SystemError)
    case replacedButNotSynced(String)
  }

  /// Takes the exclusive lock on `path` (a lock file, created 0600), waiting for it. Returns the
  /// descriptor: closing it releases the lock.
  package static func lock(_ path: String) throws(SystemError) -> Int32 {
    let lock = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
    if lock < 0 { throw SystemError(path, .openLockFile, code: errno) }
    while flock(lock, LOCK_EX) != 0 {
      if errno != EINTR {
        let failure = SystemError(path, .lock, code: errno)
        cClose(lock)
        throw failure
      }
    }
    return lock
  }

  package static func dirname(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    if slash == path.startIndex { return "/" }
    return String(path[..<slash])
  }

  package static func basename(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return path }
    return String(path[path.index(after: slash)...])
  }
}

// The C functions under names that members of `System` do not shadow.
private func cErrno() -> Int32 { errno }
private func cExit(_ status: Int32) -> Never { exit(status) }
private func cClose(_ fd: Int32) { _ = close(fd) }
private func cRename(_ from: String, _ to: String) -> Int32 { rename(from, to) }

extension System {
  /// Whether `name` matches the shell glob `pattern` (fnmatch(3), no flags).
  package static func glob(_ pattern: String, matches name: String) -> Bool { fnmatch(pattern, name, 0) == 0 }

  /// memcmp: the order of the `count` bytes at `a` and at `b` (negative, zero, positive). Inlinable: the
  /// store's reader and every sort of a switch call it in their inner loops.
  @inlinable
  package static func compareBytes(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ count: Int) -> Int32 {
    memcmp(a, b, count)
  }
}
