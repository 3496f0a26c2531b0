import Glibc

/// The store's text checked the way `JSON.parseStore` and `Store` check it, for the quick switch
/// (QuickSwitch.swift): every byte read once, nothing built, the one profile asked for found.
///
/// It gives up (false or nil) on every error and on what it leaves to the full reader: a string with
/// an escape or a byte that is not ASCII, nesting deeper than 32, an object other than "profiles" with
/// more than 64 members. So it is stricter than the full reader, never looser: a store it accepts,
/// the full reader accepts too, and reads the same way. QuickSwitchTests compares the two.
struct QuickScan {
  let bytes: UnsafePointer<UInt8>
  let count: Int
  var index = 0
  var depth = 0
  /// Member names of the objects being read, innermost last: a new one is compared with its siblings.
  let names = SpanList()

  init(_ span: ByteSpan) {
    bytes = span.start
    count = span.count
  }

  var next: UInt8 { index < count ? bytes[index] : 0 }

  // MARK: JSON

  mutating func skipWhitespace() {
    while index < count {
      let b = bytes[index]
      guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
      index += 1
    }
  }

  /// Any value, checked.
  mutating func value() -> Bool {
    switch next {
    case UInt8(ascii: "{"): return object { scan, _ in scan.value() }
    case UInt8(ascii: "["): return array()
    case UInt8(ascii: "\""): return string() != nil
    case UInt8(ascii: "t"): return literal("true")
    case UInt8(ascii: "f"): return literal("false")
    case UInt8(ascii: "n"): return literal("null")
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return number()
    default: return false
    }
  }

  /// A string without escapes, of ASCII text: its bytes between the quotes.
  mutating func string() -> ByteSpan? {
    guard next == UInt8(ascii: "\"") else { return nil }
    let end = plainStringEnd(bytes, from: index + 1, count: count)
    guard end < count, bytes[end] == UInt8(ascii: "\"") else { return nil }
    defer { index = end + 1 }
    return ByteSpan(bytes + index + 1, end - index - 1)
  }

  mutating func literal(_ word: StaticString) -> Bool {
    let text = ByteSpan(word)
    guard count - index >= text.count, memcmp(bytes + index, text.start, text.count) == 0 else { return false }
    index += text.count
    return true
  }

  /// A number, as RFC 8259 writes one.
  mutating func number() -> Bool {
    func digits(_ scan: inout QuickScan) -> Bool {
      let start = scan.index
      while scan.next >= UInt8(ascii: "0") && scan.next <= UInt8(ascii: "9") { scan.index += 1 }
      return scan.index > start
    }
    if next == UInt8(ascii: "-") { index += 1 }
    if next == UInt8(ascii: "0") {
      index += 1
    } else if !digits(&self) {
      return false
    }
    if next == UInt8(ascii: ".") {
      index += 1
      guard digits(&self) else { return false }
    }
    if next == UInt8(ascii: "e") || next == UInt8(ascii: "E") {
      index += 1
      if next == UInt8(ascii: "+") || next == UInt8(ascii: "-") { index += 1 }
      guard digits(&self) else { return false }
    }
    return true
  }

  mutating func enter() -> Bool {
    depth += 1
    return depth <= 32
  }

  /// The `:` after a member's name and the whitespace around it.
  mutating func colon() -> Bool {
    skipWhitespace()
    guard next == UInt8(ascii: ":") else { return false }
    index += 1
    skipWhitespace()
    return true
  }

  /// Past an opening bracket and the whitespace after it: true when `close` follows at once (moved past too).
  mutating func opensEmpty(_ close: UInt8) -> Bool {
    index += 1
    skipWhitespace()
    guard next == close else { return false }
    index += 1
    return true
  }

  /// After a member or an element: true at a ',' (moved past), false at `close` (moved past), nil otherwise.
  mutating func more(_ close: UInt8) -> Bool? {
    skipWhitespace()
    let b = next
    guard b == UInt8(ascii: ",") || b == close else { return nil }
    index += 1
    return b == UInt8(ascii: ",")
  }

