import Platform

/// Every way a command can fail, with the exit code the contract gives it.
///
/// A case carries the data of what went wrong (the path and the system's error, the document with the
/// line and column, the profile, the command); its text is made only where it is shown (`description`,
/// used by the command line's `CLI.report` and by reports such as `doctor`'s, which show `problem` and give
/// their own fix). Messages say what was wrong, with what, and how to fix it; they are printed after
/// `error: ` (or `Error: ` with the usage line, for usage errors).
public indirect enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
  /// Exit 64: unknown command or option, missing or extra argument, a bad option value. `option` is the
  /// option at fault (its name without `--`), when one is; `suggestion` the nearest valid word ("did you mean …").
  case usage(String, command: CommandName?, option: String? = nil, suggestion: String? = nil)
  /// Exit 64: NAME names no profile of the store (`known`: the store's names, for "did you mean").
  case unknownProfile(String, command: CommandName, known: [String])
  /// Exit 1: a system call on a file failed: which file, what was tried, and `errno`.
  case file(String, FileAction, errno: Int32)
  /// Exit 1: a file this program reads is not what it must be (not JSON, or not a valid store).
  case document(Document, DocumentProblem)
  /// Exit 1: a profile of the store is not valid (`problem` says how).
  case profile(String, problem: Failure)
  /// Exit 1: a Conductor server (its URL) could not be reached, or answered with something other than what was
  /// asked for; `problem` says what, in the words of the layer that talked to it (ConductorNetwork).
  case server(String, problem: String)
  /// Exit 1: a value one of the model's rules refuses (what was wrong, with what).
  case invalid(Invalid)
  /// Exit 1: anything else that went wrong, and how to mend it when there is a way.
  case error(String, fix: String? = nil)
  /// Exit 3: the guard refused a user token on a production server.
  case refused(String)
  /// Exit with a status and print nothing more (the message, if any, is already out).
  case exit(Int32)

  /// What went wrong, without the fix.
  public var problem: String {
    switch self {
    case .usage(let m, _, _, _), .error(let m, _), .refused(let m), .server(_, let m): return m
    case .unknownProfile(let name, _, let known):
      let hint =
        known.isEmpty ? " (there are no profiles yet; add one with: conductor-profile add NAME --server URL --key-id ID)" : ""
      return "no profile named \(quoted(name))\(hint)"
    case .file(let path, let action, let code): return "cannot \(action.verb) \(shownText(path)): \(Posix.errorText(code))"
    case .document(let document, .syntax(let syntax)):
      return "\(document.shown) is not valid JSON: line \(syntax.line), column \(syntax.column): \(syntax.reason)"
    case .document(let document, .content(let why)): return "\(document.shown) \(why)"
    case .document(let document, .invalid(let failure)): return "\(document.shown) is not \(document.noun): \(failure)"
    case .profile(let name, let problem): return "profile '\(name)': \(problem.description)"
    case .invalid(let invalid): return invalid.description
    case .exit(let code): return "exit \(code)"
    }
  }

  /// How to mend it, when the failure knows.
  public var fix: String? {
    switch self {
    case .error(_, let fix): return fix
    case .document(let document, _): return document.fix
    case .invalid(let invalid): return invalid.fix
    default: return nil
    }
  }

  public var description: String { fix.map { "\(problem); \($0)" } ?? problem }

  public var exitCode: Int32 {
    switch self {
    case .usage, .unknownProfile: return ExitCode.usage
    case .error, .invalid, .file, .document, .profile, .server: return ExitCode.failure
    case .refused: return ExitCode.refused
    case .exit(let code): return code
    }
  }
}

/// A file this program reads as JSON, and what it says when that file is wrong.
public enum Document: Equatable, Sendable {
  /// The profile store: never changed when it cannot be read.
  case store(path: String)
  /// The trust file of directory profiles.
  case trustFile(path: String)
  /// A file given to `import file`.
  case importFile(path: String)

  var shown: String {
    switch self {
    case .store(let path): "the profile store \(path)"
    case .trustFile(let path): "the trust file \(shownText(path))"
    case .importFile(let path): path
    }
  }

  var noun: String {
    switch self {
    case .store: "a valid store"
    case .trustFile: "a valid trust file"
    case .importFile: "a file conductor-profile export wrote"
    }
  }

  var fix: String {
    switch self {
    case .store: "fix it by hand (it was not changed)"
    case .trustFile: "fix it by hand or remove it"
    case .importFile: "nothing was imported"
    }
  }
}

/// Why a document was refused: its JSON, what it holds (`content`: said after the document's name), or a
/// failure found in it (`invalid`: a store whose JSON is fine but whose values are not).
public indirect enum DocumentProblem: Equatable, Sendable {
  case syntax(JSONSyntaxError)
  case content(String)
  case invalid(Failure)
}

public enum ExitCode {
  public static let success: Int32 = 0
  public static let failure: Int32 = 1
  public static let refused: Int32 = 3
  public static let usage: Int32 = 64
}

/// Single-quotes a value for a message, so blanks and empty strings stay visible; control characters,
/// newline and tab are shown escaped by the one sanitiser (`TerminalText`).
package func quoted(_ s: String) -> String {
  "'" + TerminalText.sanitize(s, singleLine: true) + "'"
}
