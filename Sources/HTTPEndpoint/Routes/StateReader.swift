import Daemon
import DyadConfig
import FeedStorage
import Foundation
import GRDB
import Alerts
#if canImport(Glibc)
import Glibc
#endif

/// What the endpoint reads about the running daemon: the scheduler's heartbeat, and the state
/// database through its own read-only connections (never the daemon's writer, so a slow request
/// cannot hold a lock the pollers need).
final class StateReader: @unchecked Sendable {
    let configuration: DyadConfig.Configuration
    let heartbeat: Heartbeat
    /// Oldest heartbeat that still counts as "the scheduler loop turns".
    let heartbeatLimit: TimeInterval

    init(configuration: DyadConfig.Configuration, heartbeat: Heartbeat, heartbeatLimit: TimeInterval) {
        self.configuration = configuration; self.heartbeat = heartbeat; self.heartbeatLimit = heartbeatLimit
    }

    var databasePath: String { configuration.daemon.stateDir.appendingPathComponent(FeedStore.fileName).path }

    /// A read-only connection to the state database (nil before the daemon created it).
    func open() throws -> DatabaseQueue? {
        try FeedStore.openReadOnly(path: databasePath)
    }

    struct Snapshot {
        var heartbeatAge: TimeInterval
        var databaseBytes: Int64
        var outboxPending: Int?
        var feedsByHealth: [(String, Int)]
    }

    func snapshot() -> Snapshot {
        var s = Snapshot(heartbeatAge: heartbeat.age, databaseBytes: 0, outboxPending: nil, feedsByHealth: [])
        for suffix in ["", "-wal"] {
            if let size = (try? FileManager.default.attributesOfItem(atPath: databasePath + suffix))?[.size] as? NSNumber {
                s.databaseBytes += size.int64Value
            }
        }
        if let db = try? open() {
            s.outboxPending = try? db.read { try $0.tableExists("alerts_outbox") ? try AlertOutbox.pendingCount($0) : 0 }
        }
        if let feeds = try? StatusReader(configuration: configuration).feedHealth(now: Date()) {
            let counts = Dictionary(grouping: feeds, by: \.health).mapValues(\.count)
            s.feedsByHealth = StatusReport.Health.allCases.map { ($0.rawValue, counts[$0] ?? 0) }
        }
        return s
    }

    /// nil when healthy, else the one-line reason.
    func unhealthyReason() -> String? {
        let age = heartbeat.age
        if age > heartbeatLimit { return "scheduler loop has not turned for \(Int(age)) s (limit \(Int(heartbeatLimit)) s)" }
        return Self.writeProblem(databasePath: databasePath)
    }

    /// Whether the daemon could write its database now: the file (and its WAL) open for writing,
    /// the directory accepts new files (journal, -shm), and the file system has space.
    static func writeProblem(databasePath: String) -> String? {
        for path in [databasePath, databasePath + "-wal"] where FileManager.default.fileExists(atPath: path) {
            let fd = Glibc.open(path, O_RDWR | O_CLOEXEC)
            if fd < 0 { return "state database not writable: \(path): \(String(cString: strerror(errno)))" }
            close(fd)
        }
        let directory = (databasePath as NSString).deletingLastPathComponent
        if access(directory, W_OK) != 0 { return "state directory not writable: \(directory): \(String(cString: strerror(errno)))" }
        var fs = statvfs()
        if statvfs(directory, &fs) == 0, fs.f_bavail == 0 { return "no space left on the file system of \(directory)" }
        return nil
    }
}
