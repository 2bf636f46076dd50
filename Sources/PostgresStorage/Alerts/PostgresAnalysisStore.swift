import Alerts
import Foundation
import Trends

/// `AnalysisStore` on PostgreSQL. Every write transaction of the analysis end (store analyses,
/// aggregate, judge closed buckets, queue alerts) first takes one transaction-scoped advisory
/// lock, so the daemons sharing the database take turns: aggregates are never updated by two at
/// once, and each bucket is judged once — by whichever daemon first finds it closed, since the
/// judging watermark moves in the same transaction. Reads see one snapshot (REPEATABLE READ), so
/// trend files are consistent.
public struct PostgresAnalysisStore: AnalysisStore {
    /// Advisory lock key of the trends write path ("dyadtrnd").
    static let writeLockKey: Int64 = 0x6479_6164_7472_6E64

    let client: PGClient
    let delivery: PostgresOutbox.DeliveryLease?

    public func read<T>(_ body: (AnalysisTables) throws -> T) throws -> T {
        try client.transaction(isolation: .repeatableRead) { c in
            try body(AnalysisTables(trends: PostgresTrendTables(c: c), outbox: PostgresOutbox(c: c, delivery: delivery)))
        }
    }

    /// Outbox work alone (delivery rounds) runs at READ COMMITTED: taking the delivery lease is an
    /// update that must not fail on another node's concurrent renewal.
    public func readOutbox<T>(_ body: (any OutboxTables) throws -> T) throws -> T {
        try client.transaction { c in try body(PostgresOutbox(c: c, delivery: delivery)) }
    }

    public func writeOutbox<T>(_ body: (any OutboxTables) throws -> T) throws -> T {
        try client.transaction { c in try body(PostgresOutbox(c: c, delivery: delivery)) }
    }

    public func write<T>(_ body: (AnalysisTables) throws -> T) throws -> T {
        try client.transaction { c in
            try c.execute("SELECT pg_advisory_xact_lock($1)", [.int(Self.writeLockKey)])
            return try body(AnalysisTables(trends: PostgresTrendTables(c: c), outbox: PostgresOutbox(c: c, delivery: delivery)))
        }
    }
}
