import XCTest
@testable import Trends

/// The tail probabilities and the CUSUM the detectors are built on.
final class StatisticsTests: XCTestCase {
    func testPoissonTailMatchesClosedForm() {
        // P(X ≥ 3 | λ = 1) = 1 − e⁻¹(1 + 1 + 1/2)
        XCTAssertEqual(CountTail.upper(3, mean: 1, dispersion: 0), 1 - exp(-1) * 2.5, accuracy: 1e-12)
        XCTAssertEqual(CountTail.upper(0, mean: 5, dispersion: 0), 1)
        XCTAssertEqual(CountTail.upper(4, mean: 0, dispersion: 0), 0)
    }

    func testNegativeBinomialTailIsHeavierThanPoissonAndConvergesToIt() {
        let poisson = CountTail.upper(20, mean: 8, dispersion: 0)
        XCTAssertGreaterThan(CountTail.upper(20, mean: 8, dispersion: 0.3), poisson * 10)
        XCTAssertEqual(CountTail.upper(20, mean: 8, dispersion: 1e-7), poisson, accuracy: poisson * 1e-3)
        // Geometric (r = 1): P(X ≥ k) = (μ/(1+μ))^k
        XCTAssertEqual(CountTail.upper(4, mean: 2, dispersion: 1), pow(2.0 / 3.0, 4), accuracy: 1e-12)
    }

    func testBinomialTail() {
        XCTAssertEqual(BinomialTail.upper(2, trials: 3, probability: 0.5), 0.5, accuracy: 1e-12)
        XCTAssertEqual(BinomialTail.upper(10, trials: 10, probability: 0.1), 1e-10, accuracy: 1e-20)
        XCTAssertEqual(BinomialTail.upper(11, trials: 10, probability: 0.9), 0)
    }

    func testCUSUMAlarmsOnAStepAndRebaselines() {
        var c = MeanShiftCUSUM()
        for _ in 0..<20 { _ = c.observe(0, samplingVariance: 0.01, k: 1, h: 4, alpha: 0.1, upwardOnly: false, armed: true) }
        // A step of 5 standard errors (0.5 with se 0.1) alarms upward at once…
        let step = c.observe(0.5, samplingVariance: 0.01, k: 1, h: 4, alpha: 0.1, upwardOnly: false, armed: true)
        XCTAssertEqual(step.alarm, 1)
        XCTAssertEqual(c.baseline, 0.5)
        // …and staying at the new level does not alarm again.
        for _ in 0..<20 {
            XCTAssertEqual(c.observe(0.5, samplingVariance: 0.01, k: 1, h: 4, alpha: 0.1, upwardOnly: false, armed: true).alarm, 0)
        }
        // A step down alarms downward; an upward-only CUSUM would not.
        XCTAssertEqual(c.observe(0.0, samplingVariance: 0.01, k: 1, h: 4, alpha: 0.1, upwardOnly: false, armed: true).alarm, -1)
        var up = MeanShiftCUSUM()
        for _ in 0..<20 { _ = up.observe(0.5, samplingVariance: 0.01, k: 1, h: 4, alpha: 0.1, upwardOnly: true, armed: true) }
        XCTAssertEqual(up.observe(0.0, samplingVariance: 0.01, k: 1, h: 4, alpha: 0.1, upwardOnly: true, armed: true).alarm, 0)
    }

    func testWeekSlotsStartOnMonday() {
        XCTAssertEqual(Granularity.day.slotOfWeek(Make.monday), 0)
        XCTAssertEqual(Granularity.day.slotOfWeek(Make.monday + 6 * 86_400), 6)
        XCTAssertEqual(Granularity.hour.slotOfWeek(Make.monday + 86_400 + 5 * 3_600), 29)
        XCTAssertEqual(Granularity.day.bucketStart(Make.date(day: 3, hour: 17)), Make.monday + 3 * 86_400)
    }

    func testScopeSlugs() {
        XCTAssertEqual(Scope.outlet("Global Times").key, "outlet:global-times")
        XCTAssertEqual(Scope.group("cn-state").key, "group:cn-state")
        XCTAssertEqual(Scope.groupPair("western", "cn-state").key, "groups:cn-state~western")
        XCTAssertEqual(Scope.slug("  RT — English!  "), "rt-english")
    }
}
