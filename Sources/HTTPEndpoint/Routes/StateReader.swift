import Daemon
import DyadConfig
import Foundation
import Logging
import Pipeline

/// What the endpoint reads about the running daemon: the scheduler's heartbeat, and the state
/// (SQLite or PostgreSQL) through its own read-only connections (`ReadOnlyState`: never the
/// daemon's writer, so a slow request cannot hold a lock the pollers need).
final class StateReader: Sendable {
    let configuration: DyadConfig.Configuration
    let heartbeat: Heartbeat
    /// Oldest heartbeat that still counts as "the scheduler loop turns".
    let heartbeatLimit: TimeInterval
    let state: ReadOnlyState
    let logger: Logger

    init(configuration: DyadConfig.Configuration, heartbeat: Heartbeat, heartbeatLimit: TimeInterval,
         logger: Logger = Logger(label: "dyadwatch.http")) {
        self.configuration = configuration; self.heartbeat = heartbeat; self.heartbeatLimit = heartbeatLimit
        self.logger = logger
        state = ReadOnlyState(configuration: configuration)
    }

    /// The state's stores, read-only (nil before the daemon created them).
    func open() throws -> StateStores? { try state.open() }

    struct Snapshot {
        var heartbeatAge: TimeInterval
        var databaseBytes: Int64
        var outboxPending: Int?
        var feedsByHealth: [(String, Int)]
    }

    func snapshot() -> Snapshot {
        // A part that cannot be read is left out of this scrape (size 0, no outbox depth, no feed
        // counts) and logged; the next scrape tries again.
        var s = Snapshot(heartbeatAge: heartbeat.age, databaseBytes: 0, outboxPending: nil, feedsByHealth: [])
        s.databaseBytes = reading("database size") { try state.databaseBytes() } ?? 0
        let stores = reading("state") { try open() } ?? nil
        if let stores {
            s.outboxPending = reading("outbox") { try stores.analysis.readOutbox { try $0.pendingCount() } }
        }
        let reader = StatusReader(configuration: configuration, openState: { _ in stores })
        if let feeds = reading("feed health", { try reader.feedHealth(now: Date()) }) {
            let counts = Dictionary(grouping: feeds, by: \.health).mapValues(\.count)
            s.feedsByHealth = StatusReport.Health.allCases.map { ($0.rawValue, counts[$0] ?? 0) }
        }
        return s
    }

    /// `read()`, or nil with a `metrics_read_failed` warning naming the part and the error.
    private func reading<T>(_ part: String, _ read: () throws -> T) -> T? {
        do { return try read() } catch {
            logger.warning("metrics_read_failed: cannot read the \(part) for /metrics; left out of this scrape",
                           metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// nil when healthy, else the one-line reason.
    func unhealthyReason() -> String? {
        let age = heartbeat.age
        if age > heartbeatLimit { return "scheduler loop has not turned for \(Int(age)) s (limit \(Int(heartbeatLimit)) s)" }
        return state.writeProblem()
    }

    /// Releases the PostgreSQL connections (the endpoint stops).
    func close() { state.close() }
}
