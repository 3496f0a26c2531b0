import Platform

/// The program's other programs, in the model's terms: Platform's one runner (`Runner`) and its one PATH
/// lookup, with the limits of Limits.swift and the deadlines of the store. A program that cannot be
/// started is a `Failure` naming it; a deadline that passed or an output past its limit is said in the
/// result, for the caller to name the setting.
package enum Child {
  package typealias Result = Runner.Result
  package typealias Location = Runner.Location

  /// The one PATH lookup (Runner.locate): `program` on the environment's PATH.
  package static func locate(_ program: String, environment: [String: String]) -> Location {
    Runner.locate(program, searchPath: environment["PATH"])
  }

  /// Runs `path` with a deadline (`seconds`), in a process group of its own that the deadline kills
  /// whole, its standard output read up to `limit`.
  package static func run(
    _ path: String, arguments: [String], environment: [String: String], input: [UInt8], limit: ReadLimit, seconds: Double
  ) throws(Failure) -> Result {
    var request = Runner.Request(
      path: path, arguments: arguments, environment: environment, input: input, outputLimit: limit.bytes, deadline: seconds)
    request.errorLimit = ReadLimit.childErrors.bytes
    return try start(request)
  }

  /// Runs a program that talks to the user (a picker): in the terminal's process group, its standard error
  /// the user's, no deadline; its output read up to `ReadLimit.pickerOutput`.
  package static func run(
    _ path: String, arguments: [String], environment: [String: String], input: [UInt8], captureErrors: Bool = true
  ) throws(Failure) -> Result {
    var request = Runner.Request(
      path: path, arguments: arguments, environment: environment, input: input, outputLimit: ReadLimit.pickerOutput.bytes,
      deadline: nil)
    request.captureErrors = captureErrors
    request.ownGroup = false
    return try start(request)
  }

  private static func start(_ request: Runner.Request) throws(Failure) -> Result {
    do throws(Runner.StartError) {
      return try Runner.run(request)
    } catch {
      throw .error("cannot run \(quoted(error.path)): \(Posix.errorText(error.code))")
    }
  }

  /// The environment a helper gets: this one without the variables a profile brought — those this tool
  /// manages and the active profile's extra variables (`CONDUCTOR_PROFILE_VARS`) — as the shell had it
  /// before any switch.
  package static func helperEnvironment(_ environment: [String: String]) -> [String: String] {
    var result = environment
    for name in (environment[ManagedVariable.vars] ?? "").split(separator: " ") { result[String(name)] = nil }
    for name in ManagedVariable.cleared + [ManagedVariable.directoryFile] { result[name] = nil }
    return result
  }
}

extension Child {
  /// What `exec` and a fan-out report for a command that could not start, as env(1) and POSIX shells do:
  /// 127 when it is not found, 126 when it is found but cannot be run.
  package static let notFoundStatus: Int32 = 127
  package static let cannotRunStatus: Int32 = 126

  /// Gives programs this one starts the core limit the user had (this process stays non-dumpable).
  package static func restoreCoreLimit() { Hardening.restoreCoreLimit() }

  /// SIGINT, for a caller that stops when a child was interrupted.
  package static let interruptSignal = Runner.interruptSignal

  /// `command[0]` found by the one PATH lookup on `environment`'s PATH, or the status and the error said
  /// on standard error when it cannot be run.
  static func program(_ command: [String], environment: [String: String], context: Context)
    -> Swift.Result<
      String, Failure
    >
  {
    switch locate(command[0], environment: environment) {
    case .found(let path): return .success(path)
    case .notFound:
      context.error("cannot run \(quoted(command[0])): command not found")
      return .failure(.exit(notFoundStatus))
    case .notExecutable(let path):
      context.error("cannot run \(quoted(command[0])): \(shownText(path)) is not an executable file")
      return .failure(.exit(cannotRunStatus))
    }
  }

  /// Becomes `command` (`exec`): found by the one PATH lookup, with the core limit the user had. Returns
  /// only by throwing `.exit(127)` (not found) or `.exit(126)` (cannot run), after saying why.
  package static func replace(_ command: [String], environment: [String: String], context: Context) throws(Failure) {
    context.flush()
    let path = try program(command, environment: environment, context: context).get()
    Hardening.restoreCoreLimit()
    let failure = Runner.replace(path, arguments: command, environment: environment)
    context.error("cannot run \(quoted(command[0])): \(Posix.errorText(failure.code))")
    throw .exit(failure.code == Posix.notFound ? notFoundStatus : cannotRunStatus)
  }

  /// Runs `command` attached to the terminal (a fan-out's commands, `ui`'s opener) and waits: its exit
  /// status (128 + the signal that ended it) and that signal; 127 or 126 when it cannot start, said on
  /// standard error. Ctrl-C reaches the command, not this process.
  package static func runAttached(_ command: [String], environment: [String: String], context: Context) -> (
    status: Int32, signal: Int32?
  ) {
    context.flush()
    let path: String
    switch program(command, environment: environment, context: context) {
    case .success(let found): path = found
    case .failure(let failure): return (failure.exitCode, nil)
    }
    do throws(Runner.StartError) {
      let ended = try Runner.runAttached(path, arguments: command, environment: environment)
      return ended.signal == 0 ? (ended.status, nil) : (128 + ended.signal, ended.signal)
    } catch {
      context.error("cannot run \(quoted(command[0])): \(Posix.errorText(error.code))")
      return (error.code == Posix.notFound ? notFoundStatus : cannotRunStatus, nil)
    }
  }
}
