import DyadConfig
import DyadCore
import FeedStorage
import Foundation
import PostgresNIO

/// `FeedStoring` on PostgreSQL: FeedStorage's feeds and entries tables (same columns, same
/// de-duplication through `EntryIngest`, same registration through `FeedState.registered`).
public final class PostgresFeedStore: FeedStoring {
    let client: PGClient
    /// This daemon's name and lease length when several daemons share the database (see
    /// `FeedLeasing`); nil for a process that polls nothing (`status`, `migrate`, tests).
    let cluster: ClusterMembership?

    init(client: PGClient, cluster: ClusterMembership?) { self.client = client; self.cluster = cluster }

    static let feedColumns = """
        id, configured_url, url, etag, last_modified, last_status, last_error, last_attempt, last_success,
        consecutive_failures, next_due, disabled_reason, newest_item, ttl_floor, last_bytes, last_duration_ms,
        last_error_class, next_due_reason, last_problems
        """
    static let entryColumns = """
        id, feed_id, dedup_key, first_seen, updated_at, revision, guid, title, link, published, entry_updated,
        author, summary, text, language, categories, content_hash, fulltext, fulltext_status, fulltext_at,
        page_attempts, page_next_attempt, page_last_error
        """

    public func register(_ feeds: [FeedConfig]) throws -> [FeedState] {
        try client.transaction { c in
            var known: [String: FeedState] = [:]
            for row in try c.query("SELECT \(Self.feedColumns) FROM feeds WHERE id = ANY($1)", [.textArray(feeds.map(\.id))]) {
                let s = try Self.feedState(row)
                known[s.id] = s
            }
            return try feeds.map { feed in
                let (state, changed) = FeedState.registered(feed.url, id: feed.id, stored: known[feed.id])
                if changed {
                    // Another daemon registering the same feed at the same moment: its row wins.
                    try Self.write(state, c, onConflict: known[feed.id] == nil ? "DO NOTHING" : nil)
                    known[feed.id] = state
                }
                return state
            }
        }
    }

    public func state(of feedID: String) throws -> FeedState? {
        try client.withConnection { c in
            try c.query("SELECT \(Self.feedColumns) FROM feeds WHERE id = $1", [.text(feedID)]).first.map(Self.feedState)
        }
    }

    public func states() throws -> [FeedState] {
        try client.withConnection { c in
            try c.query("SELECT \(Self.feedColumns) FROM feeds ORDER BY id").map(Self.feedState)
        }
    }

    public func save(_ state: FeedState) throws {
        try client.transaction { c in
            try Self.write(state, c)
            try releaseLease(state.id, c)
        }
    }

    public func commitPoll(_ feed: FeedIdentity, state: FeedState, entries: [FeedEntry], now: Date) throws -> IngestResult {
        try client.transaction { c in
            var state = state
            let result = try Self.ingest(c, feed: feed, entries: entries, now: now, newestItem: &state.newestItem)
            try Self.write(state, c)
            try releaseLease(state.id, c)
            return result
        }
    }

    public func ingest(_ feed: FeedIdentity, entries: [FeedEntry], now: Date) throws -> IngestResult {
        try client.transaction { c in
            var state = try c.query("SELECT \(Self.feedColumns) FROM feeds WHERE id = $1 FOR UPDATE", [.text(feed.id)]).first
                .map(Self.feedState) ?? FeedState(id: feed.id, url: "")
            let result = try Self.ingest(c, feed: feed, entries: entries, now: now, newestItem: &state.newestItem)
            try Self.write(state, c)
            return result
        }
    }

    public func entries(of feedID: String) throws -> [StoredEntry] {
        try client.withConnection { c in
            try c.query("SELECT \(Self.entryColumns) FROM entries WHERE feed_id = $1 ORDER BY id", [.text(feedID)]).map(Self.storedEntry)
        }
    }

