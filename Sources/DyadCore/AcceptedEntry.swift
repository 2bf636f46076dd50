import Foundation

/// A new or changed entry that storage has durably accepted, handed on to analysis.
/// Storage produces these (FeedStorage via Pipeline); the analysis/trends stage consumes them.
public struct AcceptedEntry: Sendable, Equatable {
    /// Row id of the entry in the state database (stable across restarts).
    public var entryID: Int64
    /// `id` of the `[[feed]]` it came from.
    public var feedID: String
    public var outlet: String
    /// Outlet group from feeds.conf (`cn-state`, `ru-state`, `western`, …; `other` when unknown).
    public var group: String
    public var language: String?
    public var dedupKey: String
    public var title: String
    public var link: String?
    /// Plain text for analysis (the parser's `text`).
    public var text: String
    public var published: Date?
    /// When dyadwatch first stored it (the injected clock's time).
    public var firstSeen: Date
    /// True when an already-known entry came back with changed content.
    public var isUpdate: Bool
    /// Stored revision (1 when new, +1 per content change; 0 = unknown), recorded with the analysis
    /// so that a re-analysis lost in a crash is found again.
    public var revision: Int

    public init(entryID: Int64, feedID: String, outlet: String, group: String, language: String?, dedupKey: String,
                title: String, link: String?, text: String, published: Date?, firstSeen: Date, isUpdate: Bool, revision: Int = 0) {
        self.entryID = entryID; self.feedID = feedID; self.outlet = outlet; self.group = group
        self.language = language; self.dedupKey = dedupKey; self.title = title; self.link = link
        self.text = text; self.published = published; self.firstSeen = firstSeen; self.isUpdate = isUpdate
        self.revision = revision
    }
}

/// Receives entries right after a poll's storage transaction committed. Implementations must be
/// idempotent per `entryID` (a crash between commit and processing replays the same entries).
public protocol EntrySink: Sendable {
    func accept(_ entries: [AcceptedEntry], at now: Date) throws
}
