import Foundation

/// Durations written as `30s`, `15m`, `2h`, `7d`, `1w` or combinations such as `1h30m`.
public enum DurationSyntax {
    /// Seconds per unit letter.
    static let units: [Character: Double] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400, "w": 604_800]

    /// Seconds, or nil when `text` is not a well-formed positive-or-zero duration.
    public static func parse(_ text: String) -> TimeInterval? {
        let s = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard !s.isEmpty else { return nil }
        var total = 0.0
        var number = ""
        var sawUnit = false
        for c in s {
            if c.isASCII, c.isNumber || c == "." { number.append(c); continue }
            guard let unit = units[c], let value = Double(number) else { return nil }
            total += value * unit
            number = ""
            sawUnit = true
        }
        guard number.isEmpty, sawUnit, total.isFinite else { return nil }
        return total
    }

    /// Shortest readable form: `90` → `1m30s`, `86400` → `1d`.
    public static func format(_ seconds: TimeInterval) -> String {
        var rest = Int(seconds.rounded())
        if rest == 0 { return "0s" }
        var out = ""
        for (unit, size) in [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)] where rest >= size {
            out += "\(rest / size)\(unit)"
            rest %= size
        }
        return out
    }
}

/// Byte sizes written as a plain integer or `512KiB`, `10MiB`, `1GiB` (binary) / `kB`, `MB`, `GB` (decimal).
public enum SizeSyntax {
    static let units: [String: Int64] = [
        "b": 1, "kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30,
        "kb": 1_000, "mb": 1_000_000, "gb": 1_000_000_000, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30,
    ]

    public static func parse(_ text: String) -> Int64? {
        let s = text.trimmingCharacters(in: .whitespaces)
        let digits = s.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        let unit = s.dropFirst(digits.count).trimmingCharacters(in: .whitespaces).lowercased()
        guard let value = Double(digits), value >= 0 else { return nil }
        guard let multiplier = unit.isEmpty ? 1 : units[unit] else { return nil }
        let bytes = value * Double(multiplier)
        guard bytes.isFinite, bytes < Double(Int64.max) else { return nil }
        return Int64(bytes.rounded())
    }

    /// `10485760` → `10MiB`; falls back to bytes when not a whole number of a binary unit.
    public static func format(_ bytes: Int64) -> String {
        for (unit, size) in [("GiB", Int64(1) << 30), ("MiB", Int64(1) << 20), ("KiB", Int64(1) << 10)]
        where bytes >= size && bytes % size == 0 {
            return "\(bytes / size)\(unit)"
        }
        return "\(bytes)B"
    }
}
