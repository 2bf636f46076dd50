import Alerts
import DyadConfig
import DyadCore
import FeedStorage
import Foundation
@testable import Trends
import XCTest

/// The behaviour every storage backend must show, whatever database is underneath: SQLite's
/// `FeedStore`/`SQLiteAnalysisStore` and PostgreSQL's stores run the same checks
/// (`StorageConformanceTests`, `PostgresStorageTests`). Each check starts on an empty database.
public enum StorageConformance {
    static let t0 = Date(timeIntervalSince1970: 1_641_196_800) // 2022-01-03T08:00:00Z
    static let feed = FeedConfig(id: "alpha", name: "Alpha", url: "https://example.invalid/alpha", outlet: "Alpha News", group: "cn-state")
    static var identity: FeedIdentity { FeedIdentity(feed) }

    static func entry(_ guid: String, _ title: String, published: Date? = nil) -> FeedEntry {
        FeedEntry(id: guid, title: title, link: "https://example.invalid/\(guid)", published: published ?? t0.addingTimeInterval(-3_600),
                  text: title + " — text")
    }

    /// Registration: new feeds get a row; a changed configured URL starts over but keeps the newest item.
    public static func registration(_ s: StorageUnderTest, file: StaticString = #filePath, line: UInt = #line) throws {
        let states = try s.feeds.register([feed])
        XCTAssertEqual(states.map(\.id), ["alpha"], file: file, line: line)
        var st = states[0]
        st.etag = "\"v1\""; st.consecutiveFailures = 2; st.newestItem = t0; st.nextDue = t0.addingTimeInterval(600)
        st.lastStatus = 200; st.ttlFloor = 900; st.lastBytes = 1234; st.lastDurationMs = 56; st.lastAttempt = t0
        try s.feeds.save(st)
        XCTAssertEqual(try s.feeds.state(of: "alpha"), st, "saved state reads back alike", file: file, line: line)
        XCTAssertEqual(try s.feeds.register([feed]), [st], "registering again keeps the state", file: file, line: line)
        var moved = feed
        moved.url = "https://example.invalid/alpha-new"
        let reset = try XCTUnwrap(try s.feeds.register([moved]).first)
        XCTAssertEqual(reset.url, moved.url, file: file, line: line)
        XCTAssertNil(reset.etag, file: file, line: line)
        XCTAssertEqual(reset.consecutiveFailures, 0, file: file, line: line)
        XCTAssertEqual(reset.newestItem, t0, "newest item kept", file: file, line: line)
        XCTAssertEqual(try s.feeds.states().map(\.id), ["alpha"], file: file, line: line)
        XCTAssertNil(try s.feeds.state(of: "nope"), file: file, line: line)
    }

