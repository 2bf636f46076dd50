import Foundation
import Synchronization
import Alerts
import ArticleAnalysis
import DyadConfig
import DyadCore
import FeedFetching
import FeedStorage
import Logging
import Pipeline
import Trends

/// The daemon's real backend: the one pipeline (`FeedPoller` → `FeedStoring` → `AnalysisSink`)
/// that `poll` and `replay` use too, over the state database of `[daemon] state_dir`. Polls hand
/// their stored entries to the `AnalysisQueue` and return; on a shared database the `LeaseKeeper`
/// keeps this node's heartbeat and the leases of its polls in flight.
public final class PipelineBackend: DaemonBackend, Sendable {
    /// What a reload swaps as a whole, so a poll always sees one consistent configuration.
    private struct Generation: Sendable {
        var configuration: DyadConfig.Configuration
        var feeds: [String: FeedConfig]
        var poller: FeedPoller
        var sink: AnalysisSink
        var analyzer: Analyzer
        var analysisDataDir: URL?
        var analysisModel: URL?
    }

    public let state: StateStores
    private var store: any FeedStoring { state.feeds }
    /// Analysis off the poll path: polls store entries and hand them over.
    public let analysis: AnalysisQueue
    /// Heartbeat and lease renewal when several daemons share the database.
    private let keeper: LeaseKeeper?
    private let stateLock: StateDirectoryLock
    private let clock: any WallClock
    private let faults: FaultInjection
    private let logger = Logger(label: "dyadwatch")
    private let cell: GenerationCell
    /// Feed polls and page fetches in flight per host (the shared per-host limit).
    private let hostActivity: HostActivity
    /// Article pages of `fulltext = true` feeds: their own queue and threads.
    private let pages: PageQueue

    /// Longest wait at a stop for queued entries to be analyzed (the rest: at the next start).
    static let analysisStopGrace: TimeInterval = 10

    /// Most recent alerts shown by `status`.
    public static let recentAlertCount = 10

