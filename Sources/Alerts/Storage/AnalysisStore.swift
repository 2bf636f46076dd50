import Foundation
import Trends

/// What one transaction of the analysis end sees: the trends tables and the outbox, committed
/// together (detector state, watermark and the alerts it raised are never split by a crash).
public struct AnalysisTables {
    public var trends: any TrendTables
    public var outbox: any OutboxTables
    public init(trends: any TrendTables, outbox: any OutboxTables) { self.trends = trends; self.outbox = outbox }
}

/// The database the analysis end writes to: SQLite (`SQLiteAnalysisStore`) or PostgreSQL.
public protocol AnalysisStore: OutboxStore {
    func read<T>(_ body: (AnalysisTables) throws -> T) throws -> T
    func write<T>(_ body: (AnalysisTables) throws -> T) throws -> T
}

extension AnalysisStore {
    public func readOutbox<T>(_ body: (any OutboxTables) throws -> T) throws -> T { try read { try body($0.outbox) } }
    public func writeOutbox<T>(_ body: (any OutboxTables) throws -> T) throws -> T { try write { try body($0.outbox) } }
}
