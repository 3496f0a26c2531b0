import Foundation
import Testing

@testable import ConductorNetwork
@testable import ProfileCommands
@testable import ProfileModel

/// Failures carry their data (the path and errno, the document with line and column, the profile), and
/// their text is made where they are shown: the fix is separate, so a report can give its own.
@Suite struct TypedFailureTests {
  @Test func aStoreThatIsNotJSONSaysWhereWithTheLineAndColumn() {
    let file = StoreFile(path: "/x/profiles.json")
    #expect(
      throws: Failure.document(
        .store(path: "/x/profiles.json"),
        .syntax(JSONSyntaxError(line: 2, column: 3, reason: "expected a member name in double quotes")))
    ) {
      _ = try file.decode(Array("{\n  ]".utf8))
    }
    do {
      _ = try file.decode(Array("{\n  ]".utf8))
    } catch {
      #expect(
        error.problem
          == "the profile store /x/profiles.json is not valid JSON: line 2, column 3: expected a member name in double quotes")
      #expect(error.fix == "fix it by hand (it was not changed)")
      #expect(error.description == error.problem + "; " + error.fix!)
      #expect(error.exitCode == 1)
    }
  }

  @Test func aStoreWithABadProfileNamesTheProfileInside() throws {
    let file = StoreFile(path: "/x/p.json")
    let store = try file.decode(Array(#"{"profiles": {"dev": {"server": "ftp://x", "auth": {"kind": "none"}}}}"#.utf8))
    #expect {
      _ = try store.profile(named: "dev")
    } throws: { error in
      guard case .profile("dev", let problem) = error as? Failure else { return false }
      return (error as! Failure).problem == "profile 'dev': \(problem.description)" && problem.exitCode == 1
    }
  }

  @Test func aFileThatCannotBeReadCarriesItsPathAndErrno() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "typed-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    defer { try? FileManager.default.removeItem(at: dir) }
    try FileManager.default.createDirectory(atPath: dir.path, withIntermediateDirectories: true)
    let file = dir.appendingPathComponent("a file").path
    #expect(FileManager.default.createFile(atPath: file, contents: Data()))
    let path = file + "/inside"
    #expect(throws: Failure.file(path, .read, errno: ENOTDIR)) { _ = try Posix.readFile(path, limit: .document) }
    // A path with a blank is quoted in the text, so where it ends is clear.
    #expect(Failure.file(path, .read, errno: ENOTDIR).description == "cannot read '\(path)': Not a directory")
    // A directory where a file is expected is said as such, before any read (the bounded reader).
    #expect(
      throws: Failure.error(
        "'\(dir.path)/a directory' is a directory, not a regular file; a document must be a file (nothing was read)")
    ) {
      try FileManager.default.createDirectory(atPath: dir.path + "/a directory", withIntermediateDirectories: true)
      _ = try Posix.readFile(dir.path + "/a directory", limit: .document)
    }
  }

  @Test func anUnknownProfileIsAUsageErrorThatKnowsTheNames() {
    let failure = Failure.unknownProfile("stagin", command: .use, known: ["staging", "prod"])
    #expect(failure.exitCode == 64)
    #expect(failure.problem == "no profile named 'stagin'")
    #expect(
      Failure.unknownProfile("x", command: .use, known: []).problem.hasSuffix(
        "(there are no profiles yet; add one with: conductor-profile add NAME --server URL --key-id ID)"))
  }
}

/// A name written to the store is a `ProfileName`: a hand-edited invalid name is shown, removed and renamed
/// as it is, but `set` and `default` never write it back.
@Suite struct WrittenNameTests {
  static let store = """
    {
      "profiles" : {
        "bad name" : { "auth" : { "kind" : "none" }, "server" : "https://x.example.com/api" }
      },
      "version" : 1
    }

    """

  @Test func setAndDefaultRefuseToWriteAnInvalidNameBack() throws {
    for arguments in [["set", "bad name", "--description", "x"], ["default", "bad name"]] {
      let s = try Sandbox()
      try s.writeStore(Self.store)
      let before = try #require(s.storeBytes())
      let r = try s.run(arguments)
      #expect(r.status == 1, "\(r)")
      #expect(r.stdout == "")
      #expect(
        r.stderr
          == "error: invalid profile name 'bad name': use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit\n"
      )
      #expect(s.storeBytes() == before)
    }
  }

  @Test func anInvalidNameCanStillBeRenamedOrRemoved() throws {
    let s = try Sandbox()
    try s.writeStore(Self.store)
    let renamed = try s.run(["rename", "bad name", "good"])
    #expect(renamed.status == 0, "\(renamed)")
    #expect(renamed.stdout == "renamed profile 'bad name' to 'good'\n")
    try s.writeStore(Self.store)
    let removed = try s.run(["remove", "bad name"])
    #expect(removed.status == 0, "\(removed)")
    #expect(removed.stdout == "removed profile 'bad name'\n")
  }
}

/// A usage error names the option at fault, and a server's failure carries the server, as data.
@Suite struct TypedUsageAndServerTests {
  @Test func aBadOptionValueNamesTheOption() throws {
    let spec = try #require(Commands.spec(named: "env"))
    let invocation = try #require(try Invocation.parse(["dev", "--shell", "bsh"], for: spec))
    do throws(Failure) {
      _ = try EnvCommand.Options(invocation)
      Issue.record("--shell bsh was taken")
    } catch {
      guard case .usage(let message, let command, let option, _) = error else {
        Issue.record("not a usage error: \(error)")
        return
      }
      #expect(message == "unknown shell 'bsh'; use bash, zsh, fish or sh")
      #expect(command == .env)
      #expect(option == "shell")
    }
    let noServer = try #require(try Invocation.parse(["dev", "--no-auth"], for: AddCommand.spec))
    #expect(throws: Failure.usage("missing --server URL", command: .add, option: "server")) {
      _ = try AddCommand.Options(noServer)
    }
  }

  @Test func aServerThatCannotBeReachedIsNamed() throws {
    _ = try Tool.require("curl")
    let url = "http://127.0.0.1:1/api/metadata/workflow"
    do throws(Failure) {
      _ = try HTTP.send(HTTPRequest(method: "GET", url: url), environment: ProcessInfo.processInfo.environment)
      Issue.record("nothing listens on port 1, yet the request succeeded")
    } catch {
      guard case .server(let server, let problem) = error else {
        Issue.record("not a server failure: \(error)")
        return
      }
      #expect(server == url)
      #expect(problem.hasPrefix("cannot reach \(url): could not connect to 127.0.0.1:1"), "\(problem)")
      #expect(error.exitCode == 1)
    }
  }
}
