import Foundation
@testable import Trends

/// A small seeded generator (SplitMix64): the synthetic streams are the same on every run.
struct SeededRNG: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func normal() -> Double {
        let u1 = max(uniform(), 1e-300), u2 = uniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }
    /// Poisson sample (Knuth for small means, normal approximation above 60).
    mutating func poisson(_ mean: Double) -> Int {
        if mean > 60 { return max(0, Int((mean + mean.squareRoot() * normal()).rounded())) }
        let l = exp(-mean)
        var k = 0, p = 1.0
        repeat { k += 1; p *= uniform() } while p > l
        return k - 1
    }
}

/// Synthetic streams with known injected shifts, and the figures the issue asks for: share of
/// shifts detected within two buckets, and false alerts per 1,000 stationary buckets.
enum SyntheticEvaluation {
    /// Day-of-week multipliers (Monday first): quieter weekends, the rhythm the baseline must know.
    static let weeklyRhythm = [1.2, 1.25, 1.2, 1.15, 1.1, 0.6, 0.5]
    static let dayStart: Int64 = 1_640_563_200 // 2021-12-27, a Monday

    struct Figures: CustomStringConvertible {
        var detector: String
        var shifts = 0, detectedWithinTwo = 0
        /// Hits at the shift bucket itself (delay 0); the rest of `detectedWithinTwo` had delay 1.
        var detectedAtOnce = 0
        var stationaryBuckets = 0, falseAlerts = 0
        var detectionRate: Double { shifts > 0 ? Double(detectedWithinTwo) / Double(shifts) : 0 }
        /// Mean delay (buckets after the shift) of the shifts detected within two buckets.
        var meanDelay: Double { detectedWithinTwo > 0 ? Double(detectedWithinTwo - detectedAtOnce) / Double(detectedWithinTwo) : 0 }
        var falsePerThousand: Double { stationaryBuckets > 0 ? 1000 * Double(falseAlerts) / Double(stationaryBuckets) : 0 }
        var description: String {
            "\(detector): detected within 2 buckets \(detectedWithinTwo)/\(shifts) = \(String(format: "%.1f", 100 * detectionRate))% " +
            "(mean delay \(String(format: "%.2f", meanDelay)) buckets); " +
            "false alerts \(falseAlerts) in \(stationaryBuckets) stationary buckets = \(String(format: "%.2f", falsePerThousand)) per 1,000"
        }
    }

    /// Parameters for raw detector figures: no cooldown (every alarm counts), one scope.
    static var params: DetectorParameters { var p = DetectorParameters(); p.cooldown = 0; return p }

    /// Runs one stream of aggregates through a fresh suite; returns the bucket indexes that alerted
    /// for `detector`.
    static func alerts(_ stream: [Aggregate], detector: String, params p: DetectorParameters, groups: Bool = false) -> [Int] {
        alerts(stream.enumerated().map { i, agg -> [Scope: Aggregate] in
            // Two groups: the stream gives group A; group B is a fixed stationary reference.
            groups ? [.group("a"): agg, .group("b"): groupBReference[i % groupBReference.count]] : [.all: agg]
        }, detector: detector, params: p)
    }

    /// Runs one stream of per-scope aggregates through a fresh suite; returns the bucket indexes
    /// that alerted for `detector`.
    static func alerts(_ stream: [[Scope: Aggregate]], detector: String, params p: DetectorParameters) -> [Int] {
        var suite = DetectorSuite()
        var out: [Int] = []
        for (i, aggs) in stream.enumerated() {
            for s in aggs.keys { suite.register(s) }
            let f = suite.run(bucketStart: dayStart + Int64(i) * 86_400, granularity: .day, aggregates: aggs, params: p)
            if f.contains(where: { $0.detector == detector }) { out.append(i) }
        }
        return out
    }

    // MARK: streams

    /// Daily counts with the weekly rhythm, `base` per average day, multiplied by `factor` from `shiftAt`.
    static func volumeStream(_ rng: inout SeededRNG, base: Double, buckets: Int, shiftAt: Int?, factor: Double) -> [Aggregate] {
        (0..<buckets).map { i in
            var mean = base * weeklyRhythm[i % 7]
            if let s = shiftAt, i >= s { mean *= factor }
            var a = Aggregate()
            a.russia = rng.poisson(mean); a.entries = a.russia; a.dyad = 0
            return a
        }
    }

