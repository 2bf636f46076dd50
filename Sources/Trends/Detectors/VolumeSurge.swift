import Foundation

/// Volume surge: a count (e.g. Russia-side or dyad articles) far above what the weekly rhythm
/// predicts. Expected count μ = level × factor[slot of week]; the level is an EWMA of
/// de-seasonalized counts and each week-slot has its own EWMA factor (shrunk towards 1 while it
/// has few observations). The surprise is the negative-binomial upper tail P(X ≥ x | μ, φ),
/// φ an EWMA estimate of over-dispersion. Alert when that tail ≤ `volumePValue`, x ≥ `volumeMinCount`
/// and x ≥ `volumeMinRatio`·μ.
public struct VolumeSurgeDetector: Codable, Sendable, Equatable {
    public static let name = "volume_surge"

    /// Per (scope, metric) model state.
    public struct Model: Codable, Sendable, Equatable {
        public var level: Double?
        public var factors: [Double]
        public var factorCounts: [Int]
        public var dispersion = 0.0
        public var observations = 0
        /// The previous bucket's count and expected count, for the two-bucket test.
        public var previousCount: Int?
        public var previousExpected: Double?
        init(slots: Int) { factors = Array(repeating: 1, count: slots); factorCounts = Array(repeating: 0, count: slots) }

        /// Slot factor shrunk towards 1 by `shrinkWeeks` pseudo-observations.
        func factor(_ slot: Int) -> Double {
            let n = Double(factorCounts[slot])
            return (n * factors[slot] + VolumeSurgeDetector.shrinkWeeks) / (n + VolumeSurgeDetector.shrinkWeeks)
        }
    }

    /// Pseudo-observations of a neutral factor 1 for each week-slot (shrinkage of the rhythm).
    static let shrinkWeeks = 2.0
    /// Smallest expected count used in the tail (a scope that was silent is not infinitely surprised).
    static let minExpected = 0.2
    /// Counts fed to the baseline are capped at μ + this many standard deviations.
    static let winsorSD = 3.0
    /// EWMA weight of the dispersion estimate, and its cap.
    static let dispersionAlpha = 0.05
    static let maxDispersion = 2.0
    /// Share of the gap to a detected surge the level moves at once (re-baselining).
    static let rebaseFraction = 0.5

    public var models: [String: Model] = [:]
    public init() {}

    public mutating func evaluate(slot: Int, slots: Int, aggregates: [Scope: Aggregate], armed: (Scope) -> Bool,
                                  params p: DetectorParameters) -> [Finding] {
        var out: [Finding] = []
        for scope in aggregates.keys.sorted() {
            let agg = aggregates[scope]!
            for metric in p.volumeMetrics {
                let key = scope.key + "|" + metric.rawValue
                var m = models[key] ?? Model(slots: slots)
                if m.factors.count != slots { m = Model(slots: slots) }
                let x = agg.count(metric)
                if let f = observe(&m, x: x, slot: slot, armed: armed(scope), p: p) {
                    out.append(Finding(detector: Self.name, scope: scope, metric: "count:" + metric.rawValue,
                                       baseline: f.mu, current: Double(x), statisticName: "p", statistic: f.p,
                                       score: Num.score(f.p), severity: .forTail(f.p, level: p.volumePValue),
                                       selector: .metric(metric),
                                       summary: "\(metric.rawValue) articles \(x) vs \(Num.fmt(f.mu, 1)) expected (×\(Num.fmt(Double(x) / max(f.mu, 1e-9), 1)))"))
                }
                models[key] = m
            }
        }
        return out
    }

    /// Updates one model with count `x`; returns the expected count and tail when it alarms.
    func observe(_ m: inout Model, x: Int, slot: Int, armed: Bool, p: DetectorParameters) -> (mu: Double, p: Double)? {
        let xd = Double(x)
        m.observations += 1
        guard let level = m.level else {
            m.level = xd
            return nil
        }
        let factor = m.factor(slot)
        let mu = max(level * factor, Self.minExpected)
        let phi = max(m.dispersion, p.volumeMinDispersion)
        var result: (Double, Double)?
        var alarmed = false
        if armed && x >= p.volumeMinCount && xd >= p.volumeMinRatio * mu {
            // One-bucket test, and a two-bucket test on the sum with the previous bucket (catches a
            // surge whose first bucket was only borderline); each at half the level (Bonferroni).
            var tail = CountTail.upper(x, mean: mu, dispersion: phi)
            if let px = m.previousCount, let pmu = m.previousExpected, Double(px) >= pmu {
                let sumMu = mu + pmu
                // Sum of two NB counts: variance μ₁ + μ₂ + φ(μ₁² + μ₂²), matched with one NB.
                let sumPhi = phi * (mu * mu + pmu * pmu) / (sumMu * sumMu)
                tail = min(tail, CountTail.upper(x + px, mean: sumMu, dispersion: sumPhi))
            }
            tail = min(1, 2 * tail)
            if tail <= p.volumePValue { result = (mu, tail); alarmed = true }
        }
        // After an alarm the pair is spent: the next bucket starts a fresh two-bucket window.
        m.previousCount = alarmed ? nil : x
        m.previousExpected = alarmed ? nil : mu
        // Learn: winsorized count, de-seasonalized.
        let sd = (mu + phi * mu * mu).squareRoot()
        let xw = min(xd, mu + Self.winsorSD * sd)
        let a = max(p.volumeLevelAlpha, 1 / Double(m.observations))
        var newLevel = level + a * (xw / factor - level)
        if alarmed { newLevel = max(newLevel, level + Self.rebaseFraction * (xd / factor - level)) }
        if level > 0 {
            m.factorCounts[slot] += 1
            let fa = max(p.volumeSeasonAlpha, 1 / Double(m.factorCounts[slot]))
            m.factors[slot] += fa * (xw / level - m.factors[slot])
        }
        if mu >= 1 {
            let r = (xw - mu) * (xw - mu) - mu
            // Unclipped EWMA (clipping each step would bias it upward); clipped where used.
            m.dispersion = min(Self.maxDispersion, m.dispersion + Self.dispersionAlpha * (r / (mu * mu) - m.dispersion))
        }
        m.level = max(0, newLevel)
        return result
    }
}
