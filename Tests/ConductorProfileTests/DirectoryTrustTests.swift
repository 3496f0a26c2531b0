import Foundation
import Testing

@testable import ConductorNetwork
@testable import ProfileCommands
@testable import ProfileModel
@testable import ShellOutput

/// `allow` / `deny`, the trust file, and the directory switch as the program does it (`use` with
/// `_CONDUCTOR_PROFILE_DIRFILE`, as the hook runs it). The hooks themselves: DirectoryHookTests.
@Suite struct DirectoryTrustTests {
  // MARK: SHA-256

  @Test(arguments: [
    ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    (
      "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    ),
  ])
  func sha256KnownAnswers(message: String, digest: String) {
    #expect(SHA256.hex(Array(message.utf8)) == digest)
  }

  @Test func sha256AgreesWithSha256sum() throws {
    guard let tool = try requireShell("sha256sum") else { return }
    let sandbox = try Sandbox()
    // Every length around the block and padding boundaries, and a few blocks.
    for length in [1, 55, 56, 63, 64, 65, 119, 120, 1000, 4097] {
      var generator = SystemRandomNumberGenerator()
      let data = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
      let url = sandbox.root.appendingPathComponent("data-\(length)")
      try Data(data).write(to: url)
      let r = try sandbox.execute(tool, [url.path])
      #expect(String(r.stdout.prefix(64)) == SHA256.hex(data), "length \(length)")
    }
  }

  // MARK: allow, deny

  /// A sandbox with profiles dev and prod, and a tree `project/a/b` with `project/.conductor-profile`.
  func treeSandbox(_ content: String = "dev\n") throws -> (Sandbox, URL) {
    let sandbox = try Sandbox()
    try sandbox.addKey("dev")
    try sandbox.addKey("prod", server: "https://prod.example.com", extra: ["--production"])
    let project = sandbox.root.appendingPathComponent("project")
    try FileManager.default.createDirectory(at: project.appendingPathComponent("a/b"), withIntermediateDirectories: true)
    try Data(content.utf8).write(to: project.appendingPathComponent(".conductor-profile"))
    return (sandbox, project)
  }

  var trustPath: (Sandbox) -> String { { $0.storeDirectory + "/trusted-directories.json" } }

  /// Runs the program in `directory` (with PWD set to it, as a shell does).
  func run(_ sandbox: Sandbox, _ arguments: [String], in directory: URL, env: [String: String] = [:]) throws -> Sandbox.Result {
    try sandbox.execute(
      "/bin/sh", ["-c", "cd \"$1\" && shift && exec \"$@\"", "sh", directory.path, Sandbox.program] + arguments, env: env)
  }

  @Test func allowTrustsTheFileThatAppliesByPathAndHash() throws {
    let (sandbox, project) = try treeSandbox()
    let r = try run(sandbox, ["allow"], in: project.appendingPathComponent("a/b"))
    let file = project.path + "/.conductor-profile"
    #expect(r.status == 0, "\(r)")
    #expect(r.stdout == "allowed \(file) (profile 'dev'): a shell that enters \(project.path) switches to it\n")
    #expect(r.stderr == "")
    let hash = SHA256.hex(Array("dev\n".utf8))
    let text = try String(contentsOfFile: trustPath(sandbox), encoding: .utf8)
    // The key is the real path of the directory (the temporary directory may be a symbolic link).
    let real = URL(fileURLWithPath: project.path).resolvingSymlinksInPath().path + "/.conductor-profile"
    #expect(text == "{\n  \"trusted\" : {\n    \"\(real)\" : \"sha256:\(hash)\"\n  },\n  \"version\" : 1\n}\n")
    #expect(try sandbox.mode(of: trustPath(sandbox)) == 0o600)
    // Allowing again changes nothing; deny removes it; deny again says so.
    #expect(try run(sandbox, ["allow", "."], in: project).status == 0)
    #expect(try String(contentsOfFile: trustPath(sandbox), encoding: .utf8) == text)
    var d = try run(sandbox, ["deny", "../.."], in: project.appendingPathComponent("a/b"))
    #expect(d.status == 0 && d.stdout == "denied \(file): entering \(project.path) no longer switches\n", "\(d)")
    #expect(
      try String(contentsOfFile: trustPath(sandbox), encoding: .utf8) == "{\n  \"trusted\" : {},\n  \"version\" : 1\n}\n")
    d = try run(sandbox, ["deny", project.path], in: sandbox.root)
    #expect(d.status == 0 && d.stdout == "\(file) was not trusted; nothing changed\n", "\(d)")
  }

