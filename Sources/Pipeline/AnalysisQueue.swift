import DyadCore
import FeedStorage
import Foundation
import Logging
import Synchronization

/// The daemon's analysis worker. A poll stores its entries (storage's commit is the durable
/// hand-over), gives them to `accept` and returns at once; one background thread analyzes them in
/// arrival order through the `AnalysisSink`, then judges buckets (`tick`). So polls, lease
/// renewal and the scheduler never wait for analysis, however many entries a cycle brings.
///
/// Nothing accepted is lost and nothing is analyzed twice, because the queue is only a fast path
/// over the durable state: an entry is analyzed when its stored revision has no analysis yet
/// (`AnalysisSink.isDone`, checked again inside the write transaction), and what the queue does
/// not hold in memory is found again in storage by a *sweep* (`recoverUnanalyzed`):
///   - at start (entries a crash left unanalyzed, or a stop left queued);
///   - after an overflow: beyond `limit` entries waiting, new batches are not kept in memory but
///     left in storage for the sweep, so memory stays bounded whatever a cycle brings;
///   - after an analysis error (database unavailable), retried after `retryDelay`;
///   - on a database shared by several daemons, every `staleSweepInterval`: entries another node
///     stored but never analyzed (it died with them queued). Such an entry is taken only when an
///     earlier sweep already saw it unanalyzed, so a live node's queue is not raced.
public final class AnalysisQueue: EntrySink, Sendable {
    /// What the worker calls; the daemon passes its current generation's sink (reloads swap it).
    public struct Worker: Sendable {
        public var process: @Sendable ([AcceptedEntry], Date) throws -> Void
        public var tick: @Sendable (Date) throws -> Void
        /// Analyzes stored entries that have no analysis; `select` says which to take now; returns how many.
        public var recover: @Sendable (Date, (EntryRevision) -> Bool) throws -> Int

        public init(process: @escaping @Sendable ([AcceptedEntry], Date) throws -> Void,
                    tick: @escaping @Sendable (Date) throws -> Void,
                    recover: @escaping @Sendable (Date, (EntryRevision) -> Bool) throws -> Int) {
            self.process = process; self.tick = tick; self.recover = recover
        }

        /// The worker over one sink and the feeds table it recovers from.
        public static func sink(_ sink: @escaping @Sendable () -> AnalysisSink, feeds: any FeedStoring,
                                identity: @escaping @Sendable (String) -> FeedIdentity?) -> Worker {
            // A processed batch is analyzed (or found analyzed): marked so sweeps skip it.
            Worker(process: { entries, now in
                       _ = try sink().process(entries, at: now)
                       try feeds.markAnalyzed(entries.map { EntryRevision(id: $0.entryID, revision: $0.revision) })
                   },
                   tick: { now in try sink().tick(at: now) },
                   recover: { now, select in try sink().recoverUnanalyzed(from: feeds, identity: identity, at: now, select: select) })
        }
    }

    public struct Settings: Sendable {
        /// Entries held in memory at most; more are left to the sweep.
        public var limit = 5_000
        /// Entries per analysis transaction.
        public var batchSize = 200
        /// Wait before retrying after an analysis error.
        public var retryDelay: TimeInterval = 5
        /// How often a database shared with other daemons is swept for entries a dead node left
        /// unanalyzed (nil: never, the SQLite case: only this process analyzes its state).
        public var staleSweepInterval: TimeInterval?
        public init() {}
    }

    /// The stale sweep's period on a shared database, in lease periods: a dead node's unanalyzed
    /// entries are taken by a live node after two sweeps, i.e. within 10 lease periods.
    public static let staleSweepLeases: Double = 5

    /// Counts for `status`, tests and the log.
    public struct Counts: Sendable, Equatable {
        public var pending = 0
        public var processed = 0
        public var overflowed = 0
        public var recovered = 0
        public var failures = 0
    }

    private struct Batch { var entries: [AcceptedEntry]; var at: Date }

