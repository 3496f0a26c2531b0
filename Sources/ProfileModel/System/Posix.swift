import Platform

// The Platform layer's files, modes and bounded reads in the model's terms: a failed system call is a
// `Failure` that names the file, and every read of a file states its limit (`ReadLimit`).

package enum Posix {
  package static func errorText(_ code: Int32 = System.errno) -> String { System.errorText(code) }

  /// The whole file, at most `limit`, or nil when it does not exist. Anything but a regular file, or a
  /// file larger than the limit, is an error that names the file and the limit, before any read.
  package static func readFile(_ path: String, limit: ReadLimit = .document) throws(Failure) -> [UInt8]? {
    do throws(BoundedRead.Problem) {
      return try BoundedRead.file(path, limit: limit.bytes)
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
  @discardableResult
  package static func remove(_ path: String) -> Bool { System.remove(path) }
  @discardableResult
  package static func changeMode(_ path: String, _ mode: FileMode) -> Bool { System.changeMode(path, mode) }
  /// The current directory (symbolic links resolved), nil when it cannot be found.
  package static func currentDirectory() -> String? { System.currentDirectory() }

  package static func dirname(of path: String) -> String { System.dirname(of: path) }
  package static func basename(of path: String) -> String { System.basename(of: path) }
  static func isTerminal(_ fd: Int32) -> Bool { System.isTerminal(fd) }
  static func now() -> Int64 { System.now() }
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
