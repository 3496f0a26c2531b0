import ShellOutput

/// What a switch does to an environment: clear every variable the tool manages (and the last
/// profile's extras), then export the new profile's. `use`, `env`, `exec` and `off` all go through here.
public struct Switch {
  /// The variables a profile exports, sorted by name.
  public static func exports(name: String, profile: Profile, production: Bool) -> [Variable] {
    // Appended in name order (extras aside), so the sort below has little to move.
    var vars: [Variable] = []
    vars.reserveCapacity(16)
    switch profile.credential {
    case .key(let id, let secret):
      vars.append(Variable(ManagedVariable.authKey, id))
      vars.append(Variable(ManagedVariable.authSecret, secret.text))
    case .userToken(let jwt):
      vars.append(Variable(ManagedVariable.authToken, jwt.raw))
    case .none:
      break
    }
    vars.append(Variable(ManagedVariable.active, name))
    vars.append(Variable(ManagedVariable.auth, profile.credential.kind.rawValue))
    if let color = profile.color { vars.append(Variable(ManagedVariable.color, color.rawValue)) }
    if production { vars.append(Variable(ManagedVariable.production, "1")) }
    if case .userToken(let jwt) = profile.credential, let exp = jwt.expires {
      vars.append(Variable(ManagedVariable.tokenExpires, String(exp)))
    }
    // Extras never use a managed name (`validateExtraVariable`), so none replaces a variable above.
    let extras = profile.extraVariables
    var names = ""
    for extra in extras {
      vars.append(extra)
      if !names.isEmpty { names += " " }
      names += extra.name
    }
    vars.append(Variable(ManagedVariable.vars, names))
    vars.append(Variable(ManagedVariable.serverType, profile.effectiveServerType.rawValue))
    vars.append(Variable(ManagedVariable.serverURL, profile.server.url))
    vars.append(Variable(ManagedVariable.uiServerURL, profile.server.uiURL))
    vars.sort { utf8Precedes($0.name, $1.name) }
    return vars
  }

  /// The names a switch clears: everything the tool manages and the previous profile's extras
  /// (`CONDUCTOR_PROFILE_VARS`). Names there that no profile may set (`VariablePolicy`) are ignored.
  public static func cleared(environment: [String: String]) -> [String] {
    var names = ManagedVariable.cleared
    // The mark of a directory switch (DirectorySwitch.swift), cleared only when set.
    if environment[ManagedVariable.directoryFile] != nil { names.append(ManagedVariable.directoryFile) }
    if let previous = environment[ManagedVariable.vars] {
      for word in previous.split(separator: " ") {
        let name = String(word)
        if VariablePolicy.allows(name), !names.contains(name) { names.append(name) }
      }
    }
    names.sort { utf8Precedes($0, $1) }
    return names
  }

  /// The ordered changes: unset what is cleared and not exported again, then export.
  public static func changes(exports: [Variable], environment: [String: String]) -> [Assignment] {
    var result: [Assignment] = []
    for name in cleared(environment: environment) where !exports.contains(where: { $0.name == name }) {
      result.append(Assignment(name, nil))
    }
    for variable in exports { result.append(Assignment(variable.name, variable.value)) }
    return result
  }

  /// The changes that clear every name in `names`.
  public static func unsets(_ names: [String]) -> [Assignment] {
    var result: [Assignment] = []
    for name in names { result.append(Assignment(name, nil)) }
    return result
  }

  /// The one line said on standard error when a switch clears a variable from outside this tool's
  /// own set: the conductor CLI's `CONDUCTOR_PROFILE` (`ORKES_PROFILE` in older releases) or the Java SDK's older names.
  public static func notice(environment: [String: String]) -> String? {
    let foreign = ManagedVariable.foreign.filter { environment[$0] != nil }
    guard !foreign.isEmpty else { return nil }
    var why: [String] = []
    let selectors = foreign.filter { $0 == ManagedVariable.cliProfile || $0 == ManagedVariable.orkesProfile }
    if !selectors.isEmpty {
      why.append(
        "\(selectors.joined(separator: " and ")) \(selectors.count == 1 ? "selects" : "select") a conductor CLI config file that would override the profile"
      )
    }
    if foreign.count > selectors.count {
      why.append("the Java SDK falls back to CONDUCTOR_SERVER_AUTH_*")
    }
    return "warning: cleared \(foreign.joined(separator: ", ")) (\(why.joined(separator: "; ")))"
  }

  /// The environment a program started by `exec` gets: the current one, cleared and exported into,
  /// without the hook's private variables.
  public static func apply(exports: [Variable], to environment: [String: String]) -> [String: String] {
    var result = environment
    for change in changes(exports: exports, environment: environment) { result[change.name] = change.value }
    for key in result.keys where key.hasPrefix("_CONDUCTOR_PROFILE_") { result[key] = nil }
    return result
  }
}
