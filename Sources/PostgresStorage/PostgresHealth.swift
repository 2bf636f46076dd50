import Foundation

// Whether the daemons could write the shared database now, and how big it is (`/healthz`,
// `/metrics`), asked over a reader's own connection.
extension PostgresState {
    /// Nil when the database answers and accepts writes; else the one-line reason (unreachable,
    /// a read-only standby or session, or a user without the right to write entries).
    public func writeProblem() -> String? {
        do {
            return try client.withConnection { c -> String? in
                let row = try c.query("""
                    SELECT pg_is_in_recovery() AS standby, current_setting('transaction_read_only') AS ro,
                           CASE WHEN to_regclass('entries') IS NULL THEN true
                                ELSE has_table_privilege('entries', 'INSERT, UPDATE') END AS may_write
                    """)[0]
                if try row.get("standby", as: Bool.self) { return "state database is a read-only standby: \(client.location)" }
                if try row.get("ro", as: String.self) == "on" { return "state database sessions are read-only: \(client.location)" }
                if try !row.get("may_write", as: Bool.self) { return "state database user may not write entries: \(client.location)" }
                return nil
            }
        } catch {
            return "state database unreachable: \(error)"
        }
    }

    /// `pg_database_size` of the state database.
    public func databaseBytes() throws -> Int64 {
        try client.withConnection { c in try c.query("SELECT pg_database_size(current_database()) AS n")[0].get("n", as: Int64.self) }
    }
}
