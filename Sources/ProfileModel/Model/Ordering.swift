import Platform

/// Whether `a` sorts before `b` by their UTF-8 bytes, as `utf8Precedes(a, b)`
/// does, by one memcmp: the generic comparison walks both views an index at a time (about a thousand
/// instructions a comparison, and a switch sorts its variables twice).
package func utf8Precedes(_ a: String, _ b: String) -> Bool {
  var a = a
  var b = b
  return a.withUTF8 { x in
    b.withUTF8 { y in
      let common = min(x.count, y.count)
      let order = common == 0 ? 0 : System.compareBytes(x.baseAddress!, y.baseAddress!, common)
      return order != 0 ? order < 0 : x.count < y.count
    }
  }
}
