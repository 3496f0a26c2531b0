import ProfileModel
import ShellOutput

/// `__complete -- WORD...` (hidden): what completes the last WORD of `conductor-profile WORD...`, for the
/// completion scripts in shell/completions/ (cobra's `__complete`). It answers one candidate a line
/// (`word`, or `word` TAB what it is), then one line that says what the shell offers besides:
///
///     :nofiles      nothing more
///     :files        file names
///     :directories  directory names
///     :command K    a command line that starts at WORD number K (counted from 0): exec's COMMAND
///
/// What completes where is read from the specs (`ArgumentSpec.completes`, `OptionSpec.completes`), so a
/// new command or option completes with no edit to the scripts. It runs on every Tab: it reads the store
/// only for profile names, offers only valid names (as literal words, never text the store holds
/// otherwise), and never fails loudly: a store that cannot be read offers no names.
enum CompleteCommand {
  static let spec = CommandSpec(
    .complete, usage: "", summary: "", positionals: 0...Int.max,
    run: { invocation, context throws(Failure) in context.emit(answer(invocation.positionals, context).text) })

  /// A word offered, with what it is (empty: nothing said).
  struct Candidate {
    let word: String
    let help: String

    init(_ word: String, _ help: String = "") {
      self.word = word
      self.help = help
    }
  }

  enum Directive: Equatable {
    case nofiles, files, directories
    case command(Int)
  }

  struct Answer {
    var candidates: [Candidate] = []
    var directive = Directive.nofiles

    var text: String {
      var text = ""
      for candidate in candidates {
        text += candidate.help.isEmpty ? candidate.word + "\n" : candidate.word + "\t" + candidate.help + "\n"
      }
      switch directive {
      case .nofiles: text += ":nofiles\n"
      case .files: text += ":files\n"
      case .directories: text += ":directories\n"
      case .command(let start): text += ":command \(start)\n"
      }
      return text
    }
  }

  /// The answer for `words` (the words after the program's name; the last is the one being completed).
  static func answer(_ words: [String], _ context: Context) -> Answer {
    guard let current = words.last else { return Answer() }
    if words.count == 1 {
      if current.hasPrefix("-") {
        return matching([Candidate("--help", "Show help information."), Candidate("--version", "Show the version.")], current)
      }
      return matching(commands + [Candidate("help", "Show help for a command.")], current)
    }
    if words[0] == "help" { return words.count == 2 ? matching(commands, current) : Answer() }
    guard let spec = Commands.spec(named: words[0]), !spec.summary.isEmpty else { return Answer() }

    // The words between the command and the one being completed: options, their values, positionals.
    var positionals: [String] = []
    var onlyPositionals = false
    var waiting: OptionSpec? = nil
    var secretStore: String? = nil
    for i in 1..<(words.count - 1) {
      let word = words[i]
      if let option = waiting {
        if option.name == Option.secretStore.rawValue { secretStore = word }
        waiting = nil
      } else if !onlyPositionals && word == "--" {
        // exec's COMMAND, or (add, set) the command of `--secret-store command`: complete that command line.
        if spec.takesCommand || (spec.allowsCommand && secretStore == SecretStoreKind.command.rawValue) {
          return Answer(directive: .command(i + 1))
        }
        onlyPositionals = true
      } else if !onlyPositionals && word.hasPrefix("-") && word != "-" {
        let (option, value) = optionWord(word, of: spec)
        if let option, option.value != nil {
          if let value {
            if option.name == Option.secretStore.rawValue { secretStore = value }
          } else {
            waiting = option
          }
        }
      } else {
        positionals.append(word)
      }
    }

    if let option = waiting { return resolve(option.completes, current, positionals, context) }
    if !onlyPositionals && current.hasPrefix("-") && current != "-" {
      // `--option=VALUE`: the value's candidates, without the `--option=` (the scripts put it back where their
      // shell needs it).
      if current.hasPrefix("--") && current.contains("=") {
        let (option, value) = optionWord(current, of: spec)
        guard let option, option.value != nil else { return Answer() }
        return resolve(option.completes, value ?? "", positionals, context)
      }
      var options = spec.options.map { Candidate("--" + $0.name, $0.help) } + [Candidate("--help", "Show help information.")]
      if spec.takesCommand && positionals.count >= spec.positionals.lowerBound {
        options.append(Candidate("--", "then the command to run"))
      }
      return matching(options, current)
    }
    let n = positionals.count
    guard n < spec.positionals.upperBound else {
      return spec.takesCommand && !onlyPositionals ? matching([Candidate("--", "then the command to run")], current) : Answer()
    }
    let arguments = spec.arguments
    guard let argument = n < arguments.count ? arguments[n] : arguments.last else { return Answer() }
    return resolve(argument.completes, current, positionals, context)
  }

  /// The option a word names (`--name`, `--name=VALUE` or `-x`), with the value given in it.
  static func optionWord(_ word: String, of spec: CommandSpec) -> (OptionSpec?, String?) {
    guard word.hasPrefix("--") else {
      return (spec.options.first { $0.short != nil && "-" + String($0.short!) == word }, nil)
    }
    var name = word.dropFirst(2)
    var value: String? = nil
    if let eq = name.firstIndex(of: "=") {
      value = String(name[name.index(after: eq)...])
      name = name[..<eq]
    }
    return (spec.options.first { $0.name == name }, value)
  }

  static func resolve(_ completion: Completion, _ current: String, _ positionals: [String], _ context: Context) -> Answer {
    switch completion {
    case .none: return Answer()
    case .files: return Answer(directive: .files)
    case .directories: return Answer(directive: .directories)
    case .values(let values): return matching(values.map { Candidate($0) }, current)
    case .profiles: return matching(profiles(context), current)
    case .profilesOrPrevious:
      var names = profiles(context)
      if !(context.environment[SwitchCommands.previousVariable] ?? "").isEmpty {
        names.insert(Candidate("-", "the previous profile"), at: 0)
      }
      return matching(names, current)
    case .byFirst(let choices):
      guard let first = positionals.first, let completion = choices[first] else { return Answer() }
      return resolve(completion, current, positionals, context)
    }
  }

  /// The commands a user types (hidden ones left out).
  static var commands: [Candidate] { Commands.all.filter { !$0.summary.isEmpty }.map { Candidate($0.name, $0.summary) } }

  /// The store's profile names that are valid names (a hand-edited store's `$(cmd)` is never offered);
  /// none when the store cannot be read.
  static func profiles(_ context: Context) -> [Candidate] {
    guard let file = try? context.store(), let store = try? file.loadIfPresent() else { return [] }
    return store.names.filter { (try? ProfileName(validating: $0)) != nil }.map { Candidate($0) }
  }

  static func matching(_ candidates: [Candidate], _ current: String) -> Answer {
    Answer(candidates: candidates.filter { $0.word.hasPrefix(current) })
  }
}
