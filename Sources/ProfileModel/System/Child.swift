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
