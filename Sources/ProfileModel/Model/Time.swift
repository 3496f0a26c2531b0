// Dates for people: no Foundation, so the calendar arithmetic is here.

/// A UTC time as `2026-11-29 07:35 UTC` (Howard Hinnant's days-to-civil; no Foundation needed).
package func formatUTC(_ seconds: Int64) -> String {
  let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
  let secs = seconds - days * 86400
  let z = days + 719468
  let era = (z >= 0 ? z : z - 146096) / 146097
  let doe = z - era * 146097
  let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
  let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
  let mp = (5 * doy + 2) / 153
  let d = doy - (153 * mp + 2) / 5 + 1
  let m = mp < 10 ? mp + 3 : mp - 9
  let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
  func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
  return "\(y)-\(two(m))-\(two(d)) \(two(secs / 3600)):\(two(secs % 3600 / 60)) UTC"
}

/// "in 3h 20m", "2d ago": how far a moment is from now.
package func relativeTime(_ seconds: Int64, now: Int64) -> String {
  let delta = seconds - now
  let span = abs(delta)
  let text: String
  if span < 60 {
    text = "\(span)s"
  } else if span < 3600 {
    text = "\(span / 60)m"
  } else if span < 86400 {
    text = "\(span / 3600)h \(span % 3600 / 60)m"
  } else {
    text = "\(span / 86400)d \(span % 86400 / 3600)h"
  }
  return delta >= 0 ? "in \(text)" : "\(text) ago"
}

/// A duration as the store and the options write it — hours, minutes, seconds in that order, each at
/// most once (`30s`, `15m`, `1h30m`, `90m`).
package enum DurationText {
  /// The duration in seconds; nil when the text is not one, is zero, or is longer than `longest`.
  package static func seconds(_ text: String, longest: Int64) -> Int64? {
    var total: Int64 = 0
    var number: Int64? = nil
    var units: [(letter: UInt8, size: Int64)] = [(UInt8(ascii: "h"), 3600), (UInt8(ascii: "m"), 60), (UInt8(ascii: "s"), 1)]
    for byte in text.utf8 {
      if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
        let n = (number ?? 0) * 10 + Int64(byte - UInt8(ascii: "0"))
        guard n <= 1_000_000 else { return nil }
        number = n
      } else {
        guard let n = number, let i = units.firstIndex(where: { $0.letter == byte }) else { return nil }
        total += n * units[i].size
        units.removeFirst(i + 1)
        number = nil
      }
    }
    guard number == nil, total > 0, total <= longest else { return nil }
    return total
  }
}
