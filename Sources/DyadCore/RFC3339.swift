import Foundation

/// RFC 3339 timestamps parsed on bytes (`2022-03-01T12:00:00Z`, `…T12:00:00.250+03:00`, `t`/`z` and a
/// space separator accepted). No formatter object and no allocation: `analyze --jsonl` reads one
/// per input line, and an `ISO8601DateFormatter` costs ~100 µs to create on Linux.
public enum RFC3339 {
    public static func date(_ s: String) -> Date? {
        var s = s
        return s.withUTF8 { date(UnsafeRawBufferPointer($0).bindMemory(to: UInt8.self)) }
    }

    public static func date(_ p: UnsafeBufferPointer<UInt8>) -> Date? {
        let n = p.count
        guard n >= 20 else { return nil }
        func digits(_ at: Int, _ count: Int) -> Int? {
            var v = 0
            for i in at..<(at + count) {
                let d = Int(p[i]) - 48
                guard d >= 0 && d <= 9 else { return nil }
                v = v * 10 + d
            }
            return v
        }
        guard let year = digits(0, 4), p[4] == 0x2D, let month = digits(5, 2), p[7] == 0x2D, let day = digits(8, 2),
              p[10] == UInt8(ascii: "T") || p[10] == UInt8(ascii: "t") || p[10] == 0x20,
              let hour = digits(11, 2), p[13] == 0x3A, let minute = digits(14, 2), p[16] == 0x3A, let second = digits(17, 2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= ProlepticGregorian.daysInMonth(year, month), hour <= 23, minute <= 59, second <= 60 else { return nil }
        var i = 19
        var fraction = 0.0
        if i < n && p[i] == 0x2E {
            i += 1
            var scale = 0.1
            let start = i
            while i < n, p[i] >= 0x30 && p[i] <= 0x39 { fraction += Double(p[i] - 0x30) * scale; scale /= 10; i += 1 }
            guard i > start else { return nil }
        }
        guard i < n else { return nil }
        var offset = 0
        switch p[i] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            i += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard i + 6 == n, let oh = digits(i + 1, 2), p[i + 3] == 0x3A, let om = digits(i + 4, 2), oh <= 23, om <= 59 else { return nil }
            offset = (oh * 3600 + om * 60) * (p[i] == UInt8(ascii: "-") ? -1 : 1)
            i += 6
        default:
            return nil
        }
        guard i == n else { return nil }
        let days = ProlepticGregorian.daysFromCivil(year, month, day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + min(second, 59) - offset
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }
}
