/// `env NAME --format dotenv`: one `NAME=VALUE` line per variable, in the one form that `sh`
/// (`set -a; . ./.env`), python-dotenv and docker compose all read back as exactly the value — or a
/// refusal naming the variable when no form is safe for all three.
///
/// - `NAME='VALUE'` when the value has no `'`, no `\\` and does not end in `\`: sh takes single quotes
///   literally, and so does compose except for `\'`; python-dotenv decodes `\\` and `\'` in them.
/// - else `NAME="VALUE"` when the value has none of `$`, `` ` ``, `\`, `"` (a value with a `'`): nothing
///   in it is special inside double quotes to any of the three.
/// - never a carriage return (python-dotenv reads the file with universal newlines) nor `${` (python-dotenv
///   expands `${NAME}` inside either kind of quotes, and has no escape for `$`).
public enum Dotenv {
  public static func render(_ variables: [Variable]) throws(DotenvRefusal) -> String {
    var out = ""
    for variable in variables {
      out += variable.name
      out += "="
      out += try quoted(variable.value, name: variable.name)
      out += "\n"
    }
    return out
  }

  package static func quoted(_ value: String, name: String) throws(DotenvRefusal) -> String {
    func refuse(_ why: String) -> DotenvRefusal { DotenvRefusal(name: name, why: why) }
    if value.contains("\r") { throw refuse("has a carriage return") }
    if value.contains("${") { throw refuse("has '${', which python-dotenv expands") }
    if !value.contains("'") && !value.contains("\\\\") && !value.hasSuffix("\\") { return "'" + value + "'" }
    if !value.contains(where: { $0 == "$" || $0 == "`" || $0 == "\\" || $0 == "\"" }) { return "\"" + value + "\"" }
    throw refuse("has a ' together with one of $ ` \\ \"")
  }
}

/// A variable no dotenv form carries exactly: its name and why (the value is never repeated).
public struct DotenvRefusal: Error, Equatable, Sendable {
  public let name: String
  public let why: String

  public var message: String {
    "\(name) cannot be written to a dotenv file that sh, python-dotenv and docker compose all read back exactly: its value \(why); use --format json, or --shell sh for a file to source (docs/security.md#dotenv-files)"
  }
}
