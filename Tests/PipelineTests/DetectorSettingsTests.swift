import XCTest
import DyadConfig
import Pipeline
import Trends

/// `[detectors]` and `[alerts]` in feeds.conf: decoded, validated with file/line/key, mapped onto
/// the detectors' parameters (absent keys keep the documented defaults).
final class DetectorSettingsTests: XCTestCase {
    static let feed = """
    [[feed]]
    id = "a"
    name = "A"
    url = "https://example.invalid/a"
    """

    func check(_ text: String) -> ConfigurationCheck {
        ConfigurationLoader.check(text: text + "\n" + Self.feed, file: "feeds.conf", baseDirectory: URL(fileURLWithPath: "/tmp"))
    }

    func testOverridesAndDefaults() throws {
        let c = try XCTUnwrap(check("""
        [detectors]
        granularity = "hour"
        close_delay = "2h"
        [detectors.volume]
        metrics = ["dyad"]
        min_count = 8
        [detectors.stance]
        enabled = false
        h = 6
        pool_buckets = 2
        weight_floor = 1
        [detectors.frame]
        window = 4
        [detectors.divergence]
        pool_buckets = 1
        [detectors.new_actor]
        max_baseline_rate = 0.3
        [alerts]
        on_alert = "logger -t dyadwatch"
        on_alert_timeout = "5s"
        cooldown = "1d"
        """).configuration)
        let p = DetectorParameters(c)
        XCTAssertEqual(p.granularity, .hour)
        XCTAssertEqual(p.closeDelay, 7_200)
        XCTAssertEqual(p.volumeMetrics, [.dyad])
        XCTAssertEqual(p.volumeMinCount, 8)
        XCTAssertFalse(p.stanceEnabled)
        XCTAssertEqual(p.stanceH, 6)
        XCTAssertEqual(p.stancePoolBuckets, 2)
        XCTAssertEqual(p.stanceWeightFloor, 1)
        XCTAssertEqual(p.frameWindow, 4)
        XCTAssertEqual(p.divergencePoolBuckets, 1)
        XCTAssertEqual(p.newActorMaxBaselineRate, 0.3)
        XCTAssertEqual(p.cooldown, 86_400)
        let defaults = DetectorParameters()
        XCTAssertEqual(p.volumePValue, defaults.volumePValue)
        XCTAssertEqual(p.frameP, defaults.frameP)
        XCTAssertEqual(p.warmupBuckets, defaults.warmupBuckets)
        let alerts = c.section(AlertsConfig.self)
        XCTAssertEqual(alerts.onAlert, "logger -t dyadwatch")
        XCTAssertEqual(alerts.onAlertTimeout, 5)
    }

    func testNoTablesGiveTheDocumentedDefaults() throws {
        let c = try XCTUnwrap(check("").configuration)
        XCTAssertEqual(DetectorParameters(c), DetectorParameters())
        XCTAssertNil(c.section(AlertsConfig.self).onAlert)
    }

    func testErrorsNameLineAndKey() {
        let result = check("""
        [detectors]
        granularity = "week"
        [detectors.volume]
        metrics = ["dyad", "tweets"]
        p_value = 2
        [detectors.frame]
        p_vaule = 0.01
        [alerts]
        cooldown = 3600
        """)
        XCTAssertNil(result.configuration)
        let errors = result.errors.map { "\($0.line ?? 0) \($0.key)" }
        XCTAssertTrue(errors.contains("2 detectors.granularity"), "\(errors)")
        XCTAssertTrue(errors.contains("4 detectors.volume.metrics"), "\(errors)")
        XCTAssertTrue(errors.contains("5 detectors.volume.p_value"), "\(errors)")
        XCTAssertTrue(errors.contains("7 detectors.frame.p_vaule"), "\(errors)")
        XCTAssertTrue(errors.contains("9 alerts.cooldown"), "\(errors)")
    }
}
