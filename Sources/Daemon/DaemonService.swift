import Foundation
import Logging
import Synchronization

/// The long-running service: loads the configuration and state, runs the scheduler, and answers
/// signals (SIGTERM/SIGINT stop, SIGHUP reload) and systemd (notify, watchdog). All control work
/// happens on one serial queue; polls run on the scheduler's workers, periodic backend work
/// (outbox, counts) on a third queue, so none of them can hold up the others.
public final class DaemonService: Sendable {
    public struct Options: Sendable {
        /// Longest wait for polls in flight after SIGTERM before they are abandoned (their storage
        /// transaction is then never committed, so the database stays consistent).
        public var stopGrace: TimeInterval = 3
        /// How often the backend's maintenance runs and the `STATUS=` line is refreshed (real seconds).
        public var maintenanceInterval: TimeInterval = 10
        /// Longest real time between two scheduler turns when no watchdog is asked for.
        public var idleTurnInterval: TimeInterval = 30
        public var hostSpacing = FeedScheduler.defaultHostSpacing
        public var faults = FaultInjection()
        /// Off in in-process tests, which drive `requestReload`/`requestStop` directly.
        public var installSignalHandlers = true
        public init() {}
    }

    private let configPath: String
    private let loader: any ConfigurationLoading
    private let backend: any DaemonBackend
    private let notifier: SystemdNotifier
    private let clock: any SchedulerClock
    private let logOutput: LogOutput
    private let logLevel: LogLevelBox
    private let options: Options
    private let logger = Logger(label: "dyadwatch")
    private let control = DispatchQueue(label: "dyadwatch.control")
    private let maintenanceQueue = DispatchQueue(label: "dyadwatch.maintenance", qos: .utility)
    /// Stamped by every scheduler turn (the watchdog and `/healthz` read it).
    public let heartbeat = Heartbeat()
    private let lifecycle = Mutex(DaemonLifecycle())

    /// Where the service is in its life (see `DaemonLifecycle` for the transitions).
    public var state: DaemonState { lifecycle.withLock { $0.state } }

    /// What `start` makes; stop and reload use it.
    private struct Parts {
        var scheduler: FeedScheduler?
        var signals: SignalWatcher?
        var watchdog: WatchdogPinger?
        var maintenanceTimer: (any DispatchSourceTimer)?
    }
    private let parts = Mutex(Parts())
    private let pollTotals = PollTotals()

    public init(configPath: String, loader: any ConfigurationLoading, backend: any DaemonBackend,
                notifier: SystemdNotifier, clock: any SchedulerClock, logOutput: LogOutput, logLevel: LogLevelBox,
                options: Options = Options()) {
        self.configPath = configPath; self.loader = loader; self.backend = backend; self.notifier = notifier
        self.clock = clock; self.logOutput = logOutput; self.logLevel = logLevel; self.options = options
    }

    /// Validates the configuration, opens the state and starts polling; `onExit` later receives
    /// the exit status (0 after a requested stop). Throws when the configuration or state is unusable.
    public func start(_ configuration: DaemonConfiguration, onExit: @escaping @Sendable (Int32) -> Void) throws {
        try control.sync {
            applyLogLevel(configuration.settings)
            for name in options.faults.unknown { logger.warning("unknown fault ignored", metadata: ["fault": "\(name)"]) }
            let stored = try backend.start(configuration)
            let watchdogInterval = configuration.settings.watchdog ? notifier.watchdogInterval : nil
            let turnInterval = watchdogInterval.map { min(options.idleTurnInterval, $0 / 4) } ?? options.idleTurnInterval
            let scheduler = FeedScheduler(settings: configuration.settings, clock: clock,
                                          heartbeat: heartbeat, turnInterval: turnInterval, hostSpacing: options.hostSpacing,
                                          faults: options.faults, logger: logger) { [backend] feed, now in
                backend.poll(feed, now: now)
            }
            scheduler.onOutcome { [pollTotals] outcome, _ in pollTotals.record(outcome) }
            scheduler.start(feeds: configuration.feeds, stored: stored)
            parts.withLock { $0.scheduler = scheduler }
            if options.installSignalHandlers {
                let signals = SignalWatcher(queue: control) { [weak self] event in self?.handle(event) }
                parts.withLock { $0.signals = signals }
            }
            if let watchdogInterval {
                let pinger = WatchdogPinger(interval: watchdogInterval, heartbeat: heartbeat, notifier: notifier,
                    onStall: { [logger] age in
                        logger.critical("scheduler is not making progress; withholding WATCHDOG=1",
                                        metadata: ["stalled_s": "\(Int(age))"])
                    },
                    onRecover: { [logger] in logger.notice("scheduler making progress again; watchdog resumed") })
                pinger.start()
                parts.withLock { $0.watchdog = pinger }
            }
            startMaintenance()
            let counts = backend.counts()
            logger.notice("started", metadata: [
                "config": "\(configPath)", "feeds": "\(configuration.feeds.filter(\.enabled).count)",
                "entries": "\(counts.entries)", "alerts": "\(counts.alerts)",
                "watchdog_s": "\(watchdogInterval.map { String(format: "%.1f", $0) } ?? "off")",
            ])
            lifecycle.withLock { $0.started(onExit: onExit) }
            notifier.ready(status: statusLine(counts))
        }
    }

