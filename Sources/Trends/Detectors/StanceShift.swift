import Foundation

/// Stance shift: a sustained move of the relevance-weighted mean stance of dyad articles away from
/// its baseline. Each bucket with at least `stanceMinArticles` (effective) dyad articles gives
/// z = (m − μ₀) / √(σ²/n + τ²), σ the per-article spread (EWMA, floored), τ² the learned
/// between-bucket variance; a two-sided tabular CUSUM S⁺ = max(0, S⁺ + z − k),
/// S⁻ = max(0, S⁻ − z − k) alarms when either reaches h, then re-baselines on the new level.
public struct StanceShiftDetector: Codable, Sendable, Equatable {
    public static let name = "stance_shift"
    public var cusums: [String: MeanShiftCUSUM] = [:]
    public var spreads: [String: EWMA] = [:]
    public init() {}

    public mutating func evaluate(aggregates: [Scope: Aggregate], armed: (Scope) -> Bool, params p: DetectorParameters) -> [Finding] {
        var out: [Finding] = []
        for scope in aggregates.keys.sorted() {
            let agg = aggregates[scope]!
            guard agg.stanceEffectiveN >= Double(p.stanceMinArticles), let mean = agg.meanStance else { continue }
            let variance = StanceShiftDetector.perArticleVariance(&spreads[scope.key, default: EWMA()], bucketSpread: agg.stanceSpread ?? 0,
                                                                  alpha: p.stanceAlpha, floor: p.stanceMinSpread)
            var c = cusums[scope.key] ?? MeanShiftCUSUM()
            let step = c.observe(mean, samplingVariance: variance / agg.stanceEffectiveN, k: p.stanceK, h: p.stanceH,
                                 alpha: p.stanceAlpha, upwardOnly: false, armed: armed(scope))
            cusums[scope.key] = c
            if step.alarm != 0 {
                let dir = step.alarm > 0 ? "towards supportive" : "towards critical"
                out.append(Finding(detector: Self.name, scope: scope, metric: "mean_stance", baseline: step.baseline, current: mean,
                                   statisticName: "cusum", statistic: step.statistic, score: step.statistic,
                                   severity: .forCUSUM(step.statistic, h: p.stanceH),
                                   selector: .stance(direction: step.alarm),
                                   summary: "mean stance \(Num.fmt(step.baseline)) → \(Num.fmt(mean)) \(dir) over \(agg.dyad) dyad articles"))
            }
        }
        return out
    }

    /// Per-article stance variance: EWMA of the bucket spreads, floored (shared with divergence).
    static func perArticleVariance(_ e: inout EWMA, bucketSpread: Double, alpha: Double, floor: Double) -> Double {
        let prior = e.value
        e.update(max(bucketSpread, floor), alpha: alpha)
        let sd = max(prior ?? bucketSpread, floor)
        return sd * sd
    }
}
