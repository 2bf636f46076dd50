import XCTest
import FeedStorage
@testable import Daemon

/// `status`: health classification and the rendered report (problems first, alerts listed).
final class StatusReportTests: XCTestCase {
    let now = Date(timeIntervalSince1970: 1_800_000_000)  // 2027-01-15T08:00:00Z
    let day: TimeInterval = 86_400

    func health(enabled: Bool = true, disabled: String? = nil, failures: Int = 0, attempted: Bool = true,
                newest: TimeInterval? = -3600) -> StatusReport.Health {
        StatusReport.health(enabled: enabled, disabledReason: disabled, consecutiveFailures: failures,
                            lastAttempt: attempted ? now : nil, newestItem: newest.map { now.addingTimeInterval($0) },
                            staleAfter: 14 * day, now: now)
    }

    func testHealthClassification() {
        XCTAssertEqual(health(), .ok)
        XCTAssertEqual(health(enabled: false), .disabled)
        XCTAssertEqual(health(disabled: "410 Gone"), .disabled)
        XCTAssertEqual(health(failures: 2), .failing)
        XCTAssertEqual(health(attempted: false, newest: nil), .pending)
        XCTAssertEqual(health(newest: -15 * day), .stale)
        XCTAssertEqual(health(newest: nil), .ok, "no dated item: not judged stale")
    }

    func testStartOfDayIsUTC() {
        XCTAssertEqual(StatusReport.startOfDayUTC(now), Date(timeIntervalSince1970: 1_799_971_200))
    }

    func testRenderPutsProblemsFirstAndListsAlerts() {
        let report = StatusReport(
            generatedAt: now,
            feeds: [
                .init(id: "a-ok", url: "https://a/", health: .ok, lastStatus: 200, lastSuccess: now, nextDue: now.addingTimeInterval(1800)),
                .init(id: "b-down", url: "https://b/", health: .failing, lastError: "connect timeout", consecutiveFailures: 3,
                      nextDue: now.addingTimeInterval(7200)),
                .init(id: "c-gone", url: "https://c/", health: .disabled, lastError: "HTTP 410 Gone"),
            ],
            entriesToday: 12, entriesTotal: 340, dyadToday: 4,
            alerts: [.init(time: now, severity: "warning", detector: "volume_surge", scope: "all", summary: "dyad articles 9 vs 2 expected")])
        let text = report.render()
        let lines = text.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines[1].contains("3 (1 ok, 1 failing, 1 disabled, 0 stale, 0 pending)"), lines[1])
        XCTAssertEqual(lines[2], "entries: 12 today (UTC), 340 in total; 4 China–Russia (dyad) articles today")
        let feedLines = lines.filter { $0.hasPrefix("a-ok") || $0.hasPrefix("b-down") || $0.hasPrefix("c-gone") }
        XCTAssertEqual(feedLines.map { String($0.prefix(6)) }, ["b-down", "c-gone", "a-ok  "])
        XCTAssertTrue(feedLines[0].contains("connect timeout (3 failures in a row)"), feedLines[0])
        XCTAssertTrue(feedLines[0].contains("2027-01-15T10:00:00Z"), "next due shown")
        XCTAssertTrue(feedLines[1].contains(" - "), "a disabled feed has no next due")
        XCTAssertTrue(text.contains("2027-01-15T08:00:00Z  warning  volume_surge  all  dyad articles 9 vs 2 expected"), text)
    }

    func testRenderShowsFullTextCountsOnlyWhenPagesWereAskedFor() {
        var report = StatusReport(generatedAt: now, feeds: [], entriesToday: 0, entriesTotal: 0, dyadToday: nil, alerts: [])
        XCTAssertFalse(report.render().contains("full text"))
        report.fulltext = FulltextCounts(byStatus: [.extracted: 7, .tooShort: 2, .notHTML: 1, .robots: 3, .timeout: 1,
                                                    .http4xx: 2, .absent: 1, .pending: 4])
        XCTAssertTrue(report.render().contains("full text: 10 fetched, 7 extracted, 2 too short, 3 blocked by robots, 5 failed, 4 pending\n"),
                      report.render())
        report.fulltext?.retrying = 3
        XCTAssertTrue(report.render().contains("failed, 4 pending (3 waiting to retry)\n"), report.render())
    }
}
