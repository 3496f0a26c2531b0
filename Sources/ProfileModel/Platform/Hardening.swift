/// What the process does to itself before it reads a secret: no core file, ever.
///
/// A core file holds the process's memory — every secret of the store it read. `setrlimit(RLIMIT_CORE, 0)`
/// stops the kernel writing one to a file, and on Linux PR_SET_DUMPABLE 0 (`Platform.setNotDumpable`) stops every dump
/// (also to a `core_pattern` pipe such as systemd-coredump, which ignores the limit) and keeps other
/// processes of the same user from attaching to this one. A program that `exec` starts gets the
/// limit it would have had (`restoreCoreLimit`); execve makes it dumpable again by itself.
public enum Hardening {
  nonisolated(unsafe) private static var savedCoreLimit: rlimit? = nil

  /// Turns core dumps off for this process. Called first thing in main.swift. Only the soft limit is
  /// lowered, so the one a program that `exec` starts had can be put back.
  public static func disableCoreDumps() {
    var limit = rlimit()
    if getrlimit(Int32(RLIMIT_CORE.rawValue), &limit) == 0 {
      savedCoreLimit = limit
      var off = rlimit(rlim_cur: 0, rlim_max: limit.rlim_max)
      _ = setrlimit(Int32(RLIMIT_CORE.rawValue), &off)
    } else {
      var off = rlimit(rlim_cur: 0, rlim_max: 0)
      _ = setrlimit(Int32(RLIMIT_CORE.rawValue), &off)
    }
    Platform.setNotDumpable()
  }

  /// The core limit the process started with, for a program it is about to become.
  package static func restoreCoreLimit() {
    guard var limit = savedCoreLimit else { return }
    _ = setrlimit(Int32(RLIMIT_CORE.rawValue), &limit)
  }
}