    /// A poll's entries: new ones inserted once, repeats in one document counted as unchanged,
    /// changed content an update with the same id and revision + 1; counts and lookups agree.
    public static func entries(_ s: StorageUnderTest, file: StaticString = #filePath, line: UInt = #line) throws {
        var st = try XCTUnwrap(try s.feeds.register([feed]).first)
        st.lastStatus = 200
        let first = try s.feeds.commitPoll(identity, state: st, entries: [entry("a", "One"), entry("b", "Two"), entry("a", "One")], now: t0)
        XCTAssertEqual([first.newCount, first.updatedCount, first.unchangedCount], [2, 0, 1], file: file, line: line)
        XCTAssertEqual(first.accepted.map(\.revision), [1, 1], file: file, line: line)
        XCTAssertEqual(try s.feeds.state(of: "alpha")?.lastStatus, 200, "the state is committed with the entries", file: file, line: line)
        let t1 = t0.addingTimeInterval(1_800)
        let second = try s.feeds.commitPoll(identity, state: st, entries: [entry("a", "One, changed"), entry("b", "Two"), entry("c", "Three")], now: t1)
        XCTAssertEqual([second.newCount, second.updatedCount, second.unchangedCount], [1, 1, 1], file: file, line: line)
        let update = try XCTUnwrap(second.accepted.first { $0.isUpdate })
        XCTAssertEqual(update.entryID, first.accepted[0].entryID, file: file, line: line)
        XCTAssertEqual(update.revision, 2, file: file, line: line)
        XCTAssertEqual(update.firstSeen, t0, "first sight kept on update", file: file, line: line)

        let stored = try s.feeds.entries(of: "alpha")
        XCTAssertEqual(stored.map(\.title), ["One, changed", "Two", "Three"], file: file, line: line)
        XCTAssertEqual(stored.map(\.revision), [2, 1, 1], file: file, line: line)
        XCTAssertEqual(stored[0].updatedAt, t1, file: file, line: line)
        XCTAssertEqual(try s.feeds.entries(ids: [stored[2].id!, stored[0].id!, 999_999]).map(\.id), [stored[0].id, stored[2].id], file: file, line: line)
        XCTAssertEqual(try s.feeds.entryCount(of: nil), 3, file: file, line: line)
        XCTAssertEqual(try s.feeds.entryCount(of: "alpha"), 3, file: file, line: line)
        XCTAssertEqual(try s.feeds.entryCount(firstSeenSince: t1), 1, file: file, line: line)
        let revisions = try s.feeds.entryRevisions(after: 0, limit: 2)
        XCTAssertEqual(revisions, [EntryRevision(id: stored[0].id!, revision: 2), EntryRevision(id: stored[1].id!, revision: 1)], file: file, line: line)
        XCTAssertEqual(try s.feeds.entryRevisions(after: stored[1].id!, limit: 10).map(\.id), [stored[2].id!], file: file, line: line)

        // Replay's ingest keeps the fetch state and only moves the newest item date.
        let later = t0.addingTimeInterval(86_400)
        let replayed = try s.feeds.ingest(identity, entries: [entry("d", "Four", published: later)], now: later)
        XCTAssertEqual(replayed.newCount, 1, file: file, line: line)
        XCTAssertEqual(try s.feeds.state(of: "alpha")?.lastStatus, 200, file: file, line: line)
        XCTAssertEqual(try s.feeds.state(of: "alpha")?.newestItem, later, file: file, line: line)

        // A restarted process sees the same.
        let again = try s.reopen()
        XCTAssertEqual(try again.feeds.entries(of: "alpha"), try s.feeds.entries(of: "alpha"), file: file, line: line)
    }

    static func analysis(dyad: Bool, stance: Double) -> ArticleAnalysisResult {
        ArticleAnalysisResult(id: "x", language: "en", entities: [], dyad: DyadResult(isDyad: dyad, relevance: dyad ? 0.9 : 0, sentences: []),
                              stance: StanceResult(label: stance > 0.2 ? .supportive : stance < -0.2 ? .critical : .neutral,
                                                   score: stance, confidence: 0.5, evidence: []),
                              tone: ToneResult(china: 0.1), frames: [])
    }

