import Testing

@testable import ConductorNetwork
@testable import ProfileCommands
@testable import ProfileModel
@testable import ShellOutput

@Suite struct FlatYAMLTests {
  @Test(
    arguments: [
      ("key: value", "value"),
      ("key: value   # a comment", "value"),
      ("key: a#b", "a#b"),
      ("key: 'it''s # not a comment'", "it's # not a comment"),
      ("key: \"a \\\"b\\\" \\\\ \\u00e9\"  # c", "a \"b\" \\ é"),
      ("key: https://x.example.com:8443/api", "https://x.example.com:8443/api"),
      ("key:", nil),
      ("key: ~", nil),
      ("key: ''", ""),
      ("key: eyJh.eyJz.sig", "eyJh.eyJz.sig"),
    ] as [(String, String?)])
  func values(line: String, value: String?) throws {
    let entries = try FlatYAML.parse(Array("# header\n---\n\n\(line)\r\n".utf8))
    #expect(entries == [FlatYAML.Entry(key: "key", value: value, line: 4)])
  }

  @Test(arguments: [
    ("a: 1\n  b: 2\n", 2),
    ("- a\n", 1),
    ("a: |\n  text\n", 1),
    ("a: {b: 1}\n", 1),
    ("a: 'open\n", 1),
    ("a: \"x\" y\n", 1),
    ("a: 1\na: 2\n", 2),
    ("just text\n", 1),
    ("a: 1\n---\nb: 2\n", 2),
    ("a: \"\\q\"\n", 1),
  ])
  func refusals(text: String, line: Int) {
    #expect(throws: FlatYAML.SyntaxError.self) { try FlatYAML.parse(Array(text.utf8)) }
    do {
      _ = try FlatYAML.parse(Array(text.utf8))
    } catch {
      #expect(error.line == line, "\(error)")
    }
  }
}