  @Test func allowRefusesWhatIsNotAProfileFile() throws {
    let (sandbox, project) = try treeSandbox("\(annToken)\n")
    let store = sandbox.storeBytes()
    var r = try run(sandbox, ["allow"], in: project)
    expectError(r, containing: ["the first line of \(project.path)/.conductor-profile is not a profile name"])
    #expect(!r.stderr.contains(annToken.prefix(8)), "what the file holds is not shown: \(r)")
    r = try run(sandbox, ["allow"], in: sandbox.root)
    expectError(r, containing: ["no .conductor-profile file in \(sandbox.root.path) or above"])
    r = try run(sandbox, ["allow", "nowhere"], in: sandbox.root)
    expectError(r, containing: ["cannot read \(sandbox.root.path)/nowhere/.conductor-profile"])
    try FileManager.default.removeItem(at: project.appendingPathComponent(".conductor-profile"))
    try FileManager.default.createDirectory(
      at: project.appendingPathComponent(".conductor-profile"), withIntermediateDirectories: false)
    r = try run(sandbox, ["allow", project.path], in: sandbox.root)
    expectError(r, containing: ["is not a regular file"])
    #expect(!FileManager.default.fileExists(atPath: trustPath(sandbox)), "nothing trusted, no trust file")
    #expect(sandbox.storeBytes() == store)
  }

  @Test func allowAndDenyUsageErrors() throws {
    let (sandbox, project) = try treeSandbox()
    expectUsageError(try sandbox.run(["allow", "a", "b"]), command: "allow", containing: "unexpected argument 'b'")
    expectUsageError(try sandbox.run(["deny", "--force"]), command: "deny", containing: "unknown option '--force'")
    expectUsageError(try sandbox.run(["allow", ""]), command: "allow", containing: "DIR is empty")
    expectError(try run(sandbox, ["deny"], in: sandbox.root), containing: ["no .conductor-profile file in"])
    // The file itself may be named.
    let r = try run(sandbox, ["allow", ".conductor-profile"], in: project)
    #expect(r.status == 0 && r.stdout.hasPrefix("allowed \(project.path)/.conductor-profile "), "\(r)")
  }

  @Test func allowWarnsAboutAProfileThatDoesNotExist() throws {
    let (sandbox, project) = try treeSandbox("  later \r\nanything else\n")
    let r = try run(sandbox, ["allow"], in: project)
    #expect(r.status == 0, "\(r)")
    #expect(r.stdout.hasPrefix("allowed \(project.path)/.conductor-profile (profile 'later')"), "\(r)")
    #expect(r.stderr.hasPrefix("warning: there is no profile 'later' yet"), "\(r)")
  }

