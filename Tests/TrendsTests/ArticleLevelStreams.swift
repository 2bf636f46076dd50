import Foundation
import DyadCore
@testable import Trends

/// Article-level synthetic streams: what full-text coverage gives a group of outlets — a few
/// China–Russia articles a day (Poisson, quieter weekends), each read by an analyzer with realistic
/// faults, and relevance weights spread the way the analyzer spreads them.
///
/// Per article: the day's true mean m_d = mean + step (after the shift) + τ·N(0,1) (news-cycle
/// wobble); the article's own stance t = m_d + `spread`·N(0,1); the analyzer reads a share
/// `muted` of articles as near-neutral (0.25·t: the critical piece whose judgement it misses) and
/// the rest as t + 0.15·N(0,1); scores are clipped to ±1. Relevance: a share `headlineShare` of
/// articles name both sides in the headline (relevance U(0.5, 1)), the others only in the body
/// (U(0.1, 0.45)). Frames: `military` with a daily share 0.2 (+ `frameJump` after the shift)
/// wobbling by 0.05, `economy` 0.3, `diplomacy` 0.15.
struct ArticleStreamModel {
    var perDay: Double
    var mean = 0.15
    var spread = 0.35
    var tau = 0.08
    var muted = 0.25
    var headlineShare = 0.4
    var step = 0.0
    var frameJump = 0.0
    /// Day-of-week multipliers of the article rate (Monday first), normalized to a mean of 1.
    static let rhythm = [1.1, 1.15, 1.1, 1.1, 1.05, 0.8, 0.7]

    /// One group's stream of `buckets` daily aggregates, shifted from `shiftAt`; articles weighted
    /// as `TrendEngine.ingest` weights them under `weightFloor`.
    func stream(_ rng: inout SeededRNG, buckets: Int, shiftAt: Int?, weightFloor: Double) -> [Aggregate] {
        (0..<buckets).map { i in
            let shifted = shiftAt.map { i >= $0 } ?? false
            let dayMean = mean + (shifted ? step : 0) + tau * rng.normal()
            let military = max(0, min(1, 0.2 + (shifted ? frameJump : 0) + 0.05 * rng.normal()))
            var a = Aggregate()
            for k in 0..<rng.poisson(perDay * Self.rhythm[i % 7]) {
                var c = SyntheticEvaluation.contribution(id: Int64(i * 1000 + k))
                let t = dayMean + spread * rng.normal()
                let read = rng.uniform() < muted ? 0.25 * t : t + 0.15 * rng.normal()
                c.stance = max(-1, min(1, read))
                c.stanceLabel = c.stance > 0.2 ? .supportive : c.stance < -0.2 ? .critical : .neutral
                c.relevance = rng.uniform() < headlineShare ? 0.5 + 0.5 * rng.uniform() : 0.1 + 0.35 * rng.uniform()
                c.weight = Contribution.stanceWeight(relevance: c.relevance, floor: weightFloor)
                var frames: [String] = []
                if rng.uniform() < 0.3 { frames.append("economy") }
                if rng.uniform() < military { frames.append("military") }
                if rng.uniform() < 0.15 { frames.append("diplomacy") }
                c.frames = frames
                c.actors = rng.uniform() < 0.5 ? ["United States"] : []
                a.apply(c, sign: 1)
            }
            return a
        }
    }
}

/// Detection delay and false alerts of one detector on article-level streams.
struct DelayFigures: CustomStringConvertible {
    var label: String
    /// Delay (buckets after the shift bucket; 0 = the shift bucket itself) of each injected shift,
    /// nil when not detected within the horizon.
    var delays: [Int?] = []
    var horizon = 0
    var stationaryBuckets = 0, falseAlerts = 0

    var detected: [Int] { delays.compactMap { $0 } }
    func share(within d: Int) -> Double { delays.isEmpty ? 0 : Double(detected.filter { $0 < d }.count) / Double(delays.count) }
    var medianDelay: Int? { detected.isEmpty ? nil : detected.sorted()[detected.count / 2] }
    var meanDelay: Double { detected.isEmpty ? .nan : Double(detected.reduce(0, +)) / Double(detected.count) }
    var falsePerThousand: Double { stationaryBuckets > 0 ? 1000 * Double(falseAlerts) / Double(stationaryBuckets) : 0 }
    var description: String {
        "\(label): within 2 buckets \(String(format: "%.1f", 100 * share(within: 2)))%, within 7 \(String(format: "%.1f", 100 * share(within: 7)))%, " +
        "missed (>\(horizon)) \(delays.count - detected.count)/\(delays.count), " +
        "mean delay \(String(format: "%.2f", meanDelay)), median \(medianDelay.map(String.init) ?? "-") buckets; " +
        "false alerts \(falseAlerts) in \(stationaryBuckets) quiet buckets = \(String(format: "%.2f", falsePerThousand)) per 1,000"
    }

    /// `trials` shifts at a random bucket after `warm`, each followed for `horizon` buckets; false
    /// alerts on `stationary` streams of `length` buckets after warm-up. `make` gives the per-scope
    /// aggregates of one stream (shift bucket or nil).
    static func measure(label: String, detector: String, params: DetectorParameters, seed: UInt64, trials: Int, stationary: Int,
                        length: Int, warm: Int, horizon: Int,
                        make: (inout SeededRNG, Int?, Int) -> [[Scope: Aggregate]]) -> DelayFigures {
        var rng = SeededRNG(seed: seed)
        var fig = DelayFigures(label: label, horizon: horizon)
        for _ in 0..<trials {
            let shiftAt = warm + Int(rng.next() % 28)
            let stream = make(&rng, shiftAt, shiftAt + horizon)
            let hits = SyntheticEvaluation.alerts(stream, detector: detector, params: params)
            fig.delays.append(hits.first { $0 >= shiftAt }.map { $0 - shiftAt })
        }
        for _ in 0..<stationary {
            let stream = make(&rng, nil, length)
            fig.stationaryBuckets += stream.count - warm
            fig.falseAlerts += SyntheticEvaluation.alerts(stream, detector: detector, params: params).filter { $0 >= warm }.count
        }
        return fig
    }
}
