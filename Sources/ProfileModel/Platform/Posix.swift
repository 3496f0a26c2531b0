// Thin, throwing wrappers over the system calls the store and the commands need. Every file this
// program creates is made with its final mode in the open(2) call, so there is no moment at which
// another user can read it.

package enum Posix {
  package static func errorText(_ code: Int32 = errno) -> String { String(cString: strerror(code)) }

  /// The whole file, or nil when it does not exist. Other failures throw.
  package static func readFile(_ path: String) throws(Failure) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 {
      if errno == ENOENT { return nil }
      throw .file(path, .read, errno: errno)
    }
    defer { close(fd) }
    return try readAll(fd, path: path)
  }

  /// A regular file of at most `limit` bytes, or nil when it does not exist: anything else at `path`
  /// (a FIFO, a device, a directory) is an error at once, never a wait (O_NONBLOCK), and a larger file an
  /// error read no further than `limit` + 1 bytes. `what` names it in messages ("the catalog").
  package static func readRegularFile(_ path: String, limit: Int, what: String) throws(Failure) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    if fd < 0 {
      if errno == ENOENT { return nil }
      throw .file(path, .read, errno: errno)
    }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else {
      throw .error("\(what) \(shownText(path)) is not a regular file; give the path of a file")
    }
    let bytes = try Limits.read(fd, atMost: limit + 1)
    if bytes.count > limit {
      throw .error("\(what) \(shownText(path)) is larger than \(limit / 1024) KiB, the most conductor-profile reads")
    }
    return bytes
  }

  /// Reads to the end, straight into the result: no staging buffer to zero and copy (its pages were
  /// a third of the memory a switch touched). The size from fstat is a first guess; pipes report 0.
  /// With `limit`, stops at `limit + 1` bytes (never reading or allocating past them): a result longer
  /// than `limit` means the source is larger (files in /proc report a size of 0).
  static func readAll(_ fd: Int32, path: String, limit: Int? = nil) throws(Failure) -> [UInt8] {
    var st = stat()
    var capacity = fstat(fd, &st) == 0 && st.st_size > 0 ? Int(st.st_size) + 1 : 4096
    if let limit { capacity = min(capacity, limit + 1) }
    var result: [UInt8] = []
    while true {
      var failure: Int32 = 0
      var full = false
      let chunk = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
        while count < buffer.count {
          let n = read(fd, buffer.baseAddress! + count, buffer.count - count)
          if n < 0 {
            if errno == EINTR { continue }
            failure = errno
            return
          }
          if n == 0 { return }
          count += n
        }
        full = true
      }
      if failure != 0 { throw .file(path, .read, errno: failure) }
      if result.isEmpty { result = chunk } else { result.append(contentsOf: chunk) }
      if !full { return result }
      capacity *= 2
      if let limit {
        guard result.count <= limit else { return result }
        capacity = min(capacity, limit + 1 - result.count)
      }
    }
  }

  package static func writeAll(_ fd: Int32, _ bytes: some Collection<UInt8>, path: String) throws(Failure) {
    let array = Array(bytes)
    var offset = 0
    while offset < array.count {
      let n = array.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
      if n < 0 {
        if errno == EINTR { continue }
        throw .file(path, .write, errno: errno)
      }
      offset += n
    }
  }

  package static func mode(of path: String) -> mode_t? {
    var st = stat()
    return stat(path, &st) == 0 ? st.st_mode : nil
  }

  package static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

  /// Removes `path` when it is an empty directory (`rmdir`); anything else stays. True when it went.
  @discardableResult package static func removeEmptyDirectory(_ path: String) -> Bool { rmdir(path) == 0 }

  /// Creates `path` and any missing parent with mode 0700 (`mkdir -p -m 700`, for the new ones only).
  package static func makeDirectories(_ path: String) throws(Failure) {
    if mode(of: path) != nil { return }
    let parent = dirname(of: path)
    if parent != path { try makeDirectories(parent) }
    if mkdir(path, 0o700) != 0 && errno != EEXIST {
      throw .file(path, .createDirectory, errno: errno)
    }
    chmod(path, 0o700)
  }

  /// Writes `bytes` to `path` atomically with mode 0600: a new file (O_EXCL) beside it, fsync, rename
  /// over the target, fsync the directory. A process killed at any instant leaves the old file or the new.
  package static func writeAtomically(_ bytes: [UInt8], to path: String) throws(Failure) {
    let directory = dirname(of: path)
    var temporary = ""
    var fd: Int32 = -1
    for attempt in 0..<100 {
      temporary = "\(directory)/.\(basename(of: path)).\(getpid()).\(attempt).tmp"
      fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
      if fd >= 0 || errno != EEXIST { break }
    }
    if fd < 0 { throw .file(directory, .createTemporaryFileIn, errno: errno) }
    var renamed = false
    defer { if !renamed { unlink(temporary) } }
    do {
      defer { close(fd) }
      fchmod(fd, 0o600)
      try writeAll(fd, bytes, path: temporary)
      if fsync(fd) != 0 { throw .file(temporary, .write, errno: errno) }
    }
    if rename(temporary, path) != 0 { throw .file(path, .replace, errno: errno) }
    renamed = true
    // The rename is durable only once the directory is: a failure here is an error (EINVAL: a file
    // system that cannot sync a directory, which has nothing more to write).
    let dfd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if dfd < 0 {
      throw .error("\(path) was replaced, but its directory \(directory) cannot be opened to sync it: \(errorText())")
    }
    defer { close(dfd) }
    if fsync(dfd) != 0 && errno != EINVAL {
      throw .error(
        "\(path) was replaced, but its directory \(directory) could not be synced to disk: \(errorText()); check the disk")
    }
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

  static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

  static func now() -> Int64 { Int64(time(nil)) }
}