    /// Dyad articles per bucket with stance N(mean, spread) (clipped to ±1), stance mean moving by
    /// `step` from `shiftAt`, plus day-to-day wobble `tau`; frames with a base share, one frame's
    /// share rising by `frameJump` from `shiftAt`; an actor appearing from `shiftAt` at `actorRate`.
    static func articleStream(_ rng: inout SeededRNG, buckets: Int, articles: Double, mean: Double, spread: Double, tau: Double,
                              shiftAt: Int?, step: Double, frameJump: Double, actorRate: Double) -> [Aggregate] {
        (0..<buckets).map { i in
            let shifted = shiftAt.map { i >= $0 } ?? false
            let m = mean + (shifted ? step : 0) + tau * rng.normal()
            var a = Aggregate()
            let n = max(rng.poisson(articles), 0)
            for k in 0..<n {
                var c = contribution(id: Int64(i * 1000 + k))
                c.stance = max(-1, min(1, m + spread * rng.normal()))
                c.stanceLabel = c.stance > 0.2 ? .supportive : c.stance < -0.2 ? .critical : .neutral
                c.relevance = 1
                var frames: [String] = []
                if rng.uniform() < 0.3 { frames.append("economy") }
                if rng.uniform() < 0.2 + (shifted ? frameJump : 0) { frames.append("military") }
                if rng.uniform() < 0.15 { frames.append("diplomacy") }
                c.frames = frames
                var actors: [String] = []
                if rng.uniform() < 0.5 { actors.append("United States") }
                if rng.uniform() < 0.1 { actors.append("NATO") }
                if rng.uniform() < 0.002 { actors.append("Rare Visitor") }
                c.actors = actors
                a.apply(c, sign: 1)
            }
            if shifted {
                // The new actor's mentions come as extra dyad articles of neutral stance.
                for k in 0..<rng.poisson(actorRate) {
                    var c = contribution(id: Int64(i * 1000 + 900 + k))
                    c.stance = m; c.relevance = 1; c.actors = ["New Actor"]
                    a.apply(c, sign: 1)
                }
            }
            return a
        }
    }

    nonisolated(unsafe) static var groupBReference: [Aggregate] = {
        var rng = SeededRNG(seed: 0xB)
        return articleStream(&rng, buckets: 500, articles: 14, mean: -0.1, spread: 0.35, tau: 0.03, shiftAt: nil, step: 0,
                             frameJump: 0, actorRate: 0)
    }()

    static func contribution(id: Int64) -> Contribution {
        var c = template
        c.entryID = id
        return c
    }

    static let template: Contribution = {
        var c = Contribution(entry: .init(entryID: 0, feedID: "f", outlet: "o", group: "g", language: "en", dedupKey: "k",
                                          title: "t", link: nil, text: "", published: nil, firstSeen: Date(timeIntervalSince1970: 0),
                                          isUpdate: false),
                             analysis: .init(id: "0", language: "en", entities: [], dyad: .init(isDyad: true, relevance: 1, sentences: []),
                                             stance: .init(label: .neutral, score: 0, confidence: 1, evidence: []),
                                             tone: .init(), frames: []))
        c.dyad = true
        return c
    }()

    // MARK: evaluation

    /// Detection: `trials` streams, each warmed up for `warm` buckets and shifted at a random bucket
    /// after that; hit when the detector alerts at the shift bucket or the next one.
    /// False alarms: `stationary` streams of `length` buckets without a shift, counted after warm-up.
    static func evaluate(detector: String, seed: UInt64, trials: Int, stationary: Int, length: Int, warm: Int,
                         params p: DetectorParameters = params, groups: Bool = false,
                         make: (inout SeededRNG, Int?) -> [Aggregate]) -> Figures {
        var rng = SeededRNG(seed: seed)
        var fig = Figures(detector: detector)
        for _ in 0..<trials {
            let shiftAt = warm + Int(rng.next() % 28)
            let stream = make(&rng, shiftAt)
            let hits = alerts(Array(stream.prefix(shiftAt + 2)), detector: detector, params: p, groups: groups)
            fig.shifts += 1
            if hits.contains(where: { $0 >= shiftAt && $0 <= shiftAt + 1 }) { fig.detectedWithinTwo += 1 }
            if hits.contains(shiftAt) { fig.detectedAtOnce += 1 }
        }
        for _ in 0..<stationary {
            let stream = make(&rng, nil)
            let hits = alerts(stream, detector: detector, params: p, groups: groups)
            fig.stationaryBuckets += stream.count - warm
            fig.falseAlerts += hits.filter { $0 >= warm }.count
        }
        return fig
    }
}
