/// A profile's colour for the prompt segment (the store's `color`): one of the 8 basic ANSI colours.
/// Exported as `CONDUCTOR_PROFILE_COLOR`; the hook's segment uses it in place of the kind's colour
/// (production red, user-token yellow), keeping the ⚠ of a user token and the bold of one on production.
public enum PromptColor: String, CaseIterable, Sendable {
  case black, red, green, yellow, blue, magenta, cyan, white

  package static let names = allCases.map(\.rawValue).joined(separator: ", ")

  /// Whether a stored `color` value is one (`StoredFault.color` says why not).
  static func isValid(_ value: JSON) -> Bool { value.stringValue.flatMap(PromptColor.init(rawValue:)) != nil }
}

extension Profile {
  /// The prompt colour, kept among the keys written back as read (checked when the profile is read).
  public var color: PromptColor? {
    get { unknown["color"]?.stringValue.flatMap(PromptColor.init(rawValue:)) }
    set { unknown["color"] = newValue.map { .string($0.rawValue) } }
  }
}
