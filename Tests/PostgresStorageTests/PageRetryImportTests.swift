import Alerts
import DyadConfig
import DyadCore
import FeedStorage
import Foundation
import StorageConformance
@testable import PostgresStorage
import XCTest

/// `migrate --to-postgres` carries each page's retry state (attempts, next attempt, last class),
/// and on PostgreSQL a page waiting for its retry is neither listed nor claimed before its time.
final class PageRetryImportTests: PostgresDatabaseTestCase {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func testMigrateCarriesTheRetryColumns() throws {
        let sqlite = try FeedStore(directory: directory)
        let feed = FeedConfig(id: "herald", name: "Herald", url: "https://example.invalid/herald", outlet: "Herald", group: "western")
        var identity = FeedIdentity(feed)
        identity.pages = PageRequestLimits(firstPollBacklog: 10, queueLimit: 10)
        let state = try XCTUnwrap(try sqlite.register([feed]).first)
        let entries = (1...3).map { FeedEntry(id: "s\($0)", title: "Story \($0)", link: "https://example.invalid/s\($0)", text: "t") }
        _ = try sqlite.commitPoll(identity, state: state, entries: entries, now: t0)
        let jobs = try sqlite.pendingPages(limit: 10)
        XCTAssertTrue(try sqlite.schedulePageRetry(jobs[0], error: .http5xx, next: t0.addingTimeInterval(300)))
        XCTAssertTrue(try sqlite.schedulePageRetry(jobs[1], error: .timeout, next: t0.addingTimeInterval(10)))
        XCTAssertNil(try sqlite.recordPage(jobs[1], status: .timeout, text: nil, feed: identity, now: t0.addingTimeInterval(10)))
        let before = try sqlite.entries(ids: jobs.map(\.entryID))

        let target = try XCTUnwrap(db).open()
        let counts = try StateImport.run(from: sqlite, try SQLiteAnalysisStore(sqlite.writer), into: target)
        XCTAssertEqual(counts.entries, 3)
        let after = try target.feeds.entries(ids: jobs.map(\.entryID))
        XCTAssertEqual(after, before, "every column, the retry state included")
        XCTAssertEqual(after.map(\.pageAttempts), [1, 2, 0])
        XCTAssertEqual(after.map(\.pageLastError), ["http_5xx", "timeout", nil])
        XCTAssertEqual(after[0].pageNextAttempt, t0.addingTimeInterval(300))

        // The queue goes on where SQLite left it: the waiting page not before its next attempt.
        XCTAssertEqual(try target.feeds.pendingPages(limit: 10, excluding: [], dueBy: t0.addingTimeInterval(299)).map(\.entryID), [jobs[2].entryID])
        XCTAssertFalse(try target.feeds.claimPage(jobs[0], seconds: 60, now: t0.addingTimeInterval(299)))
        XCTAssertEqual(try target.feeds.nextPageAttempt(after: t0), t0.addingTimeInterval(300))
        let due = try target.feeds.pendingPages(limit: 10, excluding: [], dueBy: t0.addingTimeInterval(300))
        XCTAssertEqual(due.map(\.attempts), [1, 0])
        XCTAssertTrue(try target.feeds.claimPage(due[0], seconds: 60, now: t0.addingTimeInterval(300)))
        XCTAssertEqual(try target.feeds.fulltextCounts().retrying, 1)
    }

    /// A daemon whose claim expired while another daemon took the page over cannot move the
    /// page's schedule under it.
    func testALateRetryOfAnExpiredClaimChangesNothing() throws {
        let database = try XCTUnwrap(db)
        let a = try database.open(node: "a"), b = try database.open(node: "b")
        let feed = FeedConfig(id: "herald", name: "Herald", url: "https://example.invalid/herald", outlet: "Herald", group: "western")
        var identity = FeedIdentity(feed)
        identity.pages = PageRequestLimits(firstPollBacklog: 10, queueLimit: 10)
        let state = try XCTUnwrap(try a.feeds.register([feed]).first)
        _ = try a.feeds.commitPoll(identity, state: state, entries: [FeedEntry(id: "s", title: "S", link: "https://example.invalid/s", text: "t")], now: t0)
        let job = try XCTUnwrap(try a.feeds.pendingPages(limit: 10).first)
        XCTAssertTrue(try a.feeds.claimPage(job, seconds: 60, now: t0))
        _ = try a.client.withConnection { c in
            try c.execute("UPDATE entries SET page_lease_until = now() - interval '1 second' WHERE page_lease_until IS NOT NULL")
        }
        XCTAssertTrue(try b.feeds.claimPage(job, seconds: 60, now: t0))
        XCTAssertFalse(try a.feeds.schedulePageRetry(job, error: .timeout, next: t0.addingTimeInterval(60)), "b holds the claim now")
        XCTAssertTrue(try b.feeds.schedulePageRetry(job, error: .connect, next: t0.addingTimeInterval(60)))
        let stored = try XCTUnwrap(try a.feeds.entries(ids: [job.entryID]).first)
        XCTAssertEqual(stored.pageAttempts, 1)
        XCTAssertEqual(stored.pageLastError, "connect")
        XCTAssertEqual(try a.feeds.pendingPages(limit: 10, excluding: [], dueBy: t0.addingTimeInterval(59)), [], "claim ended, retry waits")
    }
}