    private struct State {
        var batches: [Batch] = []
        /// Entries in `batches`.
        var pending = 0
        /// Entries of the batch being analyzed.
        var inProgress = 0
        /// Entries are in storage that the queue does not hold: sweep all of them.
        var sweepAll = false
        /// Sweep for other nodes' leftovers (entries seen unanalyzed by the previous such sweep).
        var sweepStale = false
        var tickAt: Date?
        var running = false
        var stopped = false
        var retryArmed = false
        var counts = Counts()
        var idle: [@Sendable () -> Void] = []
    }

    private let worker: Worker
    private let settings: Settings
    private let clock: any WallClock
    private let logger: Logger
    private let state = Mutex(State())
    /// Entries a stale sweep found unanalyzed (taken by the next one if still unanalyzed then).
    private let seenUnanalyzed = Mutex(Set<Int64>())
    private let queue = DispatchQueue(label: "dyadwatch.analysis", qos: .utility)

    public init(worker: Worker, settings: Settings = Settings(), clock: any WallClock,
                logger: Logger = Logger(label: "dyadwatch.analysis")) {
        self.worker = worker; self.settings = settings; self.clock = clock; self.logger = logger
    }

    /// Starts the worker: the first sweep takes every stored entry without an analysis; on a
    /// shared database the stale sweep is armed.
    public func start() {
        state.withLock { $0.sweepAll = true }
        if let every = settings.staleSweepInterval { armStaleSweep(every) }
        kick()
    }

    private func armStaleSweep(_ every: TimeInterval) {
        queue.asyncAfter(deadline: .now() + every) { [weak self] in
            guard let self, !self.isStopped else { return }
            self.requestStaleSweep()
            self.armStaleSweep(every)
        }
    }

    /// Takes a poll's stored entries; returns at once (never throws: they are in storage already).
    public func accept(_ entries: [AcceptedEntry], at now: Date) {
        guard !entries.isEmpty else { return }
        let overflow = state.withLock { s -> Int? in
            guard !s.stopped else { return nil }
            if s.pending + s.inProgress + entries.count > settings.limit {
                let first = !s.sweepAll
                s.sweepAll = true
                s.counts.overflowed += entries.count
                return first ? s.pending + s.inProgress : 0
            }
            s.batches.append(Batch(entries: entries, at: now))
            s.pending += entries.count
            return nil
        }
        if let held = overflow, held > 0 {
            logger.notice("analysis queue full; further entries stay in storage and are analyzed by a sweep when it drains",
                          metadata: ["queued": "\(held)", "limit": "\(settings.limit)"])
        }
        kick()
    }

    /// Buckets that closed without new entries are judged after what is queued (maintenance round).
    public func tick(at now: Date) {
        state.withLock { s in s.tickAt = max(s.tickAt ?? now, now) }
        kick()
    }

    /// Asks for a sweep of every stored entry without an analysis.
    public func requestSweep() {
        state.withLock { $0.sweepAll = true }
        kick()
    }

    /// Asks for a sweep for entries other nodes left unanalyzed (the timer's job; tests call it).
    public func requestStaleSweep() {
        state.withLock { $0.sweepStale = true }
        kick()
    }

    /// A stop makes a sweep in progress skip the rest (it could be long), so stopping stays quick.
    private var isStopped: Bool { state.withLock { $0.stopped } }

    public var counts: Counts { state.withLock { s in var c = s.counts; c.pending = s.pending + s.inProgress; return c } }

    /// Calls `body` (on the worker's thread) once nothing is queued or running.
    public func whenIdle(_ body: @escaping @Sendable () -> Void) {
        let now = state.withLock { s -> Bool in
            if s.running || !s.batches.isEmpty || s.sweepAll || s.sweepStale || s.tickAt != nil { s.idle.append(body); return false }
            return true
        }
        if now { queue.async(execute: body) }
    }

    /// Stops taking work. What is queued gets up to `grace` seconds to be analyzed (a clean stop
    /// usually leaves nothing behind); then the batch in progress finishes and the rest stays in
    /// storage for the next start (or another node's sweep). Returns how many entries were left.
    @discardableResult
    public func stop(drainFor grace: TimeInterval = 0) -> Int {
        if grace > 0 {
            let idle = DispatchSemaphore(value: 0)
            whenIdle { idle.signal() }
            _ = idle.wait(timeout: .now() + grace)
        }
        let left = state.withLock { s -> Int in
            s.stopped = true
            let left = s.pending + s.inProgress
            s.batches.removeAll(); s.pending = 0; s.sweepAll = false; s.sweepStale = false; s.tickAt = nil
            return left
        }
        queue.sync {}   // the batch in progress
        if left > 0 {
            logger.notice("analysis: stopping with entries queued; they stay in storage and are analyzed at the next start",
                          metadata: ["entries": "\(left)"])
        }
        return left
    }

