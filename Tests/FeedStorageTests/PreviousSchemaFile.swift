@testable import FeedStorage
import Foundation
import GRDB
import XCTest

/// A state file as an earlier release left it, for testing a migration on real old data: the
/// schema up to `migration`, the feed `herald`, and the rows `fill` writes; then the check that the
/// migration under test has not run yet (`newColumn` is absent from `entries`).
enum PreviousSchemaFile {
    static let feedID = "herald"

    static func make(at path: String, upTo migration: String, newColumn: String,
                     _ fill: (Database) throws -> Void) throws {
        let old = try DatabaseQueue(path: path)
        try StateSchema.migrator.migrate(old, upTo: migration)
        try old.write { db in
            try db.execute(sql: "INSERT INTO feeds (id, configured_url, url, consecutive_failures) VALUES (?, 'https://h.example/rss', 'https://h.example/rss', 0)",
                           arguments: [feedID])
            try fill(db)
        }
        XCTAssertFalse(try old.read { db in try db.columns(in: "entries").contains { $0.name == newColumn } },
                       "\(newColumn) exists before the migration under test")
    }
}
