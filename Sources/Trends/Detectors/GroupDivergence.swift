import Foundation

/// Outlet-group divergence: the gap in mean stance between two outlet groups (e.g. `cn-state` vs
/// `western`) opening or closing. For each pair of groups that both have at least
/// `divergenceMinArticles` dyad articles in a bucket, g = m_A − m_B with sampling variance
/// σ_A²/n_A + σ_B²/n_B feeds a two-sided CUSUM (k, h) on g against its baseline.
/// Scope of the finding: `groups:A~B` (A < B alphabetically, gap = A − B).
public struct GroupDivergenceDetector: Codable, Sendable, Equatable {
    public static let name = "group_divergence"
    public var cusums: [String: MeanShiftCUSUM] = [:]
    public var spreads: [String: EWMA] = [:]
    public init() {}

    public mutating func evaluate(aggregates: [Scope: Aggregate], armed: (Scope) -> Bool, params p: DetectorParameters) -> [Finding] {
        var groups: [(name: String, mean: Double, variance: Double, n: Double, dyad: Int)] = []
        for scope in aggregates.keys.sorted() {
            guard let g = scope.groupName, let agg = aggregates[scope], agg.stanceEffectiveN >= Double(p.divergenceMinArticles),
                  let m = agg.meanStance else { continue }
            let v = StanceShiftDetector.perArticleVariance(&spreads[scope.key, default: EWMA()], bucketSpread: agg.stanceSpread ?? 0,
                                                           alpha: p.divergenceAlpha, floor: p.stanceMinSpread)
            groups.append((g, m, v, agg.stanceEffectiveN, agg.dyad))
        }
        var out: [Finding] = []
        for i in groups.indices {
            for j in groups.indices where j > i {
                let a = groups[i], b = groups[j]
                let scope = Scope.groupPair(a.name, b.name)
                let gap = a.mean - b.mean
                var c = cusums[scope.key] ?? MeanShiftCUSUM()
                let step = c.observe(gap, samplingVariance: a.variance / a.n + b.variance / b.n, k: p.divergenceK,
                                     h: p.divergenceH, alpha: p.divergenceAlpha, upwardOnly: false,
                                     armed: armed(.group(a.name)) && armed(.group(b.name)))
                cusums[scope.key] = c
                guard step.alarm != 0 else { continue }
                let opening = abs(gap) > abs(step.baseline)
                out.append(Finding(detector: Self.name, scope: scope, metric: "stance_gap", baseline: step.baseline, current: gap,
                                   statisticName: "cusum", statistic: step.statistic, score: step.statistic,
                                   severity: .forCUSUM(step.statistic, h: p.divergenceH),
                                   selector: .groups(a.name, b.name, direction: step.alarm),
                                   summary: "stance gap \(a.name) − \(b.name) \(Num.fmt(step.baseline)) → \(Num.fmt(gap)) (\(opening ? "opening" : "closing"); \(a.dyad) vs \(b.dyad) dyad articles)"))
            }
        }
        return out
    }
}
