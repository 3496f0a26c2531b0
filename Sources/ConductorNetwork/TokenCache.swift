import ProfileModel

/// Tokens minted by `token` for key profiles, one 0600 file a profile under
/// `$XDG_CACHE_HOME/conductor-profile/tokens/` (else `~/.cache/conductor-profile/tokens/`).
/// The guard reads it to tell a minted token from a user's.
package struct TokenCache {
  package let directory: String?

  package init(environment: [String: String]) {
    if let cache = environment["XDG_CACHE_HOME"], cache.hasPrefix("/") {
      directory = cache + "/conductor-profile/tokens"
    } else if let home = environment["HOME"], !home.isEmpty {
      directory = home + "/.cache/conductor-profile/tokens"
    } else {
      directory = nil
    }
  }

  /// Nil for a name that is not a valid profile name (a hand-edited store), so no path leaves the directory.
  package func path(for name: String) -> String? {
    guard (try? ProfileName(validating: name)) != nil else { return nil }
    return directory.map { "\($0)/\(name).json" }
  }

  /// Drops a profile's cached token (its server or key changed, or it is gone).
  package func forget(_ name: String) {
    if let path = path(for: name) { Posix.remove(path) }
  }
}

extension TokenCache {
  /// True when `token` is one that `token` minted for a key profile (it is in the cache).
  package func isMinted(_ token: String) -> Bool {
    guard let directory, let names = Posix.names(in: directory) else { return false }
    for name in names {
      guard name.hasSuffix(".json"), let bytes = try? Posix.readFile("\(directory)/\(name)", limit: .tokenCache),
        let cached = (try? JSON.parse(bytes))?.objectValue?["token"]?.stringValue
      else { continue }
      if cached == token { return true }
    }
    return false
  }
}
