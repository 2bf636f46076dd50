import Foundation
import DyadCore
import GRDB
import Trends

/// The outbox table in the SQLite state database (migrations `alerts-…`).
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
}

/// `OutboxTables` on an SQLite (GRDB) connection inside the caller's transaction.
public struct SQLiteOutbox: OutboxTables {
    public let db: Database
    public init(_ db: Database) { self.db = db }

    @discardableResult
    public func enqueue(_ alerts: [AlertRecord]) throws -> Int {
        var added = 0
        for a in alerts {
            try db.execute(sql: "INSERT OR IGNORE INTO alerts_outbox (id, detected_at, record) VALUES (?, ?, ?)",
                           arguments: [a.id, Int64(a.detectedAt.timeIntervalSince1970), try OutboxCoding.encode(a)])
            added += db.changesCount
        }
        return added
    }

    public func pending() throws -> [OutboxRow] {
        try rows(sql: "SELECT * FROM alerts_outbox WHERE NOT (log_done AND jsonl_done AND hook_done) ORDER BY seq")
    }

    public func all() throws -> [OutboxRow] {
        guard try db.tableExists("alerts_outbox") else { return [] }
        return try rows(sql: "SELECT * FROM alerts_outbox ORDER BY seq")
    }

    public func recent(limit: Int) throws -> [AlertRecord] {
        guard try db.tableExists("alerts_outbox") else { return [] }  // read-only `status` before the first run
        return try rows(sql: "SELECT * FROM (SELECT * FROM alerts_outbox ORDER BY seq DESC LIMIT \(max(0, limit))) ORDER BY seq").map(\.record)
    }

    public func count() throws -> Int {
        guard try db.tableExists("alerts_outbox") else { return 0 }
        return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM alerts_outbox") ?? 0
    }

    public func pendingCount() throws -> Int {
        guard try db.tableExists("alerts_outbox") else { return 0 }
        return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM alerts_outbox WHERE NOT (log_done AND jsonl_done AND hook_done)") ?? 0
    }

    public func markDone(seq: Int64, _ target: OutboxTarget) throws {
        try db.execute(sql: "UPDATE alerts_outbox SET \(target.rawValue) = 1, last_error = NULL WHERE seq = ?", arguments: [seq])
    }

    public func recordHookFailure(seq: Int64, attempts: Int, error: String, giveUp: Bool) throws {
        try db.execute(sql: "UPDATE alerts_outbox SET hook_attempts = ?, last_error = ?, hook_done = ? WHERE seq = ?",
                       arguments: [attempts, error, giveUp, seq])
    }

    private func rows(sql: String) throws -> [OutboxRow] {
        try Row.fetchAll(db, sql: sql).map { r in
            OutboxRow(seq: r["seq"], record: try OutboxCoding.decode(r["record"]), logDone: r["log_done"],
                      jsonlDone: r["jsonl_done"], hookDone: r["hook_done"], hookAttempts: r["hook_attempts"],
                      lastError: r["last_error"])
        }
    }
}

/// `OutboxStore` over a GRDB database (reads in read transactions, writes in write transactions).
public struct SQLiteOutboxStore: OutboxStore {
    public let writer: any DatabaseWriter
    public init(_ writer: any DatabaseWriter) { self.writer = writer }
    public func readOutbox<T>(_ body: (any OutboxTables) throws -> T) throws -> T { try writer.read { try body(SQLiteOutbox($0)) } }
    public func writeOutbox<T>(_ body: (any OutboxTables) throws -> T) throws -> T { try writer.write { try body(SQLiteOutbox($0)) } }
}
