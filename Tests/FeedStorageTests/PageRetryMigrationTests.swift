import DyadConfig
import DyadCore
@testable import FeedStorage
import Foundation
import GRDB
import TestSupport
import XCTest

/// `fetch-v6-page-retry` on a state file written by the schema before it: pending pages stay in
/// the queue with no attempts, decided ones keep their status, and retries work at once.
final class PageRetryMigrationTests: XCTestCase {
    func testAFileOfThePreviousSchemaIsMigratedWithItsQueue() throws {
        let dir = try TemporaryDirectory(prefix: "dyadwatch-retry-migration")
        defer { dir.remove() }
        let path = dir.url.appendingPathComponent(FeedStore.fileName).path
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        // The file as the previous release left it: schema up to `fetch-v2-fulltext`, one pending
        // and one decided page.
        try PreviousSchemaFile.make(at: path, upTo: "fetch-v2-fulltext", newColumn: "page_attempts") { db in
            for (i, status) in ["pending", "http_4xx"].enumerated() {
                try db.execute(sql: """
                    INSERT INTO entries (feed_id, dedup_key, first_seen, updated_at, revision, title, link, text, content_hash, fulltext_status)
                    VALUES ('herald', ?, ?, ?, 1, 'T', ?, 'feed text', 'h', ?)
                    """, arguments: ["id:\(i)", t0, t0, "https://h.example/\(i)", status])
            }
        }

        let store = try FeedStore(path: path)
        let entries = try store.entries(of: "herald")
        XCTAssertEqual(entries.map(\.fulltextStatus), ["pending", "http_4xx"])
        XCTAssertEqual(entries.map(\.pageAttempts), [0, 0])
        XCTAssertEqual(entries.map(\.pageNextAttempt), [nil, nil])
        let job = try XCTUnwrap(try store.pendingPages(limit: 10, excluding: [], dueBy: t0).first)
        XCTAssertEqual(job, PageJob(entryID: entries[0].id!, feedID: "herald", link: "https://h.example/0", attempts: 0))
        XCTAssertTrue(try store.schedulePageRetry(job, error: .timeout, next: t0.addingTimeInterval(60)))
        XCTAssertEqual(try store.pendingPages(limit: 10, excluding: [], dueBy: t0.addingTimeInterval(59)), [])
        XCTAssertEqual(try store.pendingPages(limit: 10, excluding: [], dueBy: t0.addingTimeInterval(60)).first?.attempts, 1)
        XCTAssertEqual(try store.fulltextCounts().retrying, 1)
        XCTAssertTrue(try store.writer.read { db in try db.columns(in: "entries").contains { $0.name == "page_last_error" } })
    }
}
