import Foundation
import DyadCore
import Logging
import Synchronization
import Trends

/// Delivers queued alerts: one line to `alerts.log`, the full record to `alerts.jsonl`, and the
/// optional `on_alert` command. Each target is marked done in the outbox after it succeeded; a
/// failed write stops delivery and is retried at the next call. Before re-appending after a crash
/// the file's tail is checked for the alert's id, so a line is never written twice.
public final class AlertDelivery: Sendable {
    public static let logFileName = "alerts.log"
    public static let jsonlFileName = "alerts.jsonl"
    /// Attempts of the on_alert command per alert before giving up (its failure stays logged).
    public static let maxHookAttempts = 3
    /// How much of a file's end is searched for an alert id before appending it.
    static let tailWindow = 256 * 1024

    public let logURL: URL
    public let jsonlURL: URL
    public let hook: HookRunner?
    private let logger: Logger
    /// One delivery round at a time (the daemon's poll workers and its shutdown flush may overlap).
    private let rounds = Mutex(())

    public init(logDirectory: URL, hook: HookRunner?, logger: Logger = Logger(label: "dyadwatch.alerts")) {
        logURL = logDirectory.appendingPathComponent(Self.logFileName)
        jsonlURL = logDirectory.appendingPathComponent(Self.jsonlFileName)
        self.hook = hook
        self.logger = logger
    }

    /// What one delivery round did.
    public struct Report: Sendable, Equatable {
        public var delivered = 0
        public var failed = 0
        public var pending = 0
    }

    /// Delivers every pending alert in outbox order. Never throws: failures are logged and left
    /// pending for the next round.
    @discardableResult
    public func deliverPending(_ store: any OutboxStore) -> Report {
        rounds.withLock { _ in deliverRound(store) }
    }

    private func deliverRound(_ store: any OutboxStore) -> Report {
        var report = Report()
        let rows: [OutboxRow]
        do { rows = try store.readOutbox { try $0.pending() } } catch {
            logger.error("alerts: cannot read the outbox: \(error)")
            return report
        }
        for (i, row) in rows.enumerated() {
            do {
                try deliver(row, store)
                report.delivered += 1
            } catch {
                logger.error("alerts: delivery of alert \(row.record.id) (\(row.record.detector) \(row.record.scope)) failed, will retry: \(error)")
                report.failed += 1
                report.pending = rows.count - i
                break
            }
        }
        return report
    }

    private func deliver(_ row: OutboxRow, _ store: any OutboxStore) throws {
        let a = row.record
        if !row.logDone {
            if try !Self.fileTail(logURL, contains: "id=" + a.id) {
                try AtomicFile.append(Data((AlertLine.format(a) + "\n").utf8), to: logURL)
            }
            try store.writeOutbox { try $0.markDone(seq: row.seq, .log) }
        }
        let json = try DyadJSON.encoder().encode(a)
        if !row.jsonlDone {
            if try !Self.fileTail(jsonlURL, contains: "\"id\":\"\(a.id)\"") {
                try AtomicFile.append(json + Data("\n".utf8), to: jsonlURL)
            }
            try store.writeOutbox { try $0.markDone(seq: row.seq, .jsonl) }
        }
        if !row.hookDone {
            guard let hook else {
                try store.writeOutbox { try $0.markDone(seq: row.seq, .hook) }
                return
            }
            switch hook.run(stdin: json + Data("\n".utf8)) {
            case .succeeded:
                try store.writeOutbox { try $0.markDone(seq: row.seq, .hook) }
            case .failed(let why):
                let attempts = row.hookAttempts + 1
                logger.error("alerts: on_alert command failed for alert \(a.id) (attempt \(attempts) of \(Self.maxHookAttempts)): \(why)")
                try store.writeOutbox {
                    try $0.recordHookFailure(seq: row.seq, attempts: attempts, error: "on_alert: " + why,
                                             giveUp: attempts >= Self.maxHookAttempts)
                }
            }
        }
    }

    static func fileTail(_ url: URL, contains needle: String) throws -> Bool {
        let tail = try AtomicFile.tail(of: url, bytes: tailWindow)
        return !tail.isEmpty && tail.range(of: Data(needle.utf8)) != nil
    }
}
