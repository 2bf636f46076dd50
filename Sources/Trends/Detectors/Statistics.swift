import Foundation

/// Tail probabilities for count data: Poisson and its over-dispersed cousin, the negative binomial.
public enum CountTail {
    /// Terms smaller than this fraction of the running sum end the tail summation.
    static let relativeTolerance = 1e-12
    /// Hard cap on summed terms beyond `x` (the tail is long only for absurd inputs).
    static let maxTerms = 100_000

    /// P(X ≥ x) for X ~ NegBin with mean `mu` and variance `mu + phi·mu²` (Poisson when phi = 0).
    public static func upper(_ x: Int, mean mu: Double, dispersion phi: Double) -> Double {
        if x <= 0 { return 1 }
        if mu <= 0 { return 0 }
        var k = x
        var total = 0.0
        var term = exp(logPMF(k, mean: mu, dispersion: phi))
        var n = 0
        while n < maxTerms {
            total += term
            let next = k + 1
            // ratio pmf(k+1)/pmf(k)
            let ratio: Double
            if phi <= 0 { ratio = mu / Double(next) }
            else {
                let r = 1 / phi
                ratio = (Double(k) + r) / Double(next) * (mu / (r + mu))
            }
            term *= ratio
            k = next; n += 1
            if Double(k) > mu && term < total * relativeTolerance { break }
            if term == 0 { break }
        }
        return min(1, total)
    }

    /// log P(X = k) for the same family.
    public static func logPMF(_ k: Int, mean mu: Double, dispersion phi: Double) -> Double {
        let kd = Double(k)
        if phi <= 0 { return kd * log(mu) - mu - lgamma(kd + 1) }
        let r = 1 / phi
        return lgamma(kd + r) - lgamma(r) - lgamma(kd + 1) + r * log(r / (r + mu)) + kd * log(mu / (r + mu))
    }
}

/// A two-sided (or upward-only) tabular CUSUM on a standardized series, with a slowly adapting
/// baseline. Each observation is a bucket value with its sampling variance; the between-bucket
/// variance τ² is learned so that ordinary day-to-day wobble is not mistaken for a shift.
/// After an alarm the baseline jumps to the new level, so one shift raises one alarm.
public struct MeanShiftCUSUM: Codable, Sendable, Equatable {
    public var baseline: Double?
    public var tau2 = 0.0
    public var upper = 0.0
    public var lower = 0.0
    /// Observations taken (buckets with enough articles).
    public var observations = 0
    /// Observations since the last alarm, while fewer than `rearmAfter` (nil: armed as usual).
    public var sinceAlarm: Int?

    /// Largest |z| fed to the baseline and τ² updates, so outliers move them little.
    static let robustClip = 3.0
    /// The baseline learns only while the CUSUM statistic is below this fraction of h.
    static let learnBelow = 0.5
    /// After an alarm the baseline restarts at the alarming value, which on a few articles is
    /// noisy; for this many observations it is re-learned as a running mean and cannot alarm, so a
    /// noisy restart does not raise a second, opposite alarm.
    static let rearmAfter = 3
    /// τ² learns at this fraction of the baseline's EWMA weight (after its running-mean warm-up):
    /// a τ² estimate from ~10 buckets is too noisy (z over-dispersed, more false alarms on
    /// few-article buckets) and chases a shift as it builds up.
    static let tauAlphaFactor = 0.2

    public init() {}

