import XCTest
import DyadConfig
import DyadCore
import FeedStorage
import Pipeline
import Trends
import Alerts
import TestSupport

/// The analysis sink after a crash between storage's commit and analysis: new entries that were
/// stored but never analyzed, and changed entries whose re-analysis was lost, are picked up at
/// start; feeding the same entries twice changes nothing.
final class SinkRecoveryTests: XCTestCase {
    var temp: TemporaryDirectory!
    override func setUpWithError() throws { temp = try TemporaryDirectory() }
    override func tearDown() { temp.remove() }

    let feed = FeedIdentity(id: "alpha", outlet: "Alpha News", group: "cn-state", language: "en", dedupRule: nil)
    let t0 = Date(timeIntervalSince1970: 1_641_196_800) // 2022-01-03T08:00:00Z

    func makeSink(_ store: FeedStore) throws -> AnalysisSink {
        AnalysisSink(store: try SQLiteAnalysisStore(store.writer), engine: TrendEngine(), analyze: KeywordAnalyzer.analyze,
                         delivery: AlertDelivery(logDirectory: temp.url.appendingPathComponent("logs"), hook: nil),
                         trendFiles: TrendFiles(directory: temp.url.appendingPathComponent("trends")))
    }

    func entry(_ guid: String, _ title: String) -> FeedEntry {
        FeedEntry(id: guid, title: title, link: "https://example.invalid/\(guid)", published: t0.addingTimeInterval(-3_600), text: title)
    }

    func stance(_ store: FeedStore, _ sink: AnalysisSink, entryID: Int64) throws -> Double? {
        try sink.store.read { try sink.engine.analysis($0.trends, entryID: entryID)?.stance.score }
    }

    func testRecoversUnanalyzedAndChangedEntries() throws {
        let store = try FeedStore(directory: temp.url)
        try store.register([FeedConfig(id: "alpha", name: "Alpha", url: "https://example.invalid/alpha", outlet: "Alpha News", group: "cn-state")])
        var sink = try makeSink(store)
        let first = try store.ingest(feed, entries: [entry("a", "China and Russia pledge cooperation")], now: t0)
        try sink.accept(first.accepted, at: t0)
        try sink.accept(first.accepted, at: t0) // fed twice: idempotent
        let a = first.accepted[0].entryID
        XCTAssertEqual(try stance(store, sink, entryID: a), 0.5)

        // Crash: a new entry and a change to `a` are committed, but the sink never sees them.
        let second = try store.ingest(feed, entries: [entry("a", "China and Russia move troops"), entry("b", "Markets close mixed")],
                                      now: t0.addingTimeInterval(1_800))
        XCTAssertEqual(second.newCount, 1); XCTAssertEqual(second.updatedCount, 1)

        // Restart.
        sink = try makeSink(store)
        XCTAssertEqual(try sink.recoverUnanalyzed(from: store, identity: { $0 == "alpha" ? self.feed : nil }, at: t0.addingTimeInterval(3_600)), 2)
        XCTAssertEqual(try stance(store, sink, entryID: a), -0.5)
        XCTAssertNotNil(try stance(store, sink, entryID: second.accepted.first { !$0.isUpdate }!.entryID))
        XCTAssertEqual(try sink.recoverUnanalyzed(from: store, identity: { _ in self.feed }, at: t0.addingTimeInterval(3_600)), 0)

        // The day's aggregate counts each entry once, with the changed stance.
        sink.flush(at: t0.addingTimeInterval(3 * 86_400))
        let daily = try String(contentsOf: temp.url.appendingPathComponent("trends/daily.csv"), encoding: .utf8)
        let row = try XCTUnwrap(daily.split(separator: "\n").first { $0.hasPrefix("2022-01-03T00:00:00Z,all,") })
        XCTAssertTrue(row.hasPrefix("2022-01-03T00:00:00Z,all,1,2,1,1,1,0.5000,-0.5000,"), String(row))
    }
}
