import ShellOutput

/// Whether this user approved a profile's `secretCommand`: no program runs because data says so
/// (docs/security.md, "Approval of secret commands"). An approval is the SHA-256 of the profile's name and
/// the exact argument vector, in the trust file beside the store (`TrustFile`, section `commands`, 0600:
/// the hash → the profile's name, for people reading the file; a profile may have several approved).
/// It is recorded when the user gives the vector to `add`/`set --secret-store command -- …` themselves,
/// or with `allow --command NAME`; a hand-edited store, a dotfiles store, an import or a catalog never
/// records one. `SecretHelper.run` asks here before it runs a profile's command: every door inherits it.
package enum CommandApproval {
  /// `sha256:` and the hex digest of the profile's name and its vector, each word NUL-terminated (no
  /// word holds a NUL: the same hash is the same name and the same words).
  package static func digest(profile name: String, command: [String]) -> String {
    var bytes = Array("conductor-profile secretCommand 1\u{0}".utf8)
    bytes += Array(name.utf8) + [0]
    for word in command { bytes += Array(word.utf8) + [0] }
    return "sha256:" + SHA256.hex(bytes)
  }

  /// Whether this user approved exactly `command` for the profile `name`.
  package static func isApproved(profile name: String, command: [String], context: Context) throws(Failure) -> Bool {
    let approved = try TrustFile(store: try context.store()).load(.commands)
    return approved[digest(profile: name, command: command)] != nil
  }

  /// Records that this user approved `command` for the profile `name`.
  package static func approve(profile name: String, command: [String], context: Context) throws(Failure) {
    let hash = digest(profile: name, command: command)
    try TrustFile(store: try context.store()).update(.commands) { $0[hash] = name }
  }

  /// The command as a user would type it, for messages.
  package static func shown(_ command: [String]) -> String { command.map(shellWord).joined(separator: " ") }

  /// Fails, running nothing, unless this user approved the profile's command.
  package static func require(_ reference: SecretReference, profile name: String, context: Context) throws(Failure) {
    guard reference.kind == .command else { return }
    if try isApproved(profile: name, command: reference.command, context: context) { return }
    throw .error(
      "profile '\(name)' gets its secret by running \(quoted(shown(reference.command))), which you have not approved on this machine (the store says so, not you: a hand edit, a dotfiles store, an import or a catalog); nothing was run. Check the command, then approve it with: conductor-profile allow --command \(shellWord(name))"
    )
  }
}
