import DyadConfig
import DyadCore
import Foundation

/// An entry's id and stored revision (what analysis recovery compares with its own records).
public struct EntryRevision: Sendable, Equatable {
    public var id: Int64
    public var revision: Int
    public init(id: Int64, revision: Int) { self.id = id; self.revision = revision }
}

/// The feeds and entries tables, on whichever database holds them: feed health and schedule, and
/// every entry ever accepted, de-duplicated per feed. `FeedStore` (SQLite) and the PostgreSQL
/// module implement it; `StorageConformance` checks both with the same tests.
public protocol FeedStoring: PageQueueStoring, AnyObject, Sendable {
    /// Makes sure every configured feed has a row; a feed whose configured URL changed starts
    /// over (URL, validators, failures, disabled reason reset). Returns the states by feed order.
    @discardableResult
    func register(_ feeds: [FeedConfig]) throws -> [FeedState]
    func state(of feedID: String) throws -> FeedState?
    /// Every feed's state, by id.
    func states() throws -> [FeedState]
    /// Writes a feed's new state alone (failed polls: nothing to ingest).
    func save(_ state: FeedState) throws
    /// Records one poll atomically: the feed's new state and its entries (new ones inserted,
    /// changed ones updated). A crash leaves either all of it or none of it.
    func commitPoll(_ feed: FeedIdentity, state: FeedState, entries: [FeedEntry], now: Date) throws -> IngestResult
    /// Stores entries of `feed` without touching its fetch state (replay of saved documents).
    func ingest(_ feed: FeedIdentity, entries: [FeedEntry], now: Date) throws -> IngestResult
    /// A feed's entries, by id.
    func entries(of feedID: String) throws -> [StoredEntry]
    /// Entries with these ids, by id (unknown ids are left out).
    func entries(ids: [Int64]) throws -> [StoredEntry]
    /// Entries of one feed, or of all feeds when nil.
    func entryCount(of feedID: String?) throws -> Int
    /// Entries first seen at or after `since`.
    func entryCount(firstSeenSince since: Date) throws -> Int
    /// Ids and revisions of the entries with id > `after`, by id, at most `limit`.
    func entryRevisions(after: Int64, limit: Int) throws -> [EntryRevision]
    /// Ids and revisions of the entries with id > `after` not marked analyzed at their current
    /// revision (`markAnalyzed`), by id, at most `limit`: the analysis sweep's candidates, read
    /// through the partial index `entries_unanalyzed` (only those entries, never the whole table).
    /// A superset of what needs analysis: the trends tables' analyses stay the authority.
    func unanalyzedEntries(after: Int64, limit: Int) throws -> [EntryRevision]
    /// Marks entries analyzed at these revisions (after their analyses are committed); a mark
    /// is never lowered, and an entry changed since (a higher revision) stays a candidate.
    func markAnalyzed(_ entries: [EntryRevision]) throws
    /// Up to `limit` entries of `window`, newest first, continuing after `after` (a page at a
    /// time, each its own short read: a wide window is never held in memory or in one transaction).
    func entries(in window: EntryWindow, after: EntryPosition?, limit: Int) throws -> EntryPage
}

extension FeedStoring {
    public func entryCount() throws -> Int { try entryCount(of: nil) }
}
