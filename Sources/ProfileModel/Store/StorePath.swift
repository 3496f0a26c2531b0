import Platform

/// What is at the store's path: a regular file (or nothing yet) is a store; a symbolic link — a dotfiles
/// manager's — is followed, and written through (its target replaced in the target's own directory, the
/// link kept); anything else is an error that says what is there, so nothing reads a directory, blocks
/// on a FIFO, or chmods what is not the store.
extension StoreFile {
  /// Why the store path cannot hold a store (what is there), or nil when it can.
  public func kindProblem() -> String? { kindInvalid()?.description }

  /// What is at the store path when it cannot hold a store (`Invalid.storePathNotAFile`), or nil.
  func kindInvalid() -> Invalid? {
    // Nothing there (a dangling link is written through to its target), or nothing to say.
    guard let mode = System.mode(of: path) else { return nil }
    let kind = FileKind(mode: mode)
    if kind == .regular { return nil }
    return .storePathNotAFile(path: path, what: kind.noun)
  }

  /// Fails when the store path holds something other than a regular file.
  func checkKind() throws(Failure) {
    if let invalid = kindInvalid() { throw .invalid(invalid) }
  }

  /// The file a write replaces: the store path, or the file its symbolic links lead to (relative links
  /// resolved from the link's directory), so the link stays a link.
  func writeTarget() throws(Failure) -> String {
    var current = path
    for _ in 0..<40 {
      guard let mode = System.linkMode(of: current), FileKind(mode: mode) == .symbolicLink else { return current }
      let target: String
      do throws(SystemError) { target = try System.readLink(current) } catch { throw Failure(error) }
      current = target.hasPrefix("/") ? target : Posix.dirname(of: current) + "/" + target
    }
    throw .invalid(.storePathLoop(path: path))
  }
}
