import Testing

@testable import ConductorNetwork
@testable import ProfileCommands
@testable import ProfileModel
@testable import ShellOutput

/// The store's JSON reader and writer, against the core directly.
@Suite struct JSONParserTests {
  func parse(_ text: String) throws -> JSON { try JSON.parse(text) }

  func failure(_ text: String) -> JSONSyntaxError? {
    do {
      _ = try JSON.parse(text)
      return nil
    } catch {
      return error
    }
  }

  @Test func escapesDecode() throws {
    let json = try parse(#"["\"\\\/\b\f\n\r\t", "\u0041\u00e9\u4e2d", "a\u0000b"]"#)
    #expect(json == .array([.string("\"\\/\u{08}\u{0C}\n\r\t"), .string("Aé中"), .string("a\u{0}b")]))
  }

  @Test func surrogatePairsDecodeToOneScalar() throws {
    #expect(try parse(#""\ud83d\ude00""#) == .string("😀"))
    #expect(try parse(#""\uD834\uDD1E""#) == .string("𝄞"))
  }

  @Test(arguments: [#""\ud83d""#, #""\ude00""#, #""\ud83d\u0041""#, #""\ud83dx""#])
  func loneSurrogatesAreErrors(_ text: String) {
    #expect(failure(text)?.reason.contains("surrogate") == true, "\(text)")
  }

  @Test(arguments: [
    (#""\x""#, "invalid escape"), (#""\u12""#, "four hex digits"), (#""\u12G4""#, "four hex digits"),
    ("\"a\tb\"", "control character"), ("\"abc", "end of the document"), ("[1,]", "expected a value"),
    ("{\"a\" 1}", "expected ':'"), ("{\"a\":1,}", "member name"), ("[1 2]", "',' or ']'"), ("01", "after the end"),
    ("1.", "digit after '.'"), ("1e", "exponent"), ("-", "digit"), ("tru", "expected a value"), ("", "end of the document"),
    ("{} {}", "after the end"), ("NaN", "expected a value"), ("'a'", "expected a value"),
  ])
  func malformedTextIsRefused(_ text: String, _ reason: String) {
    let error = failure(text)
    #expect(error != nil, "\(text) parsed")
    #expect(error?.reason.contains(reason) == true, "\(text): \(String(describing: error))")
  }

  @Test func invalidUTF8InAStringIsRefused() {
    #expect(throws: JSONSyntaxError.self) { try JSON.parse([0x22, 0xC3, 0x28, 0x22]) }
    #expect(throws: JSONSyntaxError.self) { try JSON.parse([0x22, 0xFF, 0x22]) }
  }

  @Test func duplicateKeysAreAnErrorAtTheSecondKey() {
    let error = failure("{\n  \"a\" : 1,\n  \"a\" : 2\n}")
    #expect(error == JSONSyntaxError(line: 3, column: 3, reason: "the member \"a\" appears twice in one object"))
    // The same key in two different objects is fine.
    #expect(failure(#"{"a":{"a":1},"b":{"a":2}}"#) == nil)
  }

  @Test func errorPositionsCountLinesAndCharacters() {
    #expect(failure("{\n  \"a\": tru\n}") == JSONSyntaxError(line: 2, column: 8, reason: failure("tru")!.reason))
    // Columns count characters, not bytes: "é" is two bytes, one column.
    #expect(failure("[\"é\", x]")?.column == 7)
    #expect(failure("[\"é\", x]")?.line == 1)
    #expect(failure("\n\n\n   }")?.line == 4)
    #expect(failure("\n\n\n   }")?.column == 4)
    // An unterminated string points at its opening quote.
    #expect(
      failure("{\"a\": \"abc") == JSONSyntaxError(line: 1, column: 7, reason: "unexpected end of the document inside a string"))
    #expect(failure("{\"a\": 1")?.description.hasPrefix("line 1, column 8: ") == true)
  }

  @Test func aByteOrderMarkIsSkipped() throws {
    #expect(try JSON.parse([0xEF, 0xBB, 0xBF] + Array(#"{"a":1}"#.utf8)) == .object(["a": .number("1")]))
    // ... only at the start.
    #expect(throws: JSONSyntaxError.self) { try JSON.parse(Array("[1]".utf8) + [0xEF, 0xBB, 0xBF]) }
  }

  @Test func deepNestingIsBoundedNotACrash() throws {
    let ok = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
    #expect(failure(ok) == nil)
    let deep = String(repeating: "[", count: 100_000)
    #expect(failure(deep)?.reason == "nested too deeply")
    let objects = String(repeating: "{\"a\":", count: 600) + "1" + String(repeating: "}", count: 600)
    #expect(failure(objects)?.reason == "nested too deeply")
  }

  @Test func numbersKeepTheirText() throws {
    let text = #"[1.50e+3, -0, 0.000, 12345678901234567890123, 1E-7]"#
    let json = try parse(text)
    #expect(json.compact() == "[1.50e+3,-0,0.000,12345678901234567890123,1E-7]")
    #expect(JSON.number("1.50e+3").integerValue == 1500)
  }

  @Test func prettyIsTheStoreForm() throws {
    let json = try parse(#"{"b":[1,{"z":null,"a":true}],"a":{},"c":[],"é":"x","B":"\u0001\u007f\"\\/"}"#)
    #expect(
      json.pretty() == """
        {
          "B" : "\\u0001\\u007f\\"\\\\/",
          "a" : {},
          "b" : [
            1,
            {
              "a" : true,
              "z" : null
            }
          ],
          "c" : [],
          "é" : "x"
        }

        """)
    // Writing what was read gives the same value back, and pretty output is a fixed point.
    #expect(try JSON.parse(json.pretty()) == json)
    #expect(try JSON.parse(json.pretty()).pretty() == json.pretty())
    #expect(json.compact() == #"{"B":"\u0001\u007f\"\\/","a":{},"b":[1,{"a":true,"z":null}],"c":[],"é":"x"}"#)
  }

  @Test func stringsRoundTripEveryControlCharacterAndNonASCII() throws {
    let all = String(String.UnicodeScalarView((0..<0x80).compactMap(Unicode.Scalar.init))) + "é中😀\u{2028}"
    let json = JSON.array([.string(all)])
    #expect(try JSON.parse(json.pretty()) == json)
    #expect(try JSON.parse(json.compact()) == json)
  }

  @Test func whitespaceAroundTheDocumentIsAllowed() throws {
    #expect(try parse(" \t\r\n{ }\n\n") == .object([:]))
  }
  /// A line break and its indentation are stepped over a word at a time: any run of spaces (shorter,
  /// as long as and longer than a word), tabs and line breaks is whitespace, and a control byte is not.
  @Test func indentationOfAnyLengthIsWhitespace() throws {
    for count in 0..<20 {
      for tail in ["", "\t", "\n", "\r\n "] {
        let space = "\n" + String(repeating: " ", count: count) + tail
        let text = "{\(space)\"a\" :\(space)[\(space)1\(space),\(space)\"b\"\(space)]\(space)}\(space)"
        #expect(try parse(text) == .object(["a": .array([.number("1"), .string("b")])]), "\(count) \(tail)")
      }
      let bad = "{\n" + String(repeating: " ", count: count) + "\u{0B}\"a\" : 1}"
      #expect(failure(bad)?.reason == "expected a member name in double quotes", "\(count)")
    }
  }
  /// The one duplicate-member rule, asserted on its own (built and skipped objects go through it alike, so
  /// comparing the two readers cannot find a fault in it): each text names its repeated member, or nil.
  @Test(
    arguments: [
      (#"{"a" : 1, "a" : 2}"#, "a"), (#"{"a" : 1, "b" : 2}"#, nil), (#"{"b" : 1, "a" : 2, "b" : 3}"#, "b"),
      // Names of more than eight bytes that share their first eight, in and out of order.
      (#"{"abcdefghi" : 1, "abcdefghi" : 2}"#, "abcdefghi"), (#"{"abcdefgh" : 1, "abcdefghi" : 2}"#, nil),
      (#"{"abcdefghi" : 1, "abcdefgh" : 2, "abcdefghi" : 3}"#, "abcdefghi"), (#"{"ab" : 1, "ab!" : 2, "ab" : 3}"#, "ab"),
      // Escaped and non-ASCII names are compared as strings: the same text in another spelling repeats.
      (#"{"\u0061" : 1, "a" : 2}"#, "a"), (#"{"a" : 1, "\u0061" : 2}"#, "a"), (#"{"é" : 1, "e\u0301" : 2}"#, "é"),
      (#"{"" : 1, "" : 2}"#, ""), (#"{"" : 1, "a" : 2}"#, nil),
      // The same name in two objects, nested or side by side, is no repeat.
      (#"{"a" : {"a" : 1}, "b" : {"a" : 2, "b" : [{"a" : 3}]}}"#, nil),
    ] as [(String, String?)])
  func theOneDuplicateRule(_ text: String, _ repeated: String?) {
    let error = failure(text)
    #expect(error?.reason == repeated.map { "the member \"\($0)\" appears twice in one object" }, "\(text)")
    // The same in a store's profiles (skipped, not built) and inside a profile.
    let store = Array(#"{"profiles" : \#(text)}"#.utf8)
    let inProfile = Array(#"{"profiles" : {"p" : \#(text)}}"#.utf8)
    for bytes in [store, inProfile] {
      let lazy = Result { () throws(JSONSyntaxError) in try JSON.parseStore(bytes) }
      guard case .failure(let e) = lazy else {
        #expect(repeated == nil, "\(text) parsed as a store")
        continue
      }
      #expect(e.reason == error?.reason, "\(text)")
    }
  }

  /// Objects larger than the names compared one by one (a set of their names takes over), out of order.
  @Test(arguments: [15, 16, 17, 40])
  func aRepeatInALargeObjectOutOfOrder(count: Int) {
    let names = (0..<count).map { "k\(count - $0)" }
    #expect(failure("{" + names.map { "\"\($0)\" : 0" }.joined(separator: ", ") + "}") == nil)
    let repeated = "{" + (names + [names[count / 2]]).map { "\"\($0)\" : 0" }.joined(separator: ", ") + "}"
    #expect(failure(repeated)?.reason == "the member \"\(names[count / 2])\" appears twice in one object")
  }
}

// Written for mutants of Tests/Support/mutants.txt that no earlier test killed (docs/mutations.md).
extension JSONParserTests {
  /// J04: two profiles of one name in a store are the parse error they are (the store scan reads "profiles"
  /// without building it), at the second name; the store is never rewritten.
  @Test func aProfileNamedTwiceIsAnErrorAtTheSecondName() throws {
    let profile = "{ \"auth\" : { \"kind\" : \"none\" }, \"server\" : \"https://x.example.com/api\" }"
    let store = "{\n  \"profiles\" : {\n    \"a\" : \(profile),\n    \"a\" : \(profile)\n  },\n  \"version\" : 1\n}\n"
    let s = try Sandbox()
    for arguments in [["list"], ["show", "a"], ["add", "b", "--server", "https://y.example.com", "--no-auth"]] {
      try s.writeStore(store)
      let r = try s.run(arguments)
      #expect(r.status == 1, "\(r)")
      #expect(r.stdout == "", "\(r)")
      #expect(
        r.stderr
          == "error: the profile store \(s.storePath) is not valid JSON: line 4, column 5: the member \"a\" appears twice in one object; fix it by hand (it was not changed)\n",
        "\(r)")
      #expect(s.storeText() == store)
    }
  }

  /// J05: a member named twice inside one profile is the store scan's parse error too, at the second name;
  /// the store is never rewritten.
  @Test func aMemberNamedTwiceInAProfileIsAnErrorAtTheSecondName() throws {
    let store = """
      {
        "profiles" : {
          "a" : { "auth" : { "kind" : "none" }, "server" : "https://x.example.com/api", "server" : "https://y.example.com/api" }
        },
        "version" : 1
      }

      """
    let s = try Sandbox()
    for arguments in [["list"], ["show", "a"], ["add", "b", "--server", "https://y.example.com", "--no-auth"]] {
      try s.writeStore(store)
      let r = try s.run(arguments)
      #expect(r.status == 1, "\(r)")
      #expect(r.stdout == "", "\(r)")
      #expect(
        r.stderr
          == "error: the profile store \(s.storePath) is not valid JSON: line 3, column 83: the member \"server\" appears twice in one object; fix it by hand (it was not changed)\n",
        "\(r)")
      #expect(s.storeText() == store)
    }
  }

  /// J07: a control character after an escape in a string is refused as one before it is.
  @Test func aControlCharacterAfterAnEscapeIsRefused() {
    for text in ["\"a\\n\u{01}\"", "\"\\t\u{1F}b\""] {
      #expect(JSONParserTests().failure(text)?.reason.contains("a control character must be escaped") == true, "\(text)")
    }
  }

  /// J16: '-' must be followed by a digit (`[-]` is not a number).
  @Test func aMinusWithoutADigitIsNoNumber() {
    for text in ["[-]", "-x", "{\"a\":-}"] {
      #expect(JSONParserTests().failure(text)?.reason.contains("expected a digit") == true, "\(text)")
    }
  }
}
