import DyadCore
@testable import FeedStorage
import Foundation
import GRDB
import TestSupport
import XCTest

/// `fetch-v7-analysis-mark` on a state file written by the schema before it: every entry starts
/// as a sweep candidate (the first sweep checks each against the trends tables once), through
/// the new partial index.
final class AnalysisMarkMigrationTests: XCTestCase {
    func testAFileOfThePreviousSchemaListsEveryEntryOnce() throws {
        let dir = try TemporaryDirectory(prefix: "dyadwatch-mark-migration")
        defer { dir.remove() }
        let path = dir.url.appendingPathComponent(FeedStore.fileName).path
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        try PreviousSchemaFile.make(at: path, upTo: "fetch-v6-page-retry", newColumn: "analyzed_revision") { db in
            for i in 0..<3 {
                try db.execute(sql: """
                    INSERT INTO entries (feed_id, dedup_key, first_seen, updated_at, revision, title, text, content_hash)
                    VALUES ('herald', ?, ?, ?, ?, 'T', 'feed text', 'h')
                    """, arguments: ["id:\(i)", t0, t0, i + 1])
            }
        }

        let store = try FeedStore(path: path)
        let all = try store.entryRevisions(after: 0, limit: 10)
        XCTAssertEqual(all.map(\.revision), [1, 2, 3])
        XCTAssertEqual(try store.unanalyzedEntries(after: 0, limit: 10), all)
        XCTAssertEqual(try store.unanalyzedEntries(after: all[0].id, limit: 1), [all[1]])
        try store.markAnalyzed([all[0], all[2]])
        XCTAssertEqual(try store.unanalyzedEntries(after: 0, limit: 10), [all[1]])
        let plan = try store.unanalyzedQueryPlan()
        XCTAssertTrue(plan.contains("entries_unanalyzed"), plan)
    }
}
