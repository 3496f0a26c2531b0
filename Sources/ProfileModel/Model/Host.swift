/// The canonical form of a host, the only thing a production judgement compares: two servers are the
/// same production cluster when their hosts are equal here, whatever their scheme, port and path.
///
/// - A name: ASCII lower case, no trailing dot.
/// - An IPv4 address in any spelling the C library's `inet_aton` (and so `getaddrinfo`, curl and the
///   SDKs) accepts — one to four parts, each decimal, octal (`012`) or hex (`0x0a`), the last part
///   filling the remaining bytes (`167772165`, `0x0a000005`, `10.0.5`) — as a dotted quad `10.0.0.5`.
/// - An IPv6 address (with or without its brackets) in RFC 5952 form: lower-case hex without leading
///   zeros, the longest run of two or more zero groups (the first of equal runs) written `::`. An
///   IPv4-mapped address (`::ffff:10.0.0.5`) is the IPv4 address it reaches: `10.0.0.5`.
public enum Host {
  /// The canonical form of `text`, a URL's host (brackets around an IPv6 address allowed).
  public static func canonical(_ text: Substring) -> String {
    // A name (a byte that no IPv4 or IPv6 spelling has, and no ':'): lower case, no trailing dot.
    if text.utf8.contains(where: isNameOnly), !text.utf8.contains(UInt8(ascii: ":")),
      text.utf8.first != UInt8(ascii: "[")
    {
      let name = text.utf8.last == UInt8(ascii: ".") ? text.dropLast() : text
      return String(name).lowercasedASCII()
    }
    var host = text
    if host.hasPrefix("["), host.hasSuffix("]") {
      let inner = host.dropFirst().dropLast()
      if let groups = ipv6Groups(inner) { return ipv6Text(groups) }
      return String(inner).lowercasedASCII()
    }
    if host.hasSuffix(".") { host = host.dropLast() }
    if let address = ipv4(host) { return dotted(address) }
    if host.contains(":"), let groups = ipv6Groups(host) { return ipv6Text(groups) }
    return String(host).lowercasedASCII()
  }

  public static func canonical(_ text: String) -> String { canonical(text[...]) }

