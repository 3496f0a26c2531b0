import Foundation
import Testing

/// One bad value on the command line or standard input.
struct BadInput: CustomTestStringConvertible, Sendable {
  let label: String
  let arguments: [String]
  var stdin: String? = nil
  /// Words the error must contain: the bad value and the way to fix it.
  let mentions: [String]
  /// Only meaningful against an existing store (the profile must exist).
  var needsStore = false
  var status: Int32 = 1
  var testDescription: String { label }
}

let addOptions = ["add", "--server", "https://x.example.com", "--no-auth"]
let add = addOptions + ["--"]
func addServer(_ server: String) -> [String] { ["add", "new", "--server", server, "--no-auth"] }
func addToken(_ token: String) -> BadInput {
  BadInput(
    label: "token \(token.prefix(20))", arguments: ["add", "new", "--server", "https://x.example.com", "--user-token"],
    stdin: token, mentions: ["user token", "Copy Token"])
}

/// Every value the contract refuses.
let badInputs: [BadInput] = [
  BadInput(label: "empty name", arguments: add + [""], mentions: ["profile name cannot be empty", "letters, digits"]),
  BadInput(label: "name -x", arguments: add + ["-x"], mentions: ["'-x'", "starting with a letter or digit"]),
  BadInput(label: "65-char name", arguments: add + [String(repeating: "a", count: 65)], mentions: ["1 to 64"]),
  BadInput(label: "name a b", arguments: add + ["a b"], mentions: ["'a b'", "letters, digits"]),
  BadInput(label: "name é", arguments: add + ["é"], mentions: ["'é'", "letters, digits"]),
  BadInput(label: "name a/b", arguments: add + ["a/b"], mentions: ["'a/b'"]),
  BadInput(label: "rename to a bad name", arguments: ["rename", "dev", "a..b/"], mentions: ["'a..b/'"], needsStore: true),
  BadInput(
    label: "server ftp", arguments: addServer("ftp://x.example.com"), mentions: ["'ftp://x.example.com'", "not http or https"]),
  BadInput(
    label: "server without scheme", arguments: addServer("x.example.com"), mentions: ["'x.example.com'", "no scheme", "https://"]),
  BadInput(label: "server query", arguments: addServer("https://x/?q=1"), mentions: ["'https://x/?q=1'", "query"]),
  BadInput(label: "server fragment", arguments: addServer("https://x/#f"), mentions: ["'https://x/#f'", "fragment"]),
  BadInput(label: "server whitespace", arguments: addServer("https://x .example.com"), mentions: ["whitespace"]),
  BadInput(
    label: "server trailing newline", arguments: addServer("https://x.example.com\n"), mentions: ["'https://x.example.com\\n'"]),
  BadInput(label: "server empty", arguments: addServer(""), mentions: ["invalid server ''", "empty"]),
  BadInput(label: "server empty host", arguments: addServer("https://"), mentions: ["no host"]),
  BadInput(label: "server empty host with port", arguments: addServer("https://:8080/api"), mentions: ["no host"]),
  BadInput(label: "server port 0", arguments: addServer("https://x.example.com:0"), mentions: ["port '0'", "1 to 65535"]),
  BadInput(label: "server port 70000", arguments: addServer("https://x.example.com:70000"), mentions: ["port '70000'"]),
  BadInput(label: "server port text", arguments: addServer("https://x.example.com:http"), mentions: ["port 'http'"]),
  BadInput(label: "server user@host", arguments: addServer("https://user@x.example.com"), mentions: ["user name or password"]),
  BadInput(
    label: "server user:pass@host", arguments: addServer("https://u:p@x.example.com"), mentions: ["user name or password"]),
  BadInput(label: "server bad host", arguments: addServer("https://x_y!.example.com"), mentions: ["not a valid host name"]),
  BadInput(
    label: "set server", arguments: ["set", "dev", "--server", "gopher://x"], mentions: ["'gopher://x'"], needsStore: true),
  BadInput(
    label: "key id with a space", arguments: ["add", "new", "--server", "https://x.example.com", "--key-id", "a b"], stdin: "s",
    mentions: ["invalid key id 'a b'", "whitespace"]),
  BadInput(
    label: "key id with a tab", arguments: ["add", "new", "--server", "https://x.example.com", "--key-id", "a\tb"], stdin: "s",
    mentions: ["'a\\tb'"]),
  BadInput(
    label: "empty key id", arguments: ["add", "new", "--server", "https://x.example.com", "--key-id", ""], stdin: "s",
    mentions: ["key id is empty", "Access Control > Applications"]),
  BadInput(
    label: "empty secret", arguments: ["add", "new", "--server", "https://x.example.com", "--key-id", "k"], stdin: "",
    mentions: ["key secret is empty"]),
  BadInput(
    label: "secret just a newline", arguments: ["add", "new", "--server", "https://x.example.com", "--key-id", "k"],
    stdin: "\n", mentions: ["key secret is empty"]),
  BadInput(
    label: "secret with a control character", arguments: ["add", "new", "--server", "https://x.example.com", "--key-id", "k"],
    stdin: "ab\u{07}cd", mentions: ["control character", "one line"]),
  BadInput(
    label: "secret on two lines", arguments: ["add", "new", "--server", "https://x.example.com", "--key-id", "k"],
    stdin: "line1\nline2\n", mentions: ["control character"]),
  BadInput(
    label: "secret with NUL", arguments: ["add", "new", "--server", "https://x.example.com", "--key-id", "k"], stdin: "a\u{0}b",
    mentions: ["NUL"]),
  BadInput(
    label: "set secret with a tab", arguments: ["set", "dev", "--secret"], stdin: "a\tb", mentions: ["control character"],
    needsStore: true),
  addToken("aaaa.bbbb"),
  addToken("eyJhbGciOiJub25lIn0.bm90IGpzb24.sig"),  // payload "not json"
  addToken("eyJ!!!.eyJhIjoxfQ.sig"),
  addToken("Bearer " + annToken),
  addToken("eyJhbGciOiJub25lIn0.WzEsMl0.sig"),  // payload [1,2], not an object
  addToken("eyJhbGciOiJub25lIn0.eyJleHAiOiJzb29uIn0.sig"),  // exp "soon"
  addToken(""),
  addToken("a.b.c.d"),
  BadInput(
    label: "set token", arguments: ["set", "dev", "--user-token"], stdin: "not-a-jwt", mentions: ["not a JWT"], needsStore: true),
  BadInput(
    label: "duplicate name", arguments: ["add", "dev", "--server", "https://x.example.com", "--no-auth"],
    mentions: ["'dev' already exists", "--force"], needsStore: true),
  BadInput(label: "unknown profile in set", arguments: ["set", "nope", "--production"], mentions: ["'nope'"], status: 64),
  BadInput(label: "unknown profile in remove", arguments: ["remove", "dev", "nope"], mentions: ["'nope'"], status: 64),
  BadInput(label: "unknown profile in env", arguments: ["env", "nope"], mentions: ["'nope'"], status: 64),
  BadInput(
    label: "--env CONDUCTOR_AUTH_KEY", arguments: addOptions + ["--env", "CONDUCTOR_AUTH_KEY=x", "new"],
    mentions: ["CONDUCTOR_AUTH_KEY", "choose another name"]),
  BadInput(
    label: "--env CONDUCTOR_PROFILE_X", arguments: addOptions + ["--env", "CONDUCTOR_PROFILE_X=x", "new"],
    mentions: ["CONDUCTOR_PROFILE_X"]),
  BadInput(
    label: "--env CONDUCTOR_SERVER_URL", arguments: addOptions + ["--env", "CONDUCTOR_SERVER_URL=x", "new"],
    mentions: ["CONDUCTOR_SERVER_URL"]),
  BadInput(
    label: "--env CONDUCTOR_PROFILE", arguments: addOptions + ["--env", "CONDUCTOR_PROFILE=x", "new"],
    mentions: ["CONDUCTOR_PROFILE"]),
  BadInput(label: "--env PATH", arguments: addOptions + ["--env", "PATH=/tmp", "new"], mentions: ["PATH"]),
  BadInput(
    label: "--env 1A", arguments: addOptions + ["--env", "1A=x", "new"],
    mentions: ["invalid variable name '1A'", "not starting with a digit"]),
  BadInput(label: "--env A-B", arguments: addOptions + ["--env", "A-B=x", "new"], mentions: ["'A-B'"]),
  BadInput(label: "--env =x", arguments: addOptions + ["--env", "=x", "new"], mentions: ["invalid variable name ''"]),
  BadInput(label: "--env é", arguments: addOptions + ["--env", "é=x", "new"], mentions: ["'é'"]),
  BadInput(
    label: "set --env managed", arguments: ["set", "dev", "--env", "CONDUCTOR_AUTH_SECRET=x"],
    mentions: ["CONDUCTOR_AUTH_SECRET"],
    needsStore: true),
  BadInput(
    label: "set --unset-env missing", arguments: ["set", "dev", "--unset-env", "NOPE"], mentions: ["'NOPE'"], needsStore: true),
]

