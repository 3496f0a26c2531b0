import ProfileModel

/// Every option a command takes, by name: a command asks its `Invocation` for `.shell`, not for a string a
/// typo could silently miss. The raw value is the word after `--`.
public enum Option: String, CaseIterable, Sendable {
  case all
  case color
  case command
  case description
  case dir
  case env
  case failFast = "fail-fast"
  case fix
  case forDuration = "for"
  case force
  case format
  case header
  case json
  case keyID = "key-id"
  case noAuth = "no-auth"
  case noProduction = "no-production"
  case print
  case production
  case quiet
  case refresh
  case reveal
  case secret
  case secretStore = "secret-store"
  case server
  case serverType = "server-type"
  case shell
  case unset
  case unsetEnv = "unset-env"
  case userToken = "user-token"
  case yes
}

/// An option a command accepts: `--name`, or `--name VALUE` when `value` is set.
public struct OptionSpec: Sendable {
  public let name: String
  public let short: Character?
  /// The placeholder for its value (`URL`), nil for a flag.
  public let value: String?
  public let repeatable: Bool
  public let help: String

  public static func flag(_ option: Option, short: Character? = nil, _ help: String) -> OptionSpec {
    OptionSpec(name: option.rawValue, short: short, value: nil, repeatable: false, help: help)
  }

  public static func value(_ option: Option, _ placeholder: String, repeatable: Bool = false, _ help: String) -> OptionSpec {
    OptionSpec(name: option.rawValue, short: nil, value: placeholder, repeatable: repeatable, help: help)
  }
}

/// A positional argument, for help: a struct, as a tuple's type metadata is built at run time (Switch.swift).
public struct ArgumentSpec: Sendable {
  public let name: String
  public let help: String

  public init(_ name: String, _ help: String) {
    self.name = name
    self.help = help
  }
}

/// A command: its words, its options, its help, and the function that runs it.
public struct CommandSpec: Sendable {
  let command: CommandName
  /// The word that names it on the command line (`command.rawValue`).
  public let name: String
  /// What follows the command name on the usage line.
  public let usage: String
  public let summary: String
  /// The positional arguments, for help and for naming a missing one: built when asked for, as a run
  /// that parses well never needs them (docs/performance.md).
  public var arguments: [ArgumentSpec] { makeArguments() }
  private let makeArguments: @Sendable () -> [ArgumentSpec]
  public let options: [OptionSpec]
  public let positionals: ClosedRange<Int>
  /// True when words after `--` are the command to run (`exec`).
  public let takesCommand: Bool
  /// True when words after `--` that follow `--secret-store command` are kept in `trailing` (`add`, `set`).
  public let allowsCommand: Bool
  /// Extra paragraphs for `--help`.
  public let discussion: String
  let run: @Sendable (Invocation, Context) throws(Failure) -> Void

  init(
    _ command: CommandName, usage: String, summary: String, arguments: @autoclosure @escaping @Sendable () -> [ArgumentSpec] = [],
    options: [OptionSpec] = [],
    positionals: ClosedRange<Int> = 0...0, takesCommand: Bool = false, allowsCommand: Bool = false, discussion: String = "",
    run: @escaping @Sendable (Invocation, Context) throws(Failure) -> Void
  ) {
    self.command = command
    self.name = command.rawValue
    self.usage = usage
    self.summary = summary
    self.makeArguments = arguments
    self.options = options
    self.positionals = positionals
    self.takesCommand = takesCommand
    self.allowsCommand = allowsCommand
    self.discussion = discussion
    self.run = run
  }
}

/// The parsed words of one command line.
public struct Invocation: Sendable {
  public let command: CommandSpec
  public var positionals: [String] = []
  /// The options given, in order: `optionNames[i]` with its value `optionValues[i]` ("" for a flag).
  /// Two arrays of strings, not a `[String: [String]]`: that dictionary's type metadata was made at run
  /// time on every run, and a command line has a few options.
  var optionNames: [String] = []
  var optionValues: [String] = []
  /// The words after `--`, for `exec`.
  public var trailing: [String]? = nil

  public func has(_ option: Option) -> Bool {
    assert(declares(option), "\(command.name) asks for --\(option.rawValue), which its spec does not declare")
    return optionNames.contains(option.rawValue)
  }
  public func value(_ option: Option) -> String? {
    assert(declares(option), "\(command.name) asks for --\(option.rawValue), which its spec does not declare")
    return optionNames.lastIndex(of: option.rawValue).map { optionValues[$0] }
  }
  /// Whether the command's spec has `option`: asking for one it does not declare is a programming error
  /// that would always read "not given", so debug builds (the tests) stop at it.
  func declares(_ option: Option) -> Bool { command.options.contains { $0.name == option.rawValue } }
  public func all(_ option: Option) -> [String] {
    assert(declares(option), "\(command.name) asks for --\(option.rawValue), which its spec does not declare")
    var found: [String] = []
    for (i, name) in optionNames.enumerated() where name == option.rawValue { found.append(optionValues[i]) }
    return found
  }