  @Test func concurrentAllowsLoseNoUpdate() throws {
    let (sandbox, project) = try treeSandbox()
    let trees = (1...12).map { project.appendingPathComponent("t\($0)") }
    for tree in trees {
      try FileManager.default.createDirectory(at: tree, withIntermediateDirectories: true)
      try Data("dev\n".utf8).write(to: tree.appendingPathComponent(".conductor-profile"))
    }
    // All at once: the lock makes each writer re-read what the others wrote.
    let processes = try trees.map { tree in
      let process = Process()
      process.executableURL = URL(fileURLWithPath: Sandbox.program)
      process.arguments = ["allow", tree.path]
      process.environment = sandbox.environment
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      return process
    }
    for process in processes {
      process.waitUntilExit()
      #expect(process.terminationStatus == 0)
    }
    let entries = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: trustPath(sandbox)))) as? [String: Any])
    #expect((entries["trusted"] as? [String: String])?.count == trees.count, "\(entries)")
  }

  // MARK: Completion

  @Test func allowAndDenyCompleteDirectories() throws {
    let (sandbox, project) = try treeSandbox()
    try Data().write(to: project.appendingPathComponent("a-file"))
    if let bash = try requireShell("bash") {
      let script = try sandbox.run(["completions", "bash"]).stdout
      for command in ["allow", "deny"] {
        let program = """
          \(script)
          cd \(ShellSyntax.bash.quote(project.path))
          COMP_WORDS=(conductor-profile \(command) a); COMP_CWORD=2; COMPREPLY=()
          _conductor_profile_complete
          printf '%s\\n' "${COMPREPLY[@]}"
          """
        let r = try sandbox.execute(bash, ["--norc", "--noprofile", "-c", program])
        #expect(r.status == 0 && r.stderr == "", "\(r)")
        #expect(r.stdout == "a\n", "directories only: \(r)")
      }
    }
    if let fish = try requireShell("fish") {
      let script = sandbox.root.appendingPathComponent("completion.fish").path
      try Data(try sandbox.run(["completions", "fish"]).stdout.utf8).write(to: URL(fileURLWithPath: script))
      let r = try sandbox.execute(
        fish,
        [
          "--no-config", "-c",
          "source \(ShellSyntax.fish.quote(script)); cd \(ShellSyntax.fish.quote(project.path)); complete -C 'conductor-profile allow a'",
        ])
      #expect(r.status == 0 && r.stderr == "", "\(r)")
      #expect(r.stdout.split(separator: "\n").map { String($0.prefix { $0 != "\t" }) } == ["a/"], "\(r)")
    }
  }

  // MARK: The directory switch

  func directorySwitch(_ sandbox: Sandbox, _ project: URL, env: [String: String] = [:]) throws -> Sandbox.Result {
    try sandbox.run(
      ["use"],
      env: ["_CONDUCTOR_PROFILE_SHELL": "bash", "_CONDUCTOR_PROFILE_DIRFILE": project.path + "/.conductor-profile"]
        .merging(env) { $1 })
  }

  @Test func aTrustedFileSwitchesMarksAndAnnounces() throws {
    let (sandbox, project) = try treeSandbox()
    #expect(try run(sandbox, ["allow"], in: project).status == 0)
    let file = project.path + "/.conductor-profile"
    let r = try directorySwitch(sandbox, project)
    #expect(r.status == 0, "\(r)")
    #expect(r.stdout.contains("export CONDUCTOR_PROFILE_ACTIVE='dev';\n"), "\(r)")
    #expect(r.stdout.contains("export CONDUCTOR_PROFILE_FILE='\(file)';\n"), "\(r)")
    #expect(r.stderr == "conductor-profile: switched to 'dev' (\(file))\n")
    // current says where it came from; the next switch clears the mark.
    var env =
      try JSONSerialization.jsonObject(
        with: Data(try sandbox.run(["env", "dev", "--format", "json"]).stdout.utf8)) as! [String: String]
    env["CONDUCTOR_PROFILE_FILE"] = file
    let current = try sandbox.run(["current"], env: env)
    #expect(current.status == 0 && current.stdout == "dev\n", "\(current)")
    #expect(current.stderr == "from the directory file \(file)\n")
    let json = try sandbox.run(["current", "--json"], env: env)
    #expect(json.stdout.contains("  \"directoryFile\" : \"\(file)\",\n"), "\(json)")
    let next = try sandbox.run(["use", "prod"], env: env.merging(["_CONDUCTOR_PROFILE_SHELL": "bash"]) { $1 })
    #expect(next.stdout.contains("unset CONDUCTOR_PROFILE_FILE;\n"), "\(next)")
  }

  @Test func anUntrustedOrEditedFileSwitchesNothingAndSaysHowInOneLine() throws {
    let (sandbox, project) = try treeSandbox()
    let file = project.path + "/.conductor-profile"
    var r = try directorySwitch(sandbox, project)
    #expect(r.status == 1 && r.stdout == "", "\(r)")
    #expect(
      r.stderr
        == "conductor-profile: \(file) is not trusted, so nothing switched; trust it with: conductor-profile allow \(project.path)\n"
    )
    #expect(try run(sandbox, ["allow"], in: project).status == 0)
    try Data("prod\n".utf8).write(to: URL(fileURLWithPath: file))
    r = try directorySwitch(sandbox, project)
    #expect(r.status == 1 && r.stdout == "", "\(r)")
    #expect(
      r.stderr
        == "conductor-profile: \(file) changed since it was allowed, so nothing switched; check it, then: conductor-profile allow \(project.path)\n"
    )
  }

  @Test func aLinkNamedConductorProfileIsTrustedWhereItIsNotThroughItsTarget() throws {
    let (sandbox, project) = try treeSandbox()
    #expect(try run(sandbox, ["allow"], in: project).status == 0)
    // Another tree whose .conductor-profile is a link to the trusted file: not trusted.
    let other = sandbox.root.appendingPathComponent("other")
    try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(
      atPath: other.path + "/.conductor-profile", withDestinationPath: project.path + "/.conductor-profile")
    let r = try directorySwitch(sandbox, other)
    #expect(r.status == 1 && r.stdout == "", "\(r)")
    #expect(r.stderr.contains("is not trusted"), "\(r)")
  }

  @Test func aTrustFileOthersCanWriteIsNotUsed() throws {
    let (sandbox, project) = try treeSandbox()
    #expect(try run(sandbox, ["allow"], in: project).status == 0)
    let path = trustPath(sandbox)
    try FileManager.default.setAttributes([.posixPermissions: 0o666], ofItemAtPath: path)
    let before = try Data(contentsOf: URL(fileURLWithPath: path))
    expectError(
      try directorySwitch(sandbox, project),
      containing: ["the trust file \(path) can be written by group or others, so it is not used; fix it with: chmod 600 \(path)"])
    expectError(try run(sandbox, ["allow"], in: project), containing: ["chmod 600"])
    #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
  }

  @Test func aMissingProfileIsOneLine() throws {
    let (sandbox, project) = try treeSandbox("gone\n")
    #expect(try run(sandbox, ["allow"], in: project).status == 0)
    let r = try directorySwitch(sandbox, project)
    #expect(r.status == 1 && r.stdout == "", "\(r)")
    #expect(
      r.stderr
        == "error: \(project.path)/.conductor-profile names the profile 'gone', which does not exist, so nothing switched; add it (conductor-profile add gone …) or edit the file\n"
    )
  }

  @Test func theGuardRefusesADirectorySwitchInBlockMode() throws {
    let (sandbox, project) = try treeSandbox("risky\n")
    try sandbox.addToken("risky", server: "https://prod.example.com", token: annToken)
    #expect(try run(sandbox, ["allow"], in: project).status == 0)
    let r = try directorySwitch(sandbox, project, env: ["CONDUCTOR_PROFILE_GUARD": "block"])
    #expect(r.status == 3 && r.stdout == "", "\(r)")
    #expect(r.stderr.hasPrefix("error: refused by the guard (mode block): profile 'risky' uses a user token"), "\(r)")
    #expect(r.stderr.split(separator: "\n").count == 1, "\(r)")
  }

  @Test func doctorListsTrustedFilesThatNoLongerExist() throws {
    let (sandbox, project) = try treeSandbox()
    #expect(try run(sandbox, ["allow"], in: project).status == 0)
    var r = try sandbox.run(["doctor"], env: ["_CONDUCTOR_PROFILE_SHELL": "bash"])
    #expect(r.stdout.contains("ok: every trusted .conductor-profile file exists (1)\n"), "\(r)")
    try FileManager.default.removeItem(at: project)
    r = try sandbox.run(["doctor"], env: ["_CONDUCTOR_PROFILE_SHELL": "bash"])
    #expect(r.status == 1, "\(r)")
    let real = URL(fileURLWithPath: sandbox.root.path).resolvingSymlinksInPath().path + "/project"
    #expect(
      r.stdout.contains(
        "problem: the trusted .conductor-profile file \(real)/.conductor-profile no longer exists; fix: forget it: conductor-profile deny \(real)\n"
      ), "\(r)")
    #expect(try sandbox.run(["deny", real]).status == 0)
    r = try sandbox.run(["doctor"], env: ["_CONDUCTOR_PROFILE_SHELL": "bash"])
    // Nothing trusted: no line about trusted files is left (doctor's list of the files it writes still names the trust file).
    #expect(!r.stdout.contains("problem: the trusted .conductor-profile file"), "\(r)")
    #expect(!r.stdout.contains("every trusted .conductor-profile file"), "\(r)")
  }
}

