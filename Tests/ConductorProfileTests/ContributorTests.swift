import Foundation
import Testing

/// What a contributor meets (issue 23, item 8): a failed `make test` ends with the failing tests and their
/// file:line (.ci/test-summary), and the tests are hermetic: no test puts a system directory first on a
/// PATH, where an installed conductor-profile would be found instead of the one under test.
@Suite struct ContributorTests {
  static let root = ShellInitTests.packageRoot

  static func summary(of log: String) throws -> Sandbox.Result {
    let sandbox = try Sandbox()
    let file = sandbox.root.appendingPathComponent("test-output.txt")
    try Data(log.utf8).write(to: file)
    return try sandbox.execute(
      try Tool.require("bash"), [Self.root.appendingPathComponent(".ci/test-summary").path, file.path])
  }

  @Test func failingTestsAreListedWithFileAndLine() throws {
    let log = """
      [12/12] Linking conductor-profilePackageTests.xctest
      ✔ Test passes() passed after 0.1 seconds.
      ✘ Test marker(shell:variant:) recorded an issue with 2 arguments shell → bash, variant → off at PromptMarkerTests.swift:120:7: Expectation failed: (text → "at x.swift:1:2: ")
      ✘ Test marker(shell:variant:) recorded an issue with 2 arguments shell → bash, variant → off at PromptMarkerTests.swift:121:7: Expectation failed
      ✘ Test marker(shell:variant:) recorded an issue with 1 argument shell → zsh at PromptMarkerTests.swift:120:7: Expectation failed
      ✘ Test passWithoutInitLeavesNothingBehind() recorded an issue at RoughEdgeTests.swift:14:5: Caught error: x
      ✘ Test passWithoutInitLeavesNothingBehind() failed after 1.0 seconds with 1 issue.
      ✘ Suite RoughEdgeTests failed after 1.0 seconds with 1 issue.
      ✘ Test run with 30 tests in 4 suites failed after 11.118 seconds with 4 issues.

      """
    let r = try Self.summary(of: log)
    #expect(r.status == 0, "\(r)")
    let path = r.stdout.split(separator: "\n").first { $0.hasSuffix("):") }.map(String.init) ?? ""
    #expect(path.hasPrefix("3 failing tests (the first issue of each; the whole output: "), "\(r)")
    #expect(
      r.stdout.split(separator: "\n").dropFirst(1).map(String.init) == [
        "  PromptMarkerTests.swift:120              marker(shell:variant:) [shell → bash, variant → off]",
        "  PromptMarkerTests.swift:120              marker(shell:variant:) [shell → zsh]",
        "  RoughEdgeTests.swift:14                  passWithoutInitLeavesNothingBehind()",
      ], "\(r)")
  }

  @Test func aFailedBuildNamesItsErrors() throws {
    let r = try Self.summary(of: "Building for debugging...\n/src/Sources/X.swift:3:4: error: cannot find 'y' in scope\n")
    #expect(r.stdout.hasSuffix("):\n  /src/Sources/X.swift:3:4: error: cannot find 'y' in scope\n"), "\(r)")
    #expect(r.stdout.contains("The build failed"), "\(r)")
  }

  /// `make test` runs .ci/test, which keeps swift test's status: a failing suite fails the target.
  @Test func makeTestKeepsTheStatus() throws {
    let test = try String(contentsOf: Self.root.appendingPathComponent(".ci/test"), encoding: .utf8)
    #expect(test.contains("set -uo pipefail") && test.contains("status=${PIPESTATUS[0]}") && test.hasSuffix("exit \"$status\"\n"))
  }

  /// A PATH that starts with a system directory finds an installed conductor-profile before the one under
  /// test (the Sandbox puts the build's first): no test may set one.
  @Test func noTestPutsASystemDirectoryFirstOnPath() throws {
    let directory = Self.root.appendingPathComponent("Tests/ConductorProfileTests")
    for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where name.hasSuffix(".swift") {
      let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
      for prefix in ["/usr/", "/bin", "/usr/local/"] {
        #expect(!text.contains("\"PATH\": \"" + prefix), "\(name) sets PATH to start with \(prefix)")
      }
    }
  }

  /// `make dist` and `make build`: glibc's dlopen warning (as the linker prints it for libswiftCore) becomes
  /// one line saying why it is harmless; every other line passes; the build's status is kept.
  @Test func theDlopenWarningIsOneLineSayingWhy() throws {
    let sandbox = try Sandbox()
    let warning =
      "/opt/swift/usr/lib/swift_static/linux/libswiftCore.a(LibPrespecialized.cpp.o):LibPrespecialized.cpp:function LibPrespecializedState::findLibPrespecialized(): warning: Using 'dlopen' in statically linked applications requires at runtime the shared libraries from the glibc version used for linking"
    let script =
      "printf '%s\\n' '[1/2] Compiling' \"$1\" \"$1\" 'ld: x.o: in function `f'\\'':' 'undefined reference' >&2"
      + "; exit 3"
    let r = try sandbox.execute(
      try Tool.require("bash"),
      [Self.root.appendingPathComponent(".ci/dist/quiet-link").path, "bash", "-c", script, "build", warning])
    #expect(r.status == 3, "\(r)")
    let note =
      "note: the linker warns that the Swift runtime calls dlopen in a static glibc program; "
      + "harmless: conductor-profile loads no shared library"
    #expect(r.stdout == "[1/2] Compiling\n\(note)\nld: x.o: in function `f':\nundefined reference\n", "\(r)")
    let makefile = try String(contentsOf: Self.root.appendingPathComponent("Makefile"), encoding: .utf8)
    #expect(makefile.contains("build:\n\tbash .ci/dist/quiet-link $(SWIFT) build -c release $(STATIC)\n"))
    let build = try String(contentsOf: Self.root.appendingPathComponent(".ci/dist/build"), encoding: .utf8)
    #expect(build.contains("bash .ci/dist/quiet-link swift build -c release -Xswiftc -static-executable\n"))
  }
}
