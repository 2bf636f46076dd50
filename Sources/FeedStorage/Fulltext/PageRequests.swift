import DyadCore
import Foundation

/// What the page queue's admission rule needs from the database, asked once per ingest of a
/// full-text feed (each backend answers with its own two queries).
public struct PageQueueFacts: Sendable, Equatable {
    /// Whether the feed has any stored entry (else this is its first poll).
    public var feedHasEntries: Bool
    /// Entries waiting for their page, over all feeds.
    public var pending: Int
    public init(feedHasEntries: Bool, pending: Int) { self.feedHasEntries = feedHasEntries; self.pending = pending }
}

/// Decides, inside one poll's transaction, which new entries of a full-text feed are queued for
/// their page: none for other feeds; on a feed's first poll only the newest `firstPollBacklog`;
/// never more than the queue has room for (those are marked `queue_full`). Updates never are.
/// The one copy of this rule: `EntryIngest` applies it for every backend.
struct PageRequests {
    private var enabled = false
    /// Entry indices allowed on a first poll; nil = every new entry.
    private var backlog: Set<Int>? = nil
    private var room = 0

    init(feed: FeedIdentity, entries: [FeedEntry], facts: () throws -> PageQueueFacts) throws {
        guard let limits = feed.pages else { return }
        enabled = true
        let known = try facts()
        if !known.feedHasEntries {
            // Newest first by the entry's date; undated entries after dated ones, in document order.
            let order = entries.indices.sorted { a, b in
                let da = entries[a].published ?? entries[a].updated, db = entries[b].published ?? entries[b].updated
                switch (da, db) {
                case let (x?, y?) where x != y: return x > y
                case (_?, nil): return true
                case (nil, _?): return false
                default: return a < b
                }
            }
            backlog = Set(order.prefix(limits.firstPollBacklog))
        }
        room = max(0, limits.queueLimit - known.pending)
    }

    /// The status a new entry is stored with; nil when no page is asked for.
    mutating func statusForNew(index: Int, link: String?) -> FulltextStatus? {
        guard enabled else { return nil }
        if let backlog, !backlog.contains(index) { return nil }
        guard let link, !link.isEmpty else { return .badScheme }
        guard room > 0 else { return .queueFull }
        room -= 1
        return .pending
    }
}
