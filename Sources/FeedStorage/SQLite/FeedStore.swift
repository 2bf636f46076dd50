import DyadConfig
import DyadCore
import Foundation
import GRDB

/// The SQLite state database (`<state_dir>/dyadwatch.sqlite`, WAL): feed health and schedule, and
/// every entry ever accepted, de-duplicated per feed. One poll's writes are one transaction.
public final class FeedStore: FeedStoring {
    public static let fileName = "dyadwatch.sqlite"
    /// Longest a writer waits for another process's lock (poll while the daemon runs) before failing.
    static let busyTimeout: TimeInterval = 10
    /// Feed ids looked up per `IN (…)` query, well under SQLite's bound-parameter limit.
    static let keysPerQuery = 500

    /// The database; Trends and Alerts run their own `DatabaseMigrator` on it (see `migrate`).
    public let writer: any DatabaseWriter
    public let path: String

    /// Opens (creating if needed) the database in `directory` and applies the fetch migrations.
    public convenience init(directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try self.init(path: directory.appendingPathComponent(FeedStore.fileName).path)
    }

    /// Opens an existing database read-only, without migrations: `status` may run as another user
    /// (root next to a DynamicUser service) and must never create or change files in the state.
    public init(readOnlyPath path: String, busyTimeout: TimeInterval) throws {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(busyTimeout)
        writer = try DatabaseQueue(path: path, configuration: configuration)
        self.path = path
    }

