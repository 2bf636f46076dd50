import Foundation
import Synchronization
import Alerts
import ArticleAnalysis
import DyadConfig
import DyadCore
import FeedStorage
import Logging
import Pipeline
import Trends

/// The daemon's real backend: the one pipeline (`FeedPoller` → `FeedStoring` → `AnalysisSink`)
/// that `poll` and `replay` use too, over the state of `[daemon] state_dir` (SQLite) or `[storage] url`.
public final class PipelineBackend: DaemonBackend, @unchecked Sendable {
    /// What a reload swaps as a whole, so a poll always sees one consistent configuration.
    private struct Generation {
        var configuration: DyadConfig.Configuration
        var feeds: [String: FeedConfig]
        var poller: FeedPoller
        var sink: AnalysisSink
        var analyzer: Analyzer
        var analysisDataDir: URL?
    }

    public let state: StateStores
    private var store: any FeedStoring { state.feeds }
    private let stateLock: StateDirectoryLock
    private let clock: any WallClock
    private let faults: FaultInjection
    private let logger = Logger(label: "dyadwatch")
    private let lock = NSLock()
    private var current: Generation
    /// Polls this node made (claimed feeds), for the cluster heartbeat.
    private let polls = Atomic<Int>(0)

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
        current = try Self.generation(configuration, state: state, clock: clock, faults: faults,
                                      analyzer: try Analyzer(extraDataDirectory: analysisDir))
    }

    private static func generation(_ configuration: DyadConfig.Configuration, state: StateStores, clock: any WallClock,
                                   faults: FaultInjection, analyzer: Analyzer) throws -> Generation {
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
        // The scheduler logs each poll's outcome (one line with the backoff); the poller's own
        // per-failure warnings would repeat it, so only its errors (storage) get through.
        var pollLogger = Logger(label: "dyadwatch.poll")
        pollLogger.logLevel = .error
        let entrySink: any EntrySink = faults.crashBeforeAnalysis ? CrashBeforeAnalysisSink() : sink
        let poller = FeedPoller(configuration: configuration, store: state.feeds, sink: entrySink, clock: clock, logger: pollLogger)
        return Generation(configuration: configuration,
                          feeds: Dictionary(configuration.feeds.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first }),
                          poller: poller, sink: sink, analyzer: analyzer, analysisDataDir: configuration.analysis.dataDir)
    }

    private var snapshot: Generation { lock.lock(); defer { lock.unlock() }; return current }

    public func start(_ configuration: DaemonConfiguration) throws -> [String: StoredFeedSchedule] {
        let generation = snapshot
        let states = try store.register(generation.configuration.feeds)
        let now = clock.now()
        // Entries committed by a poll whose analysis never ran (a crash in between) are analyzed
        // now; alerts queued but not yet written are delivered.
        try generation.sink.recoverUnanalyzed(from: store, identity: { id in generation.feeds[id].map(FeedIdentity.init) }, at: now)
        generation.sink.flush(at: now)
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
        let analyzer = next.analysis.dataDir == old.analysisDataDir ? old.analyzer : try Analyzer(extraDataDirectory: next.analysis.dataDir)
        let generation = try Self.generation(next, state: state, clock: clock, faults: faults, analyzer: analyzer)
        try store.register(next.feeds)
        lock.lock(); current = generation; lock.unlock()
    }

    public func poll(_ feed: DaemonFeed, now: Date) -> PollOutcome {
        let generation = snapshot
        guard let config = generation.feeds[feed.id] else {
            return PollOutcome(feedID: feed.id, error: "no longer in the configuration")
        }
        if let leasing = state.leasing {
            // Several daemons share the feed list: poll only what this node could claim.
            do {
                switch try leasing.claim(feed.id, now: now) {
                case .claimed: break
                case .notDue(let next):
                    return PollOutcome(feedID: feed.id, nextDue: next ?? now, skipped: "polled by another daemon")
                case .leased(let owner, let retryIn):
                    return PollOutcome(feedID: feed.id, nextDue: now.addingTimeInterval(retryIn), skipped: "leased by \(owner)")
                case .disabled(let reason):
                    return PollOutcome(feedID: feed.id, disabledReason: reason)
                }
            } catch {
                return PollOutcome(feedID: feed.id, error: "storage: cannot claim the feed: \(error)", consecutiveFailures: 1)
            }
            polls.add(1, ordering: .relaxed)
        }
        let report: FeedPollReport
        do {
            guard let first = try generation.poller.poll([config]).feeds.first else {
                return PollOutcome(feedID: feed.id, error: "the poll produced no report")
            }
            report = first
        } catch {
            return PollOutcome(feedID: feed.id, error: "storage: \(error)", consecutiveFailures: 1)
        }
        return PipelineBackend.outcome(report)
    }

    /// The scheduler's view of a poll report.
    static func outcome(_ report: FeedPollReport) -> PollOutcome {
        PollOutcome(feedID: report.feedID, status: report.status, newEntries: report.newCount, updatedEntries: report.updatedCount,
                    bytes: Int(report.bytes), duration: Double(report.durationMs) / 1000,
                    error: report.result == .failed ? (report.error ?? "failed") : nil,
                    disabledReason: report.result == .disabled ? (report.error ?? "gone") : nil,
                    consecutiveFailures: report.consecutiveFailures, movedTo: report.movedTo,
                    nextDue: report.nextDue, stale: report.stale)
    }

    public func maintenance(now: Date) {
        if let leasing = state.leasing {
            do { try leasing.heartbeat(polls: polls.load(ordering: .relaxed)) } catch {
                logger.error("cluster: heartbeat failed; will retry", metadata: ["error": "\(error)"])
            }
        }
        do { try snapshot.sink.tick(at: now) } catch {
            logger.error("trends: closing buckets failed; will retry", metadata: ["error": "\(error)"])
        }
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
        snapshot.sink.flush(at: clock.now())
        if let leasing = state.leasing {
            do { try leasing.leave() } catch { logger.error("cluster: cannot release leases; they expire", metadata: ["error": "\(error)"]) }
        }
        state.close()
    }

    enum BackendError: Error, CustomStringConvertible {
        case foreignConfiguration
        var description: String { "the reloaded configuration was not loaded from a feeds.conf" }
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

/// The `status` additions every build has.
public enum StatusExtrasCatalog {
    public static var all: [any StatusExtras] { [AnalysisStatusExtras()] }
}
