import XCTest
@testable import Trends

/// The stance, frame and divergence detectors on article-level streams of 3–15 dyad articles per
/// group and day (full-text coverage; see `ArticleStreamModel`), seeded. Prints `EVAL-ARTICLES`
/// lines: detection delay of an injected shift and false alerts per 1,000 quiet buckets, for the
/// current defaults and for the 0.1.0 defaults beside them.
final class ArticleStreamEvaluationTests: XCTestCase {
    static let full = DetectorEvaluationTests.full
    static let trials = full ? 200 : 60
    static let stationaryStreams = full ? 24 : 6
    static let length = 500
    static let warm = 35
    /// Buckets a shift is followed for.
    static let horizon = 14
    static let rates: [Double] = [3, 5, 8, 15]
    /// The documented shifts: stance −0.4 (the size seen in the 40-day test history), military
    /// frame share +40 points.
    static let stanceStep = -0.4
    static let frameJump = 0.4

    static var settings: [(name: String, params: DetectorParameters)] {
        var now = DetectorParameters(); now.cooldown = 0
        var old = DetectorParameters.release010; old.cooldown = 0
        return [("0.1.0 defaults", old), ("defaults", now)]
    }

    func run(_ detector: String, seed: UInt64, make: @escaping (Double, Double, inout SeededRNG, Int?, Int) -> [[Scope: Aggregate]])
        -> [String: [DelayFigures]] {
        var out: [String: [DelayFigures]] = [:]
        for (name, params) in Self.settings {
            for rate in Self.rates {
                let f = DelayFigures.measure(label: "\(detector) \(Int(rate))/day [\(name)]", detector: detector, params: params,
                                             seed: seed &+ UInt64(rate), trials: Self.trials, stationary: Self.stationaryStreams,
                                             length: Self.length, warm: Self.warm, horizon: Self.horizon) { rng, shift, n in
                    make(rate, params.stanceWeightFloor, &rng, shift, n)
                }
                print("EVAL-ARTICLES " + f.description)
                out[name, default: []].append(f)
            }
        }
        return out
    }

    /// Over all rates together (single rates are noisy at the test suite's size), the current
    /// defaults stay within the false-alert budget and detect at least as many shifts within a
    /// week as the 0.1.0 defaults; at the busiest rate they find most shifts within a week.
    func check(_ figures: [String: [DelayFigures]], busiestWithinWeek: Double) {
        guard let now = figures["defaults"], let old = figures["0.1.0 defaults"] else { return XCTFail("missing settings") }
        let falseAlerts = now.map(\.falseAlerts).reduce(0, +), quiet = now.map(\.stationaryBuckets).reduce(0, +)
        XCTAssertLessThanOrEqual(1000 * Double(falseAlerts) / Double(quiet), 1.0, now.map(\.description).joined(separator: "\n"))
        func withinWeek(_ f: [DelayFigures]) -> Int { f.map { $0.detected.filter { $0 < 7 }.count }.reduce(0, +) }
        XCTAssertGreaterThanOrEqual(withinWeek(now), withinWeek(old))
        XCTAssertGreaterThanOrEqual(now.last!.share(within: 7), busiestWithinWeek, now.last!.description)
    }

    func testStanceShiftOnArticleStreams() {
        let figures = run(StanceShiftDetector.name, seed: 21) { rate, floor, rng, shift, n in
            ArticleStreamModel(perDay: rate, step: Self.stanceStep).stream(&rng, buckets: n, shiftAt: shift, weightFloor: floor).map { [.all: $0] }
        }
        check(figures, busiestWithinWeek: 0.9)
    }

    func testGroupDivergenceOnArticleStreams() {
        let figures = run(GroupDivergenceDetector.name, seed: 22) { rate, floor, rng, shift, n in
            let a = ArticleStreamModel(perDay: rate, step: Self.stanceStep).stream(&rng, buckets: n, shiftAt: shift, weightFloor: floor)
            let b = ArticleStreamModel(perDay: rate, mean: 0.45).stream(&rng, buckets: n, shiftAt: nil, weightFloor: floor)
            return zip(a, b).map { [.group("a"): $0, .group("b"): $1] }
        }
        check(figures, busiestWithinWeek: 0.5)
    }

    func testFrameShiftOnArticleStreams() {
        let figures = run(FrameShiftDetector.name, seed: 23) { rate, floor, rng, shift, n in
            ArticleStreamModel(perDay: rate, frameJump: Self.frameJump).stream(&rng, buckets: n, shiftAt: shift, weightFloor: floor).map { [.all: $0] }
        }
        check(figures, busiestWithinWeek: 0.9)
    }
}
