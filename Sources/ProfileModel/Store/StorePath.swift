/// What is at the store's path: a regular file (or nothing yet) is a store; a symbolic link — a dotfiles
/// manager's — is followed, and written through (its target replaced in the target's own directory, the
/// link kept); anything else is an error that says what is there, so nothing reads a directory, blocks
/// on a FIFO, or chmods what is not the store.
extension StoreFile {
  /// Why the store path cannot hold a store (what is there), or nil when it can.
  public func kindProblem() -> String? {
    var st = stat()
    guard stat(path, &st) == 0 else {
      // Nothing there (a dangling link is written through to its target), or nothing to say.
      return nil
    }
    let kind: String
    switch st.st_mode & S_IFMT {
    case S_IFREG: return nil
    case S_IFDIR: kind = "a directory"
    case S_IFIFO: kind = "a FIFO (named pipe)"
    case S_IFSOCK: kind = "a socket"
    case S_IFCHR: kind = "a character device"
    case S_IFBLK: kind = "a block device"
    default: kind = "not a regular file"
    }
    return "the profile store path \(path) is \(kind), not a file"
  }

  /// Fails when the store path holds something other than a regular file.
  func checkKind() throws(Failure) {
    if let problem = kindProblem() {
      throw .error(
        "\(problem); move it away, or point CONDUCTOR_PROFILE_STORE at a file (nothing was read or changed)")
    }
  }

  /// The file a write replaces: the store path, or the file its symbolic links lead to (relative links
  /// resolved from the link's directory), so the link stays a link.
  func writeTarget() throws(Failure) -> String {
    var current = path
    for _ in 0..<40 {
      var st = stat()
      guard lstat(current, &st) == 0, st.st_mode & S_IFMT == S_IFLNK else { return current }
      var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
      let n = readlink(current, &buffer, buffer.count - 1)
      guard n > 0 else { throw .file(current, .readLink, errno: errno) }
      let target = String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
      current = target.hasPrefix("/") ? target : Posix.dirname(of: current) + "/" + target
    }
    throw .error("the profile store path \(path) is a loop of symbolic links; point it at a file")
  }
}
