import Foundation
import Testing

/// One file maps the C library (Sources/ProfileModel/Platform/Platform.swift: Glibc, Musl or Darwin);
/// no other source file imports a C module, tests a platform, or reads /proc.
@Suite struct PortabilityTests {
  static let sources = ShellInitTests.packageRoot.appendingPathComponent("Sources")
  static let platformFile = "ProfileModel/Platform/Platform.swift"

  static func swiftFiles() throws -> [(path: String, text: String)] {
    let paths = try FileManager.default.subpathsOfDirectory(atPath: sources.path).filter { $0.hasSuffix(".swift") }
    return try paths.sorted().map { ($0, try String(contentsOf: sources.appendingPathComponent($0), encoding: .utf8)) }
  }

  @Test func onlyThePlatformFileNamesTheCLibrary() throws {
    let files = try Self.swiftFiles()
    #expect(files.count > 10)
    let cModules = ["Glibc", "Musl", "Darwin", "Foundation", "WinSDK", "Android"]
    for (path, text) in files where path != Self.platformFile {
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
    let platform = try #require(files.first { $0.path == Self.platformFile }?.text)
    for module in ["Glibc", "Musl", "Darwin"] {
      #expect(platform.contains("#if canImport(\(module))") || platform.contains("#elseif canImport(\(module))"))
      #expect(platform.contains("@_exported import \(module)\n"))
    }
  }
}
