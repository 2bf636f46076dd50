import XCTest
import CoreMetrics
import MetricsTestKit
@testable import Telemetry

/// The hooks report under the documented names and labels (swift-metrics' test backend).
final class TelemetryTests: XCTestCase {
    /// swift-metrics takes one backend per process: the first test to run installs it.
    static let metrics: TestMetrics = {
        let m = TestMetrics()
        MetricsSystem.bootstrap(m)
        return m
    }()

    func testPollAnalysisAlertAndSchedulerHooks() throws {
        let m = Self.metrics
        let before = m.counterTotal(label: Telemetry.Name.entries, dimensions: [("kind", "new")])
        Telemetry.pollFinished(feed: "tass-en", result: "ok", seconds: 0.25, bytes: 4_096, new: 3, updated: 1)
        Telemetry.pollFinished(feed: "tass-en", result: "not_modified", seconds: 0.05, bytes: 0, new: 0, updated: 0)
        XCTAssertEqual(try m.expectCounter(Telemetry.Name.polls, [("feed", "tass-en"), ("result", "ok")]).totalValue, 1)
        XCTAssertEqual(try m.expectCounter(Telemetry.Name.polls, [("feed", "tass-en"), ("result", "not_modified")]).totalValue, 1)
        XCTAssertEqual(try m.expectCounter(Telemetry.Name.fetchBytes, [("feed", "tass-en")]).totalValue, 4_096)
        XCTAssertEqual(m.counterTotal(label: Telemetry.Name.entries, dimensions: [("kind", "new")]) - before, 3)
        XCTAssertTrue(try m.expectTimer(Telemetry.Name.fetchDuration).values.contains(250_000_000))

        XCTAssertEqual(Telemetry.timeAnalysis { 42 }, 42)
        XCTAssertFalse(try m.expectTimer(Telemetry.Name.analysisDuration).values.isEmpty)

        Telemetry.alertsRaised([("volume_surge", "warning"), ("volume_surge", "warning"), ("new_actor", "info")])
        XCTAssertEqual(try m.expectCounter(Telemetry.Name.alerts, [("detector", "volume_surge"), ("severity", "warning")]).totalValue, 2)
        Telemetry.fullTextFetched(result: "too_short")
        XCTAssertEqual(try m.expectCounter(Telemetry.Name.fullTextFetches, [("result", "too_short")]).totalValue, 1)
        Telemetry.schedulerTurned(lagSeconds: -3)
        XCTAssertEqual(try m.expectGauge(Telemetry.Name.schedulerLag).lastValue, 0, "never negative")
    }
}