  /// The object at `index`: each member's name is checked against the others before `member` reads
  /// the value (given the name).
  mutating func object(_ member: (inout QuickScan, ByteSpan) -> Bool) -> Bool {
    guard next == UInt8(ascii: "{"), enter() else { return false }
    defer { depth -= 1 }
    let first = names.count
    defer { names.truncate(to: first) }
    if opensEmpty(UInt8(ascii: "}")) { return true }
    while true {
      skipWhitespace()
      guard let name = string(), colon(), names.count - first < 64, !names.contains(name, from: first) else { return false }
      names.append(name)
      guard member(&self, name), let another = more(UInt8(ascii: "}")) else { return false }
      if !another { return true }
    }
  }

  mutating func array() -> Bool {
    guard enter() else { return false }
    defer { depth -= 1 }
    if opensEmpty(UInt8(ascii: "]")) { return true }
    while true {
      skipWhitespace()
      guard value(), let another = more(UInt8(ascii: "]")) else { return false }
      if !another { return true }
    }
  }

  /// The value at `index`, checked, as the bytes it spans.
  mutating func valueSpan() -> ByteSpan? {
    let start = index
    guard value() else { return nil }
    return ByteSpan(bytes + start, index - start)
  }
}

/// What the quick switch reads from the whole store. (A class: an optional struct holding a reference is
/// destroyed through `Optional`'s type metadata, which the runtime builds on first use, a fifth of a switch.)
final class QuickStore {
  /// The value of the profile asked for, when there is one.
  var target: ByteSpan? = nil
  /// "default", when it is a string.
  var defaultName: ByteSpan? = nil
  /// The "server" of each profile that flags "production": true (what `Store.isProduction` reads).
  let productionServers = SpanList()

  /// Reads the store's text as `StoreFile.decode` does; nil when the full reader must.
  static func read(_ text: ByteSpan, profile wanted: ByteSpan?) -> QuickStore? {
    var scan = QuickScan(text)
    // A UTF-8 byte order mark is tolerated at the start, as by the full reader.
    if text.count >= 3, text[0] == 0xEF, text[1] == 0xBB, text[2] == 0xBF { scan.index = 3 }
    scan.skipWhitespace()
    let store = QuickStore()
    let read = scan.object { scan, name in
      if name.equals("profiles") { return store.readProfiles(&scan, wanted: wanted) }
      if name.equals("version") { return QuickStore.readVersion(&scan) }
      if name.equals("default") {
        if scan.next == UInt8(ascii: "n") { return scan.literal("null") }
        store.defaultName = scan.string()
        return store.defaultName != nil
      }
      if name.equals("guard") {
        if scan.next == UInt8(ascii: "n") { return scan.literal("null") }
        guard let mode = scan.string() else { return false }
        return mode.equals("warn") || mode.equals("block")
      }
      return scan.value()
    }
    guard read else { return nil }
    scan.skipWhitespace()
    guard scan.index == scan.count else { return nil }
    return store
  }

  private init() {}

  /// "version": a whole number of 1 or more (digits only, as `Store` reads it: `Int64(text)`).
  private static func readVersion(_ scan: inout QuickScan) -> Bool {
    guard let digits = scan.valueSpan(), digits.count <= 18, digits[0] >= UInt8(ascii: "1"), digits[0] <= UInt8(ascii: "9")
    else { return false }
    for index in 0..<digits.count where digits[index] < UInt8(ascii: "0") || digits[index] > UInt8(ascii: "9") {
      return false
    }
    return true
  }

  /// The "profiles" object: every member checked, the one named `wanted` found, the production
  /// servers noted, and no name twice (a hash table: there may be ten thousand).
  private func readProfiles(_ scan: inout QuickScan, wanted: ByteSpan?) -> Bool {
    guard scan.next == UInt8(ascii: "{"), scan.enter() else { return false }
    defer { scan.depth -= 1 }
    if scan.opensEmpty(UInt8(ascii: "}")) { return true }
    let profileNames = SpanList(capacity: 256)
    // Names in strictly increasing order (as this program writes them) cannot repeat: no table needed.
    var ascending = true
    while true {
      scan.skipWhitespace()
      guard let name = scan.string(), scan.colon() else { return false }
      if ascending, profileNames.count > 0 { ascending = profileNames[profileNames.count - 1].precedes(name) }
      profileNames.append(name)
      let start = scan.index
      if scan.next == UInt8(ascii: "{") {
        var server: ByteSpan? = nil
        var production = false
        let read = scan.object { scan, member in
          if member.equals("server"), scan.next == UInt8(ascii: "\"") {
            server = scan.string()
            return server != nil
          }
          if member.equals("production"), scan.next == UInt8(ascii: "t") {
            production = true
            return scan.literal("true")
          }
          return scan.value()
        }
        guard read else { return false }
        if production, let server { productionServers.append(server) }
      } else {
        guard scan.value() else { return false }
      }
      if let wanted, name.equals(wanted) { target = ByteSpan(scan.bytes + start, scan.index - start) }
      guard let another = scan.more(UInt8(ascii: "}")) else { return false }
      if !another { break }
    }
    return ascending || !profileNames.hasDuplicate
  }
}

