import Foundation

/// The weighted stance sums of one or more consecutive buckets of one scope: what the stance and
/// divergence detectors observe. With full text a group of outlets yields a few China–Russia
/// articles a day, so a bucket with fewer than the minimum is not thrown away but pooled with the
/// next ones (`StancePool`) until the pool has enough articles.
public struct StanceSample: Codable, Sendable, Equatable {
    public var articles = 0
    public var w = 0.0, ws = 0.0, wss = 0.0, ww = 0.0
    /// Buckets pooled into this sample.
    public var buckets = 0

    public init() {}
    public init(_ a: Aggregate) {
        articles = a.dyad; w = a.stanceW; ws = a.stanceWS; wss = a.stanceWSS; ww = a.stanceWW; buckets = 1
    }

    public mutating func add(_ o: StanceSample) {
        articles += o.articles; w += o.w; ws += o.ws; wss += o.wss; ww += o.ww; buckets += o.buckets
    }

    /// Weighted mean stance.
    public var mean: Double? { articles > 0 && w > 0 ? ws / w : nil }
    /// Kish effective sample size (Σw)²/Σw²: the n of the mean's standard error.
    public var effectiveN: Double { ww > 0 ? w * w / ww : 0 }
    /// Unbiased estimate of the per-article variance (reliability weights:
    /// Σw(s − m)² / (Σw − Σw²/Σw)); nil with fewer than two effective articles. The plain weighted
    /// variance is biased low by a factor 1 − 1/n, a third at n = 3, which would inflate z.
    public var unbiasedVariance: Double? {
        guard let m = mean, effectiveN >= 1.5 else { return nil }
        let denominator = w - ww / w
        guard denominator > 0 else { return nil }
        return max(0, wss - w * m * m) / denominator
    }
}

/// Pools thin buckets of one scope: `take` returns a sample once the pool holds at least
/// `minArticles` dyad articles. A pool that spans `maxBuckets` buckets without reaching the minimum
/// is dropped (its articles are too old to speak for the current level); with `maxBuckets` = 1 a
/// thin bucket is simply skipped.
public struct StancePool: Codable, Sendable, Equatable {
    public var pending: StanceSample?
    public init() {}

    public mutating func take(_ bucket: StanceSample, minArticles: Int, maxBuckets: Int) -> StanceSample? {
        if pending == nil && bucket.articles == 0 { return nil }
        var pool = pending ?? StanceSample()
        pool.add(bucket)
        if pool.articles >= minArticles && pool.mean != nil {
            pending = nil
            return pool
        }
        pending = pool.buckets >= maxBuckets ? nil : pool
        return nil
    }
}

extension StanceShiftDetector {
    /// Per-article stance variance for the next standard error: an EWMA of the buckets' unbiased
    /// variances (a bucket with fewer than two effective articles does not update it), floored.
    /// Returns the estimate from *before* this bucket, so a bucket does not judge itself with its
    /// own spread (an outlying bucket would else look less outlying); the first bucket uses its own.
    static func perArticleVariance(_ e: inout EWMA, bucket: StanceSample, alpha: Double, floor: Double) -> Double {
        let prior = e.value
        let own = bucket.unbiasedVariance
        if let v = own { e.update(max(v, floor * floor), alpha: alpha) }
        return max(prior ?? own ?? floor * floor, floor * floor)
    }
}
