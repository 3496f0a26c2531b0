// The Platform layer: the only target that sees the C library (Glibc on Linux, Musl with Swift's static
// Linux SDK, Darwin on macOS). Every file of this target imports it itself, without re-exporting it, so no
// other layer can reach a C function, type or constant; they get the small API of the files beside this
// one: `System` (files, modes, locks, the environment, time), `BoundedRead` (every read with its limit),
// `Runner` (the one child runner and the one PATH lookup), `Terminal` and `Hardening`. What differs
// between the C libraries lives here too, with a portable path for each.

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#else
  #error("conductor-profile needs a C library module: Glibc, Musl or Darwin")
#endif

enum LibC {
  /// The process's environment block: `environ` (Darwin does not export it to programs that are not
  /// the main image; `_NSGetEnviron()` is its documented accessor).
  static var environment: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> {
    #if canImport(Darwin)
      return _NSGetEnviron()!.pointee!
    #else
      return environ
    #endif
  }

  /// The C library's open, read, write and close, for code inside a type that has members of those names
  /// (`Terminal.open`, `Terminal.write`): spelled once here, not as `Glibc.write`, which names one platform's module.
  static func openFile(_ path: String, _ flags: Int32, _ mode: mode_t = 0) -> Int32 { open(path, flags, mode) }
  static func readBytes(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int { read(fd, buffer, count) }
  static func writeBytes(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int { write(fd, buffer, count) }
  static func closeFile(_ fd: Int32) { _ = close(fd) }

  /// Keeps the kernel from writing any core dump of this process (also to a `core_pattern` pipe, which
  /// ignores RLIMIT_CORE) and other processes of the user from attaching to it (Hardening.swift). Linux
  /// only; elsewhere RLIMIT_CORE is all there is.
  static func setNotDumpable() {
    #if os(Linux)
      let prSetDumpable: Int32 = 4
      _ = linuxPrctl(prSetDumpable, 0, 0, 0, 0)
    #endif
  }

  /// WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import: the exit status, or -1 and the signal.
  static func decode(_ status: Int32) -> (status: Int32, signal: Int32) {
    status & 0x7f == 0 ? ((status >> 8) & 0xff, 0) : (-1, status & 0x7f)
  }
}

#if os(Linux)
  /// prctl(2), which C declares variadic (Swift cannot call that) and which reads its arguments as
  /// fixed `unsigned long`s: on Linux (x86-64, arm64) a call with five integers in registers is the same
  /// call. Bound by name at link time, so it works in a static executable too (no dlsym).
  @_silgen_name("prctl")
  private func linuxPrctl(_ option: Int32, _ a: UInt, _ b: UInt, _ c: UInt, _ d: UInt) -> Int32
#endif
