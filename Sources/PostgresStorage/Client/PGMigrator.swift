import Foundation

/// One schema change, named like the SQLite migrations of the same stage (`fetch-…`,
/// `trends-…`, `alerts-…`, `cluster-…`): append-only, applied once, in order.
public struct PGMigration: Sendable {
    public var identifier: String
    public var statements: [String]
    public init(_ identifier: String, _ statements: [String]) { self.identifier = identifier; self.statements = statements }
}

/// Applies migrations to a PostgreSQL database, recording each in `dyadwatch_migrations`. Daemons
/// starting together take turns (a transaction-scoped advisory lock), so each migration runs once.
public enum PGMigrator {
    /// Advisory lock key of schema changes ("dyadwatch" in ASCII, folded into 63 bits).
    static let lockKey: Int64 = 0x6479_6164_7761_7463

    public static func migrate(_ client: PGClient, _ migrations: [PGMigration]) throws {
        try client.transaction { c in
            try c.execute("SELECT pg_advisory_xact_lock($1)", [.int(lockKey)])
            try c.execute("""
                CREATE TABLE IF NOT EXISTS dyadwatch_migrations (
                  identifier text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())
                """)
            let done = Set(try c.query("SELECT identifier FROM dyadwatch_migrations").map { try $0.get("identifier", as: String.self) })
            for m in migrations where !done.contains(m.identifier) {
                for statement in m.statements { try c.execute(statement) }
                try c.execute("INSERT INTO dyadwatch_migrations (identifier) VALUES ($1)", [.text(m.identifier)])
            }
        }
    }

    /// Identifiers already applied (empty when the database was never migrated).
    public static func applied(_ client: PGClient) throws -> [String] {
        try client.withConnection { c in
            let exists = try c.query("SELECT to_regclass('dyadwatch_migrations') IS NOT NULL AS e")[0].get("e", as: Bool.self)
            guard exists else { return [] }
            return try c.query("SELECT identifier FROM dyadwatch_migrations ORDER BY applied_at, identifier")
                .map { try $0.get("identifier", as: String.self) }
        }
    }
}
