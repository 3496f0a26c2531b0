import Foundation
import Testing

/// One layer maps the C library (Sources/Platform/: Glibc, Musl or Darwin, each file importing it itself,
/// never re-exported); no other source file imports a C module, tests a platform, or reads /proc.
@Suite struct PortabilityTests {
  static let sources = ShellInitTests.packageRoot.appendingPathComponent("Sources")
  static let platformLayer = "Platform/"

  static func swiftFiles() throws -> [(path: String, text: String)] {
    let paths = try FileManager.default.subpathsOfDirectory(atPath: sources.path).filter { $0.hasSuffix(".swift") }
    return try paths.sorted().map { ($0, try String(contentsOf: sources.appendingPathComponent($0), encoding: .utf8)) }
  }

  @Test func onlyThePlatformFileNamesTheCLibrary() throws {
    let files = try Self.swiftFiles()
    #expect(files.count > 10)
    let cModules = ["Glibc", "Musl", "Darwin", "Foundation", "WinSDK", "Android"]
    for (path, text) in files where !path.hasPrefix(Self.platformLayer) {
      for line in text.split(separator: "\n") {
        let words = line.split(separator: " ")
        if let i = words.firstIndex(of: "import"), i + 1 < words.count {
          #expect(!cModules.contains(String(words[i + 1])), "\(path): \(line)")
        }
        #expect(
          !line.contains("canImport(") && !line.contains("#if os("), "\(path): a platform test outside Platform.swift: \(line)")
        #expect(!line.contains("\"/proc"), "\(path): /proc outside Platform.swift: \(line)")
        #expect(!line.contains("MAP_POPULATE") && !line.contains("prctl("), "\(path): a Linux-only call: \(line)")
        #expect(
          !cModules.contains { line.contains("\($0).") }, "\(path): a C module named outside Platform.swift: \(line)")
      }
    }
    let platform = files.filter { $0.path.hasPrefix(Self.platformLayer) }
    #expect(platform.count >= 5)
    for (path, text) in platform where text.contains("import Glibc") {
      for module in ["Glibc", "Musl", "Darwin"] {
        #expect(
          text.contains("#if canImport(\(module))") || text.contains("#elseif canImport(\(module))"), "\(path): \(module)")
        #expect(text.contains("  import \(module)\n"), "\(path): \(module)")
      }
      #expect(!text.contains("@_exported import"), "\(path) re-exports the C library")
    }
  }
}
