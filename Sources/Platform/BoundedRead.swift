// The one bounded reader: every read of a file, a pipe or standard input says how much it accepts and
// stops one byte past it, so no source (`/dev/zero`, `yes`, a 10 GB file) can make the program allocate
// more than its limit. The limits themselves are in one table (`ReadLimit`, ProfileModel's Limits.swift,
// listed in docs/security.md).

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

package enum BoundedRead {
  /// Why a bounded read of a file gave no bytes.
  package enum Problem: Error {
    /// A system call failed.
    case system(SystemError)
    /// A regular file was expected, and this is something else (FIFO, device, directory, socket).
    case notRegular(FileKind)
    /// The source holds more than the limit (it was read no further than one byte past it).
    case tooLarge
  }

  /// Reads from `fd` until its end or `limit` + 1 bytes, whichever comes first; the result is longer
  /// than `limit` exactly when the source is. Reads straight into the result (no staging buffer to zero
  /// and copy), and never asks for room past `limit` + 1 bytes. `path` names the source in errors.
  package static func read(_ fd: Int32, limit: Int, path: String) throws(SystemError) -> [UInt8] {
    let most = limit + 1
    var st = stat()
    // The size from fstat is a first guess; pipes report 0.
    var capacity = min(fstat(fd, &st) == 0 && st.st_size > 0 ? Int(st.st_size) + 1 : 4096, most)
    var result: [UInt8] = []
    while true {
      var failure: Int32 = 0
      var full = false
      let chunk = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
        while count < buffer.count {
          let n = LibC.readBytes(fd, buffer.baseAddress! + count, buffer.count - count)
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
      if failure != 0 { throw SystemError(path, .read, code: failure) }
      if result.isEmpty {
        result = chunk
      } else {
        result.reserveCapacity(result.count + chunk.count)
        result.append(contentsOf: chunk)
      }
      if !full || result.count >= most { return result }
      capacity = min(capacity * 2, most - result.count)
    }
  }

  /// The file at `path`, at most `limit` bytes, or nil when it does not exist. Anything but a regular
  /// file is refused at once, without blocking: it is opened with O_NONBLOCK (a FIFO's open does not
  /// wait for a writer) and checked with fstat before any read.
  package static func file(_ path: String, limit: Int) throws(Problem) -> [UInt8]? {
    let fd = LibC.openFile(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    if fd < 0 {
      if errno == ENOENT { return nil }
      throw .system(SystemError(path, .read, code: errno))
    }
    defer { LibC.closeFile(fd) }
    return try opened(fd, path: path, limit: limit)
  }

  /// What `path` gives when read to its end — a pipe or a terminal as well as a file (for a path the
  /// user names as a stream, such as /dev/stdin) — at most `limit` bytes; nil when it does not exist.
  package static func stream(_ path: String, limit: Int) throws(Problem) -> [UInt8]? {
    let fd = LibC.openFile(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 {
      if errno == ENOENT { return nil }
      throw .system(SystemError(path, .read, code: errno))
    }
    defer { LibC.closeFile(fd) }
    let bytes: [UInt8]
    do throws(SystemError) { bytes = try read(fd, limit: limit, path: path) } catch { throw .system(error) }
    if bytes.count > limit { throw .tooLarge }
    return bytes
  }

  /// A file opened by the caller (`fd`), checked and read as `file` does.
  package static func opened(_ fd: Int32, path: String, limit: Int) throws(Problem) -> [UInt8] {
    var st = stat()
    guard fstat(fd, &st) == 0 else { throw .system(SystemError(path, .read, code: errno)) }
    let kind = FileKind(mode: FileMode(st.st_mode))
    guard kind == .regular else { throw .notRegular(kind) }
    if Int(st.st_size) > limit { throw .tooLarge }
    let bytes: [UInt8]
    do throws(SystemError) { bytes = try read(fd, limit: limit, path: path) } catch { throw .system(error) }
    if bytes.count > limit { throw .tooLarge }
    return bytes
  }

  /// Opens `path` for reading without blocking and returns its descriptor with its mode, or nil when it
  /// does not exist (for a reader that checks the mode before it reads, such as the store's).
  package static func open(_ path: String) throws(SystemError) -> (fd: Int32, mode: FileMode)? {
    let fd = LibC.openFile(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    if fd < 0 {
      if errno == ENOENT { return nil }
      throw SystemError(path, .read, code: errno)
    }
    var st = stat()
    guard fstat(fd, &st) == 0 else {
      let code = errno
      LibC.closeFile(fd)
      throw SystemError(path, .read, code: code)
    }
    return (fd, FileMode(st.st_mode))
  }
}
