import Foundation
import DyadCore
import FeedStorage
import Logging
import Trends
import Alerts
import TrendReport
import Telemetry
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The analysis end of the pipeline (a `DyadCore.EntrySink`): for every entry storage accepted,
/// analyze → store the analysis → aggregate → judge closed buckets → queue alerts, all in one
/// transaction; then deliver queued alerts and rewrite the trend files. Idempotent per entry id: an
/// entry already analyzed is skipped, a changed one replaces its old contribution.
public final class AnalysisSink: EntrySink, Sendable {
    /// The article analyzer (ArticleAnalysis in production, a fake in tests).
    public typealias Analyze = @Sendable (Article) -> ArticleAnalysisResult

    /// When trend files are rewritten: at every bucket close (the daemon), or only on `flush`
    /// (a replay, whose intermediate files would be overwritten at once).
    public enum TrendFilePolicy: Sendable { case everyClose, onFlush }

    public let store: any AnalysisStore
    public let engine: TrendEngine
    private let analyze: Analyze
    private let delivery: AlertDelivery
    private let trendFiles: TrendFiles?
    private let policy: TrendFilePolicy
    private let logger: Logger
    /// Held for a whole `process`/`tick`/`flush`: one analysis round at a time, in order.
    private let rounds = Mutex(Round())

    /// What the rounds carry from one to the next.
    private struct Round {
        /// Set when trend files are due (a bucket closed, or the last write failed).
        var trendFilesDue = false
    }

    public init(store: any AnalysisStore, engine: TrendEngine, analyze: @escaping Analyze, delivery: AlertDelivery,
                trendFiles: TrendFiles?, policy: TrendFilePolicy = .everyClose,
                logger: Logger = Logger(label: "dyadwatch.analysis")) {
        self.store = store; self.engine = engine; self.analyze = analyze; self.delivery = delivery
        self.trendFiles = trendFiles; self.policy = policy; self.logger = logger
    }

    /// Counts of one `accept`.
    public struct Outcome: Sendable, Equatable {
        public var analyzed = 0
        public var skipped = 0
        public var alerts = 0
    }

    public func accept(_ entries: [AcceptedEntry], at now: Date) throws {
        _ = try process(entries, at: now)
    }

    /// `accept` with counts, for callers that report progress.
    public func process(_ entries: [AcceptedEntry], at now: Date) throws -> Outcome {
        try rounds.withLock { round throws -> Outcome in try process(entries, at: now, &round) }
    }

    private func process(_ entries: [AcceptedEntry], at now: Date, _ round: inout Round) throws -> Outcome {
        var outcome = Outcome()
        // Analysis runs outside the write transaction (it is the slow part).
        let known = try store.read { db in try db.trends.analyzedRevisions(entryIDs: entries.map(\.entryID)) }
        var analyzed: [(AcceptedEntry, ArticleAnalysisResult)] = []
        for e in entries {
            if Self.isDone(e, stored: known[e.entryID]) { outcome.skipped += 1; continue }
            let article = Article(id: String(e.entryID), title: e.title, text: e.text, outlet: e.outlet, language: e.language,
                                  published: e.published)
            analyzed.append((e, Telemetry.timeAnalysis { analyze(article) }))
        }
        let closed = try store.write { db -> CloseResult in
            // Checked again under the write lock: another daemon sharing the database (a sweep
            // picking up a dead node's entries) may have stored the same analyses meanwhile; an
            // entry's analysis is stored and aggregated once.
            if !analyzed.isEmpty {
                let stored = try db.trends.analyzedRevisions(entryIDs: analyzed.map(\.0.entryID))
                let before = analyzed.count
                analyzed.removeAll { Self.isDone($0.0, stored: stored[$0.0.entryID]) }
                outcome.skipped += before - analyzed.count
            }
            // The stored revision is recorded with each analysis (see `recoverUnanalyzed`).
            for (e, a) in analyzed { try engine.storeAnalysis(db.trends, entry: e, a) }
            try engine.ingest(db.trends, analyzed.map { Contribution(entry: $0.0, analysis: $0.1) })
            let result = try engine.close(db.trends, now: now)
            try db.outbox.enqueue(result.alerts)
            return result
        }
        outcome.analyzed = analyzed.count
        outcome.alerts = closed.alerts.count
        finish(closed, now: now, &round)
        return outcome
    }

    /// Whether `entry` needs no analysis: it was analyzed already (a new entry with any stored
    /// analysis; a changed one whose stored analysis is of its revision or a later one — an
    /// unknown revision, 0, is always analyzed again).
    static func isDone(_ entry: AcceptedEntry, stored revision: Int?) -> Bool {
        guard let revision else { return false }
        guard entry.isUpdate else { return true }
        return revision > 0 && entry.revision > 0 && revision >= entry.revision
    }

    /// Judges buckets that closed without new entries (the daemon calls this every poll round).
    /// Returns how many alerts it raised.
    @discardableResult
    public func tick(at now: Date) throws -> Int {
        try rounds.withLock { round throws -> Int in
            let closed = try store.write { db -> CloseResult in
                let result = try engine.close(db.trends, now: now)
                try db.outbox.enqueue(result.alerts)
                return result
            }
            finish(closed, now: now, &round)
            return closed.alerts.count
        }
    }

