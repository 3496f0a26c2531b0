/// The variables this tool manages, in the order the contract lists them. None may be a profile's extra variable.
public enum ManagedVariable {
  public static let serverURL = "CONDUCTOR_SERVER_URL"
  public static let authKey = "CONDUCTOR_AUTH_KEY"
  public static let authSecret = "CONDUCTOR_AUTH_SECRET"
  public static let authToken = "CONDUCTOR_AUTH_TOKEN"
  public static let active = "CONDUCTOR_PROFILE_ACTIVE"
  public static let auth = "CONDUCTOR_PROFILE_AUTH"
  public static let production = "CONDUCTOR_PROFILE_PRODUCTION"
  public static let tokenExpires = "CONDUCTOR_PROFILE_TOKEN_EXPIRES"
  public static let vars = "CONDUCTOR_PROFILE_VARS"
  /// What the conductor CLI reads to tell Orkes (`Enterprise`) from open-source Conductor (`OSS`).
  public static let serverType = "CONDUCTOR_SERVER_TYPE"
  /// The server without `/api`: the Python SDK's links into the UI.
  public static let uiServerURL = "CONDUCTOR_UI_SERVER_URL"
  /// The end of a limited session (`use --for`, `productionSession`), Unix seconds: the prompt hook ends it.
  public static let sessionEnds = "CONDUCTOR_PROFILE_SESSION_ENDS"
  /// The profile's prompt colour (`--color`), for the prompt segment.
  public static let color = "CONDUCTOR_PROFILE_COLOR"
  /// Older names the Java SDK falls back to, and the conductor CLI's profile-file selector: cleared on every switch.
  public static let legacyKey = "CONDUCTOR_SERVER_AUTH_KEY"
  public static let legacySecret = "CONDUCTOR_SERVER_AUTH_SECRET"
  public static let cliProfile = "CONDUCTOR_PROFILE"
  /// The profile-file selector of older conductor CLI releases.
  public static let orkesProfile = "ORKES_PROFILE"
  /// The variables above that a switch clears but this tool never sets: said in one line when one was set.
  public static let foreign: [String] = [cliProfile, orkesProfile, legacyKey, legacySecret]

  /// Every variable a switch clears before it exports.
  public static let cleared: [String] = [
    serverURL, authKey, authSecret, authToken, active, auth, production, tokenExpires, vars, legacyKey, legacySecret,
    cliProfile, serverType, uiServerURL, orkesProfile, sessionEnds, color,
  ]

  /// The `.conductor-profile` file the active profile came from, exported by a directory switch and
  /// cleared by the next switch (only when set: `Switch.cleared`).
  public static let directoryFile = "CONDUCTOR_PROFILE_FILE"
}
