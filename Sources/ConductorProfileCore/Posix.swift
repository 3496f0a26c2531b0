// Thin, throwing wrappers over the system calls the store and the commands need. Every file this
// program creates is made with its final mode in the open(2) call, so there is no moment at which
// another user can read it.

enum Posix {
  static func errorText(_ code: Int32 = errno) -> String { String(cString: strerror(code)) }

  /// The whole file, or nil when it does not exist. Other failures throw.
  static func readFile(_ path: String) throws(Failure) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 {
      if errno == ENOENT { return nil }
      throw .error("cannot read \(path): \(errorText())")
    }
    defer { close(fd) }
    return try readAll(fd, path: path)
  }

  /// Reads to the end, straight into the result: no staging buffer to zero and copy (its pages were
  /// a third of the memory a switch touched). The size from fstat is a first guess; pipes report 0.
  static func readAll(_ fd: Int32, path: String) throws(Failure) -> [UInt8] {
    var st = stat()
    var capacity = fstat(fd, &st) == 0 && st.st_size > 0 ? Int(st.st_size) + 1 : 4096
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
      if failure != 0 { throw .error("cannot read \(path): \(errorText(failure))") }
      if result.isEmpty { result = chunk } else { result.append(contentsOf: chunk) }
      if !full { return result }
      capacity *= 2
    }
  }

  static func writeAll(_ fd: Int32, _ bytes: some Collection<UInt8>, path: String) throws(Failure) {
    let array = Array(bytes)
    var offset = 0
    while offset < array.count {
      let n = array.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
      if n < 0 {
        if errno == EINTR { continue }
        throw .error("cannot write \(path): \(errorText())")
      }
      offset += n
    }
  }

  static func mode(of path: String) -> mode_t? {
    var st = stat()
    return stat(path, &st) == 0 ? st.st_mode : nil
  }

  static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

  /// Creates `path` and any missing parent with mode 0700 (`mkdir -p -m 700`, for the new ones only).
  static func makeDirectories(_ path: String) throws(Failure) {
    if mode(of: path) != nil { return }
    let parent = dirname(of: path)
    if parent != path { try makeDirectories(parent) }
    if mkdir(path, 0o700) != 0 && errno != EEXIST {
      throw .error("cannot create the directory \(path): \(errorText())")
    }
    chmod(path, 0o700)
  }

  /// Writes `bytes` to `path` atomically with mode 0600: a new file (O_EXCL) beside it, fsync, rename
  /// over the target, fsync the directory. A process killed at any instant leaves the old file or the new.
  static func writeAtomically(_ bytes: [UInt8], to path: String) throws(Failure) {
    let directory = dirname(of: path)
    var temporary = ""
    var fd: Int32 = -1
    for attempt in 0..<100 {
      temporary = "\(directory)/.\(basename(of: path)).\(getpid()).\(attempt).tmp"
      fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
      if fd >= 0 || errno != EEXIST { break }
    }
    if fd < 0 { throw .error("cannot create a temporary file in \(directory): \(errorText())") }
    var renamed = false
    defer { if !renamed { unlink(temporary) } }
    do {
      defer { close(fd) }
      fchmod(fd, 0o600)
      try writeAll(fd, bytes, path: temporary)
      if fsync(fd) != 0 { throw .error("cannot write \(temporary): \(errorText())") }
    }
    if rename(temporary, path) != 0 { throw .error("cannot replace \(path): \(errorText())") }
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

  static func dirname(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    if slash == path.startIndex { return "/" }
    return String(path[..<slash])
  }

  static func basename(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return path }
    return String(path[path.index(after: slash)...])
  }

  static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

  static func now() -> Int64 { Int64(time(nil)) }
}

/// Quotes a word for a POSIX shell, only when it needs it (for commands shown to the user).
func shellWord(_ s: String) -> String {
  let safe =
    !s.isEmpty
    && s.utf8.allSatisfy {
      ProfileName.isAlnum($0) || "/._-+=:,@%".utf8.contains($0)
    }
  return safe ? s : ShellSyntax.posix.quote(s)
}

/// A UTC time as `2026-11-29 07:35 UTC` (Howard Hinnant's days-to-civil; no Foundation needed).
func formatUTC(_ seconds: Int64) -> String {
  let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
  let secs = seconds - days * 86400
  let z = days + 719468
  let era = (z >= 0 ? z : z - 146096) / 146097
  let doe = z - era * 146097
  let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
  let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
  let mp = (5 * doy + 2) / 153
  let d = doy - (153 * mp + 2) / 5 + 1
  let m = mp < 10 ? mp + 3 : mp - 9
  let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
  func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
  return "\(y)-\(two(m))-\(two(d)) \(two(secs / 3600)):\(two(secs % 3600 / 60)) UTC"
}

/// "in 3h 20m", "2d ago": how far a moment is from now.
func relativeTime(_ seconds: Int64, now: Int64) -> String {
  let delta = seconds - now
  let span = abs(delta)
  let text: String
  if span < 60 {
    text = "\(span)s"
  } else if span < 3600 {
    text = "\(span / 60)m"
  } else if span < 86400 {
    text = "\(span / 3600)h \(span % 3600 / 60)m"
  } else {
    text = "\(span / 86400)d \(span % 86400 / 3600)h"
  }
  return delta >= 0 ? "in \(text)" : "\(text) ago"
}

/// Whether `a` sorts before `b` by their UTF-8 bytes, as `utf8Precedes(a, b)`
/// does, by one memcmp: the generic comparison walks both views an index at a time (about a thousand
/// instructions a comparison, and a switch sorts its variables twice).
func utf8Precedes(_ a: String, _ b: String) -> Bool {
  var a = a
  var b = b
  return a.withUTF8 { x in
    b.withUTF8 { y in
      let common = min(x.count, y.count)
      let order = common == 0 ? 0 : memcmp(x.baseAddress!, y.baseAddress!, common)
      return order != 0 ? order < 0 : x.count < y.count
    }
  }
}
