import Foundation
import Testing

/// The layers of Package.swift, as the sources import them: a file imports only the layers below its own
/// target (SwiftPM would let a file import any module built before it, so this keeps the picture true).
@Suite struct ArchitectureTests {
  /// Each target and the modules its files may import, lowest layer first.
  static let layers: [(target: String, imports: Set<String>)] = [
    ("Platform", []),
    ("ShellOutput", []),
    ("ProfileModel", ["Platform", "ShellOutput"]),
    ("ConductorNetwork", ["Platform", "ShellOutput", "ProfileModel"]),
    ("ProfileCommands", ["Platform", "ShellOutput", "ProfileModel", "ConductorNetwork"]),
    ("conductor-profile", ["Platform", "ProfileModel", "ProfileCommands"]),
  ]
  /// Modules that are not layers: the C library, which only the Platform target imports.
  static let system: Set<String> = ["Glibc", "Musl", "Darwin"]

  @Test func eachFileImportsOnlyTheLayersBelowIt() throws {
    let sources = ShellInitTests.packageRoot.appendingPathComponent("Sources")
    let targets = try FileManager.default.contentsOfDirectory(atPath: sources.path).sorted()
    #expect(targets == Self.layers.map(\.target).sorted(), "a folder in Sources/ that is not a layer")
    var files = 0
    for (target, allowed) in Self.layers {
      let root = sources.appendingPathComponent(target)
      let paths = try FileManager.default.subpathsOfDirectory(atPath: root.path).filter { $0.hasSuffix(".swift") }
      for path in paths {
        files += 1
        let text = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
        for line in text.split(separator: "\n") {
          let words = line.split(separator: " ").map(String.init)
          guard let i = words.firstIndex(of: "import"), i + 1 < words.count, i == 0 || words[i - 1].hasPrefix("@") else {
            continue
          }
          let module = words[i + 1]
          let systemAllowed = target == "Platform"
          #expect(
            allowed.contains(module) || (systemAllowed && Self.system.contains(module)), "\(target)/\(path) imports \(module)")
          // No layer re-exports a module: what a file imports stays its own (libc above all).
          #expect(
            !line.contains("@_exported"),
            "\(target)/\(path) re-exports \(module)")
        }
      }
    }
    #expect(files > 40)
  }

  /// A C function, type or constant named outside Platform would not compile (no file imports the C library
  /// and nothing re-exports it); this also keeps their names out of the sources, comments aside.
  @Test func noLayerButPlatformNamesTheCLibrary() throws {
    let sources = ShellInitTests.packageRoot.appendingPathComponent("Sources")
    let names = [
      "posix_spawn", "execve", "waitpid", "opendir", "readdir", "strdup", "fstat(", "lstat(", "flock(", "tcsetattr",
      "O_RDONLY", "S_IFMT", "SIGINT", "memcmp",
    ]
    for (target, _) in Self.layers where target != "Platform" {
      let root = sources.appendingPathComponent(target)
      let paths = try FileManager.default.subpathsOfDirectory(atPath: root.path).filter { $0.hasSuffix(".swift") }
      for path in paths {
        let text = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
        for line in text.split(separator: "\n") where !line.trimmingCharacters(in: .whitespaces).hasPrefix("//") {
          for name in names { #expect(!line.contains(name), "\(target)/\(path) names \(name): \(line)") }
        }
      }
    }
  }

  /// Package.swift names the same dependencies, so the compiler refuses an import that skips a layer upward.
  @Test func thePackageDeclaresTheSameLayers() throws {
    let manifest = try String(
      contentsOf: ShellInitTests.packageRoot.appendingPathComponent("Package.swift"), encoding: .utf8)
    #expect(manifest.contains(#"name: "Platform", swiftSettings"#))
    #expect(manifest.contains(#"name: "ProfileModel", dependencies: ["ShellOutput", "Platform"]"#))
    #expect(manifest.contains(#"name: "ConductorNetwork", dependencies: ["ProfileModel"]"#))
    #expect(manifest.contains(#"name: "ProfileCommands", dependencies: ["ConductorNetwork"]"#))
    #expect(manifest.contains(#"name: "conductor-profile", dependencies: ["ProfileCommands"]"#))
    #expect(manifest.contains("name: \"ShellOutput\",\n      resources:"))
  }
}
