// Options whose values are model types: parsed here, at the command line's edge, so the model knows
// nothing of invocations.

import ProfileModel

extension ServerType {
  /// `--server-type` of add (and, with `forSet`, of set, where '' removes it).
  static func option(forSet: Bool = false) -> OptionSpec {
    .value(
      .serverType, "TYPE",
      "OSS or Enterprise, exported as CONDUCTOR_SERVER_TYPE (default: Enterprise with a credential, OSS without)"
        + (forSet ? "; '' goes back to that default." : "."))
  }

  /// `--server-type` as given: nil when absent, `.some(nil)` for '' (back to the inferred type), or a usage error.
  static func given(_ invocation: Invocation) throws(Failure) -> ServerType?? {
    guard let text = invocation.value(.serverType) else { return nil }
    if text.isEmpty { return .some(nil) }
    do throws(Failure) {
      return .some(try ServerType(validating: text))
    } catch {
      throw invocation.usageError(
        error.description, option: .serverType, suggestion: Suggest.nearest(text, in: allCases.map(\.rawValue)))
    }
  }
}

extension PromptColor {
  /// `--color COLOR` of add and set; an empty value (set only) removes the colour.
  static func option(_ invocation: Invocation) throws(Failure) -> PromptColor?? {
    guard let text = invocation.value(.color) else { return nil }
    if text.isEmpty, invocation.command.command == .set { return .some(nil) }
    guard let color = PromptColor(rawValue: text) else {
      throw invocation.usageError(
        "unknown colour \(quoted(text)) for --color; use one of \(names)", option: .color,
        suggestion: Suggest.nearest(text, in: allCases.map(\.rawValue)))
    }
    return .some(color)
  }
}
