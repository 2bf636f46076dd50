import DyadConfig
import DyadCore
import FeedStorage
import Foundation
import GRDB
import TestSupport
import XCTest

/// The state database: new vs. updated vs. unchanged entries, persistence across handles,
/// one transaction per poll, other modules' migrations on the same file.
final class FeedStoreTests: XCTestCase {
    var dir: TemporaryDirectory!
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let feed = FeedIdentity(id: "tass-en", outlet: "TASS", group: "ru-state", language: "en", dedupRule: nil)
    let config = FeedConfig(id: "tass-en", name: "TASS", url: "https://tass.com/rss/v2.xml", outlet: "TASS", group: "ru-state")

    override func setUpWithError() throws { dir = try TemporaryDirectory() }
    override func tearDown() { dir.remove() }

    func entries(_ n: Int, suffix: String = "") -> [FeedEntry] {
        (1...n).map { FeedEntry(id: "g\($0)", title: "Title \($0)\(suffix)", link: "https://tass.com/\($0)",
                                published: now - Double($0) * 3_600, summary: "Summary \($0)\(suffix)", text: "Text \($0)\(suffix)") }
    }

    func testNewThenUnchangedThenUpdated() throws {
        let store = try FeedStore(directory: dir.url)
        let state = try XCTUnwrap(store.register([config]).first)
        let first = try store.commitPoll(feed, state: state, entries: entries(3), now: now)
        XCTAssertEqual(first.newCount, 3)
        XCTAssertEqual(first.accepted.map(\.isUpdate), [false, false, false])
        XCTAssertEqual(first.accepted.first?.group, "ru-state")
        XCTAssertEqual(first.accepted.first?.text, "Text 1")
        XCTAssertEqual(first.accepted.first?.firstSeen, now)

        let again = try store.commitPoll(feed, state: state, entries: entries(3), now: now + 60)
        XCTAssertEqual(again, IngestResult(accepted: [], newCount: 0, updatedCount: 0, unchangedCount: 3))

        var changed = entries(3)
        changed[1].title = "Title 2 (corrected)"
        let updated = try store.commitPoll(feed, state: state, entries: changed, now: now + 120)
        XCTAssertEqual(updated.newCount, 0)
        XCTAssertEqual(updated.updatedCount, 1)
        let accepted = try XCTUnwrap(updated.accepted.first)
        XCTAssertTrue(accepted.isUpdate)
        XCTAssertEqual(accepted.entryID, first.accepted[1].entryID, "an update keeps the entry's id")
        XCTAssertEqual(accepted.firstSeen, now, "and its first-seen time")
        let stored = try store.entries(of: "tass-en")
        XCTAssertEqual(stored.count, 3)
        XCTAssertEqual(stored[1].revision, 2)
        XCTAssertEqual(stored[1].title, "Title 2 (corrected)")
        XCTAssertEqual(stored[1].updatedAt, now + 120)
    }

    func testRepeatsInsideOneDocumentCountOnce() throws {
        let store = try FeedStore(directory: dir.url)
        let state = try XCTUnwrap(store.register([config]).first)
        let doc = entries(2) + entries(2)
        let result = try store.commitPoll(feed, state: state, entries: doc, now: now)
        XCTAssertEqual(result.newCount, 2)
        XCTAssertEqual(result.unchangedCount, 2)
    }

    func testReopeningTheSameDirectoryKeepsEverything() throws {
        do {
            let store = try FeedStore(directory: dir.url)
            var state = try XCTUnwrap(store.register([config]).first)
            state.etag = "\"abc\""
            _ = try store.commitPoll(feed, state: state, entries: entries(5), now: now)
        }
        let reopened = try FeedStore(directory: dir.url)
        let state = try XCTUnwrap(reopened.register([config]).first)
        XCTAssertEqual(state.etag, "\"abc\"")
        XCTAssertEqual(state.newestItem, now - 3_600)
        let result = try reopened.commitPoll(feed, state: state, entries: entries(5), now: now + 3_600)
        XCTAssertEqual(result.newCount, 0)
        XCTAssertEqual(try reopened.entryCount(), 5)
    }