  /// The host a server text names, read leniently (what a production flag marks even when the text is
  /// not a valid server: a query, a fragment, userinfo, blanks around it, no scheme): the canonical form
  /// of the authority's host, or nil when no host can be read at all (none, or a blank inside).
  public static func lenient(_ text: String) -> String? {
    func blank(_ b: UInt8) -> Bool { b <= 0x20 || b == 0x7F }
    var bytes = Substring(text).utf8[...]
    while let b = bytes.first, blank(b) { bytes = bytes.dropFirst() }
    while let b = bytes.last, blank(b) { bytes = bytes.dropLast() }
    var rest = Substring(bytes)
    if let scheme = rest.firstRange(of: "://") { rest = rest[scheme.upperBound...] }
    let authority = rest.utf8.prefix {
      $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "?") && $0 != UInt8(ascii: "#") && $0 != UInt8(ascii: "\\")
    }
    // A blank or a control inside the authority: which host is meant cannot be told (doubt).
    guard !authority.contains(where: blank) else { return nil }
    var host = Substring(authority)
    if let at = host.utf8.lastIndex(of: UInt8(ascii: "@")) { host = host[host.utf8.index(after: at)...] }
    if host.utf8.first == UInt8(ascii: "[") {
      guard let close = host.utf8.firstIndex(of: UInt8(ascii: "]")) else { return nil }
      host = host[...close]
    } else if let colon = host.utf8.firstIndex(of: UInt8(ascii: ":")) {
      host = host[..<colon]
    }
    guard !host.isEmpty, host != "[]", host != "." else { return nil }
    return canonical(host)
  }

  /// A byte that can be in a host name but in no spelling of an IP address (digits, `.`, hex letters,
  /// `x`, `:` are in some).
  private static func isNameOnly(_ b: UInt8) -> Bool {
    let lower = b | 0x20
    return (lower >= UInt8(ascii: "g") && lower <= UInt8(ascii: "z") && lower != UInt8(ascii: "x"))
      || b == UInt8(ascii: "-") || b == UInt8(ascii: "_")
  }

  /// The host part of a URL `scheme://[userinfo@]host[:port][/…]` (an IPv6 address with its brackets),
  /// or nil when the text has no `://` or no host.
  static func part(ofURL url: String) -> Substring? {
    // On the bytes: every delimiter is ASCII, so each index found is a character boundary too (a switch
    // reads the host of every production profile: Character searches cost tens of thousands of instructions).
    let bytes = url.utf8
    var i = bytes.startIndex
    var colonSlashSlash: String.Index? = nil
    while i != bytes.endIndex {
      if bytes[i] == UInt8(ascii: ":") {
        let j = bytes.index(after: i)
        if j != bytes.endIndex, bytes[j] == UInt8(ascii: "/") {
          let k = bytes.index(after: j)
          if k != bytes.endIndex, bytes[k] == UInt8(ascii: "/") {
            colonSlashSlash = bytes.index(after: k)
            break
          }
        }
      }
      i = bytes.index(after: i)
    }
    guard let start = colonSlashSlash else { return nil }
    var end = start
    var hostStart = start
    while end != bytes.endIndex {
      let b = bytes[end]
      if b == UInt8(ascii: "/") || b == UInt8(ascii: "?") || b == UInt8(ascii: "#") { break }
      if b == UInt8(ascii: "@") { hostStart = bytes.index(after: end) }
      end = bytes.index(after: end)
    }
    let authority = url[hostStart..<end]
    if authority.utf8.first == UInt8(ascii: "[") {
      guard let close = authority.utf8.firstIndex(of: UInt8(ascii: "]")) else { return nil }
      return authority[...close]
    }
    let hostEnd = authority.utf8.firstIndex(of: UInt8(ascii: ":")) ?? authority.endIndex
    let host = authority[..<hostEnd]
    return host.isEmpty ? nil : host
  }

  // MARK: IPv4

  /// The address `text` spells as `inet_aton` reads it, or nil when it is not one.
  static func ipv4(_ text: Substring) -> UInt32? {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    guard (1...4).contains(parts.count) else { return nil }
    var values: [UInt64] = []
    for part in parts {
      guard let value = number(part) else { return nil }
      values.append(value)
    }
    var address: UInt64 = 0
    for value in values.dropLast() {
      guard value <= 255 else { return nil }
      address = address << 8 | value
    }
    let lastBits = UInt64(8 * (5 - parts.count))
    guard values[values.count - 1] < (1 << lastBits) else { return nil }
    address = address << lastBits | values[values.count - 1]
    return UInt32(address)
  }

  /// One part of an IPv4 address: decimal, octal after a leading `0`, hex after `0x`; nil for anything
  /// else or a value that does not fit in 32 bits.
  static func number(_ text: Substring) -> UInt64? {
    var digits = text.utf8[...]
    var radix: UInt64 = 10
    if digits.count >= 2, digits.first == UInt8(ascii: "0"),
      digits[digits.index(after: digits.startIndex)] | 0x20 == UInt8(ascii: "x")
    {
      radix = 16
      digits = digits.dropFirst(2)
      if digits.isEmpty { return 0 }  // inet_aton reads a bare "0x" as 0
    } else if digits.count >= 2, digits.first == UInt8(ascii: "0") {
      radix = 8
      digits = digits.dropFirst()
    }
    guard !digits.isEmpty else { return nil }
    var value: UInt64 = 0
    for b in digits {
      let digit: UInt64
      switch b {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt64(b - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt64(b - UInt8(ascii: "a") + 10)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt64(b - UInt8(ascii: "A") + 10)
      default: return nil
      }
      guard digit < radix else { return nil }
      value = value * radix + digit
      guard value <= UInt64(UInt32.max) else { return nil }
    }
    return value
  }

  static func dotted(_ address: UInt32) -> String {
    "\(address >> 24).\(address >> 16 & 255).\(address >> 8 & 255).\(address & 255)"
  }

  // MARK: IPv6

  /// The eight 16-bit groups of an IPv6 address (RFC 4291 text form, a dotted IPv4 tail allowed), or nil.
  static func ipv6Groups(_ text: Substring) -> [UInt16]? {
    func groups(_ side: Substring, allowIPv4Tail: Bool) -> [UInt16]? {
      if side.isEmpty { return [] }
      let words = side.split(separator: ":", omittingEmptySubsequences: false)
      var result: [UInt16] = []
      for (i, word) in words.enumerated() {
        if allowIPv4Tail, i == words.count - 1, word.contains(".") {
          // Strict dotted quad: four decimal parts of at most 3 digits, each 0-255.
          let parts = word.split(separator: ".", omittingEmptySubsequences: false)
          guard parts.count == 4 else { return nil }
          var bytes: [UInt16] = []
          for part in parts {
            guard (1...3).contains(part.count), part.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let n = UInt16(part),
              n <= 255
            else { return nil }
            bytes.append(n)
          }
          result.append(bytes[0] << 8 | bytes[1])
          result.append(bytes[2] << 8 | bytes[3])
          continue
        }
        guard (1...4).contains(word.count), let n = UInt16(word, radix: 16), word.utf8.allSatisfy(isHexDigit) else {
          return nil
        }
        result.append(n)
      }
      return result
    }
    guard text.utf8.count <= 64 else { return nil }
    if let gap = text.firstRange(of: "::") {
      let head = text[..<gap.lowerBound]
      let tail = text[gap.upperBound...]
      guard !tail.contains("::"), let h = groups(head, allowIPv4Tail: false), let t = groups(tail, allowIPv4Tail: true),
        h.count + t.count <= 7
      else { return nil }
      return h + Array(repeating: 0, count: 8 - h.count - t.count) + t
    }
    guard let all = groups(text, allowIPv4Tail: true), all.count == 8 else { return nil }
    return all
  }

  private static func isHexDigit(_ b: UInt8) -> Bool {
    (b >= 0x30 && b <= 0x39) || (b | 0x20 >= UInt8(ascii: "a") && b | 0x20 <= UInt8(ascii: "f"))
  }

  /// RFC 5952 text of eight groups; an IPv4-mapped address as its dotted quad.
  static func ipv6Text(_ groups: [UInt16]) -> String {
    if groups[0..<5].allSatisfy({ $0 == 0 }), groups[5] == 0xFFFF {
      return dotted(UInt32(groups[6]) << 16 | UInt32(groups[7]))
    }
    // The longest run of at least two zero groups; the first of equal runs.
    var best = (start: -1, length: 0)
    var i = 0
    while i < 8 {
      guard groups[i] == 0 else {
        i += 1
        continue
      }
      var j = i
      while j < 8, groups[j] == 0 { j += 1 }
      if j - i > best.length { best = (i, j - i) }
      i = j
    }
    func hex(_ range: Range<Int>) -> String { groups[range].map { String($0, radix: 16) }.joined(separator: ":") }
    guard best.length >= 2 else { return hex(0..<8) }
    return hex(0..<best.start) + "::" + hex((best.start + best.length)..<8)
  }
}

