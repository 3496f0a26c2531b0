import Foundation
import Testing

@testable import ProfileModel

/// Names from a hand-edited store never become paths, and one invalid profile does not hide the others.
@Suite struct InvalidProfileTests {
  static let store = """
    {
      "profiles" : {
        "../../x" : { "auth" : { "kind" : "none" }, "server" : "https://x.example.com/api" },
        "bad" : { "auth" : { "kind" : "key" }, "server" : "https://b.example.com/api" },
        "dev" : { "auth" : { "kind" : "none" }, "server" : "https://dev.example.com/api" }
      },
      "version" : 1
    }

    """

  @Test func listShowsEveryValidProfileMarksTheInvalidOnesAndExits1() throws {
    let s = try Sandbox()
    try s.writeStore(Self.store)
    var r = try s.run(["list"])
    #expect(r.status == 1, "\(r)")
    #expect(
      r.stdout == """
          NAME     SERVER                       AUTH     PRODUCTION  TOKEN EXPIRES
        ! ../../x  -                            invalid  -           -
        ! bad      -                            invalid  -           -
          dev      https://dev.example.com/api  none     no          -

        """, "\(r)")
    #expect(
      r.stderr == """
        error: profile '../../x' is not valid: invalid profile name '../../x': use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit; rename it with: conductor-profile rename ../../x NEW
        error: profile 'bad' is not valid: its auth has no "keyId"; fix it in \(s.storePath) by hand, or remove it with: conductor-profile remove bad

        """, "\(r)")
    r = try s.run(["list", "--json"])
    #expect(r.status == 1, "\(r)")
    let array = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
    #expect(array.map { $0["name"] as? String } == ["../../x", "bad", "dev"])
    #expect(array.map { $0["invalid"] as? Bool } == [true, true, nil])
    #expect(array[1]["problem"] as? String == "its auth has no \"keyId\"")
    #expect(array[2]["server"] as? String == "https://dev.example.com/api")
    // A store with only valid profiles: exit 0, no "invalid" key.
    #expect(try s.run(["remove", "../../x", "bad"]).status == 0)
    r = try s.run(["list", "--json"])
    #expect(r.status == 0 && !r.stdout.contains("invalid") && r.stderr == "", "\(r)")
  }

  /// remove, rename and set of a name such as `../../x` touch nothing outside the token cache's directory.
  @Test func anInvalidNameTouchesNothingOutsideTheCache() throws {
    let s = try Sandbox()
    try s.writeStore(Self.store)
    let cache = s.root.appendingPathComponent("cache").path
    let tokens = cache + "/conductor-profile/tokens"
    try FileManager.default.createDirectory(atPath: tokens, withIntermediateDirectories: true)
    // Where `tokens/../../x.json` leads: a file that is not the tool's.
    let outside = cache + "/x.json"
    #expect(FileManager.default.createFile(atPath: outside, contents: Data("keep".utf8)))
    let env = ["XDG_CACHE_HOME": cache]
    var r = try s.run(["set", "../../x", "--description", "d"], env: env)
    #expect(FileManager.default.contents(atPath: outside) == Data("keep".utf8), "\(r)")
    r = try s.run(["rename", "../../x", "y"], env: env)
    #expect(r.status == 0 && r.stdout == "renamed profile '../../x' to 'y'\n", "\(r)")
    #expect(FileManager.default.contents(atPath: outside) == Data("keep".utf8))
    try s.writeStore(Self.store)
    r = try s.run(["remove", "../../x"], env: env)
    #expect(r.status == 0, "\(r)")
    #expect(FileManager.default.contents(atPath: outside) == Data("keep".utf8))
    #expect(try s.run(["list"], env: env).stdout.contains("../../x") == false)
  }
}
