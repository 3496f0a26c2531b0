/// The shells (and formats) whose code or files `env` prints.
///
/// Input is an ordered list of changes: a name with a value to export, or nil to unset. Names are
/// validated before they get here and never quoted; values are always quoted, so no byte of a value can run.
public enum ShellSyntax: String, CaseIterable, Sendable {
  case bash, zsh, fish, sh
  /// Internal: bash/zsh/sh share one syntax.
  static let posix = ShellSyntax.sh

  public func quote(_ value: String) -> String {
    switch self {
    case .bash, .zsh, .sh:
      return "'" + value.replacing("'", with: "'\\''") + "'"
    case .fish:
      return "'" + value.replacing("\\", with: "\\\\").replacing("'", with: "\\'") + "'"
    }
  }

  public func render(_ changes: [(name: String, value: String?)]) -> String {
    var out = ""
    for (name, value) in changes {
      precondition(isVariableName(name), "invalid variable name reached the renderer")
      switch (self, value) {
      // -g: never erase a universal variable of the same name.
      case (.fish, nil): out += "set -e -g \(name);\n"
      case (.fish, let v?): out += "set -gx \(name) \(quote(v));\n"
      case (_, nil): out += "unset \(name);\n"
      case (_, let v?): out += "export \(name)=\(quote(v));\n"
      }
    }
    // fish's `set` keeps the status before it, and erasing a variable that is not set returns 4:
    // end with a true status so `… | source; and …` sees the switch succeed.
    if self == .fish, changes.contains(where: { $0.value == nil }) { out += "true;\n" }
    return out
  }

  /// A plain (not exported) shell variable, for the hook's private state.
  func setPrivate(_ name: String, _ value: String) -> String {
    switch self {
    case .fish: return "set -g \(name) \(quote(value));\n"
    default: return "\(name)=\(quote(value));\n"
    }
  }
}

public enum FileFormat: String, CaseIterable, Sendable {
  case json, dotenv

  public func render(_ variables: [(name: String, value: String)]) -> String {
    switch self {
    case .json:
      var object: [String: JSON] = [:]
      for (name, value) in variables { object[name] = .string(value) }
      return JSON.object(object).pretty()
    case .dotenv:
      // Single quotes with \\ and \' escaped: the form python-dotenv and docker compose read literally.
      return variables.map { name, value in
        "\(name)='" + value.replacing("\\", with: "\\\\").replacing("'", with: "\\'") + "'\n"
      }.joined()
    }
  }
}
