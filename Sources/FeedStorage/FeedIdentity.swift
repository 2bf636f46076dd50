import DyadConfig
import DyadCore
import Foundation

/// How a feed's entries are labelled and keyed when stored: what `AcceptedEntry` carries.
public struct FeedIdentity: Sendable, Equatable {
    public var id: String
    public var outlet: String
    public var group: String
    public var language: String?
    public var dedupRule: DedupKeyRule?

    public init(id: String, outlet: String, group: String, language: String?, dedupRule: DedupKeyRule?) {
        self.id = id; self.outlet = outlet; self.group = group; self.language = language; self.dedupRule = dedupRule
    }

    public init(_ feed: FeedConfig) {
        self.init(id: feed.id, outlet: feed.outlet, group: feed.group, language: feed.language, dedupRule: feed.dedupKey)
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

    public init(accepted: [AcceptedEntry], newCount: Int, updatedCount: Int, unchangedCount: Int) {
        self.accepted = accepted; self.newCount = newCount; self.updatedCount = updatedCount; self.unchangedCount = unchangedCount
    }

    public static let empty = IngestResult(accepted: [], newCount: 0, updatedCount: 0, unchangedCount: 0)
}
