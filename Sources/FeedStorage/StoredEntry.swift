import Foundation
import GRDB

/// One entry as stored (table `entries`): unique per (feed, dedup key); `revision` counts
/// content changes seen under the same key.
public struct StoredEntry: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "entries"

    public var id: Int64?
    public var feedID: String
    public var dedupKey: String
    public var firstSeen: Date
    /// When dyadwatch last stored a change (equals `firstSeen` until the entry is updated).
    public var updatedAt: Date
    public var revision: Int
    public var guid: String?
    public var title: String
    public var link: String?
    public var published: Date?
    /// The entry's own `updated` date.
    public var entryUpdated: Date?
    public var author: String?
    public var summary: String?
    /// Plain text for analysis.
    public var text: String
    public var language: String?
    /// Category terms, newline-separated.
    public var categories: String?
    public var contentHash: String
    /// Main text extracted from the entry's page (`fulltext = true` feeds), nil until then.
    public var fulltext: String? = nil
    /// `FulltextStatus` raw value; nil when no page was asked for.
    public var fulltextStatus: String? = nil
    public var fulltextAt: Date? = nil
    /// Page attempts made (0 or nil: none yet; nil only when read from a database older than
    /// `fetch-v6-page-retry` without migrating it).
    public var pageAttempts: Int? = 0
    /// When a page that failed for a transient reason is asked for again (pending entries only).
    public var pageNextAttempt: Date? = nil
    /// `FulltextStatus` raw value of the page's last failed attempt.
    public var pageLastError: String? = nil

    /// What the analyzer reads (after the title): the page's main text when there is one, else
    /// the feed's text.
    public var analysisText: String { fulltext ?? text }

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case id, feedID = "feed_id", dedupKey = "dedup_key", firstSeen = "first_seen", updatedAt = "updated_at"
        case revision, guid, title, link, published, entryUpdated = "entry_updated", author, summary, text
        case language, categories, contentHash = "content_hash"
        case fulltext, fulltextStatus = "fulltext_status", fulltextAt = "fulltext_at"
        case pageAttempts = "page_attempts", pageNextAttempt = "page_next_attempt", pageLastError = "page_last_error"
    }

    public init(id: Int64?, feedID: String, dedupKey: String, firstSeen: Date, updatedAt: Date, revision: Int, guid: String?,
                title: String, link: String?, published: Date?, entryUpdated: Date?, author: String?, summary: String?,
                text: String, language: String?, categories: String?, contentHash: String,
                fulltext: String? = nil, fulltextStatus: String? = nil, fulltextAt: Date? = nil,
                pageAttempts: Int? = 0, pageNextAttempt: Date? = nil, pageLastError: String? = nil) {
        self.id = id; self.feedID = feedID; self.dedupKey = dedupKey; self.firstSeen = firstSeen; self.updatedAt = updatedAt
        self.revision = revision; self.guid = guid; self.title = title; self.link = link; self.published = published
        self.entryUpdated = entryUpdated; self.author = author; self.summary = summary; self.text = text
        self.language = language; self.categories = categories; self.contentHash = contentHash
        self.fulltext = fulltext; self.fulltextStatus = fulltextStatus; self.fulltextAt = fulltextAt
        self.pageAttempts = pageAttempts; self.pageNextAttempt = pageNextAttempt; self.pageLastError = pageLastError
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
