// TRANSITIONAL, until the files of Commands/ are split one per command (the lead's layout change): those
// files still call the C library and Platform's hardening directly, and may not be edited before the split.
// This file gives them both, and Tty's old form of a mode; it is removed, and Commands/ moved to the
// Platform API, right after the split (ArchitectureTests.noLayerButPlatformImportsTheCLibrary then holds).

@_exported import Platform
import ProfileModel

#if canImport(Glibc)
  @_exported import Glibc
#elseif canImport(Musl)
  @_exported import Musl
#elseif canImport(Darwin)
  @_exported import Darwin
#endif

extension Tty {
  /// The picker's raw mode, as Commands/Picker.swift still names it.
  static func withMode<T>(
    _ fd: Int32, signalExit: Int32, farewell: String, configure: (inout termios) -> Void, _ body: () throws(Failure) -> T
  ) throws(Failure) -> T {
    try withMode(fd, signalExit: signalExit, farewell: farewell, configure: Tty.rawMode, body)
  }
}