    /// Delivers pending alerts and writes the trend files that are due (used at startup, at the end
    /// of a replay, and at shutdown).
    public func flush(at now: Date) {
        rounds.withLock { round in
            delivery.deliverPending(store)
            round.trendFilesDue = true
            writeTrendFiles(now: now, &round)
        }
    }

    private func finish(_ closed: CloseResult, now: Date, _ round: inout Round) {
        Telemetry.alertsRaised(closed.alerts.map { ($0.detector, $0.severity.rawValue) })
        if !closed.alerts.isEmpty || closed.hourClosed { round.trendFilesDue = true }
        delivery.deliverPending(store)
        if policy == .everyClose { writeTrendFiles(now: now, &round) }
    }

    private func writeTrendFiles(now: Date, _ round: inout Round) {
        guard round.trendFilesDue, let files = trendFiles else { return }
        do {
            // Streamed from the database inside one read transaction (a consistent snapshot), so
            // memory does not grow with the number of rows in the retention window.
            try store.read { db in
                try files.write(from: db.trends, engine: engine, now: now, recentAlerts: try db.outbox.recent(limit: TrendFiles.recentAlertCount))
                try TrendPage.write(db, engine: engine, now: now, directory: files.directory)
            }
            round.trendFilesDue = false
            HeapTrim.releaseFreePages()
        } catch {
            logger.error("trends: cannot write trend files in \(files.directory.path), will retry at the next bucket close: \(error)")
        }
    }

    // MARK: recovery

    /// Entries stored but never analyzed (a crash between the storage commit and this sink), and
    /// changed entries whose re-analysis was lost the same way, are analyzed now: storage lists
    /// the entries not marked analyzed at their revision (`unanalyzedEntries`, an index of those
    /// only, in pages), the trends tables the revision each analysis was made from, which decides;
    /// entries found analyzed there (the mark was lost in a crash, or the entry predates it) and
    /// entries analyzed here are marked, so the next sweep does not read them again.
    /// `identity` gives a feed's outlet, group and language (nil: unknown feed, replayed as its id
    /// with group `other`). Returns how many were recovered.
    /// `select` sees every entry found unanalyzed and says whether to analyze it now (default:
    /// all; the analysis queue's sweep on a shared database takes only those it saw before).
    @discardableResult
    public func recoverUnanalyzed(from feeds: any FeedStoring, identity: (String) -> FeedIdentity?, at now: Date,
                                  batchSize: Int = 500, select: (EntryRevision) -> Bool = { _ in true }) throws -> Int {
        var total = 0
        var after: Int64 = 0
        while true {
            let page = try feeds.unanalyzedEntries(after: after, limit: batchSize)
            guard let last = page.last else { break }
            after = last.id
            let analyzed = try store.read { try $0.trends.analyzedRevisions(entryIDs: page.map(\.id)) }
            let needed = page.filter { e in
                guard let revision = analyzed[e.id] else { return true }
                return revision > 0 && revision < e.revision
            }
            if needed.count < page.count {
                let ids = Set(needed.map(\.id))
                try feeds.markAnalyzed(page.filter { !ids.contains($0.id) })
            }
            let missing = needed.filter(select)
            if missing.isEmpty { continue }
            let accepted = try feeds.entries(ids: missing.map(\.id)).map { s -> AcceptedEntry in
                let feed = identity(s.feedID) ?? FeedIdentity(id: s.feedID, outlet: s.feedID, group: "other", language: nil, dedupRule: nil)
                return AcceptedEntry(entryID: s.id ?? 0, feedID: s.feedID, outlet: feed.outlet, group: feed.group,
                                     language: s.language ?? feed.language, dedupKey: s.dedupKey, title: s.title, link: s.link,
                                     text: s.analysisText, published: s.published, firstSeen: s.firstSeen,
                                     isUpdate: analyzed[s.id ?? 0] != nil, revision: s.revision)
            }
            total += try process(accepted, at: now).analyzed
            try feeds.markAnalyzed(accepted.map { EntryRevision(id: $0.entryID, revision: $0.revision) })
        }
        if total > 0 { logger.notice("analysis: recovered \(total) stored entries that had not been analyzed") }
        return total
    }
}

/// Gives freed heap pages back to the kernel after the hourly bucket-close work. That work runs on
/// whichever Dispatch worker thread is free, and glibc keeps one malloc arena per thread, each
/// retaining the pages of its largest transient peak (latest.json for ~1,000 scopes is several
/// MiB while encoded), so without this resident memory ratchets up by one such peak per new arena
/// although the live heap stays flat. `malloc_trim(0)` walks the arenas and releases whole free
/// pages; it costs milliseconds and runs once per trend-file write.
enum HeapTrim {
    /// glibc's `malloc_trim` (not exported by the Glibc module: `malloc.h` is not in its umbrella),
    /// looked up once; nil on other C libraries, where trimming is skipped.
    private static let mallocTrim: (@convention(c) (Int) -> Int32)? = {
        #if canImport(Glibc)
        guard let sym = dlsym(nil, "malloc_trim") else { return nil }
        return unsafeBitCast(sym, to: (@convention(c) (Int) -> Int32).self)
        #else
        return nil
        #endif
    }()

    static func releaseFreePages() { _ = mallocTrim?(0) }
}
