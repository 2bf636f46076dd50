import Foundation

/// Stance shift: a sustained move of the relevance-weighted mean stance of dyad articles away from
/// its baseline. A bucket with fewer than `stanceMinArticles` dyad articles is pooled with the next
/// ones (at most `stancePoolBuckets`); each observation gives z = (m − μ₀) / √(σ²/n + τ²), n the
/// Kish effective size, σ² the per-article variance (EWMA of unbiased bucket variances, floored),
/// τ² the learned between-bucket variance; a two-sided tabular CUSUM S⁺ = max(0, S⁺ + z − k),
/// S⁻ = max(0, S⁻ − z − k) alarms when either reaches h, then re-baselines on the new level.
public struct StanceShiftDetector: Codable, Sendable, Equatable {
    public static let name = "stance_shift"
    public var cusums: [String: MeanShiftCUSUM] = [:]
    /// Per-article variance estimates per scope.
    public var variances: [String: EWMA] = [:]
    /// Thin buckets waiting to be pooled, per scope.
    public var pools: [String: StancePool] = [:]
    public init() {}

    public mutating func evaluate(aggregates: [Scope: Aggregate], armed: (Scope) -> Bool, params p: DetectorParameters) -> [Finding] {
        var out: [Finding] = []
        for scope in aggregates.keys.sorted() {
            let bucket = StanceSample(aggregates[scope]!)
            let variance = Self.perArticleVariance(&variances[scope.key, default: EWMA()], bucket: bucket,
                                                   alpha: p.stanceAlpha, floor: p.stanceMinSpread)
            guard let sample = pools[scope.key, default: StancePool()].take(bucket, minArticles: p.stanceMinArticles,
                                                                            maxBuckets: p.stancePoolBuckets),
                  let mean = sample.mean else { continue }
            var c = cusums[scope.key] ?? MeanShiftCUSUM()
            let step = c.observe(mean, samplingVariance: variance / sample.effectiveN, k: p.stanceK, h: p.stanceH,
                                 alpha: p.stanceAlpha, upwardOnly: false, armed: armed(scope))
            cusums[scope.key] = c
            if step.alarm != 0 {
                let dir = step.alarm > 0 ? "towards supportive" : "towards critical"
                let over = sample.buckets > 1 ? "over \(sample.articles) dyad articles in \(sample.buckets) buckets" : "over \(sample.articles) dyad articles"
                out.append(Finding(detector: Self.name, scope: scope, metric: "mean_stance", baseline: step.baseline, current: mean,
                                   statisticName: "cusum", statistic: step.statistic, score: step.statistic,
                                   severity: .forCUSUM(step.statistic, h: p.stanceH),
                                   selector: .stance(direction: step.alarm),
                                   summary: "mean stance \(Num.fmt(step.baseline)) → \(Num.fmt(mean)) \(dir) \(over)",
                                   buckets: sample.buckets))
            }
        }
        return out
    }

    enum CodingKeys: String, CodingKey { case cusums, variances, pools }
    /// State saved before pooling existed (0.1.0 kept spreads, not variances) decodes with empty
    /// variance estimates and pools, which relearn within the warm-up of the EWMA.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        cusums = try c.decodeIfPresent([String: MeanShiftCUSUM].self, forKey: .cusums) ?? [:]
        variances = try c.decodeIfPresent([String: EWMA].self, forKey: .variances) ?? [:]
        pools = try c.decodeIfPresent([String: StancePool].self, forKey: .pools) ?? [:]
    }
}