extension String {
  /// ASCII letters lower-cased, everything else as it is (a host name's case does not matter; an IDN's
  /// other characters are kept as given).
  func lowercasedASCII() -> String {
    guard utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) else { return self }
    return String(decoding: utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
  }
}

extension Server {
  /// The canonical host of this server (`Host.canonical`): what production judgements compare.
  public var host: String { Host.part(ofURL: url).map { Host.canonical($0) } ?? "" }

  /// `scheme://host[:port]`: where a credential sent to this server goes. Two servers of one host on
  /// another scheme or port are other places (a token for one is never sent to the other).
  public var origin: String {
    guard let scheme = url.firstRange(of: "://") else { return url }
    return String(url[..<scheme.upperBound]) + String(url[scheme.upperBound...].prefix { $0 != "/" })
  }
}

// MARK: Production by name

extension Host {
  /// The words that make a host production by its name (docs/guard.md, "Production by name").
  static let productionWords: Set<String> = ["prod", "prd", "production", "live"]

  /// The production-by-name rule: whether the canonical host `host` has a label, or a `-`-separated part
  /// of one, that is `prod`, `prd`, `production` or `live` (`conductor-prod.acme.com`, `prod-eu.orkes.cloud`;
  /// not `product.acme.com`). An IP address never is. An IDN is judged as its letters: a punycode label
  /// (`xn--…`) is decoded first, fullwidth letters count as the ASCII ones they stand for (as IDNA maps
  /// them), and the ideographic full stops separate labels. Used only for a profile that does not say
  /// `production` either way (`Profile.judgedProduction`, `Store.productionProfile`).
  public static func isProductionName(_ host: String) -> Bool {
    // Most hosts hold none of the words: said from the bytes, with nothing allocated (a switch asks).
    if !mayNameProduction(host) { return false }
    if host.utf8.contains(UInt8(ascii: ":")) || ipv4(host[...]) != nil { return false }
    var label: [Unicode.Scalar] = []
    var found = false
    func judge() {
      defer { label.removeAll(keepingCapacity: true) }
      var scalars = label
      let text = String(String.UnicodeScalarView(label))
      if text.hasPrefix("xn--"), let decoded = punycode(text.dropFirst(4)) { scalars = decoded }
      var part = ""
      for scalar in scalars + ["-"] {
        if scalar == "-" {
          if productionWords.contains(part) { found = true }
          part = ""
        } else {
          part.unicodeScalars.append(asciiFolded(scalar))
        }
      }
    }
    for scalar in host.unicodeScalars {
      if scalar == "." || scalar == "\u{3002}" || scalar == "\u{FF0E}" || scalar == "\u{FF61}" {
        judge()
      } else {
        label.append(scalar)
      }
    }
    judge()
    return found
  }

