import Glibc

/// What the process does to itself before it reads a secret: no core file, ever.
///
/// A core file holds the process's memory — every secret of the store it read. `setrlimit(RLIMIT_CORE, 0)`
/// stops the kernel writing one to a file, and on Linux `prctl(PR_SET_DUMPABLE, 0)` stops every dump
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
    setNotDumpable()
  }

  /// The core limit the process started with, for a program it is about to become.
  static func restoreCoreLimit() {
    guard var limit = savedCoreLimit else { return }
    _ = setrlimit(Int32(RLIMIT_CORE.rawValue), &limit)
  }

  private static func setNotDumpable() {
    #if os(Linux)
      let prSetDumpable: Int32 = 4
      _ = linuxPrctl(prSetDumpable, 0, 0, 0, 0)
    #endif
  }
}

#if os(Linux)
  /// prctl(2), which C declares variadic (Swift cannot call that) and which reads its arguments as
  /// fixed `unsigned long`s: on Linux (x86-64, arm64) a call with five integers in registers is the same
  /// call. Bound by name at link time, so it works in a static executable too (no dlsym).
  @_silgen_name("prctl")
  private func linuxPrctl(_ option: Int32, _ a: UInt, _ b: UInt, _ c: UInt, _ d: UInt) -> Int32
#endif
