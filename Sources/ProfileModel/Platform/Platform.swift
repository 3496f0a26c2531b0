// The one file that names the C library. Every other file of the package (and the executable, through
// `import ProfileModel`) sees it through this `@_exported import`: Glibc on Linux, Musl with
// Swift's static Linux SDK, Darwin on macOS. What differs between them lives here, with a portable path
// for each, so no other file needs an `#if`.

#if canImport(Glibc)
  @_exported import Glibc
#elseif canImport(Musl)
  @_exported import Musl
#elseif canImport(Darwin)
  @_exported import Darwin
#else
  #error("conductor-profile needs a C library module: Glibc, Musl or Darwin")
#endif

enum Platform {
  /// The process's environment block: `environ` (Darwin does not export it to programs that are not
  /// the main image; `_NSGetEnviron()` is its documented accessor).
  static var environment: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> {
    #if canImport(Darwin)
      return _NSGetEnviron()!.pointee!
    #else
      return environ
    #endif
  }

  /// A `posix_spawn_file_actions_t` ready for `posix_spawn_file_actions_init`: a struct in the Linux C
  /// libraries, a pointer (nil until initialised) on Darwin.
  static func spawnFileActions() -> posix_spawn_file_actions_t {
    #if canImport(Darwin)
      return nil
    #else
      return posix_spawn_file_actions_t()
    #endif
  }

  /// The C library's open, read and write, for code inside a type that has members of those names
  /// (`Tty.open`, `Tty.write`): spelled once here, not as `Glibc.write`, which names one platform's module.
  static func openFile(_ path: String, _ flags: Int32) -> Int32 { open(path, flags) }
  static func readBytes(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int { read(fd, buffer, count) }
  static func writeBytes(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int { write(fd, buffer, count) }

  /// Keeps the kernel from writing any core dump of this process (also to a `core_pattern` pipe, which
  /// ignores RLIMIT_CORE) and other processes of the user from attaching to it (Hardening.swift). Linux
  /// only; elsewhere RLIMIT_CORE is all there is.
  static func setNotDumpable() {
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
