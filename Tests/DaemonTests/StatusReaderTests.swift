import XCTest
import Alerts
import DyadConfig
import DyadCore
import FeedStorage
import Pipeline
import TestSupport
@testable import Daemon
@testable import Trends

/// `status` over a real state database: feed rows, today's entries, dyad count from stored
/// analyses, the last alerts from the outbox; and a missing database reads as "pending".
final class StatusReaderTests: XCTestCase {
    var dir: TemporaryDirectory!
    override func setUpWithError() throws { dir = try TemporaryDirectory() }
    override func tearDown() { dir.remove() }

    func configuration() throws -> DyadConfig.Configuration {
        let url = dir.url.appendingPathComponent("feeds.conf")
        try """
            [daemon]
            state_dir = "state"

            [[feed]]
            id = "alpha"
            name = "Alpha"
            url = "http://127.0.0.1:9/alpha.xml"

            [[feed]]
            id = "beta"
            name = "Beta"
            url = "http://127.0.0.1:9/beta.xml"
            enabled = false
            """.write(to: url, atomically: false, encoding: .utf8)
        return try ConfigurationLoader.load(path: url.path)
    }

    func testWithoutADatabaseEveryFeedIsPendingOrDisabled() throws {
        let reader = StatusReader(configuration: try configuration(), extras: StatusExtrasCatalog.all)
        XCTAssertFalse(try reader.stateExists())
        let report = try reader.read(now: Date())
        XCTAssertEqual(report.feeds.map(\.health), [.pending, .disabled])
        XCTAssertEqual(report.entriesTotal, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.url.appendingPathComponent("state").path),
                       "status creates nothing")
    }

    func testReadsFeedsEntriesAnalysesAndAlerts() throws {
        let config = try configuration()
        let now = Date()
        let store = try FeedStore(directory: config.daemon.stateDir)
        let analysis = try SQLiteAnalysisStore(store.writer)
        var state = try XCTUnwrap(try store.register(config.feeds).first)
        state.lastAttempt = now; state.lastSuccess = now; state.lastStatus = 200; state.nextDue = now.addingTimeInterval(1800)
        let entries = [FeedEntry(id: "1", title: "Xi and Putin meet", text: "China and Russia"),
                       FeedEntry(id: "2", title: "Local news", text: "Nothing here")]
        let ingest = try store.commitPoll(FeedIdentity(config.feeds[0]), state: state, entries: entries, now: now)
        XCTAssertEqual(ingest.newCount, 2)
        let engine = TrendEngine()
        let dyad = ArticleAnalysisResult(id: "1", language: "en", entities: [], dyad: DyadResult(isDyad: true, relevance: 0.9, sentences: []),
                                         stance: StanceResult(label: .neutral, score: 0, confidence: 0.5, evidence: []),
                                         tone: ToneResult(), frames: [])
        var other = dyad; other.dyad = DyadResult(isDyad: false, relevance: 0, sentences: [])
        let alert = AlertRecord(id: "abc", detectedAt: now, detector: "volume_surge", scope: "all", granularity: .hour,
                                bucket: now, bucketEnd: now.addingTimeInterval(3600), metric: "count:dyad", baseline: 1, current: 9,
                                statistic: "p", statisticValue: 0.0001, score: 4, severity: .warning,
                                summary: "dyad articles 9 vs 1 expected", evidence: [])
        try analysis.write { db in
            try engine.storeAnalysis(db.trends, entry: ingest.accepted[0], dyad)
            try engine.storeAnalysis(db.trends, entry: ingest.accepted[1], other)
            _ = try db.outbox.enqueue([alert])
        }

        let report = try StatusReader(configuration: config, extras: StatusExtrasCatalog.all).read(now: now)
        XCTAssertEqual(report.feeds.map(\.health), [.ok, .disabled])
        XCTAssertEqual(report.feeds[0].lastStatus, 200)
        XCTAssertEqual(report.entriesToday, 2)
        XCTAssertEqual(report.entriesTotal, 2)
        XCTAssertEqual(report.dyadToday, 1)
        XCTAssertEqual(report.alerts.map(\.detector), ["volume_surge"])
        XCTAssertEqual(report.alerts.first?.summary, "dyad articles 9 vs 1 expected")
    }

    func testStatusShowsTheErrorClassTheReasonAndProblems() throws {
        let config = try configuration()
        let now = Date()
        let store = try FeedStore(directory: config.daemon.stateDir)
        var state = try XCTUnwrap(try store.register(config.feeds).first)
        state.lastAttempt = now; state.lastStatus = 503; state.consecutiveFailures = 2
        state.lastError = "HTTP 503"; state.lastErrorClass = "http_5xx"
        state.nextDue = now.addingTimeInterval(3_600); state.nextDueReason = "retry-after"
        try store.save(state)
        let report = try StatusReader(configuration: config).read(now: now)
        XCTAssertEqual(report.feeds[0].errorClass, "http_5xx")
        XCTAssertEqual(report.feeds[0].nextDueReason, "retry-after")
        let line = try XCTUnwrap(report.render().split(separator: "\n").first { $0.hasPrefix("alpha") })
        XCTAssertTrue(line.contains("retry-after"), String(line))
        XCTAssertTrue(line.contains("http_5xx: HTTP 503 (2 failures in a row)"), String(line))

        state.consecutiveFailures = 0; state.lastError = nil; state.lastErrorClass = nil; state.lastProblems = "truncated"
        state.lastSuccess = now
        try store.save(state)
        let healthy = try StatusReader(configuration: config).read(now: now).render()
        XCTAssertTrue(healthy.contains("problems: truncated"), healthy)
    }
}
