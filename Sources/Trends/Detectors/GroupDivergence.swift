import Foundation

/// Outlet-group divergence: the gap in mean stance between two outlet groups (e.g. `cn-state` vs
/// `western`) opening or closing. For each pair of groups, each group's buckets are pooled (as for
/// stance: up to `divergencePoolBuckets`) until both have at least `divergenceMinArticles` dyad
/// articles; then g = m_A − m_B with sampling variance σ_A²/n_A + σ_B²/n_B feeds a two-sided CUSUM
/// (k, h) on g against its baseline. Scope of the finding: `groups:A~B` (A < B alphabetically,
/// gap = A − B).
public struct GroupDivergenceDetector: Codable, Sendable, Equatable {
    public static let name = "group_divergence"
    public var cusums: [String: MeanShiftCUSUM] = [:]
    /// Per-article variance estimates per group scope.
    public var variances: [String: EWMA] = [:]
    /// Per pair: the two groups' pooled samples (`PAIR|a`, `PAIR|b`).
    public var pools: [String: StanceSample] = [:]
    public init() {}

    public mutating func evaluate(aggregates: [Scope: Aggregate], armed: (Scope) -> Bool, params p: DetectorParameters) -> [Finding] {
        var groups: [(name: String, sample: StanceSample, variance: Double)] = []
        for scope in aggregates.keys.sorted() {
            guard let g = scope.groupName, let agg = aggregates[scope] else { continue }
            let sample = StanceSample(agg)
            let v = StanceShiftDetector.perArticleVariance(&variances[scope.key, default: EWMA()], bucket: sample,
                                                           alpha: p.divergenceAlpha, floor: p.stanceMinSpread)
            groups.append((g, sample, v))
        }
        var out: [Finding] = []
        for i in groups.indices {
            for j in groups.indices where j > i {
                let scope = Scope.groupPair(groups[i].name, groups[j].name)
                guard let (a, b) = pool(scope.key, groups[i].sample, groups[j].sample, p),
                      let ma = a.mean, let mb = b.mean else { continue }
                let nameA = groups[i].name, nameB = groups[j].name
                let gap = ma - mb
                var c = cusums[scope.key] ?? MeanShiftCUSUM()
                let step = c.observe(gap, samplingVariance: groups[i].variance / a.effectiveN + groups[j].variance / b.effectiveN,
                                     k: p.divergenceK, h: p.divergenceH, alpha: p.divergenceAlpha, upwardOnly: false,
                                     armed: armed(.group(nameA)) && armed(.group(nameB)))
                cusums[scope.key] = c
                guard step.alarm != 0 else { continue }
                let opening = abs(gap) > abs(step.baseline)
                let span = max(a.buckets, b.buckets)
                out.append(Finding(detector: Self.name, scope: scope, metric: "stance_gap", baseline: step.baseline, current: gap,
                                   statisticName: "cusum", statistic: step.statistic, score: step.statistic,
                                   severity: .forCUSUM(step.statistic, h: p.divergenceH),
                                   selector: .groups(nameA, nameB, direction: step.alarm),
                                   summary: "stance gap \(nameA) − \(nameB) \(Num.fmt(step.baseline)) → \(Num.fmt(gap)) (\(opening ? "opening" : "closing"); \(a.articles) vs \(b.articles) dyad articles\(span > 1 ? " in \(span) buckets" : ""))",
                                   buckets: span))
            }
        }
        return out
    }

    /// Adds this bucket to the pair's two pools; returns both once each has enough articles. Pools
    /// that reach `divergencePoolBuckets` without that start over.
    private mutating func pool(_ key: String, _ x: StanceSample, _ y: StanceSample, _ p: DetectorParameters) -> (StanceSample, StanceSample)? {
        let pending = pools[key + "|a"] != nil
        if !pending && x.articles == 0 && y.articles == 0 { return nil }
        var a = pools[key + "|a"] ?? StanceSample(), b = pools[key + "|b"] ?? StanceSample()
        a.add(x); b.add(y)
        if a.articles >= p.divergenceMinArticles && b.articles >= p.divergenceMinArticles && a.mean != nil && b.mean != nil {
            pools[key + "|a"] = nil; pools[key + "|b"] = nil
            return (a, b)
        }
        if max(a.buckets, b.buckets) >= p.divergencePoolBuckets {
            pools[key + "|a"] = nil; pools[key + "|b"] = nil
        } else {
            pools[key + "|a"] = a; pools[key + "|b"] = b
        }
        return nil
    }

    enum CodingKeys: String, CodingKey { case cusums, variances, pools }
    /// State saved by 0.1.0 (spreads, no pools) decodes with empty estimates that relearn.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        cusums = try c.decodeIfPresent([String: MeanShiftCUSUM].self, forKey: .cusums) ?? [:]
        variances = try c.decodeIfPresent([String: EWMA].self, forKey: .variances) ?? [:]
        pools = try c.decodeIfPresent([String: StanceSample].self, forKey: .pools) ?? [:]
    }
}
