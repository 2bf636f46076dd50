import XCTest
@testable import Trends

/// The detectors against synthetic streams with known injected shifts (seeded, deterministic).
/// Prints the figures: share of shifts detected within two buckets (must be ≥ 95%) and false
/// alerts per 1,000 stationary buckets (must be ≤ 1). The shift sizes are the documented ones.
final class DetectorEvaluationTests: XCTestCase {
    /// Buckets of history before a shift can be injected.
    static let warm = 35
    static let length = 500
    /// `DYADWATCH_FULL_EVAL=1` (scripts/detector-eval.sh) runs the full evaluation whose figures
    /// are reported; the default keeps the test suite fast with the same streams, fewer of them.
    static let full = ProcessInfo.processInfo.environment["DYADWATCH_FULL_EVAL"] == "1"
    static let trials = full ? 200 : 100
    static let stationaryStreams = full ? 24 : 8

    func check(_ f: SyntheticEvaluation.Figures) {
        print("EVAL " + f.description)
        XCTAssertGreaterThanOrEqual(f.detectionRate, 0.95, f.description)
        XCTAssertLessThanOrEqual(f.falsePerThousand, 1.0, f.description)
        XCTAssertGreaterThanOrEqual(f.stationaryBuckets, Self.full ? 10_000 : 3_000)
    }

    /// Volume: Poisson counts with a weekly rhythm, 16 a day on average; surge ×3.
    func testVolumeSurgeWithWeeklyRhythm() {
        check(SyntheticEvaluation.evaluate(detector: VolumeSurgeDetector.name, seed: 1, trials: Self.trials,
                                           stationary: Self.stationaryStreams, length: Self.length, warm: Self.warm) { rng, shift in
            SyntheticEvaluation.volumeStream(&rng, base: 16, buckets: Self.length, shiftAt: shift, factor: 3)
        })
    }

    /// Stance: 14 dyad articles a day, spread 0.35, wobble 0.03; step of 0.5 (about 5 standard errors).
    func testStanceStep() {
        check(SyntheticEvaluation.evaluate(detector: StanceShiftDetector.name, seed: 2, trials: Self.trials,
                                           stationary: Self.stationaryStreams, length: Self.length, warm: Self.warm) { rng, shift in
            SyntheticEvaluation.articleStream(&rng, buckets: Self.length, articles: 14, mean: 0.1, spread: 0.35, tau: 0.03,
                                              shiftAt: shift, step: -0.5, frameJump: 0, actorRate: 0)
        })
    }

    /// Frames: military frame share 20% of 20 dyad articles a day, jumping by 50 points.
    func testFrameShareJump() {
        check(SyntheticEvaluation.evaluate(detector: FrameShiftDetector.name, seed: 3, trials: Self.trials,
                                           stationary: Self.stationaryStreams, length: Self.length, warm: Self.warm) { rng, shift in
            SyntheticEvaluation.articleStream(&rng, buckets: Self.length, articles: 20, mean: 0.1, spread: 0.35, tau: 0.03,
                                              shiftAt: shift, step: 0, frameJump: 0.5, actorRate: 0)
        })
    }

    /// Divergence: group A's stance steps by −0.75 (about 5 standard errors of the gap) while group B stays put.
    func testGroupDivergenceStep() {
        check(SyntheticEvaluation.evaluate(detector: GroupDivergenceDetector.name, seed: 4, trials: Self.trials,
                                           stationary: Self.stationaryStreams, length: Self.length, warm: Self.warm, groups: true) { rng, shift in
            SyntheticEvaluation.articleStream(&rng, buckets: Self.length, articles: 14, mean: 0.1, spread: 0.35, tau: 0.03,
                                              shiftAt: shift, step: -0.75, frameJump: 0, actorRate: 0)
        })
    }

    /// New actor: an actor absent before appears in Poisson(6) dyad articles a day.
    func testNewActor() {
        check(SyntheticEvaluation.evaluate(detector: NewActorDetector.name, seed: 5, trials: Self.trials,
                                           stationary: Self.stationaryStreams, length: Self.length, warm: Self.warm) { rng, shift in
            SyntheticEvaluation.articleStream(&rng, buckets: Self.length, articles: 14, mean: 0.1, spread: 0.35, tau: 0.03,
                                              shiftAt: shift, step: 0, frameJump: 0, actorRate: 6)
        })
    }
}
