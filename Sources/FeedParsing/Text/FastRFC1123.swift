import Foundation

/// Byte-level fast path for the canonical RFC 1123 form almost every feed uses,
/// `[Www, ]D[D] Mmm YYYY HH:MM[:SS] [zone]`. Returns `.notHandled` for anything else so the
/// general `RFC822DateParser` (same rules, slower) decides. Dates are on the hot path: a feed
/// of 200 items has 200 of them.
enum FastRFC1123 {
    enum Outcome { case date(Date), invalid, notHandled }

    private static let monthKeys: [UInt32] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"].map(key)

    private static func key(_ s: String) -> UInt32 {
        let u = Array(s.utf8)
        return UInt32(u[0]) << 16 | UInt32(u[1]) << 8 | UInt32(u[2])
    }

    static func parse(_ s: UnsafeBufferPointer<UInt8>) -> Outcome {
        var i = 0
        let n = s.count
        @inline(__always) func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        @inline(__always) func isAlpha(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
        func skipSpaces() { while i < n && s[i] == 0x20 { i += 1 } }
        func number(min: Int, max: Int) -> Int? {
            var v = 0, k = 0
            while i < n, k < max, isDigit(s[i]) { v = v * 10 + Int(s[i] - 0x30); i += 1; k += 1 }
            return k >= min && (i == n || !isDigit(s[i])) ? v : nil
        }
        // Optional weekday "Www,"
        if n > 4 && isAlpha(s[0]) && isAlpha(s[1]) && isAlpha(s[2]) && s[3] == UInt8(ascii: ",") {
            i = 4; skipSpaces()
        }
        guard let day = number(min: 1, max: 2), i < n, s[i] == 0x20 else { return .notHandled }
        skipSpaces()
        guard i + 3 < n, isAlpha(s[i]), isAlpha(s[i + 1]), isAlpha(s[i + 2]), s[i + 3] == 0x20 else { return .notHandled }
        let mkey = UInt32(s[i] | 0x20) << 16 | UInt32(s[i + 1] | 0x20) << 8 | UInt32(s[i + 2] | 0x20)
        guard let monthIndex = monthKeys.firstIndex(of: mkey) else { return .notHandled }
        i += 3; skipSpaces()
        let yearStart = i
        guard var year = number(min: 2, max: 4) else { return .notHandled }
        let yearDigits = i - yearStart
        guard yearDigits == 4 || yearDigits == 2 else { return .notHandled }
        if yearDigits == 2 { year += year < 90 ? 2000 : 1900 }
        var c = CivilTime(year: year, month: monthIndex + 1, day: day)
        skipSpaces()
        if i == n { return c.date.map(Outcome.date) ?? .invalid }
        guard let hour = number(min: 1, max: 2), i < n, s[i] == UInt8(ascii: ":") else { return .notHandled }
        i += 1
        guard let minute = number(min: 2, max: 2) else { return .notHandled }
        var second = 0
        if i < n && s[i] == UInt8(ascii: ":") {
            i += 1
            guard let sec = number(min: 2, max: 2) else { return .notHandled }
            second = sec
        }
        c.hour = hour; c.minute = minute; c.second = second
        skipSpaces()
        if i < n {
            let zoneStart = i
            if s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") {
                let negative = s[i] == UInt8(ascii: "-")
                i += 1
                guard i + 4 == n, let hhmm = number(min: 4, max: 4) else { return .notHandled }
                let (h, m) = (hhmm / 100, hhmm % 100)
                guard h <= 23, m <= 59 else { return .invalid }
                c.offsetSeconds = (negative ? -1 : 1) * (h * 3600 + m * 60)
            } else {
                while i < n && isAlpha(s[i]) { i += 1 }
                guard i == n, i > zoneStart else { return .notHandled }
                let name = String(decoding: UnsafeBufferPointer(rebasing: s[zoneStart..<n]), as: UTF8.self).lowercased()
                guard let hours = TimeZoneNames.offsets[name] else { return .notHandled }
                c.offsetSeconds = Int(hours * 3600)
            }
        }
        return c.date.map(Outcome.date) ?? .invalid
    }
}
