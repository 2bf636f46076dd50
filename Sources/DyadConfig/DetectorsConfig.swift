import Foundation

/// `[detectors]`: parameters of the shift detectors. Every key is optional; an absent key keeps
/// the detector's documented default (the defaults live with the detectors, in
/// `Trends.DetectorParameters`, so this file only carries what the user overrode).
///
///     [detectors]
///     granularity = "day"          # or "hour"
///     warmup_buckets = 7
///     close_delay = "1h"
///     lookback = "14d"
///     evidence = 3
///     [detectors.volume]      enabled, metrics, p_value, min_count, min_ratio, level_alpha, season_alpha, min_dispersion
///     [detectors.stance]      enabled, min_articles, pool_buckets, weight_floor, k, h, alpha, min_spread
///     [detectors.frame]       enabled, min_articles, min_count, window, min_delta, p_value, alpha
///     [detectors.divergence]  enabled, min_articles, pool_buckets, k, h, alpha
///     [detectors.new_actor]   enabled, min_count, max_baseline_rate, alpha
public struct DetectorsConfig: ConfigSection, Equatable {
    public static let tableName = "detectors"

    /// Counts the volume detector can watch.
    public static let volumeMetrics = ["entries", "china", "russia", "dyad"]

    public var granularity: String?
    public var warmupBuckets: Int?
    public var closeDelay: TimeInterval?
    public var lookback: TimeInterval?
    public var evidence: Int?
    /// Sub-table name → key → value (numbers as Double, flags as Bool, metrics as [String]).
    public var volume = Overrides()
    public var stance = Overrides()
    public var frame = Overrides()
    public var divergence = Overrides()
    public var newActor = Overrides()

    /// The keys a user set in one detector's sub-table.
    public struct Overrides: Sendable, Equatable, Codable {
        public var enabled: Bool?
        public var numbers: [String: Double] = [:]
        public var metrics: [String]?
        public init() {}
    }

    /// Ranges the numeric keys must fall in; shared by all sub-tables that have the key.
    static let ranges: [String: ClosedRange<Double>] = [
        "p_value": 1e-12...0.5, "min_count": 1...10_000, "min_ratio": 1...100, "level_alpha": 0.001...1,
        "season_alpha": 0.001...1, "min_dispersion": 0...10, "min_articles": 1...10_000, "k": 0...10, "h": 0.5...100,
        "alpha": 0.001...1, "min_spread": 0.001...2, "min_delta": 0...1, "max_baseline_rate": 0...1_000,
        "pool_buckets": 1...30, "weight_floor": 0.01...1, "window": 1...14,
    ]

    public init(from r: TableReader) {
        granularity = r.string("granularity")
        if let g = granularity, g != "day" && g != "hour" { r.error("granularity", "must be \"day\" or \"hour\", found \"\(g)\"") }
        warmupBuckets = r.int("warmup_buckets", in: 1...10_000)
        closeDelay = r.duration("close_delay", in: 0...(7 * 86_400))
        lookback = r.duration("lookback", in: 3_600...(365 * 86_400))
        evidence = r.int("evidence", in: 1...20)
        volume = Self.overrides(r, "volume", ["p_value", "min_count", "min_ratio", "level_alpha", "season_alpha", "min_dispersion"], metrics: true)
        stance = Self.overrides(r, "stance", ["min_articles", "pool_buckets", "weight_floor", "k", "h", "alpha", "min_spread"])
        frame = Self.overrides(r, "frame", ["min_articles", "min_count", "window", "min_delta", "p_value", "alpha"])
        divergence = Self.overrides(r, "divergence", ["min_articles", "pool_buckets", "k", "h", "alpha"])
        newActor = Self.overrides(r, "new_actor", ["min_count", "max_baseline_rate", "alpha"])
    }

    private static func overrides(_ parent: TableReader, _ name: String, _ keys: [String], metrics: Bool = false) -> Overrides {
        var o = Overrides()
        guard let r = parent.subtable(name) else { return o }
        o.enabled = r.bool("enabled")
        for key in keys {
            if let v = r.double(key, in: ranges[key] ?? -1e9...1e9) { o.numbers[key] = v }
        }
        if metrics, let list = r.strings("metrics") {
            for m in list where !volumeMetrics.contains(m) {
                r.error("metrics", "unknown metric \"\(m)\"; known: \(volumeMetrics.joined(separator: ", "))")
            }
            o.metrics = list.filter { volumeMetrics.contains($0) }
        }
        r.finish()
        return o
    }
}