    public func entries(ids: [Int64]) throws -> [StoredEntry] {
        try client.withConnection { c in
            try c.query("SELECT \(Self.entryColumns) FROM entries WHERE id = ANY($1) ORDER BY id", [.intArray(ids)]).map(Self.storedEntry)
        }
    }

    public func entryCount(of feedID: String?) throws -> Int {
        try client.withConnection { c in
            let rows = if let feedID {
                try c.query("SELECT COUNT(*) AS n FROM entries WHERE feed_id = $1", [.text(feedID)])
            } else {
                try c.query("SELECT COUNT(*) AS n FROM entries")
            }
            return Int(try rows[0].get("n", as: Int64.self))
        }
    }

    public func entryCount(firstSeenSince since: Date) throws -> Int {
        try client.withConnection { c in
            Int(try c.query("SELECT COUNT(*) AS n FROM entries WHERE first_seen >= $1", [.date(since)])[0].get("n", as: Int64.self))
        }
    }

    public func entryRevisions(after: Int64, limit: Int) throws -> [EntryRevision] {
        try client.withConnection { c in
            try c.query("SELECT id, revision FROM entries WHERE id > $1 ORDER BY id LIMIT $2", [.int(after), .int(limit)]).map {
                EntryRevision(id: try $0.get("id", as: Int64.self), revision: Int(try $0.get("revision", as: Int64.self)))
            }
        }
    }

    public func unanalyzedEntries(after: Int64, limit: Int) throws -> [EntryRevision] {
        try client.withConnection { c in
            try c.query(Self.unanalyzedQuery, [.int(after), .int(Int64(max(1, limit)))]).map {
                EntryRevision(id: try $0.get("id", as: Int64.self), revision: Int(try $0.get("revision", as: Int64.self)))
            }
        }
    }

    private static let unanalyzedQuery = "SELECT id, revision FROM entries WHERE \(FeedSchemaPG.unanalyzed) AND id > $1 ORDER BY id LIMIT $2"

    /// PostgreSQL's plan for `unanalyzedEntries` (`EXPLAIN`, one line per node): shows that the
    /// sweep reads the partial index `entries_unanalyzed` (once the table's statistics are known).
    public func unanalyzedQueryPlan() throws -> String {
        try client.withConnection { c in
            try c.query("EXPLAIN " + Self.unanalyzedQuery, [.int(0), .int(500)])
                .map { try $0.get("QUERY PLAN", as: String.self) }.joined(separator: "\n")
        }
    }

    public func markAnalyzed(_ entries: [EntryRevision]) throws {
        guard !entries.isEmpty else { return }
        try client.withConnection { c in
            _ = try c.execute("""
                UPDATE entries SET analyzed_revision = m.revision
                FROM unnest($1::bigint[], $2::bigint[]) AS m(id, revision)
                WHERE entries.id = m.id AND (entries.analyzed_revision IS NULL OR entries.analyzed_revision < m.revision)
                """, [.intArray(entries.map(\.id)), .intArray(entries.map { Int64($0.revision) })])
        }
    }

    public func entries(in window: EntryWindow, after: EntryPosition?, limit: Int) throws -> EntryPage {
        try client.withConnection { c in
            let time = "COALESCE(published, first_seen)"
            var sql = "SELECT \(Self.entryColumns), \(time)::text AS sort_key FROM entries WHERE \(time) >= $1 AND \(time) < $2"
            var args: [PGArg] = [.date(window.from), .date(window.to)]
            if let feedID = window.feedID { args.append(.text(feedID)); sql += " AND feed_id = $\(args.count)" }
            if let after {
                args += [.text(after.sortKey), .int(after.id)]
                sql += " AND (\(time) < $\(args.count - 1)::timestamptz OR (\(time) = $\(args.count - 1)::timestamptz AND id < $\(args.count)))"
            }
            args.append(.int(max(1, limit)))
            sql += " ORDER BY \(time) DESC, id DESC LIMIT $\(args.count)"
            var entries: [StoredEntry] = []
            var last: EntryPosition? = nil
            for row in try c.query(sql, args) {
                let entry = try Self.storedEntry(row)
                entries.append(entry)
                last = EntryPosition(sortKey: try row.get("sort_key"), id: entry.id ?? 0)
            }
            return EntryPage(entries: entries, next: entries.count < max(1, limit) ? nil : last)
        }
    }

