import DyadCore
import Foundation
import GRDB

/// The page queue in the SQLite entries table: one daemon per file (`daemon.lock`), so a claim
/// is the entry being pending, and there are no leases to keep.
extension FeedStore {
    public func pendingPages(limit: Int, excluding: Set<Int64>) throws -> [PageJob] {
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

    public func claimPage(_ job: PageJob, seconds: TimeInterval) throws -> Bool { true }

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

    public func fulltextCounts() throws -> FulltextCounts {
        try writer.read { db in try Self.fulltextCounts(db) }
    }

    /// The same on any connection (`status` opens the file read-only, without migrations).
    public static func fulltextCounts(_ db: Database) throws -> FulltextCounts {
        guard try db.tableExists("entries"),
              try db.columns(in: "entries").contains(where: { $0.name == "fulltext_status" }) else { return FulltextCounts() }
        var counts = FulltextCounts()
        for row in try Row.fetchAll(db, sql: "SELECT fulltext_status, COUNT(*) AS n FROM entries WHERE fulltext_status IS NOT NULL GROUP BY fulltext_status") {
            if let status = FulltextStatus(rawValue: row["fulltext_status"]) { counts.byStatus[status] = row["n"] }
        }
        return counts
    }

    /// What `PageRequests` needs, inside the poll's transaction.
    static func pageQueueFacts(_ db: Database, feedID: String) throws -> PageQueueFacts {
        PageQueueFacts(
            feedHasEntries: try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM entries WHERE feed_id = ?)", arguments: [feedID]) ?? false,
            pending: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM entries WHERE fulltext_status = 'pending'") ?? 0)
    }
}
