// Stage 6 of the pipeline: alert delivery and trend files.
import Foundation
import DyadCore
import GRDB
import Trends

/// The alert outbox (migrations `alerts-…`): every alert is committed here first, in the same
/// transaction as the detector state that raised it; delivery to `alerts.log`, `alerts.jsonl` and
/// the `on_alert` command happens afterwards and is recorded per target, so a crash or a failed
/// write is retried later and nothing is lost or delivered twice.
public enum AlertOutbox {
    public static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("alerts-v1") { db in
            try db.create(table: "alerts_outbox") { t in
                t.autoIncrementedPrimaryKey("seq")
                t.column("id", .text).notNull().unique()
                t.column("detected_at", .integer).notNull()
                t.column("record", .text).notNull()
                t.column("log_done", .boolean).notNull().defaults(to: false)
                t.column("jsonl_done", .boolean).notNull().defaults(to: false)
                t.column("hook_done", .boolean).notNull().defaults(to: false)
                t.column("hook_attempts", .integer).notNull().defaults(to: 0)
                t.column("last_error", .text)
            }
            try db.create(index: "alerts_outbox_pending", on: "alerts_outbox", columns: ["log_done", "jsonl_done", "hook_done"])
        }
    }

    public static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        register(in: &m)
        return m
    }

    /// Queues alerts inside the caller's transaction. An alert whose id is already queued (the same
    /// shift judged again after a restart) is ignored. Returns the number newly queued.
    @discardableResult
    public static func enqueue(_ db: Database, _ alerts: [AlertRecord]) throws -> Int {
        var added = 0
        for a in alerts {
            let json = String(decoding: try DyadJSON.encoder().encode(a), as: UTF8.self)
            try db.execute(sql: "INSERT OR IGNORE INTO alerts_outbox (id, detected_at, record) VALUES (?, ?, ?)",
                           arguments: [a.id, Int64(a.detectedAt.timeIntervalSince1970), json])
            added += db.changesCount
        }
        return added
    }

    /// One outbox row.
    public struct Row: Sendable {
        public var seq: Int64
        public var record: AlertRecord
        public var logDone: Bool
        public var jsonlDone: Bool
        public var hookDone: Bool
        public var hookAttempts: Int
    }

    /// Rows not yet delivered everywhere, oldest first.
    public static func pending(_ db: Database) throws -> [Row] {
        try rows(db, sql: "SELECT * FROM alerts_outbox WHERE NOT (log_done AND jsonl_done AND hook_done) ORDER BY seq")
    }

    /// The `limit` most recent alerts, newest last.
    public static func recent(_ db: Database, limit: Int) throws -> [AlertRecord] {
        try rows(db, sql: "SELECT * FROM (SELECT * FROM alerts_outbox ORDER BY seq DESC LIMIT \(limit)) ORDER BY seq").map(\.record)
    }

    /// Every alert ever queued, oldest first (what `alerts.jsonl` holds once delivered).
    public static func all(_ db: Database) throws -> [AlertRecord] {
        try rows(db, sql: "SELECT * FROM alerts_outbox ORDER BY seq").map(\.record)
    }

    /// Alerts not yet written to every target (the outbox depth).
    public static func pendingCount(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM alerts_outbox WHERE NOT (log_done AND jsonl_done AND hook_done)") ?? 0
    }

    public static func count(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM alerts_outbox") ?? 0
    }

    static func rows(_ db: Database, sql: String) throws -> [Row] {
        let decoder = DyadJSON.decoder()
        return try GRDB.Row.fetchAll(db, sql: sql).map { r in
            Row(seq: r["seq"], record: try decoder.decode(AlertRecord.self, from: Data((r["record"] as String).utf8)),
                logDone: r["log_done"], jsonlDone: r["jsonl_done"], hookDone: r["hook_done"], hookAttempts: r["hook_attempts"])
        }
    }

    static func mark(_ db: Database, seq: Int64, column: String, error: String? = nil) throws {
        try db.execute(sql: "UPDATE alerts_outbox SET \(column) = 1, last_error = ? WHERE seq = ?", arguments: [error, seq])
    }
}
