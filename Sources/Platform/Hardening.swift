// What the process does to itself before it reads a secret: no core file, and no crash report that
// prints memory.

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A core file holds the process's memory — every secret of the store it read. `setrlimit(RLIMIT_CORE, 0)`
/// stops the kernel writing one to a file, and on Linux PR_SET_DUMPABLE 0 (`LibC.setNotDumpable`) stops every
/// dump (also to a `core_pattern` pipe such as systemd-coredump, which ignores the limit) and keeps other
/// processes of the same user from attaching to this one. A program that `exec` starts gets the
/// limit it would have had (`restoreCoreLimit`); execve makes it dumpable again by itself.
///
/// A crash report is the other way memory leaves a process: the Swift runtime's backtracer (on by default
/// on Linux) prints the registers and the bytes they point at, which can be a secret. `quietCrashes`
/// replaces its handlers for the fatal signals with one that prints a fixed line and ends the process
/// with the same signal (docs/security.md, "A crash").
public enum Hardening {
  nonisolated(unsafe) private static var savedCoreLimit: rlimit? = nil

  /// Turns core dumps off for this process and makes crashes quiet. Called first thing in main.swift.
  /// Only the soft limit is lowered, so the one a program that `exec` starts had can be put back.
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
    LibC.setNotDumpable()
    quietCrashes()
  }

  /// Ends the process with `status` (main.swift, after standard output was written out).
  public static func exit(_ status: Int32) -> Never { System.exit(status) }

  /// The core limit the process started with, for a program it is about to become.
  package static func restoreCoreLimit() {
    guard var limit = savedCoreLimit else { return }
    _ = setrlimit(Int32(RLIMIT_CORE.rawValue), &limit)
  }

  /// The signals a crash raises (a trap from a failed check, a bad access, abort).
  static let fatalSignals = [SIGILL, SIGTRAP, SIGABRT, SIGFPE, SIGBUS, SIGSEGV, SIGSYS]

  /// The line a crash prints, prepared before any crash (a handler allocates nothing).
  nonisolated(unsafe) static var crashLine: [UInt8] = Array(
    "conductor-profile: internal error (a crash); no crash report is printed, as it could show secrets from memory. Please report how it happened.\n"
      .utf8)

  /// Installs the quiet handler for every fatal signal, over the Swift runtime's backtracer.
  static func quietCrashes() {
    for sig in fatalSignals {
      var action = sigaction()
      #if canImport(Darwin)
        action.__sigaction_u.__sa_handler = quietCrash
      #else
        action.__sigaction_handler.sa_handler = quietCrash
      #endif
      sigemptyset(&action.sa_mask)
      // One crash only: the handler runs with the default action back (and the signal not blocked), so
      // a fault inside it, or its own raise, ends the process.
      action.sa_flags = Int32(truncatingIfNeeded: SA_RESETHAND) | Int32(truncatingIfNeeded: SA_NODEFER)
      sigaction(sig, &action, nil)
    }
  }
}

/// Prints the fixed line and dies of the same signal (the default action: no core, as above).
private func quietCrash(_ sig: Int32) {
  Hardening.crashLine.withUnsafeBytes { _ = write(2, $0.baseAddress, $0.count) }
  signal(sig, SIG_DFL)
  raise(sig)
  _exit(128 + sig)
}