    /// Opens (creating) the state, log and trends directories and the database, and loads the analyzer.
    public init(configuration: DyadConfig.Configuration, clock: any WallClock, faults: FaultInjection = FaultInjection(),
                openState: (DyadConfig.Configuration) throws -> StateStores = StateOpening.open) throws {
        let daemon = configuration.daemon
        for directory in [daemon.stateDir, daemon.logDir, daemon.trendsDir] {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        stateLock = try StateDirectoryLock(directory: daemon.stateDir)
        state = try openState(configuration)
        self.clock = clock
        self.faults = faults
        let analysisDir = configuration.analysis.dataDir
        let hostActivity = HostActivity()
        self.hostActivity = hostActivity
        // The queue analyzes with whatever sink the current generation has (a reload swaps it).
        let current = CurrentCell()
        var queueSettings = AnalysisQueue.Settings()
        if let leasing = state.leasing {
            queueSettings.staleSweepInterval = AnalysisQueue.staleSweepLeases * leasing.leaseSeconds
        }
        var analysisLogger = Logger(label: "dyadwatch.analysis")
        analysisLogger.logLevel = DaemonLogging.level(daemon.logLevel) ?? .info
        let analysis = AnalysisQueue(worker: .sink({ current.cell.value.sink }, feeds: state.feeds,
                                                   identity: { id in current.cell.value.feeds[id].map { FeedIdentity($0) } }),
                                     settings: queueSettings, clock: clock, logger: analysisLogger)
        self.analysis = analysis
        keeper = state.leasing.map { LeaseKeeper(leasing: $0) }
        let generation = try Self.generation(configuration, state: state, clock: clock, faults: faults,
                                             analyzer: try Analyzer(extraDataDirectory: analysisDir,
                                                                    model: configuration.analysis.model.map(StanceModel.load)),
                                             hostActivity: hostActivity, analysis: analysis)
        let cell = GenerationCell(generation)
        self.cell = cell
        current.set(cell)
        var pageLogger = Logger(label: "dyadwatch.fulltext")
        pageLogger.logLevel = DaemonLogging.level(configuration.daemon.logLevel) ?? .info
        // The processor reads each feed's identity and the sink from the current generation, so a
        // reload reaches pages already queued; pages of a feed removed or no longer `fulltext` stay
        // pending, unfetched. The page queue is in the entries table (FeedStorage's
        // `PageQueueStoring`), shared by the daemons of one PostgreSQL database. Extracted texts
        // go to the analysis queue like polled entries.
        pages = PageQueue.live(configuration, store: state.feeds, sink: analysis,
                               identity: { id in cell.value.feeds[id].flatMap { $0.fulltext ? FeedIdentity($0) : nil } },
                               clock: clock, hosts: hostActivity, logger: pageLogger)
    }

    /// The current generation, swapped whole by a reload.
    private final class GenerationCell: Sendable {
        private let current: Mutex<Generation>
        init(_ generation: Generation) { current = Mutex(generation) }
        var value: Generation {
            get { current.withLock { $0 } }
            set { current.withLock { $0 = newValue } }
        }
    }

    /// The generation cell, set once it exists (the analysis queue is made before it).
    private final class CurrentCell: Sendable {
        private let stored = Mutex<GenerationCell?>(nil)
        func set(_ c: GenerationCell) { stored.withLock { $0 = c } }
        var cell: GenerationCell { stored.withLock { $0! } }
    }

    private static func generation(_ configuration: DyadConfig.Configuration, state: StateStores, clock: any WallClock,
                                   faults: FaultInjection, analyzer: Analyzer, hostActivity: HostActivity,
                                   analysis: AnalysisQueue) throws -> Generation {
        let daemon = configuration.daemon
        let alerts = configuration.section(AlertsConfig.self)
        let hook = alerts.onAlert.map { HookRunner(command: $0, timeout: alerts.onAlertTimeout) }
        var analysisLogger = Logger(label: "dyadwatch.analysis")
        analysisLogger.logLevel = DaemonLogging.level(daemon.logLevel) ?? .info
        let sink = AnalysisSink(store: state.analysis, engine: TrendEngine(params: DetectorParameters(configuration)),
                                    analyze: { analyzer.analyze($0) },
                                    delivery: AlertDelivery(logDirectory: daemon.logDir, hook: hook),
                                    trendFiles: TrendFiles(directory: daemon.trendsDir), policy: .everyClose,
                                    logger: analysisLogger)
        // The scheduler logs each poll's outcome (one line with the error class and the next due
        // time); the poller adds only what that line cannot say (truncated, max_items, duplicates).
        var pollLogger = Logger(label: "dyadwatch.poll")
        pollLogger.logLevel = DaemonLogging.level(daemon.logLevel) ?? .info
        let entrySink: any EntrySink = faults.crashBeforeAnalysis ? CrashBeforeAnalysisSink() : analysis
        let poller = FeedPoller(configuration: configuration, store: state.feeds, sink: entrySink, clock: clock, logger: pollLogger,
                                logsFailures: false, hostActivity: hostActivity)
        return Generation(configuration: configuration,
                          feeds: Dictionary(configuration.feeds.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first }),
                          poller: poller, sink: sink, analyzer: analyzer, analysisDataDir: configuration.analysis.dataDir,
                          analysisModel: configuration.analysis.model)
    }

    private var snapshot: Generation { cell.value }

    public func start(_ configuration: DaemonConfiguration) throws -> [String: StoredFeedSchedule] {
        let generation = snapshot
        let states = try store.register(generation.configuration.feeds)
        let now = clock.now()
        // Alerts queued but not yet written are delivered; entries committed by a poll whose
        // analysis never ran (a crash, a stop with entries queued) are analyzed by the queue's
        // first sweep, in the background.
        generation.sink.flush(at: now)
        analysis.start()
        keeper?.start()
        // Pages pending when the last run stopped (or crashed) are fetched now.
        pages.wake()
        return Dictionary(states.map {
            ($0.id, StoredFeedSchedule(nextDue: $0.nextDue, consecutiveFailures: $0.consecutiveFailures, disabledReason: $0.disabledReason))
        }, uniquingKeysWith: { first, _ in first })
    }