// Written for mutants of Tests/Support/mutants.txt that no earlier test killed (docs/mutations.md).
extension DirectoryTrustTests {
  /// E02, E06, E07: a .conductor-profile over 4096 bytes, a directory switch given a relative path, and a
  /// trust file whose "trusted" is not an object are each refused; nothing is trusted or switched.
  @Test func directoryTrustRefusals() throws {
    let trust = DirectoryTrustTests()
    let (sandbox, project) = try trust.treeSandbox("dev\n" + String(repeating: "#", count: 4100) + "\n")
    var r = try trust.run(sandbox, ["allow"], in: project)
    expectError(r, containing: ["is larger than 4096 bytes; a .conductor-profile file holds one profile name"])
    #expect(!FileManager.default.fileExists(atPath: trust.trustPath(sandbox)))
    try Data("dev\n".utf8).write(to: project.appendingPathComponent(".conductor-profile"))
    #expect(try trust.run(sandbox, ["allow"], in: project).status == 0)
    r = try trust.run(
      sandbox, ["use", "dev"], in: sandbox.root,
      env: ["_CONDUCTOR_PROFILE_SHELL": "bash", "_CONDUCTOR_PROFILE_DIRFILE": "project/.conductor-profile"])
    expectError(r, containing: ["_CONDUCTOR_PROFILE_DIRFILE is not an absolute path"])
    try Data(#"{ "trusted" : 5 }"#.utf8).write(to: URL(fileURLWithPath: trust.trustPath(sandbox)))
    r = try trust.run(sandbox, ["allow"], in: project)
    expectError(r, containing: [#"has no "trusted" object"#])
    #expect(FileManager.default.contents(atPath: trust.trustPath(sandbox)) == Data(#"{ "trusted" : 5 }"#.utf8))
  }
}