    // MARK: - the worker (on `queue`)

    private func kick() {
        let start = state.withLock { s -> Bool in
            guard !s.running, !s.stopped, !s.retryArmed else { return false }
            s.running = true
            return true
        }
        if start { queue.async { [self] in drain() } }
    }

    private enum Job { case batch([AcceptedEntry], Date), sweepAll, sweepStale, tick(Date), idle([@Sendable () -> Void]) }

    /// The next job in order: a full sweep first (entries stored earlier than anything queued),
    /// then queued entries (merged up to `batchSize`), the stale sweep, and last the tick, so a
    /// tick never judges a bucket before the entries already stored for it are in.
    private func next() -> Job {
        state.withLock { s in
            if s.stopped { s.running = false; return .idle([]) }
            if s.sweepAll { s.sweepAll = false; return .sweepAll }
            if !s.batches.isEmpty {
                var entries: [AcceptedEntry] = [], at = s.batches[0].at
                while let b = s.batches.first, entries.isEmpty || entries.count + b.entries.count <= settings.batchSize {
                    entries += b.entries; at = max(at, b.at)
                    s.batches.removeFirst()
                }
                s.pending -= entries.count
                s.inProgress = entries.count
                return .batch(entries, at)
            }
            if s.sweepStale { s.sweepStale = false; return .sweepStale }
            if let t = s.tickAt { s.tickAt = nil; return .tick(t) }
            s.running = false
            defer { s.idle = [] }
            return .idle(s.idle)
        }
    }

    private func drain() {
        while true {
            let job = next()
            do {
                switch job {
                case .idle(let waiters):
                    for w in waiters { w() }
                    return
                case .batch(let entries, let at):
                    defer { state.withLock { $0.inProgress = 0 } }
                    try worker.process(entries, at)
                    state.withLock { $0.counts.processed += entries.count }
                case .sweepAll:
                    let n = try worker.recover(clock.now()) { _ in !self.isStopped }
                    state.withLock { $0.counts.recovered += n }
                case .sweepStale:
                    try sweepStale()
                case .tick(let at):
                    try worker.tick(at)
                }
            } catch {
                retryLater(after: job, error: error)
                return
            }
        }
    }

    /// Takes the entries a previous stale sweep already found unanalyzed; remembers the others.
    private func sweepStale() throws {
        let before = seenUnanalyzed.withLock { $0 }
        var seen = Set<Int64>()
        let n = try worker.recover(clock.now()) { e in
            seen.insert(e.id)
            return before.contains(e.id) && !isStopped
        }
        seenUnanalyzed.withLock { $0 = seen.subtracting(before) }
        state.withLock { $0.counts.recovered += n }
        if n > 0 { logger.notice("analysis: analyzed entries another daemon stored but never analyzed", metadata: ["entries": "\(n)"]) }
    }

    /// An analysis error (database unavailable): the entries are in storage; a full sweep after
    /// `retryDelay` takes them, and a tick is retried.
    private func retryLater(after job: Job, error: Error) {
        logger.error("analysis failed; the entries stay stored and are retried", metadata: [
            "error_class": "storage", "error": "\(error)", "retry_in": "\(Int(settings.retryDelay))s",
        ])
        state.withLock { s in
            s.counts.failures += 1
            s.running = false
            s.retryArmed = true
            switch job {
            case .batch, .sweepAll: s.sweepAll = true
            case .sweepStale: s.sweepStale = true
            case .tick(let at): s.tickAt = max(s.tickAt ?? at, at)
            case .idle: break
            }
        }
        queue.asyncAfter(deadline: .now() + settings.retryDelay) { [self] in
            state.withLock { $0.retryArmed = false }
            kick()
        }
    }
}
