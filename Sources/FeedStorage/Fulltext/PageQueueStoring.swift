import DyadCore
import Foundation

/// One entry waiting for its page.
public struct PageJob: Sendable, Equatable {
    public var entryID: Int64
    public var feedID: String
    public var link: String
    /// Attempts made at this page so far (failed for a transient reason and scheduled again).
    public var attempts: Int

    public init(entryID: Int64, feedID: String, link: String, attempts: Int = 0) {
        self.entryID = entryID; self.feedID = feedID; self.link = link; self.attempts = attempts
    }
}

/// Entries by page status, for `status` and the tests.
public struct FulltextCounts: Sendable, Equatable {
    public var byStatus: [FulltextStatus: Int] = [:]
    /// Of the pending entries, those whose page failed for a transient reason and waits for its
    /// next attempt (`PageRetryPolicy`).
    public var retrying: Int

    public init(byStatus: [FulltextStatus: Int] = [:], retrying: Int = 0) { self.byStatus = byStatus; self.retrying = retrying }

    public subscript(_ status: FulltextStatus) -> Int { byStatus[status] ?? 0 }
    /// Pages received (extracted, too short, not HTML, empty).
    public var fetched: Int { byStatus.filter { $0.key.pageReceived }.map(\.value).reduce(0, +) }
    /// Pages that failed for any reason other than too little text or robots.txt.
    public var failed: Int {
        byStatus.filter { $0.key.isFailure && $0.key != .tooShort && $0.key != .robots }.map(\.value).reduce(0, +)
    }
    public var total: Int { byStatus.values.reduce(0, +) }
}

/// The durable page queue of `fulltext = true` feeds, kept in the entries table this module owns:
/// new entries are queued by the poll that stores them (`PageRequests`, inside `EntryIngest`),
/// the page fetcher takes them from here and records each outcome here. Several daemons on one
/// PostgreSQL database share the queue: before fetching a page a daemon claims it (a lease in the
/// entry's row, `FOR UPDATE SKIP LOCKED`), so no page is fetched by two daemons at once, and the
/// claims of a daemon that died expire. The SQLite file has one daemon: claiming always succeeds.
///
/// A page that failed for a transient reason stays pending with its attempt count, its last class
/// and the time of its next attempt (`schedulePageRetry`); it is neither listed nor claimed before
/// then (`dueBy`/`now` are the pipeline's clock, like feeds' `next_due`).
public protocol PageQueueStoring: Sendable {
    /// Entries whose page is still to be fetched, whose next attempt is not after `dueBy`, and
    /// that no other live daemon has claimed, oldest first, at most `limit`, skipping `excluding`
    /// (jobs in hand).
    func pendingPages(limit: Int, excluding: Set<Int64>, dueBy: Date) throws -> [PageJob]
    /// The earliest next attempt after `now` of a pending page waiting to be retried; nil when none waits.
    func nextPageAttempt(after now: Date) throws -> Date?
    /// Claims a pending entry's page for this daemon for `seconds` (by the database's clock).
    /// False when its next attempt is after `now`, another live daemon holds it, or it is being
    /// written this moment: leave it.
    func claimPage(_ job: PageJob, seconds: TimeInterval, now: Date) throws -> Bool
    /// Records what became of a pending entry's page (final) and ends its claim; the attempt
    /// counts. With `text` (status `extracted`) the entry keeps its feed text and gains the page's,
    /// its revision goes up (so a crash before the re-analysis is recovered at start) and the entry
    /// is returned as an update to analyze again. Nil when the entry is no longer pending (already
    /// decided, or gone).
    func recordPage(_ job: PageJob, status: FulltextStatus, text: String?, feed: FeedIdentity, now: Date) throws -> AcceptedEntry?
    /// A transient failure: the entry stays pending, its attempts go up by one, `error` is kept as
    /// its last class and it is not listed nor claimed before `next`; its claim ends. False when
    /// the entry is no longer pending, or another daemon claimed it since (this claim expired).
    func schedulePageRetry(_ job: PageJob, error: FulltextStatus, next: Date) throws -> Bool
    /// Entries per page status (entries of feeds without full text are not counted).
    func fulltextCounts() throws -> FulltextCounts
}

extension PageQueueStoring {
    /// Every pending page not claimed elsewhere, whatever its next attempt.
    public func pendingPages(limit: Int, excluding: Set<Int64> = []) throws -> [PageJob] {
        try pendingPages(limit: limit, excluding: excluding, dueBy: .distantFuture)
    }
    /// A claim whatever the page's next attempt.
    public func claimPage(_ job: PageJob, seconds: TimeInterval) throws -> Bool {
        try claimPage(job, seconds: seconds, now: .distantFuture)
    }
}
