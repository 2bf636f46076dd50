import Foundation
import GRDB
@testable import Trends
@testable import Alerts

// These tests drive the engine and the outbox on a GRDB connection directly; the storage
// protocols they go through are `SQLiteTrendTables` and `SQLiteOutbox`.

extension TrendEngine {
    @discardableResult
    func ingest(_ db: Database, _ contributions: [Contribution]) throws -> Int { try ingest(SQLiteTrendTables(db), contributions) }
    func close(_ db: Database, now: Date) throws -> CloseResult { try close(SQLiteTrendTables(db), now: now) }
    func snapshot(_ db: Database, now: Date, hoursFrom: Int64, daysFrom: Int64) throws -> TrendSnapshot {
        try snapshot(SQLiteTrendTables(db), now: now, hoursFrom: hoursFrom, daysFrom: daysFrom)
    }
}

enum TrendRows {
    static let encoder = TrendCoding.encoder
    static let decoder = TrendCoding.decoder
    static func aggregate(_ db: Database, _ key: BucketKey) throws -> Aggregate? { try SQLiteTrendTables(db).aggregate(key) }
    static func aggregates(_ db: Database, granularity: Granularity, start: Int64) throws -> [Scope: Aggregate] {
        try SQLiteTrendTables(db).aggregates(granularity: granularity, start: start)
    }
}

extension AlertOutbox {
    @discardableResult
    static func enqueue(_ db: Database, _ alerts: [AlertRecord]) throws -> Int { try SQLiteOutbox(db).enqueue(alerts) }
    static func pending(_ db: Database) throws -> [OutboxRow] { try SQLiteOutbox(db).pending() }
    static func count(_ db: Database) throws -> Int { try SQLiteOutbox(db).count() }
}

extension AlertDelivery {
    @discardableResult
    func deliverPending(_ writer: any DatabaseWriter) -> Report { deliverPending(SQLiteOutboxStore(writer)) }
}
