import Foundation
import Testing

@testable import ConductorNetwork
@testable import ProfileCommands
@testable import ProfileModel
@testable import ShellOutput

/// The model's rules refuse a value with a message that says what was wrong, with what, and how to fix it.
/// These are the golden messages: the wording, byte for byte, for one value each rule refuses.
@Suite struct ValidationFailureTests {
  static func message(_ body: () throws(Failure) -> Void) -> String? {
    do throws(Failure) {
      try body()
      return nil
    } catch {
      return error.description
    }
  }

  static let urlHint = "; give an http or https URL such as https://conductor.example.com/api"
  static let nameRule = "use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"
  static let copyToken = "; copy it again from the Conductor UI (user menu > Copy Token)"

  @Test(arguments: [
    ("", "a profile name cannot be empty: \(nameRule)"),
    ("-x", "invalid profile name '-x': \(nameRule)"),
    (String(repeating: "a", count: 65), "invalid profile name '\(String(repeating: "a", count: 65))': \(nameRule)"),
    ("a b", "invalid profile name 'a b': \(nameRule)"),
  ])
  func profileNames(_ text: String, _ expected: String) {
    #expect(Self.message { () throws(Failure) in _ = try ProfileName(validating: text) } == expected)
  }

  @Test(arguments: [
    ("", "it is empty"),
    ("https://x y", "it contains whitespace or a control character"),
    ("https://x/?a=1", "it has a query ('?…'), which a server address cannot carry"),
    ("https://x/#f", "it has a fragment ('#…'), which a server address cannot carry"),
    ("x.example.com", "it has no scheme"),
    ("ftp://x", "the scheme 'ftp' is not http or https"),
    ("https://u:p@x", "it has a user name or password in it"),
    ("https://[::1", "the IPv6 address has no closing ']'"),
    ("https://[::1]x", "unexpected text after the IPv6 address"),
    ("https://[zz]", "the IPv6 address is not valid"),
    ("https://", "it has no host"),
    ("https://a..b", "the host 'a..b' is not a valid host name"),
    ("https://x:0", "the port '0' is not a number from 1 to 65535"),
    ("https://x:", "the port '' is not a number from 1 to 65535"),
  ])
  func servers(_ text: String, _ why: String) {
    #expect(
      Self.message { () throws(Failure) in _ = try Server(validating: text) }
        == "invalid server \(quoted(text)): \(why)\(Self.urlHint)")
  }

  @Test func serverTypes() {
    #expect(
      Self.message { () throws(Failure) in _ = try ServerType(validating: "cloud") }
        == "invalid server type 'cloud': use OSS (open-source Conductor) or Enterprise (Orkes Conductor)")
  }

  @Test func accessKeys() {
    #expect(
      Self.message { () throws(Failure) in try validateKeyID("") }
        == "the key id is empty; give the id of an application access key (Access Control > Applications)")
    #expect(
      Self.message { () throws(Failure) in try validateKeyID("a b") }
        == "invalid key id 'a b': it contains whitespace or a control character; copy the key id again")
    #expect(
      Self.message { () throws(Failure) in try validateKeySecret("") }
        == "the key secret is empty; give the secret shown when the access key was created")
    #expect(
      Self.message { () throws(Failure) in try validateKeySecret("a\nb") }
        == "the key secret contains a control character (a line break or tab?); give it on one line")
  }

  @Test(arguments: [
    ("Bearer e30.e30.", "it starts with 'Bearer '; give the token alone"),
    ("a", "it has 1 dot-separated segment, not 3"),
    ("a.b", "it has 2 dot-separated segments, not 3"),
    ("!!.e30.", "its header is not base64url"),
    ("e30.!!.", "its payload is not base64url"),
    ("W10.e30.", "its header is not a JSON object"),
    ("e30.W10.", "its payload is not a JSON object"),
    ("e30.e30.!!", "its signature is not base64url"),
    ("e30.eyJleHAiOiJ4In0.", #"its exp claim '"x"' is not a time in Unix seconds between 1970 and 9999"#),
  ])
  func userTokens(_ text: String, _ why: String) {
    #expect(
      Self.message { () throws(Failure) in _ = try JWT(validating: text) }
        == "the user token is not a JWT: \(why)\(Self.copyToken)")
  }

  @Test func anEmptyUserToken() {
    #expect(
      Self.message { () throws(Failure) in _ = try JWT(validating: "") }
        == "the user token is empty; copy it from the Conductor UI (user menu > Copy Token)")
  }

  @Test func extraVariables() throws {
    #expect(
      Self.message { () throws(Failure) in try validateExtraVariable(name: "lower", value: "") }
        == "invalid variable name 'lower': an extra variable is an environment variable, named with upper-case letters, digits and '_', not starting with a digit (lower-case names are a shell's own variables)"
    )
    let family = try #require(VariablePolicy.refusal("LD_PRELOAD"))
    #expect(
      Self.message { () throws(Failure) in try validateExtraVariable(name: "LD_PRELOAD", value: "") }
        == "a profile cannot set LD_PRELOAD (\(family.family): \(family.brief)); choose another name (docs/security.md lists the refused names and why)"
    )
    #expect(
      Self.message { () throws(Failure) in try validateExtraVariable(name: "X", value: "a\u{0}b") }
        == "the value of X contains a NUL byte, which no environment variable can hold")
    let long = String(repeating: "v", count: VariablePolicy.maximumValueBytes + 1)
    #expect(
      Self.message { () throws(Failure) in try validateExtraVariable(name: "X", value: long) }
        == "the value of X is \(long.utf8.count) bytes, more than the \(VariablePolicy.maximumValueBytes) an extra variable may hold; shorten it"
    )
  }

  @Test func aSwitchTooLargeToExport() {
    let exports = [Variable("X", String(repeating: "v", count: Limits.switchBytes))]
    #expect(
      Self.message { () throws(Failure) in try Limits.checkSwitchSize(exports, name: "big") }
        == "profile 'big' would export \(Limits.switchBytes + 3) bytes of variables, more than a shell can pass on to the programs it starts (\(Limits.switchBytes) bytes); shorten its extra variables"
    )
  }
  // MARK: The cases

  static func invalid(_ body: () throws(Failure) -> Void) -> Invalid? {
    do throws(Failure) {
      try body()
      return nil
    } catch {
      guard case .invalid(let invalid) = error else { return nil }
      #expect(error.exitCode == 1 && error.fix == nil && error.description == invalid.description)
      return invalid
    }
  }

  /// Each rule throws the case that says what was wrong, with what.
  @Test func eachRuleThrowsItsCase() {
    let long = String(repeating: "a", count: 65)
    #expect(Self.invalid { () throws(Failure) in _ = try ProfileName(validating: "") } == .nameEmpty)
    #expect(Self.invalid { () throws(Failure) in _ = try ProfileName(validating: long) } == .nameTooLong(long, limit: 64))
    #expect(Self.invalid { () throws(Failure) in _ = try ProfileName(validating: "_a") } == .nameStart("_a"))
    #expect(Self.invalid { () throws(Failure) in _ = try ProfileName(validating: "a/b") } == .nameCharacters("a/b"))
    #expect(Self.invalid { () throws(Failure) in _ = try ProfileName(validating: "é") } == .nameStart("é"))
    #expect(Self.invalid { () throws(Failure) in _ = try ProfileName(validating: "a" + long.dropFirst(2)) } == nil)
    let servers: [(String, ServerFault)] = [
      ("", .empty), ("https://x/?q", .query), ("https://x/#f", .fragment), ("x", .noScheme), ("ftp://x", .scheme("ftp")),
      ("https://u@x", .userInfo), ("https://x:99999", .port("99999")), ("https://a_b..c", .host("a_b..c")),
      ("https://[::1]:8080x", .port("8080x")), ("https://[::1", .ipv6Unclosed), ("https://", .noHost),
    ]
    for (text, fault) in servers {
      #expect(Self.invalid { () throws(Failure) in _ = try Server(validating: text) } == .server(text, fault), "\(text)")
    }
    #expect(Self.invalid { () throws(Failure) in _ = try ServerType(validating: "x") } == .serverType("x"))
    #expect(Self.invalid { () throws(Failure) in try validateKeyID("") } == .keyIDEmpty)
    #expect(Self.invalid { () throws(Failure) in try validateKeyID("a\tb") } == .keyIDCharacters("a\tb"))
    #expect(Self.invalid { () throws(Failure) in try validateKeySecret("") } == .keySecretEmpty)
    #expect(Self.invalid { () throws(Failure) in try validateKeySecret("a\u{7F}") } == .keySecretControl)
    #expect(Self.invalid { () throws(Failure) in _ = try JWT(validating: "") } == .tokenEmpty)
    #expect(Self.invalid { () throws(Failure) in _ = try JWT(validating: "a.b.c.d") } == .token(.segments(4)))
    #expect(Self.invalid { () throws(Failure) in _ = try JWT(validating: "e30.W10.") } == .token(.notObject(.payload)))
    #expect(Self.invalid { () throws(Failure) in _ = try JWT(validating: "e30.e30.*") } == .token(.notBase64(.signature)))
    #expect(Self.invalid { () throws(Failure) in _ = try JWT(validating: "bearer e30.e30.") } == .token(.bearer))
    #expect(Self.invalid { () throws(Failure) in try validateExtraVariable(name: "a", value: "") } == .variableName("a"))
    let family = VariablePolicy.refusal("PS1")!
    #expect(
      Self.invalid { () throws(Failure) in try validateExtraVariable(name: "PS1", value: "") }
        == .variableRefused("PS1", family: family.family, why: family.brief))
    #expect(Self.invalid { () throws(Failure) in try validateExtraVariable(name: "A", value: "\u{0}") } == .variableNUL("A"))
  }
  /// A profile of the store that is not one: the member at fault, said as this profile's (`Failure.profile`).
  @Test(arguments: [
    (#"[]"#, "is not a JSON object", StoredFault.notAnObject),
    (#"{"auth": {"kind": "none"}}"#, #"has no "server" string"#, .noServer),
    (#"{"server": "https://x"}"#, #"has no "auth" object"#, .noAuth),
    (#"{"server": "https://x", "auth": {}}"#, #"its auth has no "kind""#, .authMissing("kind")),
    (#"{"server": "https://x", "auth": {"kind": "key"}}"#, #"its auth has no "keyId""#, .authMissing("keyId")),
    (
      #"{"server": "https://x", "auth": {"kind": "key", "keyId": "k"}}"#, #"its auth has no "keySecret""#,
      .authMissing("keySecret")
    ),
    (#"{"server": "https://x", "auth": {"kind": "user-token"}}"#, #"its auth has no "token""#, .authMissing("token")),
    (
      #"{"server": "https://x", "auth": {"kind": "oauth"}}"#, "its auth kind 'oauth' is not key, user-token or none",
      .authKind("oauth")
    ),
    (
      #"{"server": "https://x", "auth": {"kind": "none"}, "production": 1}"#, #""production" is not true or false"#,
      .notBoolean("production")
    ),
    (
      #"{"server": "https://x", "auth": {"kind": "none"}, "description": 1}"#, #""description" is not a string"#,
      .notString("description")
    ),
    (
      #"{"server": "https://x", "auth": {"kind": "none"}, "serverType": "oss"}"#,
      #""serverType" is "oss", not "OSS" or "Enterprise""#, .serverType(#""oss""#)
    ),
    (#"{"server": "https://x", "auth": {"kind": "none"}, "env": []}"#, #""env" is not an object"#, .envNotAnObject),
    (#"{"server": "https://x", "auth": {"kind": "none"}, "env": {"A": 1}}"#, "env A is not a string", .envValueNotString("A")),
    (
      #"{"server": "https://x", "auth": {"kind": "none"}, "color": "pink"}"#,
      #""color" is "pink", not one of black, red, green, yellow, blue, magenta, cyan, white"#, .color(#""pink""#)
    ),
  ])
  func storedProfiles(_ json: String, _ why: String, _ fault: StoredFault) throws {
    let value = try JSON.parse(json)
    do throws(Failure) {
      _ = try Profile(json: value, name: "p")
      Issue.record("\(json) was read")
    } catch {
      #expect(error.description == "profile 'p': \(why)")
      #expect(error == .profile("p", problem: .invalid(.stored(fault))))
    }
  }

  /// A value's own rule keeps its case inside the profile's failure.
  @Test func aStoredValueKeepsItsOwnCase() throws {
    let value = try JSON.parse(#"{"server": "https://x", "auth": {"kind": "key", "keyId": "a b", "keySecret": "s"}}"#)
    #expect(throws: Failure.profile("p", problem: .invalid(.keyIDCharacters("a b")))) { try Profile(json: value, name: "p") }
  }
  /// The store's own members, and the guard's variable.
  @Test(arguments: [
    (#"[]"#, "the store is not a JSON object"),
    (#"{"version": 0}"#, #""version" is not a whole number of 1 or more"#),
    (#"{"version": 1.5}"#, #""version" is not a whole number of 1 or more"#),
    (#"{"default": 1}"#, #""default" is not a string"#),
    (#"{"guard": "loud"}"#, #""guard" is "loud", not "warn" or "block""#),
    (#"{"profiles": []}"#, #""profiles" is not an object"#),
  ])
  func storeMembers(_ json: String, _ expected: String) throws {
    let value = try JSON.parse(json)
    #expect(Self.message { () throws(Failure) in _ = try Store(json: value) } == expected)
  }

  @Test func theGuardVariable() {
    #expect(
      Self.message { () throws(Failure) in _ = try Store().effectiveGuard(environment: ["CONDUCTOR_PROFILE_GUARD": "x"]) }
        == "CONDUCTOR_PROFILE_GUARD is 'x'; set it to warn or block, or unset it")
  }

  /// A profile's secret kept outside the store file, as the store names it.
  @Test(arguments: [
    (#"{"kind": "key", "keyId": "k", "secretStore": 1}"#, #"its auth "secretStore" is not a string"#),
    (
      #"{"kind": "key", "keyId": "k", "secretStore": "vault"}"#,
      "unknown secret store 'vault'; use file, secret-service, pass, keychain or command"
    ),
    (
      #"{"kind": "none", "secretStore": "pass"}"#,
      #"it has auth kind none, so there is no secret to keep in pass; remove "secretStore""#
    ),
    (
      #"{"kind": "key", "keyId": "k", "secretStore": "pass", "keySecret": "s"}"#,
      #"its auth has both "secretStore" and "keySecret"; the store file must hold no secret: remove "keySecret", or move the secret with: conductor-profile set p --secret-store file"#
    ),
    (
      #"{"kind": "key", "keyId": "k", "secretStore": "command"}"#,
      #"its auth has secretStore command but no "secretCommand" (a non-empty array of strings)"#
    ),
    (
      #"{"kind": "key", "keyId": "k", "secretStore": "command", "secretCommand": [1]}"#,
      #"its auth "secretCommand" holds something that is not a string"#
    ),
    (
      #"{"kind": "key", "keyId": "k", "secretStore": "command", "secretCommand": ["a\u0000"]}"#,
      #"its auth "secretCommand" holds a NUL byte"#
    ),
    (
      #"{"kind": "key", "keyId": "k", "secretStore": "command", "secretCommand": [""]}"#,
      #"its auth "secretCommand" starts with an empty program name"#
    ),
    (
      #"{"kind": "user-token", "secretStore": "pass", "tokenExpires": "x"}"#,
      #"its auth "tokenExpires" is not a number of seconds"#
    ),
    (#"{"kind": "user-token", "secretStore": "pass", "tokenSubject": 1}"#, #"its auth "tokenSubject" is not a string"#),
  ])
  func secretReferences(_ auth: String, _ why: String) throws {
    let value = try JSON.parse(#"{"server": "https://x", "auth": \#(auth)}"#)
    #expect(Self.message { () throws(Failure) in _ = try Profile(json: value, name: "p") } == "profile 'p': \(why)")
  }
  @Test func theStoreAndItsSecretReferencesThrowTheirCases() throws {
    let guardText = try JSON.parse(#"{"guard": "loud"}"#)
    #expect(Self.invalid { () throws(Failure) in _ = try Store(json: guardText) } == .store(.guardMode(#""loud""#)))
    #expect(
      Self.invalid { () throws(Failure) in _ = try Store().effectiveGuard(environment: ["CONDUCTOR_PROFILE_GUARD": "x"]) }
        == .guardVariable("x"))
    #expect(Self.invalid { () throws(Failure) in _ = try SecretStoreKind(validating: "vault") } == .secretStore("vault"))
    let profile = try JSON.parse(
      #"{"server": "https://x", "auth": {"kind": "key", "keyId": "k", "secretStore": "pass", "keySecret": "s"}}"#)
    #expect(throws: Failure.profile("p", problem: .invalid(.stored(.secretInFile("keySecret", profile: "p"))))) {
      try Profile(json: profile, name: "p")
    }
  }
  /// A store-level setting the seatbelt reads: the problem, then the fix (a report shows them apart).
  @Test func seatbeltSettings() throws {
    let s = try Sandbox()
    try s.writeStore(#"{"productionSession": "forever", "confirmProduction": "yes", "profiles": {}, "version": 1}"#)
    let store = try StoreFile(path: s.storePath).load()
    let context = Context(
      environment: ["CONDUCTOR_PROFILE_STORE": s.storePath], now: 0, stdinIsTerminal: false, stdoutIsTerminal: false,
      writeOut: { _ in }, writeErr: { _ in }, readInput: { [] })
    do throws(Failure) {
      _ = try Seatbelt.productionSession(store, context)
      Issue.record("productionSession was read")
    } catch {
      #expect(
        error.problem
          == "\"productionSession\" in \(s.storePath) is \"forever\", not a duration such as 30s, 15m, 1h or 1h30m (at most 168h) in quotes"
      )
      #expect(error.fix == "fix or remove it")
      #expect(error == .invalid(.setting("productionSession", value: #""forever""#, in: s.storePath, expected: .duration)))
    }
    do throws(Failure) {
      _ = try Seatbelt.confirmsProduction(store, context)
      Issue.record("confirmProduction was read")
    } catch {
      #expect(error.description == "\"confirmProduction\" in \(s.storePath) is \"yes\", not true or false; fix or remove it")
      #expect(error == .invalid(.setting("confirmProduction", value: #""yes""#, in: s.storePath, expected: .boolean)))
    }
  }
  /// A secret read from standard input.
  @Test func secretsFromStandardInput() {
    func read(_ bytes: [UInt8]) -> String? {
      let context = Context(
        environment: [:], now: 0, stdinIsTerminal: false, stdoutIsTerminal: false, writeOut: { _ in }, writeErr: { _ in },
        readInput: { bytes })
      return Self.message { () throws(Failure) in _ = try context.readSecret(prompt: "") }
    }
    #expect(
      read([UInt8](repeating: 0x61, count: Limits.secretBytes + 1))
        == "the secret read from standard input is longer than 64 KiB, the most a secret or token may be (it was read no further); give the secret alone"
    )
    #expect(read([0xFF]) == "the secret read from standard input is not UTF-8 text")
    #expect(read([0x61, 0x00]) == "the secret read from standard input contains a NUL byte")
  }

  /// A `.conductor-profile` file: the file is named, its line never shown.
  @Test func directoryFiles() throws {
    let s = try Sandbox()
    let dir = s.root.appendingPathComponent("tree")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let file = dir.appendingPathComponent(".conductor-profile")
    try Data("not a name\n".utf8).write(to: file)
    #expect(
      Self.message { () throws(Failure) in _ = try DirectoryFile.read(file.path) }
        == "the first line of \(file.path) is not a profile name (1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit); it names the profile for its directory tree"
    )
    try Data(String(repeating: "a", count: 4097).utf8).write(to: file)
    #expect(
      Self.message { () throws(Failure) in _ = try DirectoryFile.read(file.path) }
        == "\(file.path) is larger than 4096 bytes; a .conductor-profile file holds one profile name")
    #expect(
      Self.message { () throws(Failure) in _ = try DirectoryFile.read(dir.path) }
        == "\(dir.path) is not a regular file; a .conductor-profile file holds one profile name")
  }

  // MARK: Files, documents and settings judged invalid

  static func quietContext(_ environment: [String: String] = [:]) -> Context {
    Context(
      environment: environment, now: 0, stdinIsTerminal: false, stdoutIsTerminal: false, writeOut: { _ in },
      writeErr: { _ in }, readInput: { [] })
  }

  static let importHint = "; nothing was imported. Give a file that conductor-profile export --reveal wrote"

  /// A file given to `import file`: its shape, a name or profile in it (the inner rule's own words), a
  /// command it would bring.
  @Test func importFiles() throws {
    let s = try Sandbox()
    let path = s.root.appendingPathComponent("export.json").path
    func message(_ text: String) throws -> String? {
      try Data(text.utf8).write(to: URL(fileURLWithPath: path))
      return Self.message { () throws(Failure) in _ = try ImportCommand.readExport(path: path, context: Self.quietContext()) }
    }
    #expect(try message("[]") == "\(path): it is not a JSON object\(Self.importHint)")
    #expect(
      try message(#"{"version": 0, "profiles": {}}"#)
        == "\(path): \"version\" is not a whole number of 1 or more\(Self.importHint)"
    )
    #expect(
      try message(#"{"version": 2, "profiles": {}}"#)
        == "\(path) is a version 2 export, newer than this conductor-profile understands (version 1); upgrade conductor-profile. Nothing was imported"
    )
    #expect(try message(#"{"version": 1}"#) == "\(path): it has no \"profiles\" object\(Self.importHint)")
    #expect(try message(#"{"profiles": {}}"#) == "\(path) has no profiles; nothing was imported")
    #expect(
      try message(#"{"profiles": {"-x": {"server": "https://x", "auth": {"kind": "none"}}}}"#)
        == "\(path): invalid profile name '-x': \(Self.nameRule)\(Self.importHint)")
    #expect(
      try message(#"{"profiles": {"p": {"server": "ftp://x", "auth": {"kind": "none"}}}}"#)
        == "\(path): profile 'p': invalid server 'ftp://x': the scheme 'ftp' is not http or https\(Self.urlHint)\(Self.importHint)"
    )
    #expect(
      try message(
        #"{"profiles": {"p": {"server": "https://x", "auth": {"kind": "key", "keyId": "k", "secretStore": "command", "secretCommand": ["x"]}}}}"#
      )
        == "\(path): profile 'p' gets its secret by running a command (secretStore command), and an imported file never brings a command to run; add that profile yourself: conductor-profile add p --server URL --key-id ID --secret-store command -- COMMAND\(Self.importHint)"
    )
  }

  static let catalogHint =
    "; nothing was changed. A catalog is {\"version\": 1, \"profiles\": {NAME: {…}}}, as conductor-profile export writes it, without secrets"

  /// A team catalog: its shape, a secret in it, a profile in it.
  @Test func catalogs() throws {
    let s = try Sandbox()
    let path = s.root.appendingPathComponent("team.json").path
    func message(_ text: String) throws -> String? {
      try Data(text.utf8).write(to: URL(fileURLWithPath: path))
      return Self.message { () throws(Failure) in _ = try Catalog.read(path) }
    }
    #expect(try message("[]") == "the catalog \(path) is not a JSON object\(Self.catalogHint)")
    #expect(
      try message(#"{"profiles": {"p": {"server": "https://x", "auth": {"kind": "key", "keyId": "k", "keySecret": "s"}}}}"#)
        == "the catalog \(path) holds a secret at profiles.p.auth.keySecret; a catalog is shared, so it is refused whole and nothing was changed. Remove every secret from it (export writes them as null): each person sets their own with conductor-profile set NAME --secret (or --user-token)"
    )
    #expect(
      try message(#"{"version": 0, "profiles": {}}"#)
        == "the catalog \(path) has a \"version\" that is not a whole number of 1 or more\(Self.catalogHint)")
    #expect(
      try message(#"{"version": 3, "profiles": {}}"#)
        == "the catalog \(path) is version 3, newer than this conductor-profile understands; upgrade conductor-profile")
    #expect(try message(#"{"version": 1}"#) == "the catalog \(path) has no \"profiles\" object\(Self.catalogHint)")
    #expect(
      try message(#"{"profiles": {"p": {"server": "https://x"}}}"#)
        == "the catalog \(path) has an invalid profile: profile 'p': has no \"auth\" object\(Self.catalogHint)")
  }

  /// The trust file of directory profiles, writable by others.
  @Test func aTrustFileOthersCanWrite() throws {
    let s = try Sandbox()
    try s.writeStore(#"{"profiles": {}, "version": 1}"#)
    let trust = TrustFile(store: StoreFile(path: s.storePath))
    try Data("{}".utf8).write(to: URL(fileURLWithPath: trust.path))
    try FileManager.default.setAttributes([.posixPermissions: 0o620], ofItemAtPath: trust.path)
    #expect(
      Self.message { () throws(Failure) in _ = try trust.load() }
        == "the trust file \(trust.path) can be written by group or others, so it is not used; fix it with: chmod 600 \(shellWord(trust.path))"
    )
  }

  @Test func workflowIDs() {
    for id in ["", "-x", ".x", "a b", String(repeating: "a", count: 129)] {
      #expect(
        Self.message { () throws(Failure) in try UICommand.validateWorkflowID(id) }
          == "invalid workflow id \(quoted(id)): use the execution's id as the UI shows it (1 to 128 letters, digits, '-', '_', '.', ':')"
      )
    }
    #expect(Self.message { () throws(Failure) in try UICommand.validateWorkflowID("a:b.c_d-1") } == nil)
  }

  /// Store-level settings read beside the profiles.
  @Test func storeSettings() throws {
    let age = try Store(json: try JSON.parse(#"{"keyMaxAge": "ninety"}"#))
    #expect(
      Self.message { () throws(Failure) in _ = try age.keyMaxAge() }
        == "the store's \"keyMaxAge\" is \"ninety\", not a duration; write a whole number and a unit (s, m, h, d or w), such as \"90d\""
    )
    let admin = try Store(json: try JSON.parse(#"{"adminOnProduction": 1}"#))
    #expect(
      Self.message { () throws(Failure) in _ = try admin.adminOnProduction() }
        == "the store's \"adminOnProduction\" is 1, not \"warn\" or \"block\"; fix it by hand")
    let marker = try JSON.parse(#"{"productionFalse": "yes"}"#)
    #expect(Self.message { () throws(Failure) in _ = try Store(json: marker) } == #""productionFalse" is "yes", not "explicit""#)
  }

  /// What is at the store's path.
  @Test func theStorePath() throws {
    let s = try Sandbox()
    try FileManager.default.createDirectory(atPath: s.storePath, withIntermediateDirectories: true)
    #expect(
      Self.message { () throws(Failure) in try StoreFile(path: s.storePath).checkKind() }
        == "the profile store path \(s.storePath) is a directory, not a file; move it away, or point CONDUCTOR_PROFILE_STORE at a file (nothing was read or changed)"
    )
    let loop = s.root.appendingPathComponent("loop").path
    try FileManager.default.createSymbolicLink(atPath: loop, withDestinationPath: loop)
    #expect(
      Self.message { () throws(Failure) in _ = try StoreFile(path: loop).writeTarget() }
        == "the profile store path \(loop) is a loop of symbolic links; point it at a file")
  }

  /// Each file, document and setting rule throws the case that says what was wrong, with what; a name or
  /// profile refused inside a file keeps its own failure.
  @Test func fileAndSettingRulesThrowTheirCases() throws {
    let s = try Sandbox()
    let path = s.root.appendingPathComponent("file.json").path
    func write(_ text: String) throws { try Data(text.utf8).write(to: URL(fileURLWithPath: path)) }
    func imported(_ text: String) throws -> Invalid? {
      try write(text)
      return Self.invalid { () throws(Failure) in _ = try ImportCommand.readExport(path: path, context: Self.quietContext()) }
    }
    let none = #"{"server": "https://x", "auth": {"kind": "none"}}"#
    #expect(try imported("[]") == .importFile(path: path, .notAnObject))
    #expect(try imported(#"{"version": "1", "profiles": {}}"#) == .importFile(path: path, .version))
    #expect(try imported(#"{"version": 2, "profiles": {}}"#) == .importFile(path: path, .newerVersion(2)))
    #expect(try imported(#"{"profiles": []}"#) == .importFile(path: path, .noProfilesObject))
    #expect(try imported(#"{"profiles": {}}"#) == .importFile(path: path, .noProfiles))
    #expect(
      try imported(#"{"profiles": {"a b": \#(none)}}"#) == .importFile(path: path, .profile(.invalid(.nameCharacters("a b")))))
    #expect(
      try imported(#"{"profiles": {"p": {"server": "https://x?q", "auth": {"kind": "none"}}}}"#)
        == .importFile(path: path, .profile(.profile("p", problem: .invalid(.server("https://x?q", .query))))))
    #expect(
      try imported(
        #"{"profiles": {"p": {"server": "https://x", "auth": {"kind": "user-token", "secretStore": "command", "secretCommand": ["x"]}}}}"#
      ) == .importFile(path: path, .secretCommand("p")))
    try write(#"{"profiles": {"ok": \#(none)}}"#)
    #expect(
      Self.invalid { () throws(Failure) in _ = try ImportCommand.readExport(path: path, context: Self.quietContext()) } == nil)

    func catalog(_ text: String) throws -> Invalid? {
      try write(text)
      return Self.invalid { () throws(Failure) in _ = try Catalog.read(path) }
    }
    #expect(try catalog("1") == .catalog(path: path, .notAnObject))
    #expect(
      try catalog(#"{"profiles": {"p": {"auth": {"token": "t"}}}}"#) == .catalog(path: path, .secret("profiles.p.auth.token")))
    #expect(try catalog(#"{"version": -1, "profiles": {}}"#) == .catalog(path: path, .version))
    #expect(try catalog(#"{"version": 9, "profiles": {}}"#) == .catalog(path: path, .newerVersion(9)))
    #expect(try catalog(#"{"profiles": "p"}"#) == .catalog(path: path, .noProfilesObject))
    #expect(try catalog(#"{"profiles": {"-p": \#(none)}}"#) == .catalog(path: path, .profile(.invalid(.nameStart("-p")))))
    #expect(
      try catalog(#"{"profiles": {"p": {"server": "https://x", "auth": {"kind": "oauth"}}}}"#)
        == .catalog(path: path, .profile(.profile("p", problem: .invalid(.stored(.authKind("oauth")))))))
    #expect(try catalog(#"{"profiles": {"p": \#(none)}}"#) == nil)

    try s.writeStore(#"{"profiles": {}, "version": 1}"#)
    let trust = TrustFile(store: StoreFile(path: s.storePath))
    try Data("{}".utf8).write(to: URL(fileURLWithPath: trust.path))
    try FileManager.default.setAttributes([.posixPermissions: 0o602], ofItemAtPath: trust.path)
    #expect(Self.invalid { () throws(Failure) in _ = try trust.load() } == .trustFileWritable(path: trust.path))
    try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: trust.path)
    #expect(Self.invalid { () throws(Failure) in _ = try trust.load() } == nil)

    #expect(Self.invalid { () throws(Failure) in try UICommand.validateWorkflowID(".x") } == .workflowID(".x"))
    let settings = try Store(json: try JSON.parse(#"{"keyMaxAge": 90, "adminOnProduction": "loud"}"#))
    #expect(Self.invalid { () throws(Failure) in _ = try settings.keyMaxAge() } == .store(.keyMaxAge("90")))
    #expect(Self.invalid { () throws(Failure) in _ = try settings.adminOnProduction() } == .store(.adminOnProduction(#""loud""#)))
    let marker = try JSON.parse(#"{"productionFalse": true}"#)
    #expect(Self.invalid { () throws(Failure) in _ = try Store(json: marker) } == .store(.falseMarker("true")))

    let loop = s.root.appendingPathComponent("loop").path
    try FileManager.default.createSymbolicLink(atPath: loop, withDestinationPath: loop)
    #expect(Self.invalid { () throws(Failure) in _ = try StoreFile(path: loop).writeTarget() } == .storePathLoop(path: loop))
    // Its fix is said apart (doctor shows the problem with its own fix).
    #expect(throws: Failure.invalid(.storePathNotAFile(path: s.root.path, what: "a directory"))) {
      try StoreFile(path: s.root.path).checkKind()
    }
    #expect(StoreFile(path: s.root.path).kindProblem() == "the profile store path \(s.root.path) is a directory, not a file")
  }

  // MARK: Secret stores, names taken, the hook's variables, the conductor CLI and the environment

  /// Store-level settings of the secret stores.
  @Test func secretStoreSettings() throws {
    let command = try Store(json: try JSON.parse(#"{"secretStore": "command"}"#))
    #expect(
      Self.message { () throws(Failure) in _ = try command.defaultSecretStore() }
        == #"the store's "secretStore" is "command", not one of file, secret-service, pass or keychain (command needs a command for each profile: give it with add --secret-store command -- COMMAND)"#
    )
    let timeout = try Store(json: try JSON.parse(#"{"helperTimeout": "forever"}"#))
    do throws(Failure) {
      _ = try timeout.helperTimeout(path: "/s/p.json")
      Issue.record("helperTimeout was read")
    } catch {
      #expect(
        error.problem
          == #""helperTimeout" in /s/p.json is "forever", not a duration such as 10s, 30s or 2m (at most 10m) in quotes"#)
      #expect(error.fix == "fix or remove it (the default is 10s)")
    }
  }

  /// Where `set` may keep a secret.
  @Test func secretPlacements() throws {
    let none = try Profile(json: try JSON.parse(#"{"server": "https://x", "auth": {"kind": "none"}}"#), name: "p")
    #expect(
      Self.message { () throws(Failure) in
        try SecretPlacement.checkWritable(.some(nil), name: "p", current: none, newSecret: false)
      } == "profile 'p' has no secret (auth none), so --secret-store has nothing to move")
    let command = try Profile(
      json: try JSON.parse(
        #"{"server": "https://x", "auth": {"kind": "key", "keyId": "k", "secretStore": "command", "secretCommand": ["get", "a b"]}}"#
      ), name: "p")
    #expect(
      Self.message { () throws(Failure) in try SecretPlacement.checkWritable(.none, name: "p", current: command, newSecret: true)
      }
        == "profile 'p' reads its secret from command 'get a b', which is read-only; put the new secret where that command reads it, or name another store with --secret-store"
    )
  }

  /// A name already taken, as add, rename and import env say it.
  @Test func aNameTaken() throws {
    #expect(
      AddCommand.exists("p").description
        == "a profile named 'p' already exists; change it with: conductor-profile set p …, or replace it with add --force")
    let s = try Sandbox()
    try s.addKey("a")
    try s.addKey("b")
    let before = s.storeBytes()
    let renamed = try s.run(["rename", "a", "b"])
    #expect(renamed.status == 1 && renamed.stdout == "", "\(renamed)")
    #expect(renamed.stderr == "error: a profile named 'b' already exists; remove it first or choose another name\n")
    let imported = try s.run(["import", "env", "a"], env: ["CONDUCTOR_SERVER_URL": "https://x"])
    #expect(imported.status == 1 && imported.stdout == "", "\(imported)")
    #expect(
      imported.stderr == "error: a profile named 'a' already exists; choose another name, or replace it with --force\n")
    let removed = try s.run(["set", "a", "--unset-env", "X"])
    #expect(removed.status == 1 && removed.stderr == "error: profile 'a' has no extra variable 'X'; its variables: \n")
    #expect(s.storeBytes() == before)
  }

  /// The variables the hook passes to the program.
  @Test func theHooksVariables() {
    #expect(
      Self.message { () throws(Failure) in
        _ = try Seatbelt.previous(Self.quietContext([SwitchCommands.previousVariable: "dev 0"]))
      } == "_CONDUCTOR_PROFILE_PREVIOUS is 'dev 0', which no switch writes; switch by name")
    #expect(
      Self.message { () throws(Failure) in
        _ = try SwitchCommands.hookShell(Self.quietContext([SwitchCommands.hookShellVariable: "sh"]), command: .use)
      } == "_CONDUCTOR_PROFILE_SHELL is 'sh', not bash, zsh or fish; reload the hook with init")
    #expect(
      Self.message { () throws(Failure) in
        _ = try DirectorySwitch(Self.quietContext([DirectorySwitch.fileVariable: "tree/.conductor-profile"]))
      } == "_CONDUCTOR_PROFILE_DIRFILE is not an absolute path")
  }

  /// A conductor CLI config file: the line at fault, and the value's own rule.
  @Test func conductorCLIFiles() throws {
    let s = try Sandbox()
    let path = s.root.appendingPathComponent("config.yaml").path
    func message(_ text: String) throws -> String? {
      try Data(text.utf8).write(to: URL(fileURLWithPath: path))
      return Self.message { () throws(Failure) in _ = try ImportCommand.readConductorCLIFile(path, context: Self.quietContext()) }
    }
    #expect(
      try message("server: ftp://x\n")
        == "\(path):1: invalid server 'ftp://x': the scheme 'ftp' is not http or https\(Self.urlHint); nothing was imported")
    #expect(
      try message("server: https://x\nauth-token: a.b\n")
        == "\(path):2: the user token is not a JWT: it has 2 dot-separated segments, not 3\(Self.copyToken); nothing was imported"
    )
    #expect(
      try message("auth-key: a b\nauth-secret: s\n")
        == "\(path):1: invalid key id 'a b': it contains whitespace or a control character; copy the key id again; nothing was imported"
    )
    #expect(
      try message("auth-key: k\n")
        == "\(path):1: auth-key has no auth-secret beside it; add auth-secret, or remove auth-key for a server without authentication; nothing was imported"
    )
    #expect(
      try message("\nauth-secret: s\n") == "\(path):2: auth-secret has no auth-key beside it; add auth-key; nothing was imported")
  }

  /// The variables `import env` reads.
  @Test func importedVariables() {
    func message(_ environment: [String: String]) -> String? {
      Self.message { () throws(Failure) in
        _ = try ImportCommand.readEnvironment(name: "p", context: Self.quietContext(environment))
      }
    }
    #expect(
      message(["CONDUCTOR_SERVER_URL": "https://x#f"])
        == "CONDUCTOR_SERVER_URL: invalid server 'https://x#f': it has a fragment ('#…'), which a server address cannot carry\(Self.urlHint)"
    )
    #expect(
      message(["CONDUCTOR_SERVER_URL": "https://x", "CONDUCTOR_AUTH_KEY": "k", "CONDUCTOR_AUTH_SECRET": "a\tb"])
        == "CONDUCTOR_AUTH_SECRET: the key secret contains a control character (a line break or tab?); give it on one line")
    #expect(
      message(["CONDUCTOR_SERVER_URL": "https://x", "CONDUCTOR_AUTH_TOKEN": "x"])
        == "CONDUCTOR_AUTH_TOKEN: the user token is not a JWT: it has 1 dot-separated segment, not 3\(Self.copyToken)")
    #expect(
      message(["CONDUCTOR_SERVER_URL": "https://x", "CONDUCTOR_AUTH_KEY": "k"])
        == "CONDUCTOR_AUTH_KEY is set without CONDUCTOR_AUTH_SECRET; set both, or unset the one that is set")
    #expect(
      message(["CONDUCTOR_SERVER_URL": "https://x", "CONDUCTOR_AUTH_SECRET": "s"])
        == "CONDUCTOR_AUTH_SECRET is set without CONDUCTOR_AUTH_KEY; set both, or unset the one that is set")
  }

  /// Each of these rules throws its case; a value refused inside a file or a variable keeps its own failure.
  @Test func secretNameHookAndImportRulesThrowTheirCases() throws {
    let settings = try Store(json: try JSON.parse(#"{"secretStore": "vault", "helperTimeout": "11m"}"#))
    #expect(
      Self.invalid { () throws(Failure) in _ = try settings.defaultSecretStore() } == .store(.defaultSecretStore(#""vault""#)))
    #expect(throws: Failure.invalid(.setting("helperTimeout", value: #""11m""#, in: "/p", expected: .helperTimeout))) {
      try settings.helperTimeout(path: "/p")
    }
    let none = try Profile(json: try JSON.parse(#"{"server": "https://x", "auth": {"kind": "none"}}"#), name: "p")
    let pass = SecretReference(kind: .pass)
    #expect(
      Self.invalid { () throws(Failure) in
        try SecretPlacement.checkWritable(.some(pass), name: "p", current: none, newSecret: false)
      }
        == .noSecretToMove(profile: "p"))
    let command = try Profile(
      json: try JSON.parse(
        #"{"server": "https://x", "auth": {"kind": "user-token", "secretStore": "command", "secretCommand": ["get"]}}"#),
      name: "p")
    #expect(
      Self.invalid { () throws(Failure) in try SecretPlacement.checkWritable(.none, name: "p", current: command, newSecret: true)
      }
        == .readOnlySecretStore(profile: "p", label: "command 'get'"))
    #expect(AddCommand.exists("p") == .invalid(.nameTaken("p", by: .add)))
    #expect(
      Self.invalid { () throws(Failure) in
        _ = try Seatbelt.previous(Self.quietContext([SwitchCommands.previousVariable: "dev x"]))
      } == .previousState(variable: SwitchCommands.previousVariable, value: "dev x"))
    #expect(
      Self.invalid { () throws(Failure) in
        _ = try SwitchCommands.hookShell(Self.quietContext([SwitchCommands.hookShellVariable: "csh"]), command: .off)
      } == .hookShell(variable: SwitchCommands.hookShellVariable, value: "csh"))
    #expect(
      Self.invalid { () throws(Failure) in _ = try DirectorySwitch(Self.quietContext([DirectorySwitch.fileVariable: "x"])) }
        == .directoryFileVariable(variable: DirectorySwitch.fileVariable))

    let s = try Sandbox()
    let path = s.root.appendingPathComponent("config-x.yaml").path
    func cli(_ text: String) throws -> Invalid? {
      try Data(text.utf8).write(to: URL(fileURLWithPath: path))
      return Self.invalid { () throws(Failure) in _ = try ImportCommand.readConductorCLIFile(path, context: Self.quietContext()) }
    }
    #expect(try cli("server: x\n") == .conductorCLIFile(path: path, line: 1, .value(.invalid(.server("x", .noScheme)))))
    #expect(try cli("auth-token: \n") == nil)
    #expect(try cli("\n\nauth-token: Bearer x\n") == .conductorCLIFile(path: path, line: 3, .value(.invalid(.token(.bearer)))))
    #expect(try cli("auth-secret: s\n") == .conductorCLIFile(path: path, line: 1, .secretWithoutKey))
    #expect(try cli("x: 1\nauth-key: k\n") == .conductorCLIFile(path: path, line: 2, .keyWithoutSecret))

    func env(_ environment: [String: String]) -> Invalid? {
      Self.invalid { () throws(Failure) in
        _ = try ImportCommand.readEnvironment(name: "p", context: Self.quietContext(environment))
      }
    }
    #expect(env(["CONDUCTOR_SERVER_URL": "x"]) == .importedVariable("CONDUCTOR_SERVER_URL", .invalid(.server("x", .noScheme))))
    #expect(
      env(["CONDUCTOR_SERVER_URL": "https://x", "CONDUCTOR_AUTH_KEY": "a b", "CONDUCTOR_AUTH_SECRET": "s"])
        == .importedVariable("CONDUCTOR_AUTH_KEY", .invalid(.keyIDCharacters("a b"))))
    #expect(
      env(["CONDUCTOR_SERVER_URL": "https://x", "CONDUCTOR_AUTH_TOKEN": "a.b.c.d"])
        == .importedVariable("CONDUCTOR_AUTH_TOKEN", .invalid(.token(.segments(4)))))
    #expect(
      env(["CONDUCTOR_SERVER_URL": "https://x", "CONDUCTOR_AUTH_KEY": "k"])
        == .importedKeyHalf(given: "CONDUCTOR_AUTH_KEY", missing: "CONDUCTOR_AUTH_SECRET"))
    #expect(env(["CONDUCTOR_SERVER_URL": "https://x", "CONDUCTOR_AUTH_KEY": "k", "CONDUCTOR_AUTH_SECRET": "s"]) == nil)

    // The commands, in process, on a store that has 'a' and 'b'.
    try s.addKey("a")
    try s.addKey("b")
    let before = s.storeBytes()
    func dispatch(_ arguments: [String], _ extra: [String: String] = [:]) -> Invalid? {
      Self.invalid { () throws(Failure) in
        try CLI.dispatch(arguments, context: Self.quietContext(s.environment.merging(extra) { $1 }))
      }
    }
    #expect(dispatch(["rename", "a", "b"]) == .nameTaken("b", by: .rename))
    #expect(dispatch(["import", "env", "b"], ["CONDUCTOR_SERVER_URL": "https://x"]) == .nameTaken("b", by: .importing))
    #expect(dispatch(["set", "a", "--unset-env", "Y"]) == .noSuchVariable("Y", profile: "a", has: []))
    #expect(s.storeBytes() == before)
  }

  // MARK: The store's permissions and version, an import without secrets, what a server request can carry

  /// The store's directory and file modes: the problem, then the fix (doctor shows the problem with its own).
  @Test func theStoresPermissions() throws {
    let s = try Sandbox()
    try s.writeStore(#"{"profiles": {}, "version": 1}"#, mode: 0o640)
    let file = StoreFile(path: s.storePath)
    do throws(Failure) {
      try file.checkFileMode(0o100640)
      Issue.record("a mode of 0640 was taken")
    } catch {
      #expect(
        error.description
          == "the profile store \(s.storePath) can be read or written by group or others (mode 0640); it holds secrets, so it is refused. Fix it with: chmod 600 \(s.storePath) (or run conductor-profile doctor --fix)"
      )
    }
    #expect(
      file.permissionProblems().map(\.problem) == [
        "the profile store \(s.storePath) can be read or written by group or others (mode 0640)"
      ])
    let directory = file.directory
    try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: directory)
    defer { try? FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: directory) }
    #expect(
      Self.message { () throws(Failure) in try file.checkDirectory() }
        == "the directory \(directory) can be written by others; it holds secrets, so it is refused. Fix it with: chmod o-w \(directory) (or run conductor-profile doctor --fix)"
    )
    #expect(file.permissionProblems().first?.problem == "the directory \(directory) can be written by others")
    #expect(file.permissionProblems().first?.fix == ["chmod", "o-w", directory])
  }

  @Test func aNewerStoreIsNotChanged() throws {
    let store = try Store(json: try JSON.parse(#"{"version": 2}"#))
    #expect(
      Self.message { () throws(Failure) in try store.checkWritable(path: "/s/p.json") }
        == "/s/p.json is a version 2 store, newer than this conductor-profile understands (version 1); it can be read but not changed: upgrade conductor-profile"
    )
  }

  /// A file export wrote without --reveal: its secrets are null.
  @Test func anImportWithoutSecrets() throws {
    let s = try Sandbox()
    let path = s.root.appendingPathComponent("export.json").path
    let key = #"{"server": "https://x", "auth": {"kind": "key", "keyId": "k", "keySecret": null}}"#
    for (names, text) in [(["a"], "profile 'a' has no secret"), (["a", "b"], "profiles 'a', 'b' have no secret")] {
      let profiles = names.map { #""\#($0)": \#(key)"# }.joined(separator: ", ")
      try Data(#"{"profiles": {\#(profiles)}}"#.utf8).write(to: URL(fileURLWithPath: path))
      let r = try s.run(["import", "file", path])
      #expect(r.status == 1 && r.stdout == "", "\(r)")
      #expect(
        r.stderr
          == "error: \(path): \(text) (null: the file was written by export without --reveal); nothing was imported. Export again with: conductor-profile export --reveal, or leave \(names.count == 1 ? "it" : "them") out of the file\n"
      )
    }
    #expect(s.storeBytes() == nil)
  }

  /// What a request to a server can carry, and a variable a dotenv file cannot hold.
  @Test func requestValuesAndDotenv() throws {
    #expect(
      Self.message { () throws(Failure) in _ = try HTTP.quote("a\u{1}b") }
        == "cannot send a value with a control character (\\x1) to the server")
    let api = ApplicationAPI(server: try Server(validating: "https://x"), token: "t", environment: [:])
    for text in ["", "..", "a/b", "a b"] {
      #expect(
        Self.message { () throws(Failure) in _ = try api.segment(text) }
          == "\(quoted(text)) cannot be part of a request path (only letters, digits and - _ . : @); check the application id, key id or role"
      )
    }
    #expect(Self.message { () throws(Failure) in _ = try api.segment("app-1:x@y.z") } == nil)
    #expect(
      Self.message { () throws(Failure) in _ = try FileFormat.dotenv.render([Variable("X", "a\rb")]) }
        == "X cannot be written to a dotenv file that sh, python-dotenv and docker compose all read back exactly: its value has a carriage return; use --format json, or --shell sh for a file to source (docs/security.md#dotenv-files)"
    )
  }

  /// The store's permissions and version, an import without secrets, a request's values and a dotenv
  /// file's variables throw their cases; the permission cases carry the chmod that mends them.
  @Test func permissionVersionRequestAndDotenvRulesThrowTheirCases() throws {
    let s = try Sandbox()
    try s.writeStore(#"{"profiles": {}, "version": 1}"#, mode: 0o604)
    let file = StoreFile(path: s.storePath)
    #expect(throws: Failure.invalid(.storeFileMode(path: s.storePath, mode: 0o604))) { try file.checkFileMode(0o100604) }
    #expect(throws: Never.self) { try file.checkFileMode(0o100600) }
    #expect(Invalid.storeFileMode(path: "/p", mode: 0o604).chmod == ["chmod", "600", "/p"])
    #expect(Invalid.storeDirectoryWritable(directory: "/d").chmod == ["chmod", "o-w", "/d"])
    #expect(Invalid.storeTooNew(path: "/p", version: 2).chmod == nil)
    #expect(
      Failure.invalid(.storeDirectoryWritable(directory: "/d x")).description
        == "the directory /d x can be written by others; it holds secrets, so it is refused. Fix it with: chmod o-w '/d x' (or run conductor-profile doctor --fix)"
    )
    let newer = try Store(json: try JSON.parse(#"{"version": 3}"#))
    #expect(Self.invalid { () throws(Failure) in try newer.checkWritable(path: "/p") } == .storeTooNew(path: "/p", version: 3))
    #expect(Self.invalid { () throws(Failure) in try Store().checkWritable(path: "/p") } == nil)

    try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: s.storePath)
    let path = s.root.appendingPathComponent("export.json").path
    let redacted = #"{"server": "https://x", "auth": {"kind": "user-token", "token": null}}"#
    let key = #"{"server": "https://x", "auth": {"kind": "key", "keyId": "k", "keySecret": "s"}}"#
    try Data(#"{"profiles": {"b": \#(redacted), "a": \#(key), "c": \#(redacted)}}"#.utf8).write(to: URL(fileURLWithPath: path))
    let before = s.storeBytes()
    #expect(
      Self.invalid { () throws(Failure) in
        try CLI.dispatch(["import", "file", path], context: Self.quietContext(s.environment))
      } == .importFile(path: path, .noSecrets(["b", "c"])))
    #expect(s.storeBytes() == before)

    #expect(Self.invalid { () throws(Failure) in _ = try HTTP.quote("a\u{7F}") } == .requestControlCharacter(0x7F))
    #expect(Self.invalid { () throws(Failure) in _ = try HTTP.quote("a\tb\n") } == nil)
    let api = ApplicationAPI(server: try Server(validating: "https://x"), token: "t", environment: [:])
    #expect(Self.invalid { () throws(Failure) in _ = try api.segment("a?b") } == .requestPathSegment("a?b"))
    #expect(
      Self.invalid { () throws(Failure) in _ = try FileFormat.dotenv.render([Variable("X", "${HOME}")]) }
        == .dotenv(DotenvRefusal(name: "X", why: "has '${', which python-dotenv expands")))
  }

  // MARK: A catalog's JSON, a conductor CLI file's YAML, a secret too long for the keychain

  @Test func aCatalogThatIsNotJSON() throws {
    let s = try Sandbox()
    let path = s.root.appendingPathComponent("team.json").path
    try Data("{\n  \"profiles\": [1,]\n}".utf8).write(to: URL(fileURLWithPath: path))
    let syntax: JSONSyntaxError
    do throws(JSONSyntaxError) {
      _ = try JSON.parse(Array("{\n  \"profiles\": [1,]\n}".utf8))
      Issue.record("parsed")
      return
    } catch {
      syntax = error
    }
    #expect(
      Self.message { () throws(Failure) in _ = try Catalog.read(path) }
        == "the catalog \(path) is not valid JSON: \(syntax.description)")
    #expect(syntax.description.hasPrefix("line 2, column "))
  }

  @Test func aConductorCLIFileThatIsNotFlatYAML() throws {
    let s = try Sandbox()
    let path = s.root.appendingPathComponent("config.yaml").path
    try Data("server: https://x\n  nested: 1\n".utf8).write(to: URL(fileURLWithPath: path))
    #expect(
      Self.message { () throws(Failure) in _ = try ImportCommand.readConductorCLIFile(path, context: Self.quietContext()) }
        == "\(path):2: an indented line (nested YAML) is not supported; keep one key: value a line; nothing was imported. Fix the file, or move it aside"
    )
  }

  @Test func aSecretTooLongForTheKeychain() {
    let secret = String(repeating: "s", count: 4001)
    #expect(
      Self.message { () throws(Failure) in
        _ = try SecretHelper.run(
          SecretReference(kind: .keychain), .write(secret), profile: "m", doing: "store the secret of",
          context: Self.quietContext())
      }
        == "cannot store the secret of profile 'm' in the keychain: security -i reads lines of at most 4096 bytes, and this secret is too long; keep it in another store (--secret-store)"
    )
  }

  @Test func syntaxAndKeychainRulesThrowTheirCases() throws {
    let s = try Sandbox()
    let path = s.root.appendingPathComponent("file").path
    try Data("[1 2]".utf8).write(to: URL(fileURLWithPath: path))
    let invalid = Self.invalid { () throws(Failure) in _ = try Catalog.read(path) }
    guard case .catalog(path, .syntax(let syntax)) = invalid else {
      Issue.record("\(String(describing: invalid))")
      return
    }
    #expect(syntax.line == 1)
    try Data("a: 1\n- b\n".utf8).write(to: URL(fileURLWithPath: path))
    #expect(
      Self.invalid { () throws(Failure) in _ = try ImportCommand.readConductorCLIFile(path, context: Self.quietContext()) }
        == .conductorCLIFile(path: path, line: 2, .syntax("a list item is not supported; keep one key: value a line")))
    #expect(
      Self.invalid { () throws(Failure) in
        _ = try SecretHelper.run(
          SecretReference(kind: .keychain), .write(String(repeating: "s", count: 5000)), profile: "k", doing: "store",
          context: Self.quietContext())
      } == .keychainSecretTooLong(profile: "k", action: "store"))
  }

  // MARK: A secret a helper gave

  /// A helper's answer its value's rule refuses: the helper named, the rule's own words after it.
  @Test func aSecretAHelperGave() throws {
    let (sandbox, _, script) = try SecretStoreTests().commandSandbox()
    let dir = sandbox.environment["SECRETS"]!
    try "good\n".write(toFile: dir + "/k", atomically: true, encoding: .utf8)
    let add = [
      "add", "c", "--server", "https://c.example.com", "--key-id", "cid", "--secret-store", "command", "--", script, "k",
    ]
    let added = try sandbox.run(add)
    try #require(added.status == 0, "\(added)")
    try "a\tb\n".write(toFile: dir + "/k", atomically: true, encoding: .utf8)
    let before = sandbox.storeBytes()
    let r = try sandbox.run(["env", "c"])
    #expect(r.status == 1 && r.stdout == "", "\(r)")
    #expect(
      r.stderr
        == "error: the secret that command '\(script) k' gave for profile 'c' is not a valid key secret: the key secret contains a control character (a line break or tab?); give it on one line\n"
    )
    #expect(
      sandbox.failure(["env", "c"])
        == .invalid(.helperSecret(label: "command '\(script) k'", profile: "c", isKey: true, .invalid(.keySecretControl))))
    #expect(sandbox.storeBytes() == before)
  }

  /// promote's new profile name, already taken.
  @Test func promoteToANameTaken() throws {
    let s = try Sandbox()
    try s.addKey("dev")
    try s.addToken("play", token: "e30.e30.")
    let before = s.storeBytes()
    let r = try s.run(["promote", "play", "--to", "dev"])
    #expect(r.status == 1 && r.stdout == "", "\(r)")
    #expect(
      r.stderr
        == "error: a profile named 'dev' already exists; choose another name with --to NEW, or replace 'play' itself with --to play\n"
    )
    #expect(s.failure(["promote", "play", "--to", "dev"]) == .invalid(.nameTaken("dev", by: .promote(from: "play"))))
    #expect(s.storeBytes() == before)
  }
}

