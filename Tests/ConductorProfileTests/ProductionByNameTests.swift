import Foundation
import Testing

@testable import ProfileModel

/// Production by name (issue 25, docs/guard.md "Production by name"): a profile that does not say
/// `production` is production when its host says so; `false` is kept apart from unset.
@Suite struct ProductionByNameTests {
  @Test(arguments: [
    // Whole labels and `-`-separated parts.
    ("conductor-prod.acme.com", true), ("prod-eu.orkes.cloud", true), ("prod.acme.com", true), ("prd.acme.com", true),
    ("conductor.production.acme.com", true), ("live.acme.com", true), ("eu-live-2.acme.com", true),
    ("acme.prod", true), ("x-prd-y.acme.com", true), ("PROD.Acme.com.", true), ("prod", true),
    // Words inside other words are not parts.
    ("product.acme.com", false), ("products-prod1.acme.com", false), ("prodigy.acme.com", false),
    ("delivery.acme.com", false), ("liver.acme.com", false), ("olive.acme.com", false), ("preprod.acme.com", false),
    ("dev.acme.com", false), ("staging.example.com", false), ("pr-d.acme.com", false), ("prod_eu.acme.com", false),
    // IP addresses never, in any spelling.
    ("10.0.0.5", false), ("167772165", false), ("::1", false), ("2001:db8::1", false),
    // IDNs: punycode labels are judged as the letters they spell.
    ("xn--prod-epa.acme.com", false),  // "prodé": one label, no part "prod"
    ("xn--prod--fsa.acme.com", true),  // "prod-é": a part "prod"
    ("xn--prod-2na.acme.com", false),  // "proàd"
    ("xn--zcaa.acme.com", false), ("xn--.acme.com", false), ("xn--zzzzzzzzzzzzz.acme.com", false),
    ("xn--prod-bwa.example.com", false),
  ])
  func hostNameRule(host: String, production: Bool) {
    #expect(Host.isProductionName(Host.canonical(host)) == production, "\(host)")
  }