    func testChangedConfiguredURLStartsTheFeedOver() throws {
        let store = try FeedStore(directory: dir.url)
        var state = try XCTUnwrap(store.register([config]).first)
        state.url = "https://moved.example/rss"
        state.etag = "x"
        state.disabledReason = "410 Gone"
        state.consecutiveFailures = 4
        state.newestItem = now
        try store.save(state)
        XCTAssertEqual(try store.register([config]).first?.url, "https://moved.example/rss", "same config: state kept")
        var edited = config
        edited.url = "https://tass.com/rss/v3.xml"
        let fresh = try XCTUnwrap(store.register([edited]).first)
        XCTAssertEqual(fresh.url, "https://tass.com/rss/v3.xml")
        XCTAssertNil(fresh.etag)
        XCTAssertNil(fresh.disabledReason)
        XCTAssertEqual(fresh.consecutiveFailures, 0)
        XCTAssertEqual(fresh.newestItem, now, "staleness history survives a URL edit")
    }

    /// A failure in the middle of a poll's writes leaves neither entries nor the new feed state.
    func testAPollIsOneTransaction() throws {
        let store = try FeedStore(directory: dir.url)
        let before = try XCTUnwrap(store.register([config]).first)
        try store.writer.write { db in
            try db.execute(sql: """
                CREATE TRIGGER fail_on_boom BEFORE INSERT ON entries WHEN NEW.title = 'boom'
                BEGIN SELECT RAISE(ABORT, 'simulated crash'); END
                """)
        }
        var state = before
        state.etag = "\"new\""
        state.consecutiveFailures = 0
        state.lastSuccess = now
        var doc = entries(3)
        doc.append(FeedEntry(id: "g-boom", title: "boom"))
        XCTAssertThrowsError(try store.commitPoll(feed, state: state, entries: doc, now: now))
        XCTAssertEqual(try store.entryCount(), 0, "the three entries before the failure were rolled back")
        XCTAssertEqual(try store.state(of: "tass-en"), before, "and so was the feed's state")
    }

    func testWALAndForeignMigrationsOnTheSameFile() throws {
        let store = try FeedStore(directory: dir.url)
        XCTAssertEqual(try store.writer.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }, "wal")
        var migrator = DatabaseMigrator()
        migrator.registerMigration("trends-test-v1") { db in
            try db.create(table: "trend_test") { t in t.column("x", .integer) }
        }
        try store.migrate(migrator)
        let reopened = try FeedStore(directory: dir.url)  // the fetch migrator ignores the other module's
        try reopened.migrate(migrator)
        XCTAssertTrue(try reopened.writer.read { try $0.tableExists("trend_test") })
    }

    func testRegisteringManyFeedsAndSubsetsKeepsEveryState() throws {
        let store = try FeedStore(directory: dir.url)
        let feeds = (0..<1_200).map { FeedConfig(id: "f\($0)", name: "F\($0)", url: "https://e.example/\($0).xml") }
        XCTAssertEqual(try store.register(feeds).count, 1_200)
        var one = try XCTUnwrap(store.state(of: "f700"))
        one.etag = "\"kept\""
        try store.save(one)
        let again = try store.register(feeds)
        XCTAssertEqual(again.map(\.id), feeds.map(\.id), "states come back in configuration order")
        XCTAssertEqual(again[700].etag, "\"kept\"")
        XCTAssertEqual(try store.register([feeds[700]]).first?.etag, "\"kept\"", "a one-feed registration (the daemon's) finds it too")
        XCTAssertEqual(try store.states().count, 1_200)
    }

    func testStaleness() {
        var state = FeedState(id: "x", url: "https://x")
        XCTAssertFalse(state.isStale(now: now, staleAfter: 86_400), "unknown newest item is not stale")
        state.newestItem = now - 2 * 86_400
        XCTAssertTrue(state.isStale(now: now, staleAfter: 86_400))
        XCTAssertFalse(state.isStale(now: now, staleAfter: 3 * 86_400))
    }

    func testFutureDatedItemsDoNotHideStaleness() throws {
        let store = try FeedStore(directory: dir.url)
        let state = try XCTUnwrap(store.register([config]).first)
        let doc = [FeedEntry(id: "a", title: "A", published: now + 365 * 86_400), FeedEntry(id: "b", title: "B", published: now - 86_400)]
        _ = try store.commitPoll(feed, state: state, entries: doc, now: now)
        XCTAssertEqual(try store.state(of: "tass-en")?.newestItem, now - 86_400)
    }
}