    /// What SIGHUP does: reload the configuration and reopen log files.
    public func requestReload() { control.async { [weak self] in self?.reload() } }

    /// What SIGTERM does: stop gracefully and report exit status 0.
    public func requestStop(reason: String = "request") { control.async { [weak self] in self?.stop(signal: reason) } }

    // MARK: - Signals (on `control`)

    private func handle(_ event: SignalWatcher.Event) {
        switch event {
        case .stop(let name): stop(signal: name)
        case .reload: reload()
        }
    }

    /// SIGHUP: log files are reopened whatever happens; the configuration is replaced only when
    /// the new one validates and the backend accepts it.
    private func reload() {
        guard let scheduler = parts.withLock({ $0.scheduler }), lifecycle.withLock({ $0.beginReload() }) else { return }
        defer { lifecycle.withLock { $0.endReload() } }
        notifier.reloading()
        logOutput.reopen()
        backend.reopenOutputs()
        logger.notice("reloading", metadata: ["config": "\(configPath)"])
        let next: DaemonConfiguration
        do {
            next = try loader.load(path: configPath)
            try backend.reload(next)
        } catch {
            logger.error("reload failed; keeping the running configuration",
                         metadata: ["config": "\(configPath)", "error": "\(error)"])
            notifier.ready(status: statusLine(backend.counts()))
            return
        }
        applyLogLevel(next.settings)
        let (added, removed, changed) = scheduler.update(feeds: next.feeds, settings: next.settings)
        logger.notice("reloaded", metadata: [
            "feeds": "\(next.feeds.filter(\.enabled).count)", "added": "\(added.joined(separator: ","))",
            "removed": "\(removed.joined(separator: ","))", "changed": "\(changed.joined(separator: ","))",
        ])
        notifier.ready(status: statusLine(backend.counts()))
    }

    /// SIGTERM/SIGINT: no new polls; polls in flight get `stopGrace` to finish, then are abandoned.
    /// A second signal exits at once.
    private func stop(signal name: String) {
        switch lifecycle.withLock({ $0.beginStop() }) {
        case .ignore: return
        case .exitNow:
            logger.warning("second stop signal; exiting now", metadata: ["signal": "\(name)"])
            finish(status: 0)
            return
        case .begin: break
        }
        notifier.stopping()
        logger.notice("stopping", metadata: ["signal": "\(name)"])
        let scheduler = parts.withLock { p in
            p.maintenanceTimer?.cancel()
            p.watchdog?.stop()
            return p.scheduler
        }
        let grace = options.stopGrace
        control.asyncAfter(deadline: .now() + grace) { [weak self] in
            guard let self, self.state == .stopping else { return }
            self.logger.warning("polls still in flight after the grace period; abandoning them (not committed)",
                                metadata: ["grace_s": "\(grace)"])
            self.finish(status: 0)
        }
        scheduler?.stop { [weak self] in
            guard let service = self else { return }
            service.control.async { service.stoppedCleanly() }
        }
    }

    /// The scheduler is idle after a stop: close the state and exit (on `control`).
    private func stoppedCleanly() {
        guard state == .stopping else { return }
        // Maintenance may be mid-flush: let it finish before the database closes.
        maintenanceQueue.sync {}
        backend.shutdown()
        logger.notice("stopped")
        finish(status: 0)
    }

    private func finish(status: Int32) {
        guard let handler = lifecycle.withLock({ $0.finish() }) else { return }
        parts.withLock { $0.signals }?.cancel()
        handler(status)
    }

    // MARK: - Periodic work

    private func startMaintenance() {
        parts.withLock { p in
            let timer = DispatchSource.makeTimerSource(queue: maintenanceQueue)
            timer.schedule(deadline: .now() + options.maintenanceInterval, repeating: options.maintenanceInterval,
                           leeway: .milliseconds(250))
            timer.setEventHandler { [weak self] in
                guard let self else { return }
                self.backend.maintenance(now: self.clock.now())
                self.notifier.status(self.statusLine(self.backend.counts()))
            }
            p.maintenanceTimer = timer
            timer.resume()
        }
    }

    private func applyLogLevel(_ settings: DaemonSettings) {
        if let level = DaemonLogging.level(settings.logLevel) { logLevel.level = level }
    }

    /// The `STATUS=` text: what `systemctl status` shows under the unit.
    func statusLine(_ counts: ServiceCounts) -> String {
        let totals = pollTotals.snapshot()
        return "\(counts.feeds) feeds (\(counts.failingFeeds) failing), \(counts.entries) entries, \(counts.alerts) alerts; \(totals.polls) polls since start"
    }
}

/// Poll counters since the process started (for the status line).
final class PollTotals: Sendable {
    private let totals = Mutex((polls: 0, failures: 0))
    func record(_ outcome: PollOutcome) {
        totals.withLock { $0.polls += 1; if !outcome.succeeded { $0.failures += 1 } }
    }
    func snapshot() -> (polls: Int, failures: Int) { totals.withLock { $0 } }
}
