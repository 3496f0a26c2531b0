import ProfileModel
import ShellOutput

public enum FileFormat: String, CaseIterable, Sendable {
  case json, dotenv

  /// The variables as this format writes them; dotenv refuses a value it cannot carry (`Dotenv`).
  public func render(_ variables: [Variable]) throws(Failure) -> String {
    switch self {
    case .json:
      var object: [String: JSON] = [:]
      for variable in variables { object[variable.name] = .string(variable.value) }
      return JSON.object(object).pretty()
    case .dotenv:
      do throws(DotenvRefusal) {
        return try Dotenv.render(variables)
      } catch {
        throw .invalid(.dotenv(error))
      }
    }
  }
}
