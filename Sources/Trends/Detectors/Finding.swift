import Foundation

/// How bad a shift is: ordered `info` < `warning` < `critical`.
public enum Severity: String, Codable, Sendable, Comparable, CaseIterable {
    case info, warning, critical
    var rank: Int { self == .info ? 0 : self == .warning ? 1 : 2 }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
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
}

/// Number formatting shared by summaries and alert lines: short, locale-free, deterministic.
public enum Num {
    public static func fmt(_ x: Double, _ digits: Int = 2) -> String {
        if x.isNaN { return "nan" }
        let v = abs(x) < 0.5 * pow(10, Double(-digits)) ? 0 : x
        return String(format: "%.\(digits)f", v)
    }
    /// A probability in compact scientific form (`3.1e-07`).
    public static func prob(_ p: Double) -> String {
        p >= 0.001 ? String(format: "%.4f", p) : String(format: "%.1e", max(p, 1e-300))
    }
}
