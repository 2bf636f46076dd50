import Foundation
import DyadCore

/// One headline that explains an alert.
public struct AlertEvidence: Codable, Sendable, Equatable {
    public var entryID: Int64
    public var feedID: String
    public var outlet: String
    public var group: String
    public var title: String
    public var link: String?
    /// The time the entry is bucketed by (publication or first sight).
    public var time: Date
    public var stance: Double?
    public var frames: [String]
    /// The analyzer's cue phrases for this entry.
    public var cues: [String]
    /// For stance and divergence alerts: the body sentences that carried the entry's stance in the
    /// alert's direction, strongest first (absent for other alerts).
    public var quotes: [StanceQuote]?
}

/// A shift worth telling a human about: what moved, from what to what, how surely, and the
/// headlines that show it. The `alerts.jsonl` record; `id` is a hash of (detector, scope, metric,
/// bucket), so the same shift always gets the same id (the outbox uses it to never deliver twice).
public struct AlertRecord: Codable, Sendable, Equatable {
    public var id: String
    /// The (injected) clock's time when the bucket was judged.
    public var detectedAt: Date
    public var detector: String
    public var scope: String
    public var granularity: Granularity
    public var bucket: Date
    public var bucketEnd: Date
    public var metric: String
    public var baseline: Double
    public var current: Double
    public var statistic: String
    public var statisticValue: Double
    public var score: Double
    public var severity: Severity
    public var summary: String
    public var evidence: [AlertEvidence]

    /// Deterministic id: FNV-1a 64 of the identifying fields, hex.
    public static func makeID(detector: String, scope: String, metric: String, granularity: Granularity, bucket: Int64) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in "\(detector)|\(scope)|\(metric)|\(granularity.rawValue)|\(bucket)".utf8 {
            h ^= UInt64(b); h = h &* 0x100_0000_01b3
        }
        return String(format: "%016llx", h)
    }
}
