import Foundation
import Logging
import NIOCore
import PostgresNIO

/// One PostgreSQL connection used synchronously: the pipeline runs on Dispatch threads (never on
/// an event loop), so each statement waits for its result. A statement error inside a
/// transaction aborts it; `PGClient.transaction` rolls back.
public struct PGConnection {
    let connection: PostgresConnection
    let logger: Logger

    /// Runs one statement and returns its rows.
    @discardableResult
    public func query(_ sql: String, _ args: [PGArg] = []) throws -> [PostgresRandomAccessRow] {
        try run(sql, args).rows.map { $0.makeRandomAccess() }
    }

    /// Runs one statement; returns the number of rows it changed (INSERT, UPDATE, DELETE).
    @discardableResult
    public func execute(_ sql: String, _ args: [PGArg] = []) throws -> Int {
        try run(sql, args).metadata.rows ?? 0
    }

    /// Calls `body` for each row of a query, fetched `batch` rows at a time through a cursor, so
    /// memory stays bounded by one batch. Must run inside a transaction.
    public func forEachRow(_ sql: String, _ args: [PGArg] = [], batch: Int = 500,
                           _ body: (PostgresRandomAccessRow) throws -> Void) throws {
        let cursor = "dyadwatch_cursor"
        try execute("DECLARE \(cursor) NO SCROLL CURSOR FOR " + sql, args)
        while true {
            let rows = try query("FETCH FORWARD \(batch) FROM \(cursor)")
            for row in rows { try body(row) }
            if rows.count < batch { break }
        }
        try execute("CLOSE \(cursor)")
    }

    private func run(_ sql: String, _ args: [PGArg]) throws -> PostgresQueryResult {
        var binds = PostgresBindings(capacity: args.count)
        for a in args { a.bind(&binds) }
        return try connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger).wait()
    }
}
