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

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case id, feedID = "feed_id", dedupKey = "dedup_key", firstSeen = "first_seen", updatedAt = "updated_at"
        case revision, guid, title, link, published, entryUpdated = "entry_updated", author, summary, text
        case language, categories, contentHash = "content_hash"
    }

    public init(id: Int64?, feedID: String, dedupKey: String, firstSeen: Date, updatedAt: Date, revision: Int, guid: String?,
                title: String, link: String?, published: Date?, entryUpdated: Date?, author: String?, summary: String?,
                text: String, language: String?, categories: String?, contentHash: String) {
        self.id = id; self.feedID = feedID; self.dedupKey = dedupKey; self.firstSeen = firstSeen; self.updatedAt = updatedAt
        self.revision = revision; self.guid = guid; self.title = title; self.link = link; self.published = published
        self.entryUpdated = entryUpdated; self.author = author; self.summary = summary; self.text = text
        self.language = language; self.categories = categories; self.contentHash = contentHash
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