extension Sandbox {
  /// The failure `arguments` end in, run in process (`CLI.dispatch`) on this sandbox's store and environment:
  /// the rule's case, where a run of the program shows its words, its exit code and the store unchanged.
  func failure(_ arguments: [String], env extra: [String: String] = [:]) -> Failure? {
    do throws(Failure) {
      try CLI.dispatch(arguments, context: ValidationFailureTests.quietContext(environment.merging(extra) { $1 }))
      return nil
    } catch {
      return error
    }
  }
}

/// The last rules that threw text, as cases (goldens recorded on the text they threw before).
@Suite struct LastRulesAsCasesTests {
  @Test func setWithoutBothKeyIDAndSecretOnAUserTokenProfile() throws {
    let s = try Sandbox()
    try s.addToken("t", token: annToken)
    let before = try #require(s.storeBytes())
    let r = try s.run(["set", "t", "--key-id", "k"])
    #expect(r.status == 1, "\(r)")
    #expect(
      r.stderr == "error: profile 't' is a user-token profile; to make it a key profile give both --key-id ID and --secret\n",
      "\(r)")
    #expect(s.storeBytes() == before)
    #expect(
      ValidationFailureTests.message { () throws(Failure) in
        throw .invalid(.keyProfileNeedsIDAndSecret(profile: "t", kind: "user-token"))
      } == "profile 't' is a user-token profile; to make it a key profile give both --key-id ID and --secret")
  }

  @Test func importEnvRefusesATokenThisProgramMinted() throws {
    let s = try Sandbox()
    let cache = s.root.appendingPathComponent("cache/conductor-profile/tokens")
    try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
    try Data(#"{ "keyId" : "k", "minted" : 1, "server" : "https://x.example.com/api", "token" : "\#(annToken)" }"#.utf8)
      .write(to: cache.appendingPathComponent("dev.json"))
    let r = try s.run(
      ["import", "env", "x"],
      env: [
        "XDG_CACHE_HOME": s.root.appendingPathComponent("cache").path, "CONDUCTOR_SERVER_URL": "https://x.example.com",
        "CONDUCTOR_AUTH_TOKEN": annToken,
      ])
    #expect(r.status == 1, "\(r)")
    #expect(
      r.stderr
        == "error: CONDUCTOR_AUTH_TOKEN is a token conductor-profile minted for an access key (it lives minutes, not a session); import the key instead: set CONDUCTOR_AUTH_KEY and CONDUCTOR_AUTH_SECRET\n",
      "\(r)")
    #expect(s.storeBytes() == nil)
  }

  @Test func whatAHelperPrintedIsJudgedAsASecret() {
    func text(_ invalid: Invalid) -> String? { ValidationFailureTests.message { () throws(Failure) in throw .invalid(invalid) } }
    #expect(
      text(.helperPrintedTooMuch(profile: "c", label: "command 'x'"))
        == "cannot read the secret of profile 'c' from command 'x': it printed more than 64 KiB")
    #expect(
      text(.helperPrintedNoText(profile: "c", label: "command 'x'"))
        == "cannot read the secret of profile 'c' from command 'x': it printed something that is not UTF-8 text")
    #expect(
      text(.helperPrintedNothing(profile: "c", label: "pass", fix: "store it again"))
        == "cannot read the secret of profile 'c' from pass: it printed nothing; store it again")
  }

  @Test func theTokenCacheNamesFilesByValidNamesOnly() {
    let cache = TokenCache(environment: ["HOME": "/nonexistent-home"])
    let entry = CachedToken(token: "t", server: "https://x.example.com/api", keyID: "k", expires: nil, minted: 0)
    #expect(
      ValidationFailureTests.message { () throws(Failure) in try cache.store(entry, for: "../x") }
        == "cannot cache the token: '../x' is not a valid profile name")
  }
}
