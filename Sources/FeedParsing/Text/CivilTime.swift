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

    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func daysInMonth(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: return isLeap(y) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (m + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

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
