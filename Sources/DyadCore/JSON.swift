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
            writeFields(tmv, separator: UInt8(ascii: "T"), into: buffer)
            buffer[19] = UInt8(ascii: "Z")
            return 20
        }
    }

    /// Writes `YYYY-MM-DD?HH:MM:SS` of a broken-down UTC time (`gmtime_r`; year 0...9999) into
    /// the first 19 bytes of `buffer`, `separator` between date and time. For this format and
    /// others that share its fields (the SQLite date text of `FeedStorage`).
    public static func writeFields(_ tmv: tm, separator: UInt8, into buffer: UnsafeMutableBufferPointer<UInt8>) {
        func put(_ value: Int, _ digits: Int, at offset: Int) {
            var v = value
            for i in stride(from: offset + digits - 1, through: offset, by: -1) {
                buffer[i] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
            }
        }
        put(Int(tmv.tm_year) + 1900, 4, at: 0); buffer[4] = UInt8(ascii: "-")
        put(Int(tmv.tm_mon) + 1, 2, at: 5); buffer[7] = UInt8(ascii: "-")
        put(Int(tmv.tm_mday), 2, at: 8); buffer[10] = separator
        put(Int(tmv.tm_hour), 2, at: 11); buffer[13] = UInt8(ascii: ":")
        put(Int(tmv.tm_min), 2, at: 14); buffer[16] = UInt8(ascii: ":")
        put(Int(tmv.tm_sec), 2, at: 17)
    }

    /// Parses RFC 3339 (`…Z`, `…+03:00`, fractional seconds) on bytes: no formatter per call.
    public static func date(_ s: String) -> Date? { RFC3339.date(s) }
}
