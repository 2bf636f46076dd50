import Alerts
import DyadConfig
import DyadCore
import FeedStorage
import Foundation
import StorageConformance
@testable import PostgresStorage
import XCTest

/// The analysis mark on PostgreSQL: `fetch-v7-analysis-mark` on a database of the previous schema
/// lists every entry as a sweep candidate, and `migrate --to-postgres` carries the marks (the
/// candidates on PostgreSQL are the candidates on SQLite).
final class AnalysisMarkPGTests: PostgresDatabaseTestCase {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    let feed = FeedConfig(id: "herald", name: "Herald", url: "https://example.invalid/herald", outlet: "Herald", group: "western")

    func testADatabaseOfThePreviousSchemaListsEveryEntry() throws {
        let database = try XCTUnwrap(db)
        do {
            let client = try PGClient(database.storage)
            defer { client.close() }
            try PGMigrator.migrate(client, PostgresState.migrations.filter { $0.identifier != "fetch-v7-analysis-mark" })
            let old = PostgresFeedStore(client: client, cluster: nil)
            let state = try XCTUnwrap(try old.register([feed]).first)
            _ = state
            try client.withConnection { c in
                for i in 0..<3 {
                    try c.execute("""
                        INSERT INTO entries (feed_id, dedup_key, first_seen, updated_at, revision, title, text, content_hash)
                        VALUES ('herald', $1, $2, $2, $3, 'T', 'feed text', 'h')
                        """, [.text("id:\(i)"), .date(t0), .int(Int64(i + 1))])
                }
            }
        }
        let store = try database.open().feeds
        let all = try store.entryRevisions(after: 0, limit: 10)
        XCTAssertEqual(all.map(\.revision), [1, 2, 3])
        XCTAssertEqual(try store.unanalyzedEntries(after: 0, limit: 10), all)
        try store.markAnalyzed([all[0], all[2]])
        XCTAssertEqual(try store.unanalyzedEntries(after: 0, limit: 10), [all[1]])
    }

    func testMigrateCarriesTheMarks() throws {
        let sqlite = try FeedStore(directory: directory)
        let identity = FeedIdentity(feed)
        _ = try sqlite.register([feed])
        let entries = (1...4).map { FeedEntry(id: "s\($0)", title: "Story \($0)", link: "https://example.invalid/s\($0)", text: "t") }
        let stored = try sqlite.ingest(identity, entries: entries, now: t0).accepted
        try sqlite.markAnalyzed(stored.prefix(3).map { EntryRevision(id: $0.entryID, revision: $0.revision) })
        // The first entry changed after its analysis: a candidate at revision 2.
        _ = try sqlite.ingest(identity, entries: [FeedEntry(id: "s1", title: "Story 1, changed", link: "https://example.invalid/s1", text: "t")],
                              now: t0.addingTimeInterval(60))
        let candidates = try sqlite.unanalyzedEntries(after: 0, limit: 10)
        XCTAssertEqual(candidates.map(\.id), [stored[0].entryID, stored[3].entryID])

        let target = try XCTUnwrap(db).open()
        XCTAssertEqual(try StateImport.run(from: sqlite, try SQLiteAnalysisStore(sqlite.writer), into: target, batch: 1).entries, 4)
        XCTAssertEqual(try target.feeds.unanalyzedEntries(after: 0, limit: 10), candidates)
    }
}