    enum CodingKeys: String, CodingKey { case baseline, tau2, upper, lower, observations, sinceAlarm }
    /// State saved by 0.1.0 (no `sinceAlarm`) decodes as armed.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        baseline = try c.decodeIfPresent(Double.self, forKey: .baseline)
        tau2 = try c.decodeIfPresent(Double.self, forKey: .tau2) ?? 0
        upper = try c.decodeIfPresent(Double.self, forKey: .upper) ?? 0
        lower = try c.decodeIfPresent(Double.self, forKey: .lower) ?? 0
        observations = try c.decodeIfPresent(Int.self, forKey: .observations) ?? 0
        sinceAlarm = try c.decodeIfPresent(Int.self, forKey: .sinceAlarm)
    }

    /// Result of one observation.
    public struct Step: Sendable {
        public var z: Double
        /// +1 / −1 when the CUSUM crossed its threshold upward / downward.
        public var alarm: Int
        public var statistic: Double
        public var baseline: Double
    }

    /// Feeds one bucket value. `k` is the allowance and `h` the decision threshold, both in
    /// standard-error units; `alpha` is the baseline's EWMA weight; `armed` false during warm-up.
    public mutating func observe(_ value: Double, samplingVariance: Double, k: Double, h: Double, alpha: Double,
                                 upwardOnly: Bool, armed: Bool) -> Step {
        guard let base = baseline else {
            baseline = value; observations = 1
            return Step(z: 0, alarm: 0, statistic: 0, baseline: value)
        }
        let se = (max(samplingVariance, 0) + max(tau2, 0)).squareRoot()
        let z = se > 0 ? (value - base) / se : 0
        observations += 1
        // Warm-up: learn faster (running mean) until the EWMA weight takes over.
        var a = max(alpha, 1 / Double(observations))
        if let n = sinceAlarm {
            // Re-learning after an alarm: the restart value and the next observations, averaged.
            a = max(alpha, 1 / Double(n + 2))
            sinceAlarm = n + 1 >= MeanShiftCUSUM.rearmAfter ? nil : n + 1
            learn(value: value, base: base, z: z, samplingVariance: samplingVariance, alpha: a, moveBaseline: true)
            return Step(z: z, alarm: 0, statistic: 0, baseline: base)
        }
        if !armed {
            learn(value: value, base: base, z: z, samplingVariance: samplingVariance, alpha: a, moveBaseline: true)
            return Step(z: z, alarm: 0, statistic: 0, baseline: base)
        }
        upper = max(0, upper + z - k)
        lower = upwardOnly ? 0 : max(0, lower - z - k)
        var alarm = 0
        var stat = max(upper, lower)
        if upper >= h { alarm = 1; stat = upper } else if lower >= h { alarm = -1; stat = lower }
        if alarm != 0 {
            // Re-baseline on the new level: the same shift must not alarm again.
            baseline = value; upper = 0; lower = 0; sinceAlarm = 0
        } else {
            // While evidence of a shift is building up, the baseline holds still (else it would
            // chase the shift and delay the alarm); τ² keeps learning from clipped deviations.
            learn(value: value, base: base, z: z, samplingVariance: samplingVariance, alpha: a,
                  moveBaseline: stat < h * MeanShiftCUSUM.learnBelow)
        }
        return Step(z: z, alarm: alarm, statistic: stat, baseline: base)
    }

    private mutating func learn(value: Double, base: Double, z: Double, samplingVariance: Double, alpha: Double, moveBaseline: Bool) {
        let se = (max(samplingVariance, 0) + max(tau2, 0)).squareRoot()
        let clipped = se > 0 ? base + max(-MeanShiftCUSUM.robustClip, min(MeanShiftCUSUM.robustClip, z)) * se : value
        let dev = clipped - base
        if moveBaseline { baseline = base + alpha * dev }
        // Unclipped EWMA of the excess variance (clipping each term would bias it upward); the
        // estimate is floored at zero where it is used.
        let tauAlpha = max(MeanShiftCUSUM.tauAlphaFactor * alpha, 1 / Double(max(observations, 1)))
        tau2 += tauAlpha * (dev * dev - samplingVariance - tau2)
    }
}

/// Exponentially weighted mean with a running-mean warm-up (weight max(α, 1/n)).
public struct EWMA: Codable, Sendable, Equatable {
    public var value: Double?
    public var count = 0
    public init() {}
    public mutating func update(_ x: Double, alpha: Double) {
        count += 1
        guard let v = value else { value = x; return }
        value = v + max(alpha, 1 / Double(count)) * (x - v)
    }
}
