import Foundation

/// Every tunable of the shift detectors, with the defaults documented in the README
/// (`[detectors]` in feeds.conf). The defaults are the values the synthetic evaluation was run with.
public struct DetectorParameters: Codable, Sendable, Equatable {
    /// Bucket width the detectors run on (`day` or `hour`); trend files always have both.
    public var granularity: Granularity = .day
    /// Buckets a scope must have been observed before any of its detectors may alert.
    public var warmupBuckets = 7
    /// A bucket is closed (and judged) this long after its end, to let slow feeds catch up.
    public var closeDelay: TimeInterval = 3_600
    /// When the detectors first start, they look back this far for baseline history.
    public var lookback: TimeInterval = 14 * 86_400
    /// Evidence headlines attached to each alert.
    public var evidenceCount = 3

    // Volume surge
    public var volumeEnabled = true
    /// Counts watched: `dyad` (China and Russia together) and `russia` (Russia-side coverage).
    public var volumeMetrics: [VolumeMetric] = [.dyad, .russia]
    /// Alert when P(X ≥ x | baseline) is at most this (negative-binomial tail).
    public var volumePValue = 2e-3
    /// … and the count is at least this …
    public var volumeMinCount = 5
    /// … and at least this multiple of the expected count.
    public var volumeMinRatio = 1.5
    /// EWMA weights of the de-seasonalized level and of each week-slot's factor.
    public var volumeLevelAlpha = 0.05
    public var volumeSeasonAlpha = 0.1
    /// Lower bound of the over-dispersion φ (variance = μ + φμ²).
    public var volumeMinDispersion = 0.02

    // Stance shift (CUSUM on the relevance-weighted mean stance of dyad articles)
    public var stanceEnabled = true
    /// Minimum dyad articles for a stance observation. A bucket with fewer is pooled with the
    /// following ones (up to `stancePoolBuckets` buckets) until the pool has this many.
    public var stanceMinArticles = 3
    /// Most consecutive buckets pooled into one observation (1: no pooling, a thin bucket is skipped).
    public var stancePoolBuckets = 3
    /// Weight of a dyad article in the stance mean: max(relevance, this). Applied when an entry is
    /// aggregated (trend files, stance and divergence alike); 1 gives every article the same weight.
    public var stanceWeightFloor = 0.5
    /// CUSUM allowance k and threshold h, in standard errors.
    public var stanceK = 0.75
    public var stanceH = 5.0
    public var stanceAlpha = 0.1
    /// Floor of the per-article stance standard deviation.
    public var stanceMinSpread = 0.1

    // Frame shift (binomial test of each frame's share of dyad coverage against its baseline)
    public var frameEnabled = true
    public var frameMinArticles = 3
    public var frameMinCount = 3
    /// The share is tested on the last 1, 2, … this many buckets together (each test at level/window).
    public var frameWindow = 3
    /// Minimum rise of the share (absolute) for an alert.
    public var frameMinDelta = 0.15
    /// Alert when the binomial tail (one- or two-bucket, doubled) is at most this.
    public var frameP = 1e-4
    public var frameAlpha = 0.05

    // Outlet-group divergence (CUSUM on the stance gap between two groups)
    public var divergenceEnabled = true
    /// Minimum dyad articles of each group; thinner buckets are pooled as for stance.
    public var divergenceMinArticles = 3
    public var divergencePoolBuckets = 3
    public var divergenceK = 0.75
    public var divergenceH = 5.0
    public var divergenceAlpha = 0.1

    // New actor
    public var newActorEnabled = true
    /// Dyad articles co-mentioning the actor in one bucket.
    public var newActorMinCount = 3
    /// Baseline rate (mentions per bucket, EWMA) at or below which an actor counts as near-absent.
    public var newActorMaxBaselineRate = 0.15
    public var newActorAlpha = 0.05

    /// One alert per (detector, scope) per this interval of bucket time.
    public var cooldown: TimeInterval = 72 * 3_600

    public init() {}

    /// The defaults of release 0.1.0 (written for headline streams of 14+ dyad articles a day),
    /// kept for the before/after figures of the synthetic evaluation.
    public static var release010: DetectorParameters {
        var p = DetectorParameters()
        p.stanceMinArticles = 5; p.stancePoolBuckets = 1; p.stanceWeightFloor = Contribution.legacyStanceWeightFloor
        p.stanceK = 1; p.stanceH = 3.5
        p.frameMinArticles = 5; p.frameWindow = 2
        p.divergenceMinArticles = 5; p.divergencePoolBuckets = 1; p.divergenceK = 1; p.divergenceH = 3.5
        return p
    }
}
