import DyadConfig
import DyadCore
import Foundation

/// `--since`/`--until` values: a duration back from now (`7d`, `12h`, `90d`) or a UTC date
/// (`2022-02-20`, `2022-02-20T12:00:00Z`).
enum TimeWindowOption {
    static func parse(_ text: String, now: Date) -> Date? {
        if let seconds = DurationSyntax.parse(text), seconds > 0 { return now.addingTimeInterval(-seconds) }
        if text.count == 10, let d = ISO8601.date(text + "T00:00:00Z") { return d }
        return ISO8601.date(text)
    }

    static let help = "a duration back from now (7d, 12h, 90d) or a UTC date (2022-02-20, 2022-02-20T12:00:00Z)"
}
