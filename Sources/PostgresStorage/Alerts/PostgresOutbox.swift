import Alerts
import Foundation
import Trends

/// `OutboxTables` on a PostgreSQL connection inside the caller's transaction. With several
/// daemons, `pending()` lists rows only to the node holding the delivery lease (`ClusterLeases`):
/// one node writes alerts.log / alerts.jsonl and runs on_alert at a time.
struct PostgresOutbox: OutboxTables {
    let c: PGConnection
    /// Who may deliver; nil: this process alone uses the database (tests, `migrate`).
    let delivery: DeliveryLease?

    struct DeliveryLease {
        var node: String
        var seconds: Double
    }

    @discardableResult
    func enqueue(_ alerts: [AlertRecord]) throws -> Int {
        var added = 0
        for a in alerts {
            added += try c.execute("""
                INSERT INTO alerts_outbox (id, detected_at, record) VALUES ($1, $2, $3::jsonb) ON CONFLICT (id) DO NOTHING
                """, [.text(a.id), .int(Int64(a.detectedAt.timeIntervalSince1970)), .text(try OutboxCoding.encode(a))])
        }
        return added
    }

    func pending() throws -> [OutboxRow] {
        if let d = delivery, try !ClusterLeases.acquire(c, name: ClusterLeases.deliveryLease, node: d.node, seconds: d.seconds) {
            return []
        }
        return try rows("SELECT \(Self.columns) FROM alerts_outbox WHERE NOT (log_done AND jsonl_done AND hook_done) ORDER BY seq")
    }

    func all() throws -> [OutboxRow] {
        try rows("SELECT \(Self.columns) FROM alerts_outbox ORDER BY seq")
    }

    /// Inserts copied rows as they were (seq, delivery flags), then moves the seq counter past them.
    func restore(_ rows: [OutboxRow]) throws {
        for r in rows {
            try c.execute("""
                INSERT INTO alerts_outbox (seq, id, detected_at, record, log_done, jsonl_done, hook_done, hook_attempts, last_error)
                VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9)
                """, [.int(r.seq), .text(r.record.id), .int(Int64(r.record.detectedAt.timeIntervalSince1970)),
                      .text(try OutboxCoding.encode(r.record)), .bool(r.logDone), .bool(r.jsonlDone), .bool(r.hookDone),
                      .int(r.hookAttempts), .text(r.lastError)])
        }
        try c.execute("SELECT setval(pg_get_serial_sequence('alerts_outbox', 'seq'), COALESCE(MAX(seq), 0) + 1, false) FROM alerts_outbox")
    }

    func recent(limit: Int) throws -> [AlertRecord] {
        try rows("SELECT * FROM (SELECT \(Self.columns) FROM alerts_outbox ORDER BY seq DESC LIMIT \(max(0, limit))) AS r ORDER BY seq")
            .map(\.record)
    }

    func count() throws -> Int {
        Int(try c.query("SELECT COUNT(*) AS n FROM alerts_outbox")[0].get("n", as: Int64.self))
    }

    func pendingCount() throws -> Int {
        Int(try c.query("SELECT COUNT(*) AS n FROM alerts_outbox WHERE NOT (log_done AND jsonl_done AND hook_done)")[0].get("n", as: Int64.self))
    }

    func markDone(seq: Int64, _ target: OutboxTarget) throws {
        try c.execute("UPDATE alerts_outbox SET \(target.rawValue) = true, last_error = NULL WHERE seq = $1", [.int(seq)])
    }

    func recordHookFailure(seq: Int64, attempts: Int, error: String, giveUp: Bool) throws {
        try c.execute("UPDATE alerts_outbox SET hook_attempts = $1, last_error = $2, hook_done = $3 WHERE seq = $4",
                      [.int(attempts), .text(error), .bool(giveUp), .int(seq)])
    }

    static let columns = "seq, record::text AS record, log_done, jsonl_done, hook_done, hook_attempts, last_error"

    private func rows(_ sql: String) throws -> [OutboxRow] {
        try c.query(sql).map { r in
                OutboxRow(seq: try r.get("seq"), record: try OutboxCoding.decode(try r.get("record")), logDone: try r.get("log_done"),
                          jsonlDone: try r.get("jsonl_done"), hookDone: try r.get("hook_done"),
                          hookAttempts: Int(try r.get("hook_attempts", as: Int64.self)), lastError: try r.get("last_error"))
            }
    }
}
