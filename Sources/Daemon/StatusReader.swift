import Foundation
import Alerts
import DyadConfig
import DyadCore
import FeedStorage
import Pipeline

/// Builds a `StatusReport` from the state and feeds.conf, without the daemon: feed health and
/// today's counts from storage (`FeedStoring`), and what the later stages add (dyad articles,
/// alerts) through `StatusExtras`.
public struct StatusReader {
    public let configuration: DyadConfig.Configuration
    public var extras: [any StatusExtras]

    /// Longest wait for the daemon's write lock before giving up.
    static let busyTimeout: TimeInterval = 5

    /// Opens the state read-only; nil when there is none yet. By default the SQLite file of
    /// `state_dir`, opened read-only and without migrations (see `sqliteState`).
    public var openState: (DyadConfig.Configuration) throws -> StateStores?

    public init(configuration: DyadConfig.Configuration, extras: [any StatusExtras] = [],
                openState: @escaping (DyadConfig.Configuration) throws -> StateStores? = StatusReader.sqliteState) {
        self.configuration = configuration; self.extras = extras; self.openState = openState
    }

    /// The SQLite state of `state_dir`, read-only and without migrations: `status` may run as
    /// another user (root next to a DynamicUser service) and must never create or change files in
    /// the daemon's state. Nil when the daemon has never run with this configuration.
    public static func sqliteState(_ configuration: DyadConfig.Configuration) throws -> StateStores? {
        let path = configuration.daemon.stateDir.appendingPathComponent(FeedStore.fileName).path
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let store = try FeedStore(readOnlyPath: path, busyTimeout: busyTimeout)
        return StateStores(feeds: store, analysis: SQLiteAnalysisStore(readOnly: store.writer), location: "sqlite:" + path)
    }

    /// False when the daemon has never run with this configuration (nothing to read yet).
    public func stateExists() throws -> Bool { try openState(configuration) != nil }

    public func read(now: Date) throws -> StatusReport {
        guard let state = try openState(configuration) else {
            return StatusReport(generatedAt: now, feeds: neverPolled(), entriesToday: 0, entriesTotal: 0, dyadToday: nil, alerts: [])
        }
        let feeds = feedHealth(try state.feeds.states(), now: now)
        let today = StatusReport.startOfDayUTC(now)
        let entriesToday = try state.feeds.entryCount(firstSeenSince: today)
        let entriesTotal = try state.feeds.entryCount()
        var report = StatusReport(generatedAt: now, feeds: feeds, entriesToday: entriesToday, entriesTotal: entriesTotal,
                                  dyadToday: nil, alerts: [])
        for extra in extras { try extra.add(to: &report, state: state, since: today) }
        if let leasing = state.leasing { report.nodes = try leasing.nodes() }
        return report
    }
}

extension StatusReader {
    /// Every configured feed's health alone (what `/metrics` needs, without the entry counts).
    public func feedHealth(now: Date) throws -> [StatusReport.Feed] {
        guard let state = try openState(configuration) else { return neverPolled() }
        return feedHealth(try state.feeds.states(), now: now)
    }

    func neverPolled() -> [StatusReport.Feed] {
        configuration.feeds.map { StatusReport.Feed(id: $0.id, url: $0.url, health: $0.enabled ? .pending : .disabled) }
    }

    func feedHealth(_ stored: [FeedState], now: Date) -> [StatusReport.Feed] {
        let daemon = configuration.daemon
        let states = Dictionary(stored.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return configuration.feeds.map { feed -> StatusReport.Feed in
            guard let state = states[feed.id] else {
                return StatusReport.Feed(id: feed.id, url: feed.url, health: feed.enabled ? .pending : .disabled)
            }
            let health = StatusReport.health(enabled: feed.enabled, disabledReason: state.disabledReason,
                                             consecutiveFailures: state.consecutiveFailures, lastAttempt: state.lastAttempt,
                                             newestItem: state.newestItem, staleAfter: feed.effectiveStaleAfter(daemon), now: now)
            return StatusReport.Feed(id: feed.id, url: state.url, health: health, lastStatus: state.lastStatus,
                                     lastSuccess: state.lastSuccess, lastError: state.disabledReason ?? state.lastError,
                                     consecutiveFailures: state.consecutiveFailures, nextDue: state.nextDue,
                                     newestItem: state.newestItem,
                                     errorClass: state.lastErrorClass ?? (state.disabledReason != nil ? "gone" : nil),
                                     nextDueReason: state.nextDueReason, problems: state.lastProblems)
        }
    }
}

/// What a later stage contributes to `status` from its own tables (dyad counts, recent alerts).
public protocol StatusExtras: Sendable {
    func add(to report: inout StatusReport, state: StateStores, since startOfDay: Date) throws
}