  /// A cheap first look at any text that holds a host (a server URL as stored): false only when no form
  /// of it can be production by name — no `prod`, `prd` or `live` in any case, no punycode, no byte
  /// outside ASCII. Lets a switch skip validating the servers of a store's other profiles.
  public static func mayNameProduction(_ text: String) -> Bool {
    var previous: (UInt8, UInt8, UInt8) = (0, 0, 0)
    for b in text.utf8 {
      if b >= 0x80 { return true }
      let c = b | 0x20
      switch (previous.0, previous.1, previous.2, c) {
      case (UInt8(ascii: "p"), UInt8(ascii: "r"), UInt8(ascii: "o"), UInt8(ascii: "d")),
        (_, UInt8(ascii: "p"), UInt8(ascii: "r"), UInt8(ascii: "d")),
        (UInt8(ascii: "l"), UInt8(ascii: "i"), UInt8(ascii: "v"), UInt8(ascii: "e")),
        (UInt8(ascii: "x"), UInt8(ascii: "n"), UInt8(ascii: "-"), UInt8(ascii: "-")):
        return true
      default:
        previous = (previous.1, previous.2, c)
      }
    }
    return false
  }

  /// A fullwidth ASCII form (U+FF01–FF5E) as the ASCII character IDNA maps it to, ASCII lower-cased.
  private static func asciiFolded(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
    var value = scalar.value
    if value >= 0xFF01 && value <= 0xFF5E { value -= 0xFEE0 }
    if value >= 0x41 && value <= 0x5A { value |= 0x20 }
    return Unicode.Scalar(value) ?? scalar
  }

  /// RFC 3492 Punycode: the scalars of the label whose encoded form (after `xn--`) is `text`, or nil.
  static func punycode(_ text: Substring) -> [Unicode.Scalar]? {
    guard text.utf8.count <= 63 else { return nil }
    let base = 36
    let tMin = 1
    let tMax = 26
    var output: [Unicode.Scalar] = []
    var input = Array(text.utf8)
    if let delimiter = input.lastIndex(of: UInt8(ascii: "-")) {
      for b in input[..<delimiter] {
        guard b < 0x80 else { return nil }
        output.append(Unicode.Scalar(b))
      }
      input = Array(input[(delimiter + 1)...])
    }
    var n = 128
    var i = 0
    var bias = 72
    var position = 0
    var first = true
    while position < input.count {
      let oldI = i
      var w = 1
      var k = base
      while true {
        guard position < input.count else { return nil }
        let b = input[position] | 0x20
        position += 1
        let digit: Int
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"): digit = Int(b - UInt8(ascii: "a"))
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = Int(b - UInt8(ascii: "0")) + 26
        default: return nil
        }
        let (product, overflow) = digit.multipliedReportingOverflow(by: w)
        guard !overflow, i <= Int(UInt32.max) else { return nil }
        i += product
        let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
        if digit < t { break }
        let (next, over) = w.multipliedReportingOverflow(by: base - t)
        guard !over, next <= Int(UInt32.max) else { return nil }
        w = next
        k += base
      }
      // Adapt the bias (RFC 3492 section 6.1).
      var delta = first ? (i - oldI) / 700 : (i - oldI) / 2
      first = false
      delta += delta / (output.count + 1)
      var shift = 0
      while delta > ((base - tMin) * tMax) / 2 {
        delta /= base - tMin
        shift += base
      }
      bias = shift + (base * delta) / (delta + 38)
      n += i / (output.count + 1)
      i %= output.count + 1
      guard n <= 0x10FFFF, let scalar = Unicode.Scalar(UInt32(n)) else { return nil }
      output.insert(scalar, at: i)
      i += 1
    }
    return output
  }
}
