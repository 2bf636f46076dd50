import DyadConfig
import DyadCore
import Foundation
import GRDB

/// How a feed's entries are labelled and keyed when stored: what `AcceptedEntry` carries.
public struct FeedIdentity: Sendable, Equatable {
    public var id: String
    public var outlet: String
    public var group: String
    public var language: String?
    public var dedupRule: DedupKeyRule?
    /// Set for a `fulltext = true` feed whose pages are fetched: new entries are queued for their page.
    public var pages: PageRequestLimits?

    public init(id: String, outlet: String, group: String, language: String?, dedupRule: DedupKeyRule?,
                pages: PageRequestLimits? = nil) {
        self.id = id; self.outlet = outlet; self.group = group; self.language = language; self.dedupRule = dedupRule
        self.pages = pages
    }

    /// The feed's identity; with `fulltext`, a `fulltext = true` feed also queues its new entries' pages.
    public init(_ feed: FeedConfig, fulltext: FulltextConfig? = nil) {
        self.init(id: feed.id, outlet: feed.outlet, group: feed.group, language: feed.language, dedupRule: feed.dedupKey,
                  pages: feed.fulltext ? fulltext.map(PageRequestLimits.init) : nil)
    }
}

/// Which new entries of a full-text feed are queued for their page.
public struct PageRequestLimits: Sendable, Equatable {
    /// Entries of a feed's first poll (no entry stored yet) that are queued, newest first.
    public var firstPollBacklog: Int
    /// Pending pages at most over all feeds; entries beyond are marked `queue_full`.
    public var queueLimit: Int

    public init(firstPollBacklog: Int, queueLimit: Int) {
        self.firstPollBacklog = firstPollBacklog; self.queueLimit = queueLimit
    }

    public init(_ config: FulltextConfig) {
        self.init(firstPollBacklog: config.firstPollBacklog, queueLimit: config.queueLimit)
    }
}

/// What one ingest stored.
public struct IngestResult: Sendable, Equatable {
    /// New and changed entries, in feed order, to hand to analysis.
    public var accepted: [AcceptedEntry]
    public var newCount: Int
    public var updatedCount: Int
    /// Entries already stored with the same content (and repeats inside one document).
    public var unchangedCount: Int
    /// Entries whose dedup key an earlier entry of the same document already had (kept once: the first).
    public var duplicateCount: Int
    /// New entries of a full-text feed that found the page queue full (they keep their feed text).
    public var queueFullCount = 0

    public init(accepted: [AcceptedEntry], newCount: Int, updatedCount: Int, unchangedCount: Int, duplicateCount: Int = 0) {
        self.accepted = accepted; self.newCount = newCount; self.updatedCount = updatedCount; self.unchangedCount = unchangedCount
        self.duplicateCount = duplicateCount
    }

    public static let empty = IngestResult(accepted: [], newCount: 0, updatedCount: 0, unchangedCount: 0)
}

/// The state database (`<state_dir>/dyadwatch.sqlite`, WAL): feed health and schedule, and
/// every entry ever accepted, de-duplicated per feed. One poll's writes are one transaction.
public final class FeedStore: Sendable {
    public static let fileName = "dyadwatch.sqlite"
    /// Longest a writer waits for another process's lock (poll while the daemon runs) before failing.
    static let busyTimeout: TimeInterval = 10
    /// Items dated further in the future than this are not trusted as "newest item" (clock skew).
    static let futureDateTolerance: TimeInterval = 86_400
    /// Feed ids looked up per `IN (…)` query, well under SQLite's bound-parameter limit.
    static let keysPerQuery = 500
    /// Characters of text used as a title when an entry has none.
    static let untitledPrefixLength = 120

    /// The database; Trends and Alerts run their own `DatabaseMigrator` on it (see `migrate`).
    public let writer: DatabasePool
    public let path: String

