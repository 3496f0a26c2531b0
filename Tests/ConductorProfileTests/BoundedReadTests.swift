import Foundation
import Testing

@testable import ProfileModel

/// Every read bounded where it happens: a source past its limit is an error naming it and the limit, with
/// no signal and little memory.

/// Runs the program under `ulimit -v` (64 MiB of address space): a reader that allocated as it went
/// would fail there (or never end), where a bounded one stops at its limit.
private func runLimited(_ s: Sandbox, _ script: String, _ arguments: [String], timeout: Double = 60) throws
  -> Sandbox.Result
{
  try s.execute(
    "/bin/sh", ["-c", "ulimit -v 65536 || exit 99; " + script, Sandbox.program] + arguments, timeout: timeout)
}

@Suite struct BoundedReadTests {
  func fixture() throws -> Sandbox {
    let s = try Sandbox()
    try s.addKey("dev")
    return s
  }

  /// `cat /dev/zero | add …`: the secret reader stops one byte past 64 KiB. A reader that checked the
  /// limit only after reading would never end on this endless stream (or die under the memory limit).
  @Test func anEndlessStandardInputEndsAtTheSecretLimit() throws {
    let s = try fixture()
    let before = s.storeBytes()
    let r = try runLimited(
      s, "cat /dev/zero | \"$0\" \"$@\"", ["add", "x", "--server", "https://x.example.com", "--key-id", "k"], timeout: 30)
    #expect(r.status == 1 && r.stdout == "", "\(r)")
    #expect(
      r.stderr
        == "error: the secret read from standard input is longer than 64 KiB, the most a secret or token may be (it was read no further); give the secret alone\n",
      "\(r)")
    #expect(s.storeBytes() == before)
    // The same with `yes` (lines, not one endless line).
    let y = try runLimited(
      s, "yes | \"$0\" \"$@\"", ["add", "x", "--server", "https://x.example.com", "--key-id", "k"], timeout: 30)
    #expect(y.status == 1 && y.stderr.contains("longer than 64 KiB"), "\(y)")
  }

  /// `import file /dev/zero`: a device where a file is expected is refused before any read.
  @Test func importOfADeviceOrAFIFOIsRefusedAtOnce() throws {
    let s = try fixture()
    let before = s.storeBytes()
    var r = try runLimited(s, "exec \"$0\" \"$@\"", ["import", "file", "/dev/zero"])
    #expect(r.status == 1 && r.stdout == "", "\(r)")
    #expect(
      r.stderr
        == "error: /dev/zero is a character device, not a regular file; a file to import must be a file (nothing was read)\n",
      "\(r)")
    let fifo = s.root.appendingPathComponent("fifo").path
    #expect(mkfifo(fifo, 0o600) == 0)
    r = try runLimited(s, "exec \"$0\" \"$@\"", ["import", "file", fifo], timeout: 20)
    #expect(r.status == 1 && r.stderr.contains("is a FIFO (named pipe), not a regular file"), "\(r)")
    r = try runLimited(s, "exec \"$0\" \"$@\"", ["import", "file", s.root.path])
    #expect(r.status == 1 && r.stderr.contains("is a directory, not a regular file"), "\(r)")
    #expect(s.storeBytes() == before)
  }

  /// A regular file past its limit is refused from its size, and `/dev/stdin` (a stream the user names)
  /// is read up to the limit and no further.
  @Test func importOfAFileOrAStreamPastItsLimitNamesTheLimit() throws {
    let s = try fixture()
    let before = s.storeBytes()
    let big = s.root.appendingPathComponent("big.json").path
    #expect(FileManager.default.createFile(atPath: big, contents: Data()))
    let handle = try #require(FileHandle(forWritingAtPath: big))
    try handle.truncate(atOffset: UInt64(ReadLimit.importFile.bytes + 1))
    try handle.close()
    var r = try runLimited(s, "exec \"$0\" \"$@\"", ["import", "file", big])
    #expect(r.status == 1, "\(r)")
    #expect(
      r.stderr
        == "error: \(big) is larger than 16 MiB, the most a file to import may be (docs/security.md, \"Limits\"); nothing was read past it\n",
      "\(r)")
    r = try runLimited(s, "cat /dev/zero | \"$0\" \"$@\"", ["import", "file", "/dev/stdin"], timeout: 30)
    #expect(r.status == 1 && r.stderr.contains("/dev/stdin is larger than 16 MiB"), "\(r)")
    #expect(s.storeBytes() == before)
  }

  /// The conductor CLI's `config.yaml` as /dev/zero or a FIFO: an error at once, no hang.
  @Test func aConductorCLIConfigThatIsNotAFileIsRefusedAtOnce() throws {
    let s = try fixture()
    let before = s.storeBytes()
    let dir = s.root.appendingPathComponent("cli").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(atPath: dir + "/config.yaml", withDestinationPath: "/dev/zero")
    var r = try runLimited(s, "exec \"$0\" \"$@\"", ["import", "conductor-cli", "--dir", dir], timeout: 20)
    #expect(r.status == 1 && r.stderr.contains("config.yaml is a character device, not a regular file"), "\(r)")
    try FileManager.default.removeItem(atPath: dir + "/config.yaml")
    #expect(mkfifo(dir + "/config.yaml", 0o600) == 0)
    r = try runLimited(s, "exec \"$0\" \"$@\"", ["import", "conductor-cli", "--dir", dir], timeout: 20)
    #expect(r.status == 1 && r.stderr.contains("config.yaml is a FIFO (named pipe), not a regular file"), "\(r)")
    #expect(s.storeBytes() == before)
  }

  /// `--secret-store command -- yes`: the helper's output is read up to 64 KiB, then it is stopped.
  @Test func aHelperThatPrintsForeverIsStoppedAtTheSecretLimit() throws {
    let s = try fixture()
    let before = s.storeBytes()
    let r = try runLimited(
      s, "exec \"$0\" \"$@\"",
      ["add", "y", "--server", "https://y.example.com", "--key-id", "k", "--secret-store", "command", "--", "yes"],
      timeout: 30)
    #expect(r.status == 1 && r.stdout == "", "\(r)")
    #expect(r.stderr.contains("'yes' printed more than 64 KiB, the most a secret or token may be"), "\(r)")
    #expect(s.storeBytes() == before)
  }

  /// The one table: every limit is in docs/security.md, with its size.
  @Test func theLimitsTableIsDocumented() throws {
    let docs = try String(
      contentsOf: ShellInitTests.packageRoot.appendingPathComponent("docs/security.md"), encoding: .utf8)
    for limit in ReadLimit.all {
      #expect(docs.contains("| \(limit.what) | \(limit.shown) |"), "docs/security.md lacks the row for \(limit.what)")
    }
  }
}