  @Test func punycodeDecodesAsRFC3492() {
    // RFC 3492 7.1 (A): Arabic (Egyptian).
    let decoded = Host.punycode("egbpdaj6bu4bxfgehfvwxn"[...]).map { String(String.UnicodeScalarView($0)) }
    #expect(
      decoded
        == "\u{0644}\u{064A}\u{0647}\u{0645}\u{0627}\u{0628}\u{062A}\u{0643}\u{0644}\u{0645}\u{0648}\u{0634}\u{0639}\u{0631}\u{0628}\u{064A}\u{061F}"
    )
    #expect(Host.punycode("mnchen-3ya"[...]).map { String(String.UnicodeScalarView($0)) } == "münchen")
    #expect(Host.punycode("prod--fsa"[...]).map { String(String.UnicodeScalarView($0)) } == "prod-é")
  }

  @Test(arguments: [
    ("https://conductor-prod.acme.com:8443/api", true), ("https://PROD-eu.orkes.cloud./", true),
    ("http://10.0.0.5:8080", false), ("https://[2001:db8::1]:443", false), ("https://product.acme.com", false),
    ("https://xn--prod--fsa.acme.com", true),
  ])
  func serversAreJudgedByTheirHost(url: String, production: Bool) throws {
    let profile = Profile(server: try Server(validating: url), credential: .none)
    #expect(profile.isJudgedProduction == production)
    var no = profile
    no.production = false
    #expect(!no.isJudgedProduction)
    var yes = profile
    yes.production = true
    #expect(yes.isJudgedProduction)
  }

  @Test func mayNameProductionNeverMissesAProductionHost() {
    for host in ["conductor-prod.acme.com", "prd.x", "LIVE.x", "xn--prod--fsa.x", "a.PrOd.b"] {
      #expect(Host.mayNameProduction("https://\(host)/api"))
    }
    #expect(!Host.mayNameProduction("https://dev.example.com/api"))
  }

  let token = makeJWT(["sub": "ann@acme.com", "exp": 4_102_444_800])

  @Test func aUserTokenOnAHostNamedProdIsCaughtUnflagged() throws {
    let box = try Sandbox()
    let r = try box.run(["add", "play", "--server", "https://conductor-prod.acme.com", "--user-token"], stdin: token + "\n")
    #expect(r.status == 0, "\(r)")
    #expect(r.stderr.contains("uses a user token on the production server https://conductor-prod.acme.com/api"), "\(r)")
    #expect(
      r.stderr.contains(
        "note: profile 'play' is judged production: its host conductor-prod.acme.com is named like a production cluster (prod, prd, production or live); if it is not one, say so with: conductor-profile set play --no-production\n"
      ), "\(r)")
    let json = try box.storeJSON()
    let play = try #require((json["profiles"] as? [String: Any])?["play"] as? [String: Any])
    #expect(play["production"] == nil)
    let show = try box.run(["show", "play"])
    #expect(
      show.stdout.contains(
        "production:    yes (its host's name says so; conductor-profile set play --no-production if it is not)\n"), "\(show)")
    let blocked = try box.run(["env", "play", "--shell", "bash"], env: ["CONDUCTOR_PROFILE_GUARD": "block"])
    #expect(blocked.status == 3, "\(blocked)")
    #expect(blocked.stdout.isEmpty)
    let guarded = try box.run(
      ["guard"], env: ["CONDUCTOR_SERVER_URL": "https://conductor-prod.acme.com/api", "CONDUCTOR_AUTH_TOKEN": token])
    #expect(guarded.status == 3, "\(guarded)")
    #expect(guarded.stderr.contains("(its host's name says production (profile 'play'))"), "\(guarded)")
    // Another spelling of the same host, port and path aside.
    let other = try box.run(
      ["guard"], env: ["CONDUCTOR_SERVER_URL": "https://CONDUCTOR-PROD.acme.com.:443/x/api", "CONDUCTOR_AUTH_TOKEN": token])
    #expect(other.status == 3, "\(other)")
  }

  @Test func anExplicitFalseIsKeptApartFromUnset() throws {
    let box = try Sandbox()
    try box.addToken("play", server: "https://conductor-prod.acme.com", token: token)
    let set = try box.run(["set", "play", "--no-production"])
    #expect(set.status == 0, "\(set)")
    let json = try box.storeJSON()
    let play = try #require((json["profiles"] as? [String: Any])?["play"] as? [String: Any])
    #expect(play["production"] as? Bool == false)
    #expect(json["productionFalse"] as? String == "explicit")
    let env = try box.run(["env", "play", "--shell", "bash"], env: ["CONDUCTOR_PROFILE_GUARD": "block"])
    #expect(env.status == 0, "\(env)")
    #expect(!env.stdout.contains("export CONDUCTOR_PROFILE_PRODUCTION"))
  }

  @Test func aFalseWrittenByAnOlderVersionCountsAsUnset() throws {
    let box = try Sandbox()
    try box.writeStore(
      """
      {
        "profiles" : {
          "dev" : { "auth" : { "kind" : "none" }, "production" : false, "server" : "https://dev.acme.com/api" },
          "play" : { "auth" : { "kind" : "user-token", "token" : "\(token)" }, "production" : false, "server" : "https://prod.acme.com/api" }
        },
        "version" : 1
      }

      """)
    let env = try box.run(["env", "play", "--shell", "bash"], env: ["CONDUCTOR_PROFILE_GUARD": "block"])
    #expect(env.status == 3, "\(env)")
    let list = try box.run(["list", "--json"])
    #expect(list.status == 0, "\(list)")
    // Recording an explicit false drops the older version's falses first (they meant "not flagged").
    let set = try box.run(["set", "play", "--no-production"])
    #expect(set.status == 0, "\(set)")
    let json = try box.storeJSON()
    let profiles = try #require(json["profiles"] as? [String: [String: Any]])
    #expect(profiles["dev"]?["production"] == nil)
    #expect(profiles["play"]?["production"] as? Bool == false)
    #expect(json["productionFalse"] as? String == "explicit")
    let after = try box.run(["env", "play", "--shell", "bash"], env: ["CONDUCTOR_PROFILE_GUARD": "block"])
    #expect(after.status == 0, "\(after)")
  }

  @Test func anotherUnflaggedProfileOnTheHostMakesItProduction() throws {
    let box = try Sandbox()
    try box.writeStore(
      """
      {
        "productionFalse" : "explicit",
        "profiles" : {
          "ci" : { "auth" : { "kind" : "none" }, "server" : "https://prod.acme.com:8443/api" },
          "play" : { "auth" : { "kind" : "user-token", "token" : "\(token)" }, "production" : false, "server" : "https://prod.acme.com/api" }
        },
        "version" : 1
      }

      """)
    let env = try box.run(["env", "play", "--shell", "bash"], env: ["CONDUCTOR_PROFILE_GUARD": "block"])
    #expect(env.status == 3, "\(env)")
    #expect(env.stderr.contains("refused by the guard"))
  }

  /// The scan (a store as written: indexed) and the decoded store (after a change) judge alike.
  @Test(arguments: [false, true])
  func theScanAndTheDecodedStoreAgree(explicit: Bool) throws {
    let text = """
      {
        \(explicit ? "\"productionFalse\" : \"explicit\"," : "")
        "profiles" : {
          "a" : { "auth" : { "kind" : "none" }, "server" : "https://conductor-prod.acme.com/api" },
          "b" : { "auth" : { "kind" : "none" }, "production" : false, "server" : "https://live.acme.com/api" },
          "c" : { "auth" : { "kind" : "none" }, "production" : true, "server" : "https://main.acme.com/api" },
          "d" : { "auth" : { "kind" : "none" }, "production" : false, "server" : "https://dev.acme.com/api" },
          "e" : { "auth" : { "kind" : "none" }, "server" : "https://product.acme.com/api" }
        },
        "version" : 1
      }
      """
    let bytes = Array(text.utf8)
    let scanned = try StoreFile(path: "/nonexistent/profiles.json").decode(bytes)
    let decoded = try Store(json: try JSON.parse(bytes))
    var expected: Set<String> = ["conductor-prod.acme.com", "main.acme.com"]
    if !explicit { expected.insert("live.acme.com") }
    #expect(scanned.productionHosts() == expected)
    #expect(decoded.productionHosts() == expected)
    for host in ["conductor-prod.acme.com", "live.acme.com", "main.acme.com", "dev.acme.com", "product.acme.com"] {
      let server = try Server(validating: "https://\(host):8443/x")
      #expect(scanned.isProduction(server) == expected.contains(host), "\(host)")
      #expect(decoded.isProduction(server) == expected.contains(host), "\(host)")
    }
    #expect(scanned.productionProfile(for: try Server(validating: "https://conductor-prod.acme.com")) == "a")
  }

  @Test func aMarkerThatIsNotExplicitIsAnError() throws {
    let box = try Sandbox()
    try box.writeStore(#"{ "productionFalse" : true, "profiles" : {}, "version" : 1 }"# + "\n")
    let r = try box.run(["list"])
    #expect(r.status == 1, "\(r)")
    #expect(r.stderr.contains("\"productionFalse\" is true, not \"explicit\""), "\(r)")
  }
}