    // MARK: rows

    static func ingest(_ c: PGConnection, feed: FeedIdentity, entries: [FeedEntry], now: Date, newestItem: inout Date?) throws -> IngestResult {
        try EntryIngest.run(feed: feed, entries: entries, now: now, newestItem: &newestItem, lookup: { keys in
            var known: [String: EntryIngest.Known] = [:]
            guard !keys.isEmpty else { return known }
            for row in try c.query("""
                SELECT id, dedup_key, content_hash, first_seen, revision, fulltext FROM entries WHERE feed_id = $1 AND dedup_key = ANY($2)
                """, [.text(feed.id), .textArray(keys)]) {
                known[try row.get("dedup_key", as: String.self)] = EntryIngest.Known(
                    id: try row.get("id"), contentHash: try row.get("content_hash"), firstSeen: try row.get("first_seen"),
                    revision: Int(try row.get("revision", as: Int64.self)), fulltext: try row.get("fulltext"))
            }
            return known
        }, update: { s in
            try c.execute("""
                UPDATE entries SET updated_at = $1, revision = $2, guid = $3, title = $4, link = $5, published = $6,
                entry_updated = $7, author = $8, summary = $9, text = $10, language = $11, categories = $12, content_hash = $13
                WHERE id = $14
                """, [.date(s.updatedAt), .int(s.revision), .text(s.guid), .text(s.title), .text(s.link), .date(s.published),
                      .date(s.entryUpdated), .text(s.author), .text(s.summary), .text(s.text), .text(s.language),
                      .text(s.categories), .text(s.contentHash), .int(s.id)])
        }, insert: { s in
            try insertEntry(s, c)
        }, queue: { try pageQueueFacts(c, feedID: feed.id) })
    }

    /// Inserts an entry (with its id when it has one: `migrate --to-postgres`); returns the id.
    static func insertEntry(_ s: StoredEntry, _ c: PGConnection) throws -> Int64 {
        let values: [PGArg] = [.text(s.feedID), .text(s.dedupKey), .date(s.firstSeen), .date(s.updatedAt), .int(s.revision),
                               .text(s.guid), .text(s.title), .text(s.link), .date(s.published), .date(s.entryUpdated),
                               .text(s.author), .text(s.summary), .text(s.text), .text(s.language), .text(s.categories),
                               .text(s.contentHash), .text(s.fulltext), .text(s.fulltextStatus), .date(s.fulltextAt),
                               .int(s.pageAttempts ?? 0), .date(s.pageNextAttempt), .text(s.pageLastError)]
        let columns = "feed_id, dedup_key, first_seen, updated_at, revision, guid, title, link, published, entry_updated, author, summary, text, language, categories, content_hash, fulltext, fulltext_status, fulltext_at, page_attempts, page_next_attempt, page_last_error"
        let params = (1...22).map { "$\($0)" }.joined(separator: ", ")
        if let id = s.id {
            try c.execute("INSERT INTO entries (id, \(columns)) VALUES ($23, \(params))", values + [.int(id)])
            return id
        }
        return try c.query("INSERT INTO entries (\(columns)) VALUES (\(params)) RETURNING id", values)[0].get("id", as: Int64.self)
    }