    /// Opens (creating if needed) the database in `directory` and applies the fetch migrations.
    public convenience init(directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try self.init(path: directory.appendingPathComponent(FeedStore.fileName).path)
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
                if var state = known[feed.id] {
                    if state.configuredURL != feed.url {
                        let newestItem = state.newestItem
                        state = FeedState(id: feed.id, url: feed.url)
                        state.newestItem = newestItem
                        try state.write(db)
                        known[feed.id] = state
                    }
                    return state
                }
                let state = FeedState(id: feed.id, url: feed.url)
                try state.insert(db)
                known[feed.id] = state
                return state
            }
        }
    }

    public func state(of feedID: String) throws -> FeedState? {
        try writer.read { db in try FeedState.fetchOne(db, key: feedID) }
    }

    public func states() throws -> [FeedState] {
        try writer.read { db in try FeedState.order(Column("id")).fetchAll(db) }
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

    public func entryCount(of feedID: String? = nil) throws -> Int {
        try writer.read { db in
            if let feedID { return try StoredEntry.filter(Column("feed_id") == feedID).fetchCount(db) }
            return try StoredEntry.fetchCount(db)
        }
    }

    private static func ingest(_ db: Database, feed: FeedIdentity, entries: [FeedEntry], now: Date,
                               newestItem: inout Date?) throws -> IngestResult {
        var result = IngestResult.empty
        var seenInDocument: Set<String> = []
        let latestTrusted = now.addingTimeInterval(futureDateTolerance)
        var pages = try PageRequests(db, feed: feed, entries: entries)
        for (index, entry) in entries.enumerated() {
            let key = DedupKey.key(for: entry, rule: feed.dedupRule)
            guard seenInDocument.insert(key).inserted else { result.unchangedCount += 1; result.duplicateCount += 1; continue }
            if let date = entry.published ?? entry.updated, date <= latestTrusted {
                newestItem = max(newestItem ?? date, date)
            }
            let hash = DedupKey.contentHash(for: entry)
            // Cached statements: a poll of a busy feed runs these dozens of times.
            let existing = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT id, content_hash, first_seen, revision FROM entries WHERE feed_id = ? AND dedup_key = ?"),
                arguments: [feed.id, key])
            var stored = makeStored(entry, feed: feed, key: key, hash: hash, now: now)
            if let existing {
                guard (existing["content_hash"] as String?) != hash else { result.unchangedCount += 1; continue }
                stored.id = existing["id"]
                stored.firstSeen = existing["first_seen"]
                stored.revision = (existing["revision"] as Int? ?? 1) + 1
                stored.fulltext = existing["fulltext"]  // an update of the feed's text keeps the page's
                try db.cachedStatement(sql: """
                    UPDATE entries SET updated_at = ?, revision = ?, guid = ?, title = ?, link = ?, published = ?,
                    entry_updated = ?, author = ?, summary = ?, text = ?, language = ?, categories = ?, content_hash = ?
                    WHERE id = ?
                    """).execute(arguments: [stored.updatedAt, stored.revision, stored.guid, stored.title, stored.link,
                                             stored.published, stored.entryUpdated, stored.author, stored.summary, stored.text,
                                             stored.language, stored.categories, stored.contentHash, stored.id])
                result.updatedCount += 1
                result.accepted.append(accepted(stored, feed: feed, isUpdate: true))
            } else {
                let pageStatus = pages.statusForNew(index: index, link: entry.link)
                if pageStatus == .queueFull { result.queueFullCount += 1 }
                stored.fulltextStatus = pageStatus?.rawValue
                try db.cachedStatement(sql: """
                    INSERT INTO entries (feed_id, dedup_key, first_seen, updated_at, revision, guid, title, link, published,
                    entry_updated, author, summary, text, language, categories, content_hash, fulltext_status)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """).execute(arguments: [stored.feedID, stored.dedupKey, stored.firstSeen, stored.updatedAt, stored.revision,
                                             stored.guid, stored.title, stored.link, stored.published, stored.entryUpdated,
                                             stored.author, stored.summary, stored.text, stored.language, stored.categories,
                                             stored.contentHash, stored.fulltextStatus])
                stored.id = db.lastInsertedRowID
                result.newCount += 1
                result.accepted.append(accepted(stored, feed: feed, isUpdate: false))
            }
        }
        return result
    }

    private static func makeStored(_ e: FeedEntry, feed: FeedIdentity, key: String, hash: String, now: Date) -> StoredEntry {
        let text = e.text ?? e.summary ?? e.content ?? ""
        var title = e.title?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if title.isEmpty { title = String(text.prefix(untitledPrefixLength)) }
        let categories = e.categories.compactMap { $0.term ?? $0.label }
        return StoredEntry(id: nil, feedID: feed.id, dedupKey: key, firstSeen: now, updatedAt: now, revision: 1,
                           guid: e.id, title: title, link: e.link, published: e.published ?? e.updated,
                           entryUpdated: e.updated, author: e.author?.name ?? e.author?.email, summary: e.summary,
                           text: text, language: e.language ?? feed.language,
                           categories: categories.isEmpty ? nil : categories.joined(separator: "\n"), contentHash: hash)
    }

    static func accepted(_ s: StoredEntry, feed: FeedIdentity, isUpdate: Bool) -> AcceptedEntry {
        AcceptedEntry(entryID: s.id ?? 0, feedID: feed.id, outlet: feed.outlet, group: feed.group,
                      language: s.language, dedupKey: s.dedupKey, title: s.title, link: s.link, text: s.analysisText,
                      published: s.published, firstSeen: s.firstSeen, isUpdate: isUpdate)
    }
}

extension FeedStore {
    /// Longest a reader waits for the daemon's write lock.
    public static let readOnlyBusyTimeout: TimeInterval = 5

    /// A read-only connection to an existing state database, without migrations (so a reader
    /// running as another user never creates or changes files); nil when there is no database yet.
    public static func openReadOnly(path: String) throws -> DatabaseQueue? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        var options = GRDB.Configuration()
        options.readonly = true
        options.busyMode = .timeout(readOnlyBusyTimeout)
        return try DatabaseQueue(path: path, configuration: options)
    }

    /// `openReadOnly` for the database in a state directory.
    public static func openReadOnly(directory: URL) throws -> DatabaseQueue? {
        try openReadOnly(path: directory.appendingPathComponent(fileName).path)
    }
}