/// The one profile a quick switch exports, read from its store object as `Profile(json:name:)` reads
/// it. Only what it can export the same way: a key or no credential (a user token goes through the
/// guard), a server in normal form. (A class, as `QuickStore` is.)
final class QuickProfile {
  var server: ByteSpan
  /// "key" or "none".
  var kind: ByteSpan
  var keyID: ByteSpan? = nil
  var keySecret: ByteSpan? = nil
  var production = false
  /// The extra variables: name, value, name, value…
  let extras = SpanList()

  init?(_ text: ByteSpan) {
    var scan = QuickScan(text)
    var server: ByteSpan? = nil
    var auth: ByteSpan? = nil
    var production = false
    var env: ByteSpan? = nil
    let read = scan.object { scan, name in
      if name.equals("server") {
        server = scan.string()
        return server != nil
      }
      if name.equals("auth") {
        guard scan.next == UInt8(ascii: "{") else { return false }
        auth = scan.valueSpan()
        return auth != nil
      }
      if name.equals("production") {
        production = scan.literal("true")
        return production || scan.literal("false")
      }
      if name.equals("description") { return scan.string() != nil }
      if name.equals("env") {
        guard scan.next == UInt8(ascii: "{") else { return false }
        env = scan.valueSpan()
        return env != nil
      }
      return scan.value()
    }
    // The server as the store holds it must be its own normal form (`Server(validating:)` keeps it).
    guard read, let server, Server.isNormalForm(server.buffer), let auth, let credential = QuickCredential(auth) else {
      return nil
    }
    self.server = server
    self.production = production
    kind = credential.kind
    keyID = credential.id
    keySecret = credential.secret
    if let env, !QuickProfile.readEnv(env, into: extras) { return nil }
  }

  /// The env object: string values under names a profile may set (`validateExtraVariable`).
  private static func readEnv(_ text: ByteSpan, into extras: SpanList) -> Bool {
    var scan = QuickScan(text)
    return scan.object { scan, name in
      guard let value = scan.string(), isVariableName(name.buffer), !isReservedVariable(name.buffer) else { return false }
      extras.append(name)
      extras.append(value)
      return true
    }
  }
}

/// A profile's auth object: its kind, and for a key its id and secret, valid as `validateKeyID` and
/// `validateKeySecret` have them (ASCII here: no whitespace or control character in the id, no
/// control character in the secret). Nil for a user token, which the full program checks.
struct QuickCredential {
  var kind: ByteSpan
  var id: ByteSpan? = nil
  var secret: ByteSpan? = nil

  init?(_ text: ByteSpan) {
    var scan = QuickScan(text)
    var kind: ByteSpan? = nil
    var id: ByteSpan? = nil
    var secret: ByteSpan? = nil
    let read = scan.object { scan, name in
      if name.equals("kind") {
        kind = scan.string()
        return kind != nil
      }
      if name.equals("keyId"), scan.next == UInt8(ascii: "\"") {
        id = scan.string()
        return id != nil
      }
      if name.equals("keySecret"), scan.next == UInt8(ascii: "\"") {
        secret = scan.string()
        return secret != nil
      }
      return scan.value()
    }
    guard read, let kind else { return nil }
    self.kind = kind
    if kind.equals("none") { return }
    guard kind.equals("key"), let id, let secret, id.count > 0, secret.count > 0 else { return nil }
    for index in 0..<id.count where id[index] <= 0x20 || id[index] == 0x7F { return nil }
    for index in 0..<secret.count where secret[index] < 0x20 || secret[index] == 0x7F { return nil }
    self.id = id
    self.secret = secret
  }
}
