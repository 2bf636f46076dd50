import Foundation

/// Parses the date formats found in feeds into UTC instants: RFC 822/1123 and their common
/// variants (no weekday, named or odd zones, 2-digit years, long month names, stray commas),
/// W3C-DTF / ISO 8601 (basic and extended, ordinal, 2-digit years, space before the zone),
/// asctime, Perforce-style `YYYY/MM/DD`, and a few localized forms (Greek, Hungarian, Korean,
/// Russian, Chinese/Japanese). Impossible dates (day 99, hour 25, zone -99:99) give nil.
public enum FeedDate {
    /// Longest input considered; anything longer is not a date.
    private static let maxLength = 128

    public static func parse(_ raw: String) -> Date? {
        var raw = raw
        let fast: FastRFC1123.Outcome = raw.withUTF8 { buf in
            var start = 0, end = buf.count
            while start < end && String.isASCIISpace(buf[start]) { start += 1 }
            while end > start && String.isASCIISpace(buf[end - 1]) { end -= 1 }
            return FastRFC1123.parse(UnsafeBufferPointer(rebasing: buf[start..<end]))
        }
        switch fast {
        case .date(let d): return d
        case .invalid: return nil
        case .notHandled: break
        }
        var s = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !s.isEmpty, s.utf8.count <= maxLength else { return nil }
        if !s.unicodeScalars.allSatisfy({ $0.isASCII }) {
            guard let translated = LocalizedDates.toASCII(s) else { return nil }
            s = translated
        }
        let scalars = Array(s.utf8)
        if let first = scalars.first, isDigit(first) || first == UInt8(ascii: "-") {
            if let d = W3CDateParser.parse(scalars) { return d }
            if let d = SlashDateParser.parse(s) { return d }
        }
        return RFC822DateParser.parse(s)
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
}

/// Named time zones seen in feeds, in hours east of UTC. US names follow RFC 822; others are
/// the zones news outlets actually print (including Moscow and Beijing).
enum TimeZoneNames {
    static let offsets: [String: Double] = [
        "ut": 0, "utc": 0, "gmt": 0, "z": 0, "wet": 0, "zulu": 0,
        "adt": -3, "ast": -4, "at": -4, "edt": -4, "est": -5, "et": -5,
        "cdt": -5, "cst": -6, "ct": -6, "mdt": -6, "mst": -7, "mt": -7,
        "pdt": -7, "pst": -8, "pt": -8, "akdt": -8, "akst": -9, "hst": -10, "hdt": -9,
        "ndt": -2.5, "nst": -3.5,
        "bst": 1, "ist": 1, "west": 1, "cet": 1, "met": 1, "mez": 1,
        "cest": 2, "mest": 2, "mesz": 2, "eet": 2, "eest": 3, "sast": 2,
        "msk": 3, "msd": 4, "gst": 4,
        "pkt": 5, "npt": 5.75, "hkt": 8, "sgt": 8, "awst": 8, "pht": 8, "wib": 7, "ict": 7,
        "jst": 9, "kst": 9, "acst": 9.5, "acdt": 10.5, "aest": 10, "aedt": 11,
        "nzst": 12, "nzdt": 13,
        // RFC 822 military zones as feedparser reads them.
        "a": -1, "n": 1, "m": -12, "y": 12,
    ]

    /// Offset in seconds for a zone token: a name, `+hhmm`, `+hh:mm`, `+hh`, or `GMT+h[:mm]`.
    /// `.some(nil)` means the token is malformed (the whole date is then rejected).
    static func offset(_ token: String) -> Int?? {
        var t = token.lowercased()
        if let v = offsets[t] { return .some(Int(v * 3600)) }
        for prefix in ["gmt", "utc", "ut"] where t.hasPrefix(prefix) && t.count > prefix.count {
            let rest = t.dropFirst(prefix.count)
            if rest.first == "+" || rest.first == "-" { t = String(rest); break }
        }
        guard let sign = t.first, sign == "+" || sign == "-" else {
            return t.allSatisfy({ $0.isLetter }) ? .some(0) : .some(nil) // unknown name: UTC
        }
        let body = Array(t.dropFirst().utf8)
        var hours = 0, minutes = 0
        if let colon = body.firstIndex(of: UInt8(ascii: ":")) {
            guard let h = number(body[..<colon]), let m = number(body[(colon + 1)...]), colon <= 2,
                  body.count - colon - 1 == 2 else { return .some(nil) }
            hours = h; minutes = m
        } else if body.count == 4 {
            guard let h = number(body[0..<2]), let m = number(body[2..<4]) else { return .some(nil) }
            hours = h; minutes = m
        } else if body.count == 1 || body.count == 2 {
            guard let h = number(body[...]) else { return .some(nil) }
            hours = h
        } else if body.count == 3 {
            guard let h = number(body[0..<1]), let m = number(body[1..<3]) else { return .some(nil) }
            hours = h; minutes = m
        } else {
            return .some(nil)
        }
        guard hours <= 23, minutes <= 59 else { return .some(nil) }
        let secs = hours * 3600 + minutes * 60
        return .some(sign == "-" ? -secs : secs)
    }

    static func number<S: Collection>(_ bytes: S) -> Int? where S.Element == UInt8 {
        guard !bytes.isEmpty, bytes.count <= 9 else { return nil }
        var v = 0
        for b in bytes {
            guard FeedDate.isDigit(b) else { return nil }
            v = v * 10 + Int(b - 0x30)
        }
        return v
    }
}

/// `YYYY/MM/DD[ HH:MM[:SS]][ zone]` (Perforce and some CMSs).
enum SlashDateParser {
    static func parse(_ s: String) -> Date? {
        let parts = s.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let first = parts.first else { return nil }
        let ymd = first.split(separator: "/").map { TimeZoneNames.number(Array($0.utf8)) }
        guard ymd.count == 3, let y = ymd[0], let m = ymd[1], let d = ymd[2], first.utf8.count >= 8, y >= 1000 else { return nil }
        var c = CivilTime(year: y, month: m, day: d)
        var rest = parts.dropFirst()
        if let t = rest.first, t.contains(":") {
            guard let hms = RFC822DateParser.parseTime(t) else { return nil }
            (c.hour, c.minute, c.second) = hms
            rest = rest.dropFirst()
        }
        if let z = rest.first {
            guard case .some(.some(let off)) = TimeZoneNames.offset(z), rest.count == 1 else { return nil }
            c.offsetSeconds = off
        }
        return c.date
    }
}
