/// Every way a command can fail, with the exit code the contract gives it.
///
/// Messages say what was wrong, with what, and how to fix it; they are printed after `error: `
/// (or `Error: ` with the usage line, for usage errors).
public enum Failure: Error, Equatable, CustomStringConvertible {
  /// Exit 64: unknown command or option, missing or extra argument, unknown profile name.
  /// `suggestion` is the nearest valid word ("did you mean …").
  case usage(String, command: CommandName?, suggestion: String? = nil)
  /// Exit 1: anything else that went wrong.
  case error(String)
  /// Exit 3: the guard refused a user token on a production server.
  case refused(String)
  /// Exit with a status and print nothing more (the message, if any, is already out).
  case exit(Int32)

  public var description: String {
    switch self {
    case .usage(let m, _, _), .error(let m), .refused(let m): return m
    case .exit(let code): return "exit \(code)"
    }
  }

  public var exitCode: Int32 {
    switch self {
    case .usage: return ExitCode.usage
    case .error: return ExitCode.failure
    case .refused: return ExitCode.refused
    case .exit(let code): return code
    }
  }
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
