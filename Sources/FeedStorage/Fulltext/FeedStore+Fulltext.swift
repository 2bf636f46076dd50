import DyadCore
import Foundation
import GRDB

/// One entry waiting for its page.
public struct PageJob: Sendable, Equatable {
    public var entryID: Int64
    public var feedID: String
    public var link: String

    public init(entryID: Int64, feedID: String, link: String) {
        self.entryID = entryID; self.feedID = feedID; self.link = link
    }
}

/// Entries by page status, for `status` and the tests.
public struct FulltextCounts: Sendable, Equatable {
    public var byStatus: [FulltextStatus: Int] = [:]

    public init(byStatus: [FulltextStatus: Int] = [:]) { self.byStatus = byStatus }

    public subscript(_ status: FulltextStatus) -> Int { byStatus[status] ?? 0 }
    /// Pages received (extracted, too short, not HTML, empty).
    public var fetched: Int { byStatus.filter { $0.key.pageReceived }.map(\.value).reduce(0, +) }
    /// Pages that failed for any reason other than too little text or robots.txt.
    public var failed: Int {
        byStatus.filter { $0.key.isFailure && $0.key != .tooShort && $0.key != .robots }.map(\.value).reduce(0, +)
    }
    public var total: Int { byStatus.values.reduce(0, +) }
}

/// The page queue and the extracted text, in the `entries` table this module owns.
extension FeedStore {
    /// Entries whose page is still to be fetched, oldest first, skipping `excluding` (jobs in hand).
    public func pendingPages(limit: Int, excluding: Set<Int64> = []) throws -> [PageJob] {
        try writer.read { db in
            var jobs: [PageJob] = []
            let rows = try Row.fetchCursor(db, sql: "SELECT id, feed_id, link FROM entries WHERE fulltext_status = 'pending' ORDER BY id")
            while let row = try rows.next(), jobs.count < limit {
                let id: Int64 = row["id"]
                if excluding.contains(id) { continue }
                jobs.append(PageJob(entryID: id, feedID: row["feed_id"], link: row["link"] ?? ""))
            }
            return jobs
        }
    }

    /// Records what became of a pending entry's page. With `text` (status `extracted`) the entry
    /// keeps its feed text and gains the page's, its revision goes up (so a crash before the
    /// re-analysis is recovered at start) and the entry is returned as an update to analyze again.
    /// Nil when the entry is no longer pending (already decided, or gone).
    public func recordPage(_ job: PageJob, status: FulltextStatus, text: String?, feed: FeedIdentity,
                           now: Date) throws -> AcceptedEntry? {
        precondition(status != .pending, "a page outcome cannot be pending")
        return try writer.write { db in
            let extracted = status == .extracted ? text : nil
            try db.execute(sql: """
                UPDATE entries SET fulltext_status = ?, fulltext = ?, fulltext_at = ?,
                revision = revision + (CASE WHEN ? IS NULL THEN 0 ELSE 1 END)
                WHERE id = ? AND fulltext_status = 'pending'
                """, arguments: [status.rawValue, extracted, now, extracted, job.entryID])
            guard db.changesCount > 0, extracted != nil,
                  let stored = try StoredEntry.fetchOne(db, key: job.entryID) else { return nil }
            return EntryIngest.accepted(stored, feed: feed, isUpdate: true)
        }
    }

    /// Entries per page status (entries of feeds without full text are not counted).
    public func fulltextCounts() throws -> FulltextCounts {
        try writer.read { db in try Self.fulltextCounts(db) }
    }

    /// The same on any connection (`status` opens the file read-only, without migrations).
    public static func fulltextCounts(_ db: Database) throws -> FulltextCounts {
        guard try db.columns(in: "entries").contains(where: { $0.name == "fulltext_status" }) else { return FulltextCounts() }
        var counts = FulltextCounts()
        for row in try Row.fetchAll(db, sql: "SELECT fulltext_status, COUNT(*) AS n FROM entries WHERE fulltext_status IS NOT NULL GROUP BY fulltext_status") {
            if let status = FulltextStatus(rawValue: row["fulltext_status"]) { counts.byStatus[status] = row["n"] }
        }
        return counts
    }
}
