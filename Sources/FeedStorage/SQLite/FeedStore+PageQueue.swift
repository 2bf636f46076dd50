import DyadCore
import Foundation
import GRDB

/// The page queue in the SQLite entries table: one daemon per file (`daemon.lock`), so a claim
/// is the entry being pending and due, and there are no leases to keep.
extension FeedStore {
    /// Pending, and due by the bound date (a page waiting for a retry has a `page_next_attempt`).
    static let duePage = "fulltext_status = 'pending' AND (page_next_attempt IS NULL OR page_next_attempt <= ?)"

    public func pendingPages(limit: Int, excluding: Set<Int64>, dueBy: Date) throws -> [PageJob] {
        try writer.read { db in
            var jobs: [PageJob] = []
            let rows = try Row.fetchCursor(db, sql: "SELECT id, feed_id, link, page_attempts FROM entries WHERE \(Self.duePage) ORDER BY id",
                                           arguments: [StoredDate.value(dueBy)])
            while let row = try rows.next(), jobs.count < limit {
                let id: Int64 = row["id"]
                if excluding.contains(id) { continue }
                jobs.append(PageJob(entryID: id, feedID: row["feed_id"], link: row["link"] ?? "", attempts: row["page_attempts"]))
            }
            return jobs
        }
    }

    public func nextPageAttempt(after now: Date) throws -> Date? {
        try writer.read { db in
            try Date.fetchOne(db, sql: """
                SELECT MIN(page_next_attempt) FROM entries WHERE fulltext_status = 'pending' AND page_next_attempt > ?
                """, arguments: [StoredDate.value(now)])
        }
    }

    public func claimPage(_ job: PageJob, seconds: TimeInterval, now: Date) throws -> Bool {
        try writer.read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM entries WHERE id = ? AND \(Self.duePage))",
                              arguments: [job.entryID, StoredDate.value(now)]) ?? false
        }
    }

    public func schedulePageRetry(_ job: PageJob, error: FulltextStatus, next: Date) throws -> Bool {
        try writer.write { db in
            try db.execute(sql: """
                UPDATE entries SET page_attempts = page_attempts + 1, page_next_attempt = ?, page_last_error = ?
                WHERE id = ? AND fulltext_status = 'pending'
                """, arguments: [StoredDate.value(next), error.rawValue, job.entryID])
            return db.changesCount > 0
        }
    }

    public func recordPage(_ job: PageJob, status: FulltextStatus, text: String?, feed: FeedIdentity,
                           now: Date) throws -> AcceptedEntry? {
        precondition(status != .pending, "a page outcome cannot be pending")
        return try writer.write { db in
            let extracted = status == .extracted ? text : nil
            let failure: String? = status == .extracted ? nil : status.rawValue
            try db.execute(sql: """
                UPDATE entries SET fulltext_status = ?, fulltext = ?, fulltext_at = ?,
                revision = revision + (CASE WHEN ? IS NULL THEN 0 ELSE 1 END),
                page_attempts = page_attempts + 1, page_next_attempt = NULL,
                page_last_error = COALESCE(?, page_last_error)
                WHERE id = ? AND fulltext_status = 'pending'
                """, arguments: [status.rawValue, extracted, now, extracted, failure, job.entryID])
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
        guard try db.tableExists("entries") else { return FulltextCounts() }
        let columns = Set(try db.columns(in: "entries").map(\.name))
        guard columns.contains("fulltext_status") else { return FulltextCounts() }
        var counts = FulltextCounts()
        for row in try Row.fetchAll(db, sql: "SELECT fulltext_status, COUNT(*) AS n FROM entries WHERE fulltext_status IS NOT NULL GROUP BY fulltext_status") {
            if let status = FulltextStatus(rawValue: row["fulltext_status"]) { counts.byStatus[status] = row["n"] }
        }
        // A file no daemon has migrated yet has no retries.
        if columns.contains("page_attempts") {
            counts.retrying = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM entries WHERE fulltext_status = 'pending' AND page_attempts > 0
                """) ?? 0
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