    public init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(FeedStore.busyTimeout)
        configuration.foreignKeysEnabled = true
        // WAL + synchronous=NORMAL: every transaction stays atomic (a crash never leaves half a
        // poll) and commits skip the fsync; only the last commits before a power cut may be lost.
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        writer = try DatabasePool(path: path, configuration: configuration)
        self.path = path
        try StateSchema.migrator.migrate(writer)
    }

    /// Applies another module's migrations (identifiers prefixed `trends-`, `alerts-`, …) to this file.
    public func migrate(_ migrator: DatabaseMigrator) throws {
        try migrator.migrate(writer)
    }

    // MARK: Feeds

    /// Makes sure every configured feed has a row; a feed whose configured URL changed starts
    /// over (URL, validators, failures, disabled reason reset). Returns the states by feed order.
    @discardableResult
    public func register(_ feeds: [FeedConfig]) throws -> [FeedState] {
        try writer.write { db in
            var known: [String: FeedState] = [:]
            let ids = feeds.map(\.id)
            for start in stride(from: 0, to: ids.count, by: Self.keysPerQuery) {
                let chunk = ids[start..<min(ids.count, start + Self.keysPerQuery)]
                for state in try FeedState.filter(keys: Array(chunk)).fetchAll(db) { known[state.id] = state }
            }
            return try feeds.map { feed in
                let (state, changed) = FeedState.registered(feed.url, id: feed.id, stored: known[feed.id])
                if changed { try state.write(db); known[feed.id] = state }
                return state
            }
        }
    }

    public func state(of feedID: String) throws -> FeedState? {
        try writer.read { db in try FeedState.fetchOne(db, key: feedID) }
    }

    public func states() throws -> [FeedState] {
        try writer.read { db in
            guard try db.tableExists(FeedState.databaseTableName) else { return [] }
            return try FeedState.order(Column("id")).fetchAll(db)
        }
    }

    /// Writes a feed's new state alone (failed polls: nothing to ingest).
    public func save(_ state: FeedState) throws {
        try writer.write { db in try state.write(db) }
    }

    // MARK: Entries

    /// Records one poll atomically: the feed's new state and its entries (new ones inserted,
    /// changed ones updated). A crash leaves either all of it or none of it.
    public func commitPoll(_ feed: FeedIdentity, state: FeedState, entries: [FeedEntry], now: Date) throws -> IngestResult {
        try writer.write { db in
            var state = state
            let result = try Self.ingest(db, feed: feed, entries: entries, now: now, newestItem: &state.newestItem)
            try state.write(db)
            return result
        }
    }

    /// Stores entries of `feed` without touching its fetch state (replay of saved documents).
    public func ingest(_ feed: FeedIdentity, entries: [FeedEntry], now: Date) throws -> IngestResult {
        try writer.write { db in
            var state = try FeedState.fetchOne(db, key: feed.id) ?? FeedState(id: feed.id, url: "")
            let result = try Self.ingest(db, feed: feed, entries: entries, now: now, newestItem: &state.newestItem)
            try state.write(db)
            return result
        }
    }

    public func entries(of feedID: String) throws -> [StoredEntry] {
        try writer.read { db in
            try StoredEntry.filter(Column("feed_id") == feedID).order(Column("id")).fetchAll(db)
        }
    }

    public func entryCount(of feedID: String?) throws -> Int {
        try writer.read { db in
            guard try db.tableExists(StoredEntry.databaseTableName) else { return 0 }
            if let feedID { return try StoredEntry.filter(Column("feed_id") == feedID).fetchCount(db) }
            return try StoredEntry.fetchCount(db)
        }
    }

    public func entryCount(firstSeenSince since: Date) throws -> Int {
        try writer.read { db in
            guard try db.tableExists(StoredEntry.databaseTableName) else { return 0 }
            return try StoredEntry.filter(Column("first_seen") >= since).fetchCount(db)
        }
    }

    public func entries(ids: [Int64]) throws -> [StoredEntry] {
        try writer.read { db in
            var out: [StoredEntry] = []
            for start in stride(from: 0, to: ids.count, by: Self.keysPerQuery) {
                out += try StoredEntry.filter(keys: Array(ids[start..<min(ids.count, start + Self.keysPerQuery)])).fetchAll(db)
            }
            return out.sorted { ($0.id ?? 0) < ($1.id ?? 0) }
        }
    }

    public func entryRevisions(after: Int64, limit: Int) throws -> [EntryRevision] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT id, revision FROM entries WHERE id > ? ORDER BY id LIMIT ?", arguments: [after, limit])
                .map { EntryRevision(id: $0["id"], revision: $0["revision"]) }
        }
    }

    public func unanalyzedEntries(after: Int64, limit: Int) throws -> [EntryRevision] {
        try writer.read { db in
            try Row.fetchAll(db, sql: Self.unanalyzedQuery, arguments: [after, max(1, limit)])
                .map { EntryRevision(id: $0["id"], revision: $0["revision"]) }
        }
    }

    /// `INDEXED BY`: the partial index whatever statistics SQLite has (state files are never
    /// `ANALYZE`d; a plain range on the rowid would read every later entry).
    private static let unanalyzedQuery = "SELECT id, revision FROM entries INDEXED BY entries_unanalyzed WHERE \(StateSchema.unanalyzed) AND id > ? ORDER BY id LIMIT ?"

    /// SQLite's plan for `unanalyzedEntries` (`EXPLAIN QUERY PLAN`, one line per step): shows
    /// that the sweep reads the partial index `entries_unanalyzed`.
    public func unanalyzedQueryPlan() throws -> String {
        try writer.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + Self.unanalyzedQuery, arguments: [0, 500])
                .map { String($0["detail"] as String? ?? "") }.joined(separator: "\n")
        }
    }

    public func markAnalyzed(_ entries: [EntryRevision]) throws {
        guard !entries.isEmpty else { return }
        try writer.write { db in
            let mark = try db.cachedStatement(sql: """
                UPDATE entries SET analyzed_revision = ?1 WHERE id = ?2 AND (analyzed_revision IS NULL OR analyzed_revision < ?1)
                """)
            for e in entries { try mark.execute(arguments: [e.revision, e.id]) }
        }
    }

    private static func ingest(_ db: Database, feed: FeedIdentity, entries: [FeedEntry], now: Date,
                               newestItem: inout Date?) throws -> IngestResult {
        // Cached statements: a poll of a busy feed runs these dozens of times.
        let find = try db.cachedStatement(sql: "SELECT id, content_hash, first_seen, revision, fulltext FROM entries WHERE feed_id = ? AND dedup_key = ?")
        let update = try db.cachedStatement(sql: """
            UPDATE entries SET updated_at = ?, revision = ?, guid = ?, title = ?, link = ?, published = ?,
            entry_updated = ?, author = ?, summary = ?, text = ?, language = ?, categories = ?, content_hash = ?
            WHERE id = ?
            """)
        let insert = try db.cachedStatement(sql: """
            INSERT INTO entries (feed_id, dedup_key, first_seen, updated_at, revision, guid, title, link, published,
            entry_updated, author, summary, text, language, categories, content_hash, fulltext_status)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        return try EntryIngest.run(feed: feed, entries: entries, now: now, newestItem: &newestItem, lookup: { keys in
            var known: [String: EntryIngest.Known] = [:]
            for key in keys {
                guard let row = try Row.fetchOne(find, arguments: [feed.id, key]) else { continue }
                known[key] = EntryIngest.Known(id: row["id"], contentHash: row["content_hash"], firstSeen: row["first_seen"],
                                               revision: row["revision"] as Int? ?? 1, fulltext: row["fulltext"])
            }
            return known
        }, update: { stored in
            try update.execute(arguments: [StoredDate.value(stored.updatedAt), stored.revision, stored.guid, stored.title, stored.link,
                                           StoredDate.value(stored.published), StoredDate.value(stored.entryUpdated),
                                           stored.author, stored.summary, stored.text,
                                           stored.language, stored.categories, stored.contentHash, stored.id])
        }, insert: { stored in
            try insert.execute(arguments: [stored.feedID, stored.dedupKey, StoredDate.value(stored.firstSeen),
                                           StoredDate.value(stored.updatedAt), stored.revision, stored.guid, stored.title,
                                           stored.link, StoredDate.value(stored.published), StoredDate.value(stored.entryUpdated),
                                           stored.author, stored.summary, stored.text, stored.language, stored.categories,
                                           stored.contentHash, stored.fulltextStatus])
            return db.lastInsertedRowID
        }, queue: { try pageQueueFacts(db, feedID: feed.id) })
    }
}
