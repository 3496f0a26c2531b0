// The one file that names the C library. Every other file of the package (and the executable, through
// `import ConductorProfileCore`) sees it through this `@_exported import`: Glibc on Linux, Musl with
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
}