  /// A usage error of this command; `option` names the option at fault, when one is.
  func usageError(_ message: String, option: Option? = nil, suggestion: String? = nil) -> Failure {
    .usage(message, command: command.command, option: option?.rawValue, suggestion: suggestion)
  }

  /// Fails when more than one of `a`, `b` and `c` is given. Two or three options, not an array: an
  /// array of `Option` would cost its type metadata on the switch path (docs/performance.md).
  func exclusive(_ a: Option, _ b: Option, _ c: Option? = nil) throws(Failure) {
    var given = ""
    var count = 0
    func note(_ option: Option?) {
      guard let option, has(option) else { return }
      given += (count == 0 ? "--" : " and --") + option.rawValue
      count += 1
    }
    note(a)
    note(b)
    note(c)
    if count > 1 { throw usageError("\(given) cannot be used together") }
  }

  /// The parse of `words` (the arguments after the command name), or a usage error. Nil for `--help`.
  static func parse(_ words: [String], for command: CommandSpec) throws(Failure) -> Invocation? {
    var invocation = Invocation(command: command)
    var i = 0
    var onlyPositionals = false
    while i < words.count {
      let word = words[i]
      i += 1
      if onlyPositionals || word == "-" || !word.hasPrefix("-") {
        invocation.positionals.append(word)
        continue
      }
      if word == "--" {
        // For `add` and `set`, only after `--secret-store command`: there `--` may still end the options.
        if command.takesCommand || (command.allowsCommand && invocation.value(.secretStore) == "command") {
          invocation.trailing = Array(words[i...])
          break
        }
        onlyPositionals = true
        continue
      }
      if word == "-h" || word == "--help" { return nil }
      var name: String
      var inlineValue: String? = nil
      if word.hasPrefix("--") {
        name = String(word.dropFirst(2))
        if let eq = name.firstIndex(of: "=") {
          inlineValue = String(name[name.index(after: eq)...])
          name = String(name[..<eq])
        }
      } else {
        let letter = word.dropFirst().first!
        guard let spec = command.options.first(where: { $0.short == letter }), word.count == 2 else {
          throw invocation.usageError("unknown option \(quoted(word))", suggestion: nil)
        }
        name = spec.name
      }
      guard let spec = command.options.first(where: { $0.name == name }) else {
        let candidates = command.options.map { "--" + $0.name } + ["--help"]
        throw invocation.usageError(
          "unknown option \(quoted("--" + name))", suggestion: Suggest.nearest("--" + name, in: candidates))
      }
      if spec.value == nil {
        if inlineValue != nil { throw invocation.usageError("--\(name) takes no value") }
        if invocation.optionNames.contains(name) { throw invocation.usageError("--\(name) is given twice") }
        invocation.optionNames.append(name)
        invocation.optionValues.append("")
        continue
      }
      let value: String
      if let inlineValue {
        value = inlineValue
      } else {
        guard i < words.count, !(words[i].hasPrefix("--") && words[i].count > 2) else {
          throw invocation.usageError("--\(name) needs a value (\(spec.value!))")
        }
        value = words[i]
        i += 1
      }
      if !spec.repeatable, invocation.optionNames.contains(name) { throw invocation.usageError("--\(name) is given twice") }
      invocation.optionNames.append(name)
      invocation.optionValues.append(value)
    }
    let count = invocation.positionals.count
    if count < command.positionals.lowerBound {
      let missing = command.arguments.dropFirst(count).first?.name ?? "argument"
      throw invocation.usageError("missing \(missing)")
    }
    if count > command.positionals.upperBound {
      let extra = invocation.positionals[command.positionals.upperBound]
      throw invocation.usageError("unexpected argument \(quoted(extra))")
    }
    if command.takesCommand, invocation.trailing == nil {
      throw invocation.usageError("missing the command to run after '--'")
    }
    return invocation
  }
}

/// "Did you mean": the nearest word by Damerau–Levenshtein distance (a swap of neighbours is one
/// edit), or nil when the match is weak or two words tie.
enum Suggest {
  static func nearest(_ word: String, in candidates: [String]) -> String? {
    // Fewer than half the letters may differ (one edit up to four letters): "nope" is not "copy".
    let limit = max(1, min(3, (word.count - 1) / 2))
    var best: (word: String, distance: Int)? = nil
    var tie = false
    for candidate in Set(candidates) {
      let d = distance(word, candidate)
      guard d <= limit else { continue }
      if let b = best, d == b.distance {
        tie = true
      } else if best == nil || d < best!.distance {
        best = (candidate, d)
        tie = false
      }
    }
    return tie ? nil : best?.word
  }

  static func distance(_ a: String, _ b: String) -> Int {
    let a = Array(a.lowercased())
    let b = Array(b.lowercased())
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in 0...a.count { d[i][0] = i }
    for j in 0...b.count { d[0][j] = j }
    for i in 1...a.count {
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
          d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
        }
      }
    }
    return d[a.count][b.count]
  }
}
