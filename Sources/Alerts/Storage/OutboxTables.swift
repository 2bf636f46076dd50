// Stage 6 of the pipeline: alert delivery and trend files.
import Foundation
import DyadCore
import Trends

/// One outbox row: an alert and which delivery targets are done.
public struct OutboxRow: Sendable, Equatable {
    public var seq: Int64
    public var record: AlertRecord
    public var logDone: Bool
    public var jsonlDone: Bool
    public var hookDone: Bool
    public var hookAttempts: Int
    public var lastError: String?

    public init(seq: Int64, record: AlertRecord, logDone: Bool, jsonlDone: Bool, hookDone: Bool, hookAttempts: Int,
                lastError: String? = nil) {
        self.seq = seq; self.record = record; self.logDone = logDone; self.jsonlDone = jsonlDone
        self.hookDone = hookDone; self.hookAttempts = hookAttempts; self.lastError = lastError
    }
}

/// The delivery targets an outbox row records.
public enum OutboxTarget: String, Sendable, CaseIterable {
    case log = "log_done", jsonl = "jsonl_done", hook = "hook_done"
}

/// The alert outbox as seen from inside one transaction: every alert is committed here first, in
/// the same transaction as the detector state that raised it; delivery to `alerts.log`,
/// `alerts.jsonl` and the `on_alert` command happens afterwards and is recorded per target, so a
/// crash or a failed write is retried later and nothing is lost or delivered twice.
/// `SQLiteOutbox` and the PostgreSQL module implement it.
public protocol OutboxTables {
    /// Queues alerts. An alert whose id is already queued (the same shift judged again after a
    /// restart, or by another daemon) is ignored. Returns the number newly queued.
    @discardableResult
    func enqueue(_ alerts: [AlertRecord]) throws -> Int
    /// Rows not yet delivered everywhere, oldest first.
    func pending() throws -> [OutboxRow]
    /// Every row, delivered or not, by `seq` (copying a state to another database: `migrate`).
    func all() throws -> [OutboxRow]
    /// The `limit` most recent alerts, newest last.
    func recent(limit: Int) throws -> [AlertRecord]
    func count() throws -> Int
    /// Rows not yet delivered everywhere (the outbox depth), without reading them.
    func pendingCount() throws -> Int
    func markDone(seq: Int64, _ target: OutboxTarget) throws
    /// Records a failed `on_alert` run; `giveUp` marks the hook target done.
    func recordHookFailure(seq: Int64, attempts: Int, error: String, giveUp: Bool) throws
}

/// Runs outbox work in transactions of whichever database holds the outbox.
public protocol OutboxStore: Sendable {
    func readOutbox<T>(_ body: (any OutboxTables) throws -> T) throws -> T
    func writeOutbox<T>(_ body: (any OutboxTables) throws -> T) throws -> T
}

/// How an alert is stored in the outbox (DyadJSON, the `alerts.jsonl` form).
public enum OutboxCoding {
    public static func encode(_ a: AlertRecord) throws -> String { String(decoding: try DyadJSON.encoder().encode(a), as: UTF8.self) }
    public static func decode(_ s: String) throws -> AlertRecord { try DyadJSON.decoder().decode(AlertRecord.self, from: Data(s.utf8)) }
}
