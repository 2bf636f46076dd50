import DyadCore
import FeedStorage
import Foundation

/// FeedStorage's page queue on PostgreSQL, shared by the daemons of one database. A daemon claims
/// a pending entry's page just before fetching it: `SELECT … FOR UPDATE SKIP LOCKED` on the
/// entry's row sets `page_lease_owner`/`page_lease_until` (the database's clock) only when no
/// other live daemon holds it; recording the outcome ends the claim in the same statement. The
/// claims of a daemon that died expire; the pages are then listed again and fetched by another.
extension PostgresFeedStore {
    /// Who claims pages: this daemon's node name, or one name per process outside a cluster (a
    /// replay, the tests), so that claims still exclude each other.
    var pageOwner: String { cluster?.node ?? Self.processOwner }
    static let processOwner = "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)"

    /// Pending, and not claimed by another live daemon.
    static let claimable = """
        fulltext_status = 'pending' AND (page_lease_until IS NULL OR page_lease_until < now() OR page_lease_owner = $1)
        """
    /// Claimable, and its next attempt (a page waiting for a retry) not after `$2`.
    static let due = "\(claimable) AND (page_next_attempt IS NULL OR page_next_attempt <= $2)"

    public func pendingPages(limit: Int, excluding: Set<Int64>, dueBy: Date) throws -> [PageJob] {
        guard limit > 0 else { return [] }
        return try client.withConnection { c in
            try c.query("""
                SELECT id, feed_id, link, page_attempts FROM entries WHERE \(Self.due) AND NOT (id = ANY($3)) ORDER BY id LIMIT $4
                """, [.text(pageOwner), .date(dueBy), .intArray(Array(excluding)), .int(limit)]).map {
                PageJob(entryID: try $0.get("id"), feedID: try $0.get("feed_id"), link: try $0.get("link", as: String?.self) ?? "",
                        attempts: Int(try $0.get("page_attempts", as: Int64.self)))
            }
        }
    }

    public func nextPageAttempt(after now: Date) throws -> Date? {
        try client.withConnection { c in
            try c.query("""
                SELECT MIN(page_next_attempt) AS t FROM entries WHERE fulltext_status = 'pending' AND page_next_attempt > $1
                """, [.date(now)]).first?.get("t", as: Date?.self)
        }
    }

    /// `FOR UPDATE SKIP LOCKED` on a due, claimable row: a page whose next attempt is in the
    /// future, claimed by another live daemon, or being written, is not taken.
    public func claimPage(_ job: PageJob, seconds: TimeInterval, now: Date) throws -> Bool {
        try client.transaction { c in
            !(try c.query("""
                WITH target AS (SELECT id FROM entries WHERE id = $3 AND \(Self.due) FOR UPDATE SKIP LOCKED)
                UPDATE entries SET page_lease_owner = $1, page_lease_until = now() + make_interval(secs => $4)
                FROM target WHERE entries.id = target.id
                RETURNING entries.id
                """, [.text(pageOwner), .date(now), .int(job.entryID), .double(max(1, seconds))]).isEmpty)
        }
    }

    /// Only while this daemon's claim holds (or nobody's does): a daemon whose claim expired and
    /// was taken by another must not move the page's schedule under it.
    public func schedulePageRetry(_ job: PageJob, error: FulltextStatus, next: Date) throws -> Bool {
        try client.transaction { c in
            !(try c.query("""
                UPDATE entries SET page_attempts = page_attempts + 1, page_next_attempt = $2, page_last_error = $3,
                  page_lease_owner = NULL, page_lease_until = NULL
                WHERE id = $4 AND \(Self.claimable)
                RETURNING id
                """, [.text(pageOwner), .date(next), .text(error.rawValue), .int(job.entryID)]).isEmpty)
        }
    }

    public func recordPage(_ job: PageJob, status: FulltextStatus, text: String?, feed: FeedIdentity,
                           now: Date) throws -> AcceptedEntry? {
        precondition(status != .pending, "a page outcome cannot be pending")
        let extracted = status == .extracted ? text : nil
        return try client.transaction { c in
            guard let row = try c.query("""
                UPDATE entries SET fulltext_status = $1, fulltext = $2, fulltext_at = $3,
                  revision = revision + (CASE WHEN $2::text IS NULL THEN 0 ELSE 1 END),
                  page_attempts = page_attempts + 1, page_next_attempt = NULL,
                  page_last_error = COALESCE($5, page_last_error),
                  page_lease_owner = NULL, page_lease_until = NULL
                WHERE id = $4 AND fulltext_status = 'pending'
                RETURNING \(Self.entryColumns)
                """, [.text(status.rawValue), .text(extracted), .date(now), .int(job.entryID),
                      .text(status == .extracted ? nil : status.rawValue)]).first,
                  extracted != nil else { return nil }
            return EntryIngest.accepted(try Self.storedEntry(row), feed: feed, isUpdate: true)
        }
    }

    public func fulltextCounts() throws -> FulltextCounts {
        try client.withConnection { c in
            var counts = FulltextCounts()
            for row in try c.query("""
                SELECT fulltext_status AS s, COUNT(*) AS n FROM entries WHERE fulltext_status IS NOT NULL GROUP BY fulltext_status
                """) {
                if let status = FulltextStatus(rawValue: try row.get("s")) { counts.byStatus[status] = Int(try row.get("n", as: Int64.self)) }
            }
            // Readers never migrate: a database no daemon of this version has opened has no retries.
            let migrated = try c.query("""
                SELECT EXISTS (SELECT 1 FROM information_schema.columns
                               WHERE table_schema = current_schema() AND table_name = 'entries' AND column_name = 'page_attempts') AS m
                """)[0].get("m", as: Bool.self)
            if migrated {
                counts.retrying = Int(try c.query("""
                    SELECT COUNT(*) AS n FROM entries WHERE fulltext_status = 'pending' AND page_attempts > 0
                    """)[0].get("n", as: Int64.self))
            }
            return counts
        }
    }

    /// What `PageRequests` needs, inside the poll's transaction.
    static func pageQueueFacts(_ c: PGConnection, feedID: String) throws -> PageQueueFacts {
        let row = try c.query("""
            SELECT EXISTS (SELECT 1 FROM entries WHERE feed_id = $1) AS has,
                   (SELECT COUNT(*) FROM entries WHERE fulltext_status = 'pending') AS pending
            """, [.text(feedID)])[0]
        return PageQueueFacts(feedHasEntries: try row.get("has"), pending: Int(try row.get("pending", as: Int64.self)))
    }

    /// Ends this daemon's page claims (leaving the cluster cleanly): the pages are listed again at once.
    func releasePageClaims(_ c: PGConnection) throws {
        try c.execute("""
            UPDATE entries SET page_lease_owner = NULL, page_lease_until = NULL
            WHERE fulltext_status = 'pending' AND page_lease_owner = $1
            """, [.text(pageOwner)])
    }
}
