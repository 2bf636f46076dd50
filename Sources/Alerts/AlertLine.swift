import Foundation
import DyadCore
import Trends

/// The one-line form of an alert in `alerts.log`, made for `tail -f` and `grep`:
///
///     TIME SEVERITY DETECTOR scope=SCOPE bucket=BUCKET METRIC BASELINE → CURRENT (STAT=VALUE) | SUMMARY | "HEADLINE" <LINK> ; … id=ID
///
/// Stance and divergence alerts quote, after each headline, the body sentence that carried the
/// article's stance in the alert's direction: `"HEADLINE" <LINK> quote: "SENTENCE"`.
///
/// Fields never contain line breaks (they are folded to spaces), so one alert is one line.
public enum AlertLine {
    /// Headlines shown on the line (the full list is in alerts.jsonl).
    public static let headlinesShown = 2

    public static func format(_ a: AlertRecord) -> String {
        var parts: [String] = []
        parts.append(ISO8601.string(a.detectedAt))
        parts.append(a.severity.rawValue.uppercased())
        parts.append(a.detector)
        parts.append("scope=" + a.scope)
        parts.append("bucket=" + bucketLabel(a.bucket, a.granularity))
        parts.append(a.metric)
        parts.append("\(value(a.baseline, a.metric)) → \(value(a.current, a.metric)) (\(a.statistic)=\(statistic(a.statistic, a.statisticValue)))")
        var line = parts.joined(separator: " ")
        line += " | " + clean(a.summary)
        let shown = a.evidence.prefix(headlinesShown).map { e in
            "\"\(clean(e.title))\"" + (e.link.map { " <\(clean($0))>" } ?? "")
                + (e.quotes?.first.map { " quote: \"\(clean($0.sentence))\"" } ?? "")
        }
        if !shown.isEmpty { line += " | " + shown.joined(separator: " ; ") }
        line += " id=" + a.id
        return line
    }

    /// `2022-02-24` for a day bucket, `2022-02-24T13Z` for an hour bucket.
    public static func bucketLabel(_ d: Date, _ g: Granularity) -> String {
        let s = ISO8601.string(d)
        return g == .day ? String(s.prefix(10)) : String(s.prefix(13)) + "Z"
    }

    /// A metric value as alerts show it (counts with one decimal, the rest with two).
    public static func value(_ x: Double, _ metric: String) -> String {
        metric.hasPrefix("count:") || metric.hasPrefix("actor:") ? Num.fmt(x, 1) : Num.fmt(x, 2)
    }

    /// A test statistic as alerts show it (p-values in scientific notation when small).
    public static func statistic(_ name: String, _ v: Double) -> String { name == "p" ? Num.prob(v) : Num.fmt(v, 2) }

    /// Folds control characters (newlines, tabs) to spaces.
    static func clean(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { CharacterSet.controlCharacters.contains($0) ? " " : $0 }))
    }
}