    /// Writes a feed's state over its row (inserting it when missing). The lease columns are left
    /// alone: `FeedLeases` owns them.
    static func write(_ s: FeedState, _ c: PGConnection, onConflict: String? = nil) throws {
        let conflict = onConflict ?? """
            DO UPDATE SET configured_url = EXCLUDED.configured_url, url = EXCLUDED.url, etag = EXCLUDED.etag,
            last_modified = EXCLUDED.last_modified, last_status = EXCLUDED.last_status, last_error = EXCLUDED.last_error,
            last_attempt = EXCLUDED.last_attempt, last_success = EXCLUDED.last_success,
            consecutive_failures = EXCLUDED.consecutive_failures, next_due = EXCLUDED.next_due,
            disabled_reason = EXCLUDED.disabled_reason, newest_item = EXCLUDED.newest_item, ttl_floor = EXCLUDED.ttl_floor,
            last_bytes = EXCLUDED.last_bytes, last_duration_ms = EXCLUDED.last_duration_ms,
            last_error_class = EXCLUDED.last_error_class, next_due_reason = EXCLUDED.next_due_reason,
            last_problems = EXCLUDED.last_problems
            """
        try c.execute("""
            INSERT INTO feeds (\(feedColumns))
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
            ON CONFLICT (id) \(conflict)
            """, [.text(s.id), .text(s.configuredURL), .text(s.url), .text(s.etag), .text(s.lastModified), .int(s.lastStatus),
                  .text(s.lastError), .date(s.lastAttempt), .date(s.lastSuccess), .int(s.consecutiveFailures), .date(s.nextDue),
                  .text(s.disabledReason), .date(s.newestItem), .double(s.ttlFloor), .int(s.lastBytes), .int(s.lastDurationMs),
                  .text(s.lastErrorClass), .text(s.nextDueReason), .text(s.lastProblems)])
    }

    static func feedState(_ r: PostgresRandomAccessRow) throws -> FeedState {
        var s = FeedState(id: try r.get("id"), url: try r.get("url"))
        s.configuredURL = try r.get("configured_url")
        s.etag = try r.get("etag"); s.lastModified = try r.get("last_modified")
        s.lastStatus = try r.get("last_status", as: Int64?.self).map(Int.init)
        s.lastError = try r.get("last_error"); s.lastAttempt = try r.get("last_attempt"); s.lastSuccess = try r.get("last_success")
        s.consecutiveFailures = Int(try r.get("consecutive_failures", as: Int64.self))
        s.nextDue = try r.get("next_due"); s.disabledReason = try r.get("disabled_reason"); s.newestItem = try r.get("newest_item")
        s.ttlFloor = try r.get("ttl_floor"); s.lastBytes = try r.get("last_bytes")
        s.lastDurationMs = try r.get("last_duration_ms", as: Int64?.self).map(Int.init)
        s.lastErrorClass = try r.get("last_error_class"); s.nextDueReason = try r.get("next_due_reason")
        s.lastProblems = try r.get("last_problems")
        return s
    }

    static func storedEntry(_ r: PostgresRandomAccessRow) throws -> StoredEntry {
        StoredEntry(id: try r.get("id"), feedID: try r.get("feed_id"), dedupKey: try r.get("dedup_key"),
                    firstSeen: try r.get("first_seen"), updatedAt: try r.get("updated_at"),
                    revision: Int(try r.get("revision", as: Int64.self)), guid: try r.get("guid"), title: try r.get("title"),
                    link: try r.get("link"), published: try r.get("published"), entryUpdated: try r.get("entry_updated"),
                    author: try r.get("author"), summary: try r.get("summary"), text: try r.get("text"),
                    language: try r.get("language"), categories: try r.get("categories"), contentHash: try r.get("content_hash"),
                    fulltext: try r.get("fulltext"), fulltextStatus: try r.get("fulltext_status"), fulltextAt: try r.get("fulltext_at"),
                    pageAttempts: Int(try r.get("page_attempts", as: Int64.self)), pageNextAttempt: try r.get("page_next_attempt"),
                    pageLastError: try r.get("page_last_error"))
    }
}
