import Foundation

/// RFC 822/1123 dates and their real-world variants, plus asctime:
/// `[Wkd,] D Mon YYYY [HH:MM[:SS]] [zone]`, `Mon D [HH:MM:SS] YYYY [zone]`, long or short month
/// names in either order, stray commas, dashes between date parts, 2-digit years
/// (< 90 → 20YY, else 19YY), parenthesised comments. Unknown zone names count as UTC.
enum RFC822DateParser {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    private static let weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    /// Two-digit years below this are 20YY, others 19YY (as feedparser does).
    private static let twoDigitYearPivot = 90

    static func parse(_ s: String) -> Date? {
        var cleaned = ""
        var depth = 0
        for ch in s.lowercased() {
            if ch == "(" { depth += 1; continue }
            if ch == ")" { depth = max(0, depth - 1); continue }
            if depth == 0 { cleaned.append(ch == "," ? " " : ch) }
        }
        var tokens = cleaned.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).map(String.init)
        // "01-Jan-2004" / "Jan-01-2004": dashes joining date parts.
        tokens = tokens.flatMap { t -> [String] in
            if t.contains("-"), !t.hasPrefix("-"), !t.hasPrefix("+"), t.split(separator: "-").contains(where: { month(String($0)) != nil }) {
                return t.split(separator: "-").map(String.init)
            }
            return [t]
        }
        if let first = tokens.first, first.allSatisfy({ $0.isLetter || $0 == "." }), isWeekday(first) { tokens.removeFirst() }
        guard !tokens.isEmpty else { return nil }

        var monthValue: Int?
        var numbers: [(value: Int, digits: Int)] = []
        var time: (Int, Int, Int)?
        var zone: Int?
        for (index, t) in tokens.enumerated() {
            if monthValue == nil, let m = month(t) { monthValue = m; continue }
            if time == nil, t.contains(":") {
                // a zone glued to the time: 10:00:00+0100 / 10:00:00gmt
                var timePart = Substring(t), zonePart: Substring?
                if let z = t.firstIndex(where: { $0 == "+" || $0 == "-" || $0.isLetter }) {
                    timePart = t[..<z]; zonePart = t[z...]
                }
                guard let hms = parseTime(String(timePart)) else { return nil }
                time = hms
                if let zonePart {
                    guard case .some(.some(let off)) = TimeZoneNames.offset(String(zonePart)) else { return nil }
                    zone = off
                }
                continue
            }
            if let n = TimeZoneNames.number(Array(t.utf8)), !(time != nil && numbers.count >= 2) {
                numbers.append((n, t.count)); continue
            }
            if zone == nil, time != nil || numbers.count >= 2 || index == tokens.count - 1 {
                guard case .some(.some(let off)) = TimeZoneNames.offset(t) else { return nil }
                zone = off
                continue
            }
            if isWeekday(t) { continue }
            return nil
        }
        guard let m = monthValue, numbers.count == 2 else { return nil }
        var (day, year) = (numbers[0], numbers[1])
        if day.digits >= 3 { swap(&day, &year) }
        var y = year.value
        if year.digits <= 2 { y += y < twoDigitYearPivot ? 2000 : 1900 }
        var c = CivilTime(year: y, month: m, day: day.value)
        if let (h, mi, se) = time { c.hour = h; c.minute = mi; c.second = se }
        c.offsetSeconds = zone ?? 0
        return c.date
    }

    /// `HH:MM` or `HH:MM:SS` (one-digit hours allowed); nil when malformed.
    static func parseTime(_ t: String) -> (Int, Int, Int)? {
        let parts = t.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3 else { return nil }
        var secondsPart = parts.count == 3 ? Substring(parts[2]) : Substring("0")
        if let dot = secondsPart.firstIndex(of: ".") { secondsPart = secondsPart[..<dot] }
        guard let h = TimeZoneNames.number(Array(parts[0].utf8)), parts[0].count <= 2,
              let m = TimeZoneNames.number(Array(parts[1].utf8)), parts[1].count == 2,
              let s = TimeZoneNames.number(Array(secondsPart.utf8)), secondsPart.count <= 2 else { return nil }
        return (h, m, s)
    }

    private static func month(_ t: String) -> Int? {
        let t = t.hasSuffix(".") ? String(t.dropLast()) : t
        guard t.count >= 3, t.allSatisfy({ $0.isLetter }) else { return nil }
        let prefix = String(t.prefix(3))
        guard let i = months.firstIndex(of: prefix) else { return nil }
        // Accept abbreviations and full names ("january", "sept"), not arbitrary words.
        let full = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"][i]
        return full.hasPrefix(t) ? i + 1 : nil
    }

    private static func isWeekday(_ t: String) -> Bool {
        let t = t.hasSuffix(".") ? String(t.dropLast()) : t
        guard t.count >= 2 else { return false }
        return weekdays.contains(where: { t.hasPrefix($0) }) || ["tues", "thur", "thurs"].contains(t)
    }
}
