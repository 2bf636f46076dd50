import DyadCore
import Foundation

/// How a poll's entries are de-duplicated and stored, whatever the database: keys per entry,
/// repeats inside one document, new vs changed vs unchanged, the stored row and what is handed on
/// to analysis. Each backend supplies the three statements (`lookup`, `update`, `insert`).
public enum EntryIngest {
    /// Items dated further in the future than this are not trusted as "newest item" (clock skew).
    public static let futureDateTolerance: TimeInterval = 86_400
    /// Characters of text used as a title when an entry has none.
    public static let untitledPrefixLength = 120

    /// What a backend knows about a stored entry with the same key.
    public struct Known: Sendable {
        public var id: Int64
        public var contentHash: String?
        public var firstSeen: Date
        public var revision: Int
        /// The page's extracted text: an update of the feed's text keeps it.
        public var fulltext: String?
        public init(id: Int64, contentHash: String?, firstSeen: Date, revision: Int, fulltext: String? = nil) {
            self.id = id; self.contentHash = contentHash; self.firstSeen = firstSeen; self.revision = revision
            self.fulltext = fulltext
        }
    }

    /// Runs one ingest: `lookup` gets every distinct key of the document at once and returns the
    /// stored ones; `update` rewrites a changed entry (same id); `insert` stores a new one (with the
    /// entry's page status already decided) and returns its id. Updates `newestItem` with trusted
    /// item dates. For a full-text feed (`feed.pages`), `queue` tells what the page queue's rule
    /// needs to know (`PageRequests`), asked once per ingest.
    public static func run(feed: FeedIdentity, entries: [FeedEntry], now: Date, newestItem: inout Date?,
                           lookup: ([String]) throws -> [String: Known],
                           update: (StoredEntry) throws -> Void,
                           insert: (StoredEntry) throws -> Int64,
                           queue: () throws -> PageQueueFacts) throws -> IngestResult {
        var result = IngestResult.empty
        var pages = try PageRequests(feed: feed, entries: entries, facts: queue)
        var seenInDocument: Set<String> = []
        var unique: [(FeedEntry, String, Int)] = []
        for (index, entry) in entries.enumerated() {
            let key = DedupKey.key(for: entry, rule: feed.dedupRule)
            guard seenInDocument.insert(key).inserted else { result.unchangedCount += 1; result.duplicateCount += 1; continue }
            unique.append((entry, key, index))
        }
        let known = try lookup(unique.map(\.1))
        let latestTrusted = now.addingTimeInterval(futureDateTolerance)
        for (entry, key, index) in unique {
            if let date = entry.published ?? entry.updated, date <= latestTrusted {
                newestItem = max(newestItem ?? date, date)
            }
            let hash = DedupKey.contentHash(for: entry)
            var stored = makeStored(entry, feed: feed, key: key, hash: hash, now: now)
            if let existing = known[key] {
                guard existing.contentHash != hash else { result.unchangedCount += 1; continue }
                stored.id = existing.id
                stored.firstSeen = existing.firstSeen
                stored.revision = existing.revision + 1
                stored.fulltext = existing.fulltext  // an update of the feed's text keeps the page's
                try update(stored)
                result.updatedCount += 1
                result.accepted.append(accepted(stored, feed: feed, isUpdate: true))
            } else {
                stored.fulltextStatus = pages.statusForNew(index: index, link: stored.link)?.rawValue
                stored.id = try insert(stored)
                if stored.fulltextStatus == FulltextStatus.queueFull.rawValue { result.queueFullCount += 1 }
                result.newCount += 1
                result.accepted.append(accepted(stored, feed: feed, isUpdate: false))
            }
        }
        return result
    }

    static func makeStored(_ e: FeedEntry, feed: FeedIdentity, key: String, hash: String, now: Date) -> StoredEntry {
        let text = e.text ?? e.summary ?? e.content ?? ""
        var title = e.title?.trimmingWhitespaceAndNewlines() ?? ""
        if title.isEmpty { title = String(text.prefix(untitledPrefixLength)) }
        let categories = e.categories.compactMap { $0.term ?? $0.label }
        return StoredEntry(id: nil, feedID: feed.id, dedupKey: key, firstSeen: now, updatedAt: now, revision: 1,
                           guid: e.id, title: title, link: e.link, published: e.published ?? e.updated,
                           entryUpdated: e.updated, author: e.author?.name ?? e.author?.email, summary: e.summary,
                           text: text, language: e.language ?? feed.language,
                           categories: categories.isEmpty ? nil : categories.joined(separator: "\n"), contentHash: hash)
    }

    public static func accepted(_ s: StoredEntry, feed: FeedIdentity, isUpdate: Bool) -> AcceptedEntry {
        AcceptedEntry(entryID: s.id ?? 0, feedID: feed.id, outlet: feed.outlet, group: feed.group,
                      language: s.language, dedupKey: s.dedupKey, title: s.title, link: s.link, text: s.analysisText,
                      published: s.published, firstSeen: s.firstSeen, isUpdate: isUpdate, revision: s.revision)
    }
}
