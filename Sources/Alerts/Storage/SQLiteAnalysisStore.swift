import Foundation
import GRDB
import Trends

/// `AnalysisStore` on the SQLite state database: applies the trends and alerts migrations, then
/// runs each read or write in one GRDB transaction.
public struct SQLiteAnalysisStore: AnalysisStore {
    public let writer: any DatabaseWriter

    /// Applies the trends and alerts migrations to `writer` (idempotent).
    public init(_ writer: any DatabaseWriter) throws {
        self.writer = writer
        var m = DatabaseMigrator()
        TrendSchema.register(in: &m)
        AlertOutbox.register(in: &m)
        try m.migrate(writer)
    }

    /// A read-only database, without migrations (`status`): tables not created yet read as empty.
    public init(readOnly reader: any DatabaseWriter) { writer = reader }

    public func read<T>(_ body: (AnalysisTables) throws -> T) throws -> T {
        try writer.read { db in try body(AnalysisTables(trends: SQLiteTrendTables(db), outbox: SQLiteOutbox(db))) }
    }

    public func write<T>(_ body: (AnalysisTables) throws -> T) throws -> T {
        try writer.write { db in try body(AnalysisTables(trends: SQLiteTrendTables(db), outbox: SQLiteOutbox(db))) }
    }
}
