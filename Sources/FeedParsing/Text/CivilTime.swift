import DyadCore
import Foundation

/// A calendar date and time of day with a UTC offset, validated and converted to an instant.
/// Uses the proleptic Gregorian calendar with plain arithmetic (no Calendar/TimeZone), so any
/// year works and conversion is cheap.
struct CivilTime {
    var year: Int
    var month: Int
    var day: Int
    var hour = 0
    var minute = 0
    var second = 0
    var fraction = 0.0
    /// Offset east of UTC in seconds (UTC+3 is 10800).
    var offsetSeconds = 0

    private static let secondsPerDay = 86_400

    static func isLeap(_ y: Int) -> Bool { ProlepticGregorian.isLeap(y) }
    static func daysInMonth(_ y: Int, _ m: Int) -> Int { ProlepticGregorian.daysInMonth(y, m) }
    static func daysFromCivil(_ y: Int, _ m: Int, _ d: Int) -> Int { ProlepticGregorian.daysFromCivil(y, m, d) }

    /// The instant, or nil when any field is out of range (impossible dates give nil, not a guess).
    var date: Date? {
        guard year >= 1, year <= 9999, (1...12).contains(month), day >= 1,
              day <= Self.daysInMonth(year, month), (0...23).contains(hour) || (hour == 24 && minute == 0 && second == 0),
              (0...59).contains(minute), (0...60).contains(second),
              abs(offsetSeconds) < Self.secondsPerDay else { return nil }
        let days = Self.daysFromCivil(year, month, day)
        let secs = days * Self.secondsPerDay + hour * 3600 + minute * 60 + min(second, 59) - offsetSeconds
        return Date(timeIntervalSince1970: TimeInterval(secs) + fraction)
    }
}