@Suite struct BadInputTests {
  @Test(arguments: badInputs)
  func refusedWithTheStoreUnchanged(_ input: BadInput) throws {
    // Against an existing store: bytes unchanged.
    let s = try Sandbox()
    try s.addKey("dev", extra: ["--env", "KEEP=1"])
    let before = try #require(s.storeBytes())
    let listing = s.storeDirectoryListing()
    let r = try s.run(input.arguments, stdin: input.stdin)
    #expect(r.status == input.status, "\(r)")
    #expect(r.stdout == "", "\(r)")
    #expect(r.stderr.hasPrefix(input.status == 64 ? "Error: " : "error: "), "\(r)")
    for word in input.mentions { #expect(r.stderr.contains(word), "missing \(word): \(r)") }
    #expect(r.stderr.split(separator: "\n").count <= 3, "one message: \(r)")
    #expect(s.storeBytes() == before)
    #expect(s.storeDirectoryListing() == listing)
    // Secrets given on standard input never appear in the message.
    if let stdin = input.stdin, stdin.count > 3, !input.label.contains("token") {
      #expect(!r.stderr.contains(stdin.trimmingCharacters(in: .newlines)), "the secret was printed: \(r)")
    }
    if input.label.hasPrefix("token"), let token = input.stdin, !token.isEmpty {
      #expect(!r.stderr.contains(token), "the token was printed: \(r)")
    }

    // With no store at all: still none, and no directory made.
    guard !input.needsStore else { return }
    let empty = try Sandbox()
    let r2 = try empty.run(input.arguments.map { $0 == "dev" ? "nothere" : $0 }, stdin: input.stdin)
    #expect(r2.status != 0, "\(r2)")
    #expect(empty.storeBytes() == nil)
    #expect(!FileManager.default.fileExists(atPath: empty.storeDirectory), "\(input.label) created the directory")
  }

  @Test func moreThanADozenCases() { #expect(badInputs.count >= 12) }
}

/// Inputs the contract refuses, each the one a surviving mutant let through.
let sweptInputs: [BadInput] = [
  // V05: a C0 control character in a server's path.
  BadInput(
    label: "server with \\x01 in its path", arguments: addServer("https://x.example.com/a\u{01}b"),
    mentions: ["'https://x.example.com/a\\x01b'", "whitespace or a control character"]),
  // V06: DEL in a server's path.
  BadInput(
    label: "server with DEL in its path", arguments: addServer("https://x.example.com/a\u{7F}b"),
    mentions: ["'https://x.example.com/a\\x7fb'", "whitespace or a control character"]),
  // V19: a port with a sign (Int("+8080") is 8080).
  BadInput(
    label: "server port +8080", arguments: addServer("https://x.example.com:+8080"),
    mentions: ["port '+8080'", "1 to 65535"]),
  // C01: a fourth segment after a valid JWT.
  BadInput(
    label: "token with four segments",
    arguments: ["add", "new", "--server", "https://x.example.com", "--user-token"], stdin: annToken + ".",
    mentions: ["4 dot-separated segments, not 3", "Copy Token"]),
  // V12: text other than ':' after an IPv6 literal (without the check, "x8080" was read as the port 8080).
  BadInput(
    label: "text after an IPv6 address", arguments: addServer("https://[::1]x8080"),
    mentions: ["'https://[::1]x8080'", "unexpected text after the IPv6 address"]),
  // V15: an empty label inside the host.
  BadInput(
    label: "server host with '..'", arguments: addServer("https://a..b.example.com"),
    mentions: ["the host 'a..b.example.com' is not a valid host name"]),
  // V16: a host starting with '.'.
  BadInput(
    label: "server host starting with '.'", arguments: addServer("https://.x.example.com"),
    mentions: ["the host '.x.example.com' is not a valid host name"]),
  // V29: a control character (not whitespace) in a key id.
  BadInput(
    label: "key id with \\x01", arguments: ["add", "new", "--server", "https://x.example.com", "--key-id", "a\u{01}b"],
    stdin: "s", mentions: ["invalid key id 'a\\x01b'", "whitespace or a control character"]),
  // C04: a signature that is not base64url.
  BadInput(
    label: "token signature not base64url",
    arguments: ["add", "new", "--server", "https://x.example.com", "--user-token"], stdin: annToken + "sig!",
    mentions: ["its signature is not base64url", "Copy Token"]),
  // C05: 'Bearer ' before the token is refused by name, not as a header that is not base64url.
  BadInput(
    label: "token after 'Bearer '",
    arguments: ["add", "new", "--server", "https://x.example.com", "--user-token"], stdin: "Bearer " + annToken,
    mentions: ["it starts with 'Bearer '; give the token alone"]),
  // C07: base64url with text after its padding.
  BadInput(
    label: "token signature with text after '='",
    arguments: ["add", "new", "--server", "https://x.example.com", "--user-token"], stdin: annToken + "ab=c",
    mentions: ["its signature is not base64url"]),
  // C08: five base64url characters leave 6 bits no byte string makes.
  BadInput(
    label: "token signature of 5 characters",
    arguments: ["add", "new", "--server", "https://x.example.com", "--user-token"], stdin: annToken + "abcde",
    mentions: ["its signature is not base64url"]),
  // C08: three '=' of padding.
  BadInput(
    label: "token signature with '==='",
    arguments: ["add", "new", "--server", "https://x.example.com", "--user-token"], stdin: annToken + "ab===",
    mentions: ["its signature is not base64url"]),
  // H13: eight groups beside '::' (no group left for it to stand for).
  BadInput(
    label: "IPv6 with 8 groups and '::'", arguments: addServer("https://[1:2:3:4::5:6:7:8]"),
    mentions: ["'https://[1:2:3:4::5:6:7:8]'", "the IPv6 address is not valid"]),
  // H14: an IPv6 group of five hex digits (its value fits 16 bits).
  BadInput(
    label: "IPv6 group of 5 digits", arguments: addServer("https://[00001::1]"),
    mentions: ["'https://[00001::1]'", "the IPv6 address is not valid"]),
]

// Written for mutants of Tests/Support/mutants.txt that no earlier test killed (docs/mutations.md).
extension BadInputTests {
  /// As `BadInputTests.refusedWithTheStoreUnchanged`: the exact status, one `error:` line naming the value,
  /// nothing on standard output, the store unchanged byte for byte.
  @Test(arguments: sweptInputs)
  func aSweptInputIsRefusedWithTheStoreUnchanged(_ input: BadInput) throws {
    let s = try Sandbox()
    try s.addKey("dev")
    let before = try #require(s.storeBytes())
    let listing = s.storeDirectoryListing()
    let r = try s.run(input.arguments, stdin: input.stdin)
    #expect(r.status == input.status, "\(r)")
    #expect(r.stdout == "", "\(r)")
    #expect(r.stderr.hasPrefix(input.status == 64 ? "Error: " : "error: "), "\(r)")
    #expect(r.stderr.split(separator: "\n").count == 1, "one line: \(r)")
    for word in input.mentions { #expect(r.stderr.contains(word), "missing \(word): \(r)") }
    #expect(s.storeBytes() == before)
    #expect(s.storeDirectoryListing() == listing)
  }
}