    /// The trends tables: analyses, contributions, aggregates, state; row order of the trend files.
    public static func trendTables(_ s: StorageUnderTest, file: StaticString = #filePath, line: UInt = #line) throws {
        let a = analysis(dyad: true, stance: 0.5)
        try s.analysis.write { db in
            try db.trends.storeAnalysis(StoredAnalysis(entryID: 1, revision: 1, firstSeen: t0, result: a))
            try db.trends.storeAnalysis(StoredAnalysis(entryID: 2, revision: 3, firstSeen: t0.addingTimeInterval(-86_400),
                                                       result: analysis(dyad: true, stance: 0)))
            try db.trends.storeAnalysis(StoredAnalysis(entryID: 3, revision: 1, firstSeen: t0, result: analysis(dyad: false, stance: 0)))
        }
        try s.analysis.read { db in
            XCTAssertTrue(try db.trends.hasAnalysis(entryID: 1), file: file, line: line)
            XCTAssertFalse(try db.trends.hasAnalysis(entryID: 4), file: file, line: line)
            XCTAssertEqual(try db.trends.analysis(entryID: 1), a, file: file, line: line)
            XCTAssertEqual(try db.trends.analyzedRevisions(entryIDs: [1, 2, 4]), [1: 1, 2: 3], file: file, line: line)
            XCTAssertEqual(try db.trends.dyadCount(firstSeenSince: t0.addingTimeInterval(-60)), 1, file: file, line: line)
        }
        let key = { (start: Int64, scope: String) in BucketKey(granularity: .hour, start: start, scope: Scope(key: scope)) }
        var agg = Aggregate()
        agg.entries = 2; agg.dyad = 1; agg.frames = ["energy": 1]; agg.actors = ["OPEC": 2]; agg.stanceWS = 0.25
        try s.analysis.write { db in
            for (start, scope) in [(7_200, "outlet:b"), (3_600, "outlet:a"), (3_600, "all"), (3_600, "Group:x"), (0, "all")] {
                try db.trends.saveAggregate(key(Int64(start), scope), agg)
            }
            try db.trends.saveAggregate(key(0, "all"), Aggregate())  // empty: deleted
            try db.trends.setStateValue("k", Data("{\"a\":1}".utf8))
            try db.trends.setStateValue("k", Data("{\"a\":2}".utf8))
        }
        try s.analysis.read { db in
            XCTAssertEqual(try db.trends.aggregate(key(3_600, "all")), agg, file: file, line: line)
            XCTAssertNil(try db.trends.aggregate(key(0, "all")), file: file, line: line)
            XCTAssertEqual(Set(try db.trends.aggregates(granularity: .hour, start: 3_600).keys.map(\.key)), ["outlet:a", "all", "Group:x"], file: file, line: line)
            var order: [String] = []
            try db.trends.forEachRow(granularity: .hour, from: 3_600) { k, _ in order.append("\(k.start) \(k.scope.key)") }
            // Byte order (as SQLite sorts), whatever the database's collation.
            XCTAssertEqual(order, ["3600 Group:x", "3600 all", "3600 outlet:a", "7200 outlet:b"], file: file, line: line)
            XCTAssertEqual(try db.trends.earliestBucket(granularity: .hour, from: 0), 3_600, file: file, line: line)
            XCTAssertNil(try db.trends.earliestBucket(granularity: .day, from: 0), file: file, line: line)
            XCTAssertEqual(try db.trends.stateValue("k").map { String(decoding: $0, as: UTF8.self) }, "{\"a\":2}", file: file, line: line)
            XCTAssertNil(try db.trends.stateValue("missing"), file: file, line: line)
        }
        // The newest row per scope (what /api/trends shows), and latest.json computed from it
        // byte-identical to the file written from the whole window.
        try s.analysis.write { db in try db.trends.saveAggregate(key(10_800, "all"), agg) }
        try s.analysis.read { db in
            let latest = { (until: Int64) in try db.trends.latestRows(granularity: .hour, from: 0, until: until).map { "\($0.0.start) \($0.0.scope.key)" } }
            XCTAssertEqual(try latest(7_200), ["3600 Group:x", "3600 all", "3600 outlet:a", "7200 outlet:b"], file: file, line: line)
            XCTAssertEqual(try latest(10_800), ["3600 Group:x", "10800 all", "3600 outlet:a", "7200 outlet:b"], file: file, line: line)
            XCTAssertEqual(try db.trends.latestRows(granularity: .day, from: 0, until: 10_800).count, 0, file: file, line: line)
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dyadwatch-latest-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let now = Date(timeIntervalSince1970: 9_000)
            try TrendFiles(directory: directory).write(from: db.trends, engine: TrendEngine(), now: now, recentAlerts: [alert(1)])
            let computed = try TrendFiles.latestJSON(from: db.trends, engine: TrendEngine(), now: now, recentAlerts: [alert(1)])
            XCTAssertEqual(String(decoding: computed, as: UTF8.self),
                           try String(contentsOf: directory.appendingPathComponent(TrendFiles.latestName), encoding: .utf8), file: file, line: line)
        }
    }

    /// A write transaction that throws leaves nothing behind.
    public static func rollback(_ s: StorageUnderTest, file: StaticString = #filePath, line: UInt = #line) throws {
        struct Boom: Error {}
        XCTAssertThrowsError(try s.analysis.write { db in
            try db.trends.setStateValue("half", Data("1".utf8))
            try db.outbox.enqueue([alert(1)])
            throw Boom()
        }, file: file, line: line)
        try s.analysis.read { db in
            XCTAssertNil(try db.trends.stateValue("half"), file: file, line: line)
            XCTAssertEqual(try db.outbox.count(), 0, file: file, line: line)
        }
    }

    public static func alert(_ n: Int) -> AlertRecord {
        let bucket = Date(timeIntervalSince1970: Double(1_640_563_200 + n * 86_400))
        return AlertRecord(id: AlertRecord.makeID(detector: "volume_surge", scope: "all", metric: "count:russia", granularity: .day, bucket: Int64(n)),
                           detectedAt: bucket.addingTimeInterval(90_000), detector: "volume_surge", scope: "all", granularity: .day,
                           bucket: bucket, bucketEnd: bucket.addingTimeInterval(86_400), metric: "count:russia", baseline: 2.5, current: 19,
                           statistic: "p", statisticValue: 3.2e-9, score: 8.5, severity: .critical, summary: "surge \(n)",
                           evidence: [AlertEvidence(entryID: 4, feedID: "gt", outlet: "Global Times", group: "cn-state", title: "t",
                                                    link: nil, time: bucket, stance: 0.4, frames: ["diplomacy"], cues: ["c"])])
    }

