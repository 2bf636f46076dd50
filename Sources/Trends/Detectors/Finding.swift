import Foundation

/// How bad a shift is: ordered `info` < `warning` < `critical`.
public enum Severity: String, Codable, Sendable, Comparable, CaseIterable {
    case info, warning, critical
    var rank: Int { self == .info ? 0 : self == .warning ? 1 : 2 }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }

    /// A tail probability this many times below the alert level is critical.
    public static let criticalTailFactor = 1e-4
    /// A CUSUM at this multiple of its threshold is critical; a new actor at this multiple of the
    /// minimum count is a warning rather than info.
    public static let strongMultiple = 2.0

    /// Severity of a tail-probability test that alerted at `level`.
    public static func forTail(_ p: Double, level: Double) -> Severity { p <= level * criticalTailFactor ? .critical : .warning }
    /// Severity of a CUSUM that alerted with threshold `h`.
    public static func forCUSUM(_ statistic: Double, h: Double) -> Severity { statistic >= strongMultiple * h ? .critical : .warning }
}

/// Which entries of the bucket explain a finding (used to pick evidence headlines).
public enum EvidenceSelector: Codable, Sendable, Equatable {
    /// Entries counted by a volume metric.
    case metric(VolumeMetric)
    /// Dyad articles, strongest stance in the given direction (+1 supportive, −1 critical) first.
    case stance(direction: Int)
    /// Dyad articles with this frame.
    case frame(String)
    /// Dyad articles co-mentioning this actor.
    case actor(String)
    /// Dyad articles of either group, the side that moved the gap first.
    case groups(String, String, direction: Int)
}

/// One detector firing on one closed bucket, before debounce and evidence lookup.
public struct Finding: Sendable, Equatable {
    public var detector: String
    public var scope: Scope
    /// What was measured (`count:russia`, `mean_stance`, `share:military`, `stance_gap`, `actor:NATO`).
    public var metric: String
    public var baseline: Double
    public var current: Double
    /// Name and value of the test statistic (`p`, `cusum`, …) and a score that grows with strength.
    public var statisticName: String
    public var statistic: Double
    public var score: Double
    public var severity: Severity
    public var selector: EvidenceSelector
    /// Plain-language summary shown in alerts.log.
    public var summary: String
    /// Buckets the observation spans, ending with the judged one (thin buckets are pooled).
    public var buckets = 1
}

/// Number formatting shared by summaries and alert lines: short, locale-free, deterministic.
public enum Num {
    /// Smallest probability used in scores and printed (−log₁₀ of 0 would be infinite).
    public static let minProbability = 1e-300
    /// Probabilities below this are printed in scientific notation.
    static let scientificBelow = 0.001
    /// Score of a tail probability: −log₁₀ p.
    public static func score(_ p: Double) -> Double { -log10(max(p, minProbability)) }

    public static func fmt(_ x: Double, _ digits: Int = 2) -> String {
        if x.isNaN { return "nan" }
        let v = abs(x) < 0.5 * pow(10, Double(-digits)) ? 0 : x
        return String(format: "%.\(digits)f", v)
    }
    /// A probability in compact scientific form (`3.1e-07`).
    public static func prob(_ p: Double) -> String {
        p >= scientificBelow ? String(format: "%.4f", p) : String(format: "%.1e", max(p, minProbability))
    }
}
