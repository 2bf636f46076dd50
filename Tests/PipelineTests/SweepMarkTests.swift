import XCTest
import DyadConfig
import DyadCore
import FeedStorage
import Pipeline
import Trends
import Alerts
import TestSupport

/// The sweep's marks: entries analyzed by the queue's worker are marked, so a sweep lists none of
/// them; an entry analyzed but left unmarked (a crash between the analysis commit and the mark,
/// or a state file from before the mark) is found analyzed by the next sweep, not analyzed again,
/// and marked; a changed entry is analyzed once more.
final class SweepMarkTests: XCTestCase {
    var temp: TemporaryDirectory!
    override func setUpWithError() throws { temp = try TemporaryDirectory() }
    override func tearDown() { temp.remove() }

    let feed = FeedIdentity(id: "alpha", outlet: "Alpha News", group: "cn-state", language: "en", dedupRule: nil)
    let t0 = Date(timeIntervalSince1970: 1_641_196_800)

    func entry(_ guid: String, _ title: String) -> FeedEntry {
        FeedEntry(id: guid, title: title, link: "https://example.invalid/\(guid)", published: t0.addingTimeInterval(-3_600), text: title)
    }

    func testMarksKeepTheSweepToUnanalyzedEntries() throws {
        let store = try FeedStore(directory: temp.url)
        try store.register([FeedConfig(id: "alpha", name: "Alpha", url: "https://example.invalid/alpha", outlet: "Alpha News", group: "cn-state")])
        let sink = AnalysisSink(store: try SQLiteAnalysisStore(store.writer), engine: TrendEngine(), analyze: KeywordAnalyzer.analyze,
                                delivery: AlertDelivery(logDirectory: temp.url.appendingPathComponent("logs"), hook: nil), trendFiles: nil)
        let identity = feed
        let worker = AnalysisQueue.Worker.sink({ sink }, feeds: store, identity: { _ in identity })
        func candidates() throws -> [Int64] { try store.unanalyzedEntries(after: 0, limit: 100).map(\.id) }
        func analyses() throws -> Int { var n = 0; try sink.store.read { try $0.trends.forEachAnalysis { _ in n += 1 } }; return n }

        // The queue's batch: analyzed and marked.
        let polled = try store.ingest(feed, entries: [entry("a", "China and Russia pledge cooperation"), entry("b", "Markets close")], now: t0)
        XCTAssertEqual(try candidates().count, 2)
        try worker.process(polled.accepted, t0)
        XCTAssertEqual(try candidates(), [])

        // Analyzed but never marked (the sink fed directly, as a crash before the mark leaves it).
        let unmarked = try store.ingest(feed, entries: [entry("c", "Beijing and Moscow sign accord")], now: t0)
        try sink.accept(unmarked.accepted, at: t0)
        // Stored, never analyzed.
        let lost = try store.ingest(feed, entries: [entry("d", "Russia and China hold drills")], now: t0)
        XCTAssertEqual(try candidates(), [unmarked.accepted[0].entryID, lost.accepted[0].entryID])
        var seen: [Int64] = []
        XCTAssertEqual(try worker.recover(t0) { seen.append($0.id); return true }, 1, "only the lost entry is analyzed")
        XCTAssertEqual(seen, [lost.accepted[0].entryID], "the sweep's selection sees only entries needing analysis")
        XCTAssertEqual(try analyses(), 4)
        XCTAssertEqual(try candidates(), [], "both marked")

        // A change: a candidate again, analyzed once more, then marked.
        let changed = try store.ingest(feed, entries: [entry("a", "China and Russia move troops")], now: t0.addingTimeInterval(60))
        XCTAssertEqual(try candidates(), [changed.accepted[0].entryID])
        XCTAssertEqual(try worker.recover(t0) { _ in true }, 1)
        XCTAssertEqual(try candidates(), [])
        XCTAssertEqual(try worker.recover(t0) { _ in true }, 0)
    }
}