    /// The outbox: an id is queued once; delivery targets are marked one by one; recent is oldest first.
    public static func outbox(_ s: StorageUnderTest, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(try s.analysis.write { try $0.outbox.enqueue([alert(1), alert(2)]) }, 2, file: file, line: line)
        XCTAssertEqual(try s.analysis.write { try $0.outbox.enqueue([alert(2), alert(3)]) }, 1, "a known id is ignored", file: file, line: line)
        let pending = try s.analysis.readOutbox { try $0.pending() }
        XCTAssertEqual(pending.map(\.record), [alert(1), alert(2), alert(3)], file: file, line: line)
        try s.analysis.writeOutbox { o in
            for t in OutboxTarget.allCases { try o.markDone(seq: pending[0].seq, t) }
            try o.markDone(seq: pending[1].seq, .log)
            try o.recordHookFailure(seq: pending[1].seq, attempts: 1, error: "on_alert: exit 1", giveUp: false)
        }
        let after = try s.analysis.readOutbox { try $0.pending() }
        XCTAssertEqual(after.map(\.record.id), [alert(2).id, alert(3).id], file: file, line: line)
        XCTAssertEqual([after[0].logDone, after[0].jsonlDone, after[0].hookDone], [true, false, false], file: file, line: line)
        XCTAssertEqual(after[0].hookAttempts, 1, file: file, line: line)
        XCTAssertEqual(try s.analysis.readOutbox { try $0.recent(limit: 2) }.map(\.summary), ["surge 2", "surge 3"], file: file, line: line)
        XCTAssertEqual(try s.analysis.readOutbox { try $0.count() }, 3, file: file, line: line)
        XCTAssertEqual(try s.analysis.readOutbox { try $0.pendingCount() }, 2, file: file, line: line)
    }

    /// The trend engine on this backend raises exactly the alerts it raises on SQLite for the same
    /// stream (the reference run), and a restart in the middle changes nothing.
    public static func engineAgreesWith(_ reference: StorageUnderTest, _ s: StorageUnderTest,
                                        file: StaticString = #filePath, line: UInt = #line) throws {
        func run(_ s: StorageUnderTest, restartAt: Int?) throws -> [AlertRecord] {
            var s = s
            var params = DetectorParameters()
            params.warmupBuckets = 5
            let engine = TrendEngine(params: params)
            var id: Int64 = 0
            for day in 0..<16 {
                if day == restartAt { s = try s.reopen() }
                let russia = day == 12 ? 40 : 1 + day % 3
                let contributions = (0..<(russia + 6)).map { i -> Contribution in
                    id += 1
                    let e = AcceptedEntry(entryID: id, feedID: "f\(i % 3)", outlet: "Outlet \(i % 3)", group: i % 2 == 0 ? "cn-state" : "ru-state",
                                          language: "en", dedupKey: "k\(id)", title: "headline \(id)", link: nil, text: "",
                                          published: t0.addingTimeInterval(Double(day) * 86_400 + Double(i % 20) * 3_600),
                                          firstSeen: t0.addingTimeInterval(Double(day) * 86_400 + 72_000), isUpdate: false)
                    var a = analysis(dyad: i < russia && i % 2 == 0, stance: 0.3)
                    if i < russia { a.entities = [EntityMatch(id: "ru", name: "Russia", side: .russia, type: .country, mentions: [])] }
                    return Contribution(entry: e, analysis: a)
                }
                try s.analysis.write { db in
                    try engine.ingest(db.trends, contributions)
                    try db.outbox.enqueue(try engine.close(db.trends, now: t0.addingTimeInterval(Double(day + 1) * 86_400 + 7_200)).alerts)
                }
            }
            return try s.analysis.readOutbox { try $0.recent(limit: 100) }
        }
        let expected = try run(reference, restartAt: nil)
        XCTAssertFalse(expected.isEmpty, "the stream raises alerts", file: file, line: line)
        XCTAssertEqual(try run(s, restartAt: 9), expected, "\(s.name) vs \(reference.name)", file: file, line: line)
    }
}
