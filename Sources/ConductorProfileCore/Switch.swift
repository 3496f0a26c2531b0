/// What a switch does to an environment: clear every variable the tool manages (and the last
/// profile's extras), then export the new profile's. `use`, `env`, `exec` and `off` all go through here.
public struct Switch {
  /// The variables a profile exports, sorted by name.
  public static func exports(name: String, profile: Profile, production: Bool) -> [(name: String, value: String)] {
    var vars: [String: String] = [
      ManagedVariable.serverURL: profile.server.url,
      ManagedVariable.active: name,
      ManagedVariable.auth: profile.credential.kind.rawValue,
    ]
    switch profile.credential {
    case .key(let id, let secret):
      vars[ManagedVariable.authKey] = id
      vars[ManagedVariable.authSecret] = secret
    case .userToken(let jwt):
      vars[ManagedVariable.authToken] = jwt.raw
      if let exp = jwt.expires { vars[ManagedVariable.tokenExpires] = String(exp) }
    case .none:
      break
    }
    if production { vars[ManagedVariable.production] = "1" }
    let extras = profile.extraVariables
    for (k, v) in extras { vars[k] = v }
    vars[ManagedVariable.vars] = extras.map(\.name).joined(separator: " ")
    return vars.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }.map { ($0.key, $0.value) }
  }

  /// The names a switch clears: everything the tool manages and the previous profile's extras
  /// (`CONDUCTOR_PROFILE_VARS`). Names there that are not variable names, or that the shell needs, are ignored.
  public static func cleared(environment: [String: String]) -> [String] {
    var names = Set(ManagedVariable.cleared)
    for word in (environment[ManagedVariable.vars] ?? "").split(separator: " ") {
      let name = String(word)
      if isVariableName(name), !isReservedVariable(name) { names.insert(name) }
    }
    return names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
  }

  /// The ordered changes: unset what is cleared and not exported again, then export.
  public static func changes(exports: [(name: String, value: String)], environment: [String: String]) -> [(
    name: String, value: String?
  )] {
    let exported = Set(exports.map(\.name))
    let unsets = cleared(environment: environment).filter { !exported.contains($0) }
    return unsets.map { ($0, nil) } + exports.map { ($0.name, $0.value) }
  }

  /// The one line said on standard error when a switch clears a variable from outside this tool's
  /// own set: the conductor CLI's `CONDUCTOR_PROFILE` or the Java SDK's older names.
  public static func notice(environment: [String: String]) -> String? {
    let foreign = [ManagedVariable.cliProfile, ManagedVariable.legacyKey, ManagedVariable.legacySecret].filter {
      environment[$0] != nil
    }
    guard !foreign.isEmpty else { return nil }
    var why: [String] = []
    if foreign.contains(ManagedVariable.cliProfile) {
      why.append("CONDUCTOR_PROFILE selects a conductor CLI config file that would override the profile")
    }
    if foreign.contains(where: { $0 != ManagedVariable.cliProfile }) {
      why.append("the Java SDK falls back to CONDUCTOR_SERVER_AUTH_*")
    }
    return "warning: cleared \(foreign.joined(separator: ", ")) (\(why.joined(separator: "; ")))"
  }

  /// The environment a program started by `exec` gets: the current one, cleared and exported into,
  /// without the hook's private variables.
  public static func apply(exports: [(name: String, value: String)], to environment: [String: String]) -> [String: String] {
    var result = environment
    for (name, value) in changes(exports: exports, environment: environment) { result[name] = value }
    for key in result.keys where key.hasPrefix("_CONDUCTOR_PROFILE_") { result[key] = nil }
    return result
  }
}
