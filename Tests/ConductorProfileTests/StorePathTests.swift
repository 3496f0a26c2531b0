import Foundation
import Testing

@testable import ProfileModel

/// What is at the store path: a symbolic link is written through, anything but a file is an error that
/// says what is there, and a directory sync that fails is an error.
@Suite struct StorePathTests {
  /// A store path in its own private directory, pointing at a file in another private directory.
  func linked(relative: Bool) throws -> (Sandbox, link: String, target: String) {
    let s = try Sandbox()
    let config = s.root.appendingPathComponent("config").path
    let dotfiles = s.root.appendingPathComponent("dotfiles").path
    for dir in [config, dotfiles] {
      try FileManager.default.createDirectory(
        atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }
    let link = config + "/profiles.json"
    let target = dotfiles + "/profiles.json"
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: relative ? "../dotfiles/profiles.json" : target)
    s.environment["CONDUCTOR_PROFILE_STORE"] = link
    return (s, link, target)
  }

  @Test(arguments: [false, true]) func aSymlinkedStoreIsWrittenThroughTheLink(relative: Bool) throws {
    let (s, link, target) = try linked(relative: relative)
    try s.addKey("dev")  // the target does not exist yet: created through the link
    try s.addKey("prod", extra: ["--production"])
    let r = try s.run(["set", "dev", "--description", "edited"])
    #expect(r.status == 0, "\(r)")
    let attributes = try FileManager.default.attributesOfItem(atPath: link)
    #expect(attributes[.type] as? FileAttributeType == .typeSymbolicLink, "the link stays a link")
    #expect(try s.mode(of: target) == 0o600)
    let text = try String(contentsOfFile: target, encoding: .utf8)
    #expect(text.contains("\"edited\"") && text.contains("\"prod\""), "\(text)")
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: (target as NSString).deletingLastPathComponent)
    #expect(leftovers == ["profiles.json"], "no temporary file left: \(leftovers)")
    #expect(try s.run(["list"]).stdout.contains("prod"))
  }

  @Test func aDirectoryAtTheStorePathIsAnErrorSayingSo() throws {
    let s = try Sandbox()
    try FileManager.default.createDirectory(
      atPath: s.storePath, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
    for arguments in [["list"], ["add", "x", "--server", "https://x.example.com", "--no-auth"], ["show", "x"]] {
      let r = try s.run(arguments)
      #expect(r.status == 1, "\(arguments): \(r)")
      #expect(r.stderr.contains("\(s.storePath) is a directory, not a file"), "\(r)")
      #expect(s.failure(arguments) == .invalid(.storePathNotAFile(path: s.storePath, what: "a directory")), "\(arguments)")
      #expect(!r.stderr.contains("chmod"), "\(r)")
    }
    let doctor = try s.run(["doctor", "--fix"])
    #expect(doctor.status == 1)
    #expect(doctor.stdout.contains("problem: the profile store path \(s.storePath) is a directory"), "\(doctor)")
    #expect(!doctor.stdout.contains("fixed:") && !doctor.stdout.contains("are private"), "\(doctor)")
    #expect(try s.mode(of: s.storePath) == 0o755, "doctor --fix did not chmod the directory")
  }

  @Test func aFIFOAtTheStorePathIsAnErrorNotAHang() throws {
    let s = try Sandbox()
    try FileManager.default.createDirectory(
      atPath: (s.storePath as NSString).deletingLastPathComponent, withIntermediateDirectories: true,
      attributes: [.posixPermissions: 0o700])
    #expect(mkfifo(s.storePath, 0o600) == 0)
    let r = try s.execute("/usr/bin/timeout", ["10", Sandbox.program, "list"])
    #expect(r.status == 1, "\(r)")
    #expect(r.stderr.contains("is a FIFO (named pipe), not a file"), "\(r)")
  }

  /// strace can inject a failure into a system call; nil (skip) when it is missing or may not trace here.
  static let strace: String? = {
    guard let path = ["/usr/bin/strace", "/bin/strace"].first(where: FileManager.default.isExecutableFile) else { return nil }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = ["-o", "/dev/null", "true"]
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return nil }
    process.waitUntilExit()
    return process.terminationStatus == 0 ? path : nil
  }()

  @Test(.enabled(if: strace != nil || ProcessInfo.processInfo.environment["CI"] == "true", "strace cannot trace here"))
  func aFailedDirectorySyncIsAnError() throws {
    let strace = try #require(Self.strace)
    let s = try Sandbox()
    try s.addKey("dev")
    // The second fsync of a write is the directory's (the first is the new file's).
    let r = try s.execute(
      strace,
      ["-f", "-o", "/dev/null", "-e", "inject=fsync:error=EIO:when=2", Sandbox.program, "set", "dev", "--description", "x"])
    #expect(r.status == 1, "\(r)")
    #expect(r.stderr.contains("could not be synced to disk: Input/output error"), "\(r)")
  }
}
