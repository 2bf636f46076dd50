import Foundation

/// Frame shift: one frame's share of dyad coverage jumping. For every frame the baseline share is
/// p₀ = X/N with X, N EWMAs (weight `frameAlpha`) of the frame's article count and the dyad article
/// count per bucket. Each bucket with dyad articles is tested with the binomial upper tail
/// P(X ≥ x | n, p₀) on the last 1, 2, … `frameWindow` buckets summed (windows with at least
/// `frameMinArticles` articles; a few articles a day need two or three days to be conclusive) and
/// alerts when the smallest tail, times the number of windows tested, is at most `frameP`, that
/// window has at least `frameMinCount` articles with the frame, its share rose by at least
/// `frameMinDelta`, and the judged bucket itself is above the baseline. After an alert the
/// baseline is reset to the new share, so one jump gives one alert.
public struct FrameShiftDetector: Codable, Sendable, Equatable {
    public static let name = "frame_shift"

    /// Per (scope, frame) state.
    public struct Model: Codable, Sendable, Equatable {
        public var frameArticles = EWMA()
        public var dyadArticles = EWMA()
        /// [x, n] of the buckets before the judged one, newest last (at most `frameWindow` − 1).
        public var recent: [[Int]]?
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

    /// The strongest window test of one bucket: tail (Bonferroni-corrected), count and size.
    struct WindowTest { var tail: Double; var x: Int; var n: Int; var buckets: Int }

    static func test(_ windows: [[Int]], base p0: Double, minArticles: Int) -> WindowTest? {
        var best: WindowTest?
        var x = 0, n = 0, tested = 0
        for (k, b) in windows.reversed().enumerated() {
            x += b[0]; n += b[1]
            guard n >= minArticles else { continue }
            tested += 1
            let tail = BinomialTail.upper(x, trials: n, probability: p0)
            if best == nil || tail < best!.tail { best = WindowTest(tail: tail, x: x, n: n, buckets: k + 1) }
        }
        if var b = best { b.tail = min(1, b.tail * Double(tested)); return b }
        return nil
    }

    public mutating func evaluate(aggregates: [Scope: Aggregate], armed: (Scope) -> Bool, params p: DetectorParameters) -> [Finding] {
        var out: [Finding] = []
        for scope in aggregates.keys.sorted() {
            let agg = aggregates[scope]!
            guard agg.dyad > 0 else { continue }
            let n = agg.dyad
            for frame in Self.frames {
                let key = scope.key + "|" + frame
                var m = models[key] ?? Model()
                let x = agg.frames[frame] ?? 0
                let windows = (m.recent ?? []) + [[x, n]]
                var alarmed = false
                if armed(scope), let base = m.share {
                    let p0 = min(max(base, Self.shareFloor), 1 - Self.shareFloor)
                    if let t = Self.test(windows, base: p0, minArticles: p.frameMinArticles),
                       t.tail <= p.frameP && t.x >= p.frameMinCount && Double(t.x) / Double(t.n) - base >= p.frameMinDelta
                        && Double(x) / Double(n) > base {
                        alarmed = true
                        let share = Double(t.x) / Double(t.n)
                        let over = t.buckets > 1 ? "\(t.x) of \(t.n) in \(t.buckets) buckets" : "\(t.x) of \(t.n)"
                        out.append(Finding(detector: Self.name, scope: scope, metric: "share:" + frame, baseline: base,
                                           current: share, statisticName: "p", statistic: t.tail, score: Num.score(t.tail),
                                           severity: .forTail(t.tail, level: p.frameP),
                                           selector: .frame(frame),
                                           summary: "\(frame) frame in \(Num.fmt(100 * share, 0))% of dyad articles (was \(Num.fmt(100 * base, 0))%, \(over))",
                                           buckets: t.buckets))
                    }
                }
                if alarmed {
                    // Re-baseline on the new share.
                    m.frameArticles = EWMA(); m.dyadArticles = EWMA(); m.recent = nil
                    m.frameArticles.update(Double(x), alpha: p.frameAlpha); m.dyadArticles.update(Double(n), alpha: p.frameAlpha)
                } else {
                    m.frameArticles.update(Double(x), alpha: p.frameAlpha); m.dyadArticles.update(Double(n), alpha: p.frameAlpha)
                    m.recent = Array(windows.suffix(max(p.frameWindow - 1, 0)))
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
