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
