import Platform

// The Platform layer's files, modes and bounded reads in the model's terms: a failed system call is a
// `Failure` that names the file, and every read of a file states its limit (`ReadLimit`).

package enum Posix {
  package static func errorText(_ code: Int32 = System.errno) -> String { System.errorText(code) }

  /// The whole file, at most `limit`, or nil when it does not exist. Anything but a regular file, or a
  /// file larger than the limit, is an error that names the file and the limit, before any read.
  package static func readFile(_ path: String, limit: ReadLimit) throws(Failure) -> [UInt8]? {
    do throws(BoundedRead.Problem) {
      return try BoundedRead.file(path, limit: limit.bytes)
    } catch {
      throw Failure(error, path: path, limit: limit)
    }
  }

  /// What `path` gives when read to its end, a pipe as well as a file, at most `limit`; nil when it does
  /// not exist. Only for a path the user names as a stream (`import file /dev/stdin`).
  package static func readStream(_ path: String, limit: ReadLimit) throws(Failure) -> [UInt8]? {
    do throws(BoundedRead.Problem) {
      return try BoundedRead.stream(path, limit: limit.bytes)
    } catch {
      throw Failure(error, path: path, limit: limit)
    }
  }

  /// An open file's bytes, checked and bounded as `readFile` does.
  package static func readOpened(_ fd: Int32, path: String, limit: ReadLimit) throws(Failure) -> [UInt8] {
    do throws(BoundedRead.Problem) {
      return try BoundedRead.opened(fd, path: path, limit: limit.bytes)
    } catch {
      throw Failure(error, path: path, limit: limit)
    }
  }

  package static func writeAll(_ fd: Int32, _ bytes: some Collection<UInt8>, path: String) throws(Failure) {
    do throws(SystemError) { try System.writeAll(fd, bytes, path: path) } catch { throw Failure(error) }
  }

  package static func mode(of path: String) -> FileMode? { System.mode(of: path) }

  package static func exists(_ path: String) -> Bool { System.exists(path) }

  /// Removes `path` when it is an empty directory (`rmdir`); anything else stays. True when it went.
  @discardableResult package static func removeEmptyDirectory(_ path: String) -> Bool {
    System.removeEmptyDirectory(path)
  }

  /// Creates `path` and any missing parent with mode 0700 (`mkdir -p -m 700`, for the new ones only).
  package static func makeDirectories(_ path: String) throws(Failure) {
    do throws(SystemError) { try System.makeDirectories(path) } catch { throw Failure(error) }
  }

  /// Writes `bytes` to `path` atomically with mode 0600 (System.writeAtomically).
  package static func writeAtomically(_ bytes: [UInt8], to path: String) throws(Failure) {
    do throws(System.AtomicWriteError) {
      try System.writeAtomically(bytes, to: path)
    } catch {
      switch error {
      case .system(let e): throw Failure(e)
      case .replacedButNotSynced(let message): throw .error(message)
      }
    }
  }

  /// The names in a directory (without `.` and `..`), nil when it cannot be read.
  package static func names(in directory: String) -> [String]? { System.names(in: directory) }
  /// The names in a directory; a failure names it (`errno` ENOENT: `Posix.notFound`).
  package static func listDirectory(_ directory: String) throws(Failure) -> [String] {
    do throws(SystemError) { return try System.listDirectory(directory) } catch { throw Failure(error) }
  }
  /// ENOENT, for a caller that says "no such file" its own way.
  package static let notFound = System.notFound
  /// Whether `name` matches the shell glob `pattern` (`*`, `?`, `[…]`).
  package static func glob(_ pattern: String, matches name: String) -> Bool { System.glob(pattern, matches: name) }
  /// Whether two paths lead to the same file.
  package static func sameFile(_ a: String, _ b: String) -> Bool { System.sameFile(a, b) }
  @discardableResult
  package static func remove(_ path: String) -> Bool { System.remove(path) }
  @discardableResult
  package static func changeMode(_ path: String, _ mode: FileMode) -> Bool { System.changeMode(path, mode) }
  /// The current directory (symbolic links resolved), nil when it cannot be found.
  package static func currentDirectory() -> String? { System.currentDirectory() }

  /// Replaces `path` with `bytes` through a new file (O_EXCL, 0600) renamed over it, without fsync: for
  /// files that are a convenience (the picker's recent list). False when it could not.
  @discardableResult
  package static func replaceWithoutSync(_ path: String, with bytes: [UInt8]) -> Bool {
    let temporary = "\(path).\(System.processID()).tmp"
    guard System.createExclusively(temporary, bytes) else {
      System.remove(temporary)
      return false
    }
    if System.rename(temporary, to: path) { return true }
    System.remove(temporary)
    return false
  }

  package static func dirname(of path: String) -> String { System.dirname(of: path) }
  package static func basename(of path: String) -> String { System.basename(of: path) }
  static func isTerminal(_ fd: Int32) -> Bool { System.isTerminal(fd) }
  static func now() -> Int64 { System.now() }
  /// Waits `milliseconds`: a short pause between retries.
  package static func sleep(milliseconds: Int) { System.sleep(milliseconds: milliseconds) }
}

extension Failure {
  /// A failed system call on a file.
  package init(_ error: SystemError) { self = .file(error.path, error.action, errno: error.code) }

  /// A bounded read of the file at `path` that gave nothing.
  package init(_ problem: BoundedRead.Problem, path: String, limit: ReadLimit) {
    switch problem {
    case .system(let e): self = Failure(e)
    case .notRegular(let kind):
      self = .error("\(shownText(path)) is \(kind.noun), not a regular file; \(limit.what) must be a file (nothing was read)")
    case .tooLarge:
      self = .error(
        "\(shownText(path)) is larger than \(limit.shown), the most \(limit.what) may be (docs/security.md, \"Limits\"); nothing was read past it"
      )
    }
  }
}