    public func reload(_ configuration: DaemonConfiguration) throws {
        guard let next = configuration.feedsConf else { throw BackendError.foreignConfiguration }
        let old = snapshot
        if next.daemon.stateDir != old.configuration.daemon.stateDir {
            logger.warning("state_dir changed; the state database moves only at the next start",
                           metadata: ["state_dir": "\(old.configuration.daemon.stateDir.path)", "new_state_dir": "\(next.daemon.stateDir.path)"])
        }
        for directory in [next.daemon.logDir, next.daemon.trendsDir] {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        // Reloading the gazetteers is the slow part; only when their directory changed.
        let analyzer = next.analysis.dataDir == old.analysisDataDir && next.analysis.model == old.analysisModel ? old.analyzer
            : try Analyzer(extraDataDirectory: next.analysis.dataDir, model: next.analysis.model.map(StanceModel.load))
        let generation = try Self.generation(next, state: state, clock: clock, faults: faults, analyzer: analyzer,
                                             hostActivity: hostActivity, analysis: analysis)
        try store.register(next.feeds)
        cell.value = generation
        pages.update(PageQueue.settings(next))
    }

    public func poll(_ feed: DaemonFeed, now: Date) -> PollOutcome {
        let generation = snapshot
        guard let config = generation.feeds[feed.id] else {
            // Removed by a reload while queued: the scheduler drops this outcome (generation changed).
            return PollOutcome(feedID: feed.id, schedule: ScheduleDecision(due: nil, reason: .gone),
                               error: "no longer in the configuration")
        }
        if let skipped = claim(feed, generation: generation, config: config, now: now) { return skipped }
        keeper?.claimed(feed.id)
        defer { keeper?.finished(feed.id) }
        do {
            guard let report = try generation.poller.poll([config]).feeds.first else {
                throw BackendError.noReport
            }
            if report.newCount > 0, config.fulltext { pages.wake() }
            return PipelineBackend.outcome(report)
        } catch {
            // Our side failed (disk full, database locked): back off like any failure, by the same policy.
            let failures = ((try? store.state(of: feed.id))?.map(\.consecutiveFailures) ?? 0) + 1
            let decision = generation.poller.schedule(for: config)
                .next(after: .failure(failures: failures, retryAfter: nil), now: clock.now(), random: Double.random(in: 0...1))
            return PollOutcome(feedID: feed.id, schedule: decision, error: "storage: \(error)", errorClass: .storage,
                               consecutiveFailures: failures)
        }
    }

    /// Several daemons share the feed list: poll only what this node could claim. Nil when the
    /// poll may go ahead; else the outcome that re-places the feed (`PollOutcome.skipped`).
    private func claim(_ feed: DaemonFeed, generation: Generation, config: FeedConfig, now: Date) -> PollOutcome? {
        guard let leasing = state.leasing else { return nil }
        let claim: FeedClaim
        do { claim = try leasing.claim(feed.id, now: now) } catch {
            let decision = generation.poller.schedule(for: config)
                .next(after: .failure(failures: 1, retryAfter: nil), now: clock.now(), random: Double.random(in: 0...1))
            return PollOutcome(feedID: feed.id, schedule: decision, error: "storage: cannot claim the feed: \(error)",
                               errorClass: .storage, consecutiveFailures: 1)
        }
        switch claim {
        case .claimed:
            return nil
        case .notDue(let next):
            return PollOutcome(feedID: feed.id, schedule: ScheduleDecision(due: next ?? now, reason: .interval),
                               skipped: "polled by another daemon")
        case .leased(let owner, let retryIn):
            return PollOutcome(feedID: feed.id, schedule: ScheduleDecision(due: now.addingTimeInterval(retryIn), reason: .interval),
                               skipped: "leased by \(owner)")
        case .disabled(let reason):
            return PollOutcome(feedID: feed.id, schedule: ScheduleDecision(due: nil, reason: .gone), disabledReason: reason)
        }
    }

    /// The scheduler's view of a poll report.
    static func outcome(_ report: FeedPollReport) -> PollOutcome {
        PollOutcome(feedID: report.feedID, schedule: ScheduleDecision(due: report.nextDue, reason: report.scheduleReason),
                    status: report.status, newEntries: report.newCount, updatedEntries: report.updatedCount,
                    bytes: Int(report.bytes), duration: Double(report.durationMs) / 1000,
                    error: report.result == .failed ? (report.error ?? "failed") : nil,
                    errorClass: report.errorClass,
                    disabledReason: report.result == .disabled ? (report.error ?? "gone") : nil,
                    consecutiveFailures: report.consecutiveFailures, movedTo: report.movedTo,
                    stale: report.stale, problems: report.problems)
    }

    /// Buckets that closed without new entries are judged by the analysis queue, after what it
    /// holds (the heartbeat is the `LeaseKeeper`'s own timer).
    public func maintenance(now: Date) {
        // Pages queued by the other daemons' polls, whose claims expired with a dead daemon, or
        // whose retry came due (the queue's own timer counts real seconds; this catches a clock
        // that runs otherwise).
        pages.wake()
        analysis.tick(at: now)
    }

    public func counts() -> ServiceCounts {
        let generation = snapshot
        do {
            let enabled = Set(generation.configuration.enabledFeeds.map(\.id))
            let failing = try store.states().filter { enabled.contains($0.id) && $0.consecutiveFailures > 0 }.count
            let entries = try store.entryCount()
            let alerts = try state.analysis.readOutbox { try $0.count() }
            return ServiceCounts(feeds: enabled.count, failingFeeds: failing, entries: entries, alerts: alerts)
        } catch {
            logger.error("cannot count state for the status line", metadata: ["error": "\(error)"])
            return ServiceCounts(feeds: generation.configuration.enabledFeeds.count)
        }
    }

    /// alerts.log and alerts.jsonl are opened for each append (`AtomicFile.append`), so after
    /// logrotate moved them the next alert creates a new file: nothing to reopen here.
    public func reopenOutputs() {}

    public func shutdown() {
        pages.stop()
        analysis.stop(drainFor: Self.analysisStopGrace)
        keeper?.stop()
        snapshot.sink.flush(at: clock.now())
        if let leasing = state.leasing {
            do { try leasing.leave() } catch { logger.error("cluster: cannot release leases; they expire", metadata: ["error": "\(error)"]) }
        }
        state.close()
    }

    enum BackendError: Error, CustomStringConvertible {
        case foreignConfiguration
        case noReport
        var description: String {
            switch self {
            case .foreignConfiguration: return "the reloaded configuration was not loaded from a feeds.conf"
            case .noReport: return "the poll produced no report"
            }
        }
    }
}

/// Fault injection (`crash-before-analysis`): dies by SIGKILL where a crash hurts most, after
/// entries were committed and before any of them was analyzed.
struct CrashBeforeAnalysisSink: EntrySink {
    func accept(_ entries: [AcceptedEntry], at now: Date) throws {
        kill(getpid(), SIGKILL)
    }
}

/// `status` additions from the analysis and alert tables: dyad articles today, the last alerts.
public struct AnalysisStatusExtras: StatusExtras {
    public var alertLimit: Int
    public init(alertLimit: Int = PipelineBackend.recentAlertCount) { self.alertLimit = alertLimit }

    public func add(to report: inout StatusReport, state: StateStores, since startOfDay: Date) throws {
        let (dyad, recent) = try state.analysis.read { db in
            (try db.trends.dyadCount(firstSeenSince: startOfDay), try db.outbox.recent(limit: alertLimit))
        }
        report.dyadToday = dyad
        report.alerts = recent.reversed().map {
            StatusReport.Alert(time: $0.detectedAt, severity: $0.severity.rawValue, detector: $0.detector,
                               scope: $0.scope, summary: $0.summary)
        }
    }
}

/// `status` addition from the entries' page status: full-text counts.
public struct FulltextStatusExtras: StatusExtras {
    public init() {}
    public func add(to report: inout StatusReport, state: StateStores, since startOfDay: Date) throws {
        let counts = try state.feeds.fulltextCounts()
        report.fulltext = counts.total > 0 ? counts : nil
    }
}

/// The `status` additions every build has.
public enum StatusExtrasCatalog {
    public static var all: [any StatusExtras] { [AnalysisStatusExtras(), FulltextStatusExtras()] }
}
