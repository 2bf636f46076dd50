import Foundation

/// Entries whose time (publication, else first sight) lies in `[from, to)`, optionally of one
/// feed, listed newest first (ties: highest id first): what `dyadwatch articles` pages through.
public struct EntryWindow: Sendable, Equatable {
    public var from: Date
    public var to: Date
    public var feedID: String?
    public init(from: Date, to: Date, feedID: String? = nil) { self.from = from; self.to = to; self.feedID = feedID }
}

/// Where a page of an `EntryWindow` listing ended: the next page starts after it. The sort key is
/// the backend's own text of the entry's time, handed back unchanged (no date round trip).
public struct EntryPosition: Sendable, Equatable {
    public var sortKey: String
    public var id: Int64
    public init(sortKey: String, id: Int64) { self.sortKey = sortKey; self.id = id }
}

/// One page of a listing; `next` is nil after the last page.
public struct EntryPage: Sendable {
    public var entries: [StoredEntry]
    public var next: EntryPosition?
    public init(entries: [StoredEntry], next: EntryPosition?) { self.entries = entries; self.next = next }
}
