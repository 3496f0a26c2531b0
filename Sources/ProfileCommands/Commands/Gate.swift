import ProfileModel

/// The one gate every way a credential leaves the store passes (docs/seatbelt.md, "The gate"): `use`
/// (by name, `-`, the picker), the directory switch, the start-up switch, `env` in every format, `exec`
/// (one profile or each of a fan-out), `token`, `show --reveal` and `export --reveal`. It applies, from
/// the store at this moment, the guard (warn / block), `confirmProduction` and `productionSession`.
///
/// The guard's rules are `Guard.judge`'s findings (a new one, such as an admin key on production, is one
/// more case there and reaches every door through here); the production judgement is `Store.isProduction`.
enum Gate {
  /// The way a credential leaves.
  enum Door: Equatable {
    /// `use NAME`, `use -`, the picker: a shell switch the user asked for.
    case use
    /// The hook's switch on entering a tree with a trusted `.conductor-profile` (its path).
    case directory(String)
    /// The switch to the default profile when a shell starts.
    case startup
    /// `env`: shell code (`shellCode`, the deadline of a limited session exported) or a file format.
    case env(shellCode: Bool)
    /// `exec NAME`, or one profile of a fan-out: one command, no session.
    case exec
    case token
    /// `show --reveal`, `export --reveal`.
    case reveal(CommandName)

    /// What typing the name at the confirmation allows.
    var doing: String {
      switch self {
      case .use, .directory, .startup: "switch"
      case .env: "print its variables"
      case .exec: "run the command"
      case .token: "print its token"
      case .reveal: "show its secret"
      }
    }

    /// The command whose `--yes` confirms without a terminal.
    var command: CommandName {
      switch self {
      case .use, .directory, .startup: .use
      case .env: .env
      case .exec: .exec
      case .token: .token
      case .reveal(let command): command
      }
    }

    /// Whether a limited session applies: every shell switch, and `env`'s shell code.
    var takesSession: Bool {
      switch self {
      case .use, .directory, .startup, .env(shellCode: true): true
      default: false
      }
    }
  }

  /// Lets the credential of `target` out through `door`, or throws: exit 3 when the guard (mode block)
  /// or `confirmProduction` without a terminal and without `--yes` refuses; exit 1 when the answer typed
  /// at the terminal is not the name. Returns the length of the session the door must limit to (nil:
  /// unlimited): `requested` (`--for`, or what `use -` brings back), and `productionSession` for a
  /// production profile, the shorter of the two.
  @discardableResult
  static func pass(
    _ target: SwitchCommands.Target, door: Door, yes: Bool, requested: Int64? = nil, _ context: Context
  ) throws(Failure) -> Int64? {
    try pass(
      name: target.name, profile: target.profile, store: target.store, production: target.production, door: door, yes: yes,
      requested: requested, context)
  }

  /// `pass` for a profile that is no switch target (`token`, `--reveal`): always the profile as stored.
  @discardableResult
  static func pass(
    name: String, profile: Profile, store: Store, production: Bool, door: Door, yes: Bool, requested: Int64? = nil,
    _ context: Context
  ) throws(Failure) -> Int64? {
    // The guard: warn, or refuse with exit 3 (mode block).
    try Guard.check(name: name, profile: profile, store: store, context: context, refusable: true)
    // A session's setting is checked before anyone is asked: a broken one fails the door either way.
    let length =
      door.takesSession
      ? try Seatbelt.sessionLength(requested: requested, production: production, store: store, context) : nil
    if production, try Seatbelt.confirmsProduction(store, context) {
      try confirm(name: name, server: profile.server.url, door: door, yes: yes, context)
    }
    return length
  }

  /// `confirmProduction` for a production profile: `--yes`, or its name typed on the terminal; without a
  /// terminal, refused (exit 3). A directory switch or the start-up switch never asks (no one is waiting
  /// for a question at a prompt or a shell's start) and is refused with the line that says how to switch.
  static func confirm(name: String, server: String, door: Door, yes: Bool, _ context: Context) throws(Failure) {
    let why = "profile '\(name)' is a production profile and the store asks to confirm those (confirmProduction)"
    switch door {
    case .directory(let file):
      throw .refused("\(why): not switched for \(quoted(file)); switch by hand with: conductor-profile use \(name)")
    case .startup:
      throw .refused("\(why): not activated at start-up; switch by hand with: conductor-profile use \(name)")
    default:
      break
    }
    if yes { return }
    guard try Seatbelt.ask(name: name, server: server, doing: door.doing, context) else {
      let how: String
      switch door {
      case .use: how = "conductor-profile use \(name) --yes"
      case .exec: how = "conductor-profile exec \(name) --yes -- COMMAND"
      default: how = "--yes on the \(door.command.rawValue) command line"
      }
      throw .refused("\(why), and there is no terminal to ask on; nothing was changed. Confirm with: \(how)")
    }
  }
}
