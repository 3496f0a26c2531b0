/// A credential that would cross the network in clear text: a `key` or `user-token` profile on a plain
/// `http://` server that is not this machine. Warned about at `add`, `set` and `doctor` (not refused: a
/// lab cluster behind a VPN is a real case), because `token` and `verify` send the secret to it.
public enum ClearText {
  /// Whether `host` (canonical, `Host`) is this machine: `localhost` (and names under `.localhost`),
  /// 127.0.0.0/8, `::1`.
  public static func isLoopback(_ host: String) -> Bool {
    host == "localhost" || host.hasSuffix(".localhost") || host == "::1"
      || (Host.ipv4(host[...]).map { $0 >> 24 == 127 } ?? false)
  }

  /// The warning for `profile`, or nil when its secret never crosses the network in clear text.
  public static func warning(name: String, profile: Profile) -> String? {
    guard profile.credential.kind != .none, profile.server.url.hasPrefix("http://"), !isLoopback(profile.server.host)
    else { return nil }
    let what = profile.credential.kind == .key ? "key secret" : "user token"
    return
      "profile '\(name)' sends its \(what) in clear text: \(profile.server.url) is plain http:// on another machine, so anyone on the network path can read it; use https:// (conductor-profile set \(name) --server https://…)"
  }
}
