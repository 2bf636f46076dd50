import Foundation

/// Frame shift: one frame's share of dyad coverage jumping. For every frame the baseline share is
/// p₀ = X/N with X, N EWMAs (weight `frameAlpha`) of the frame's article count and the dyad article
/// count per bucket. A bucket with at least `frameMinArticles` dyad articles is tested with the
/// binomial upper tail P(X ≥ x | n, p₀) — alone, and summed with the previous bucket — and alerts
/// when the smaller tail (doubled for the two tests) is at most `frameP`, the frame has at least
/// `frameMinCount` articles and its share rose by at least `frameMinDelta`. After an alert the
/// baseline is reset to the new share, so one jump gives one alert.
public struct FrameShiftDetector: Codable, Sendable, Equatable {
    public static let name = "frame_shift"

    /// Per (scope, frame) state.
    public struct Model: Codable, Sendable, Equatable {
        public var frameArticles = EWMA()
        public var dyadArticles = EWMA()
        public var previous: [Int]? // [x, n] of the previous tested bucket
        var share: Double? {
            guard let x = frameArticles.value, let n = dyadArticles.value, n > 0 else { return nil }
            return x / n
        }
    }
    public var models: [String: Model] = [:]
    public init() {}

    /// The frames watched: all analyzer frames except the catch-all `other`.
    static let frames: [String] = ["military", "economy", "energy", "diplomacy", "ukraine_war", "sanctions",
                                   "multipolarity", "technology", "territory"]
    /// Baseline share is kept inside [floor, 1 − floor] so that a frame never seen is not
    /// infinitely surprising.
    static let shareFloor = 0.02

    public mutating func evaluate(aggregates: [Scope: Aggregate], armed: (Scope) -> Bool, params p: DetectorParameters) -> [Finding] {
        var out: [Finding] = []
        for scope in aggregates.keys.sorted() {
            let agg = aggregates[scope]!
            guard agg.dyad >= p.frameMinArticles else { continue }
            let n = agg.dyad
            for frame in Self.frames {
                let key = scope.key + "|" + frame
                var m = models[key] ?? Model()
                let x = agg.frames[frame] ?? 0
                let share = Double(x) / Double(n)
                var alarmed = false
                if armed(scope), let base = m.share {
                    let p0 = min(max(base, Self.shareFloor), 1 - Self.shareFloor)
                    var tail = BinomialTail.upper(x, trials: n, probability: p0)
                    if let prev = m.previous {
                        tail = min(tail, BinomialTail.upper(x + prev[0], trials: n + prev[1], probability: p0))
                    }
                    tail = min(1, 2 * tail)
                    if tail <= p.frameP && x >= p.frameMinCount && share - base >= p.frameMinDelta {
                        alarmed = true
                        out.append(Finding(detector: Self.name, scope: scope, metric: "share:" + frame, baseline: base,
                                           current: share, statisticName: "p", statistic: tail, score: Num.score(tail),
                                           severity: .forTail(tail, level: p.frameP),
                                           selector: .frame(frame),
                                           summary: "\(frame) frame in \(Num.fmt(100 * share, 0))% of dyad articles (was \(Num.fmt(100 * base, 0))%, \(x) of \(n))"))
                    }
                }
                if alarmed {
                    // Re-baseline on the new share.
                    m.frameArticles = EWMA(); m.dyadArticles = EWMA(); m.previous = nil
                    m.frameArticles.update(Double(x), alpha: p.frameAlpha); m.dyadArticles.update(Double(n), alpha: p.frameAlpha)
                } else {
                    m.frameArticles.update(Double(x), alpha: p.frameAlpha); m.dyadArticles.update(Double(n), alpha: p.frameAlpha)
                    m.previous = [x, n]
                }
                models[key] = m
            }
        }
        return out
    }
}

/// Binomial upper tail P(X ≥ x) for X ~ Bin(n, p), summed exactly in log space.
public enum BinomialTail {
    public static func upper(_ x: Int, trials n: Int, probability p: Double) -> Double {
        if x <= 0 { return 1 }
        if x > n || p <= 0 { return 0 }
        if p >= 1 { return 1 }
        let lp = log(p), lq = log(1 - p)
        let lnf: Double = Foundation.lgamma(Double(n) + 1)
        var total = 0.0
        for k in x...n {
            total += exp(lnf - lgamma(Double(k) + 1) - lgamma(Double(n - k) + 1) + Double(k) * lp + Double(n - k) * lq)
        }
        return min(1, total)
    }
}
