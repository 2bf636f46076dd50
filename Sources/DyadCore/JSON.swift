import Foundation

/// JSON encoding shared by every output (`--jsonl`, alerts.jsonl, latest.json): sorted keys so the
/// same input gives byte-identical output, ISO-8601 UTC dates, no escaped slashes.
public enum DyadJSON {
    public static func encoder(pretty: Bool = false) -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = pretty ? [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted] : [.sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .custom { date, enc in
            var c = enc.singleValueContainer()
            try c.encode(ISO8601.string(date))
        }
        return e
    }
    public static func decoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .custom { dec in
            let c = try dec.singleValueContainer()
            let s = try c.decode(String.self)
            guard let date = ISO8601.date(s) else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "not an ISO-8601 date: \(s)")
            }
            return date
        }
        return d
    }
}

/// ISO-8601 UTC formatting (`2004-01-01T19:48:21Z`), the one date format of every output.
/// Hot (every stored contribution and alert carries dates), so both directions are done by hand
/// on bytes; anything but the plain UTC form falls back to Foundation's parser.
public enum ISO8601 {
    public static func string(_ date: Date) -> String {
        var t = time_t(date.timeIntervalSince1970.rounded(.down))
        var tmv = tm()
        gmtime_r(&t, &tmv)
        let year = Int(tmv.tm_year) + 1900
        guard (0...9999).contains(year) else {
            return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", year, Int(tmv.tm_mon) + 1,
                          Int(tmv.tm_mday), Int(tmv.tm_hour), Int(tmv.tm_min), Int(tmv.tm_sec))
        }
        return String(unsafeUninitializedCapacity: 20) { buffer in
            func put(_ value: Int, _ digits: Int, at offset: Int) {
                var v = value
                for i in stride(from: offset + digits - 1, through: offset, by: -1) {
                    buffer[i] = UInt8(ascii: "0") + UInt8(v % 10)
                    v /= 10
                }
            }
            put(year, 4, at: 0); buffer[4] = UInt8(ascii: "-")
            put(Int(tmv.tm_mon) + 1, 2, at: 5); buffer[7] = UInt8(ascii: "-")
            put(Int(tmv.tm_mday), 2, at: 8); buffer[10] = UInt8(ascii: "T")
            put(Int(tmv.tm_hour), 2, at: 11); buffer[13] = UInt8(ascii: ":")
            put(Int(tmv.tm_min), 2, at: 14); buffer[16] = UInt8(ascii: ":")
            put(Int(tmv.tm_sec), 2, at: 17); buffer[19] = UInt8(ascii: "Z")
            return 20
        }
    }

    public static func date(_ s: String) -> Date? {
        if let d = fastDate(s) { return d }
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        if let d = f.date(from: s) { return d }
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.date(from: s)
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` exactly (what `string` writes); nil for any other form.
    static func fastDate(_ s: String) -> Date? {
        var s = s
        return s.withUTF8 { u -> Date? in
            guard u.count == 20, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-"), u[10] == UInt8(ascii: "T"),
                  u[13] == UInt8(ascii: ":"), u[16] == UInt8(ascii: ":"), u[19] == UInt8(ascii: "Z") else { return nil }
            func num(_ from: Int, _ count: Int) -> Int? {
                var v = 0
                for i in from..<(from + count) {
                    let d = Int(u[i]) - 48
                    guard (0...9).contains(d) else { return nil }
                    v = v * 10 + d
                }
                return v
            }
            guard let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2), let h = num(11, 2), let mi = num(14, 2),
                  let se = num(17, 2), (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, se < 61 else { return nil }
            // Days from the civil date (proleptic Gregorian), Howard Hinnant's algorithm.
            let yy = mo <= 2 ? y - 1 : y
            let era = (yy >= 0 ? yy : yy - 399) / 400
            let yoe = yy - era * 400
            let doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1
            let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
            let days = era * 146_097 + doe - 719_468
            return Date(timeIntervalSince1970: Double(days * 86_400 + h * 3_600 + mi * 60 + se))
        }
    }
}
