import Foundation
import DyadConfig
import DyadCore
import FeedStorage
import GRDB

/// Builds a `StatusReport` from the state database and feeds.conf, without the daemon: feed
/// health from the `feeds` table, today's counts from `entries`, and what the later stages add
/// (dyad articles, alerts) through `StatusExtras`.
public struct StatusReader {
    public let configuration: DyadConfig.Configuration
    public var extras: [any StatusExtras]

    public init(configuration: DyadConfig.Configuration, extras: [any StatusExtras] = []) {
        self.configuration = configuration; self.extras = extras
    }

    /// The database file, or nil when the daemon has never run with this configuration.
    public var databasePath: String? {
        let path = configuration.daemon.stateDir.appendingPathComponent(FeedStore.fileName).path
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    public func read(now: Date) throws -> StatusReport {
        // Read-only, and without migrations: `status` may run as another user (root next to a
        // DynamicUser service) and must never create or change files in the daemon's state.
        guard let path = databasePath, let database = try FeedStore.openReadOnly(path: path) else {
            return StatusReport(generatedAt: now, feeds: neverPolled(), entriesToday: 0, entriesTotal: 0, dyadToday: nil, alerts: [])
        }
        let feeds = try database.read { try feedHealth($0, now: now) }
        let today = StatusReport.startOfDayUTC(now)
        let (entriesToday, entriesTotal) = try database.read { db -> (Int, Int) in
            guard try db.tableExists("entries") else { return (0, 0) }
            return (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM entries WHERE first_seen >= ?", arguments: [today]) ?? 0,
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM entries") ?? 0)
        }
        var report = StatusReport(generatedAt: now, feeds: feeds, entriesToday: entriesToday, entriesTotal: entriesTotal,
                                  dyadToday: nil, alerts: [])
        for extra in extras { try database.read { db in try extra.add(to: &report, db: db, since: today) } }
        return report
    }
}

extension StatusReader {
    /// Every configured feed's health alone (what `/metrics` needs, without the entry counts).
    public func feedHealth(now: Date) throws -> [StatusReport.Feed] {
        guard let path = databasePath, let database = try FeedStore.openReadOnly(path: path) else { return neverPolled() }
        return try database.read { try feedHealth($0, now: now) }
    }

    func neverPolled() -> [StatusReport.Feed] {
        configuration.feeds.map { StatusReport.Feed(id: $0.id, url: $0.url, health: $0.enabled ? .pending : .disabled) }
    }

    func feedHealth(_ db: Database, now: Date) throws -> [StatusReport.Feed] {
        let daemon = configuration.daemon
        let stored = try db.tableExists(FeedState.databaseTableName) ? try FeedState.order(Column("id")).fetchAll(db) : []
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
    func add(to report: inout StatusReport, db: Database, since startOfDay: Date) throws
}
