import Foundation

/// W3C-DTF / ISO 8601: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, `YYYYMMDD`, `YYYY-DDD` (ordinal),
/// `YY-MM-DD`, `YYMMDD`, `-YY-MM`, Google's `YYYY-0MM-DD`; then optionally `T` or a space and
/// `hh[:mm[:ss[.fff]]]` or `hhmm[ss]`, then optionally (after optional space) `Z`, `±hh[:mm]`
/// or `±hhmm`. Nothing may follow. Two-digit years are 20YY.
enum W3CDateParser {
    /// Years written with two digits are taken as this century.
    private static let twoDigitYearBase = 2000

    static func parse(_ s: [UInt8]) -> Date? {
        var i = 0
        func digits(max: Int = 9) -> (value: Int, count: Int)? {
            var v = 0, n = 0
            while i < s.count, n < max, FeedDate.isDigit(s[i]) { v = v * 10 + Int(s[i] - 0x30); i += 1; n += 1 }
            return n == 0 ? nil : (v, n)
        }
        func eat(_ c: Character) -> Bool {
            if i < s.count, s[i] == c.asciiValue! { i += 1; return true }
            return false
        }
        var c = CivilTime(year: 0, month: 1, day: 1)
        if eat("-") {
            // -YY-MM  or -YYMM (year and month, two-digit year)
            guard let y = digits(max: 2), y.count == 2 else { return nil }
            c.year = twoDigitYearBase + y.value
            _ = eat("-")
            guard let m = digits(max: 2), m.count == 2 else { return nil }
            c.month = m.value
            return i == s.count ? c.date : nil
        }
        guard let first = digits() else { return nil }
        switch first.count {
        case 8: // YYYYMMDD
            c.year = first.value / 10_000; c.month = first.value / 100 % 100; c.day = first.value % 100
        case 6: // YYMMDD
            c.year = twoDigitYearBase + first.value / 10_000; c.month = first.value / 100 % 100; c.day = first.value % 100
        case 4, 2:
            c.year = first.count == 4 ? first.value : twoDigitYearBase + first.value
            if eat("-") {
                guard let m = digits(max: 3) else { return nil }
                if m.count == 3 && !(i < s.count && s[i] == UInt8(ascii: "-")) {
                    // ordinal date YYYY-DDD
                    guard m.value >= 1, m.value <= (CivilTime.isLeap(c.year) ? 366 : 365) else { return nil }
                    var remaining = m.value
                    c.month = 1
                    while remaining > CivilTime.daysInMonth(c.year, c.month) {
                        remaining -= CivilTime.daysInMonth(c.year, c.month); c.month += 1
                    }
                    c.day = remaining
                } else {
                    guard m.count == 2 || (m.count == 3 && m.value < 100) else { return nil }
                    c.month = m.value
                    if eat("-") {
                        guard let d = digits(max: 2) else { return nil }
                        c.day = d.value
                    }
                }
            } else if first.count == 2 {
                return nil
            }
        default:
            return nil
        }
        guard i < s.count else { return c.date }
        // Time
        guard s[i] == UInt8(ascii: "T") || s[i] == UInt8(ascii: "t") || s[i] == UInt8(ascii: " ") else { return nil }
        i += 1
        while i < s.count && s[i] == UInt8(ascii: " ") { i += 1 }
        guard let h = digits() else { return nil }
        if h.count == 4 || h.count == 6 { // hhmm[ss]
            if h.count == 6 { c.hour = h.value / 10_000; c.minute = h.value / 100 % 100; c.second = h.value % 100 } else { c.hour = h.value / 100; c.minute = h.value % 100 }
        } else {
            guard h.count <= 2 else { return nil }
            c.hour = h.value
            if eat(":") {
                guard let m = digits(max: 2), m.count == 2 else { return nil }
                c.minute = m.value
                if eat(":") {
                    guard let sec = digits(max: 2), sec.count == 2 else { return nil }
                    c.second = sec.value
                }
            }
        }
        if i < s.count && (s[i] == UInt8(ascii: ".") || s[i] == UInt8(ascii: ",")) {
            i += 1
            let start = i
            guard let f = digits(max: 9) else { return nil }
            c.fraction = Double(f.value) / pow(10, Double(i - start))
        }
        while i < s.count && s[i] == UInt8(ascii: " ") { i += 1 }
        guard i < s.count else { return c.date }
        // Zone
        if eat("Z") || eat("z") { return i == s.count ? c.date : nil }
        guard s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") else { return nil }
        let zone = String(decoding: s[i...], as: UTF8.self)
        guard case .some(.some(let off)) = TimeZoneNames.offset(zone) else { return nil }
        c.offsetSeconds = off
        return c.date
    }
}
