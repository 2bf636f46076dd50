import Foundation
import DyadCore
import GRDB

/// The trends tables in the state database (migrations `trends-…`): per-entry contributions and
/// analyses, bucket aggregates, and engine state (watermarks, detector state).
public enum TrendSchema {
    /// Registers the trends migrations; apply with `FeedStore.migrate` or on any `DatabaseWriter`.
    public static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("trends-v1") { db in
            try db.create(table: "trends_analysis") { t in
                t.primaryKey("entry_id", .integer)
                t.column("result", .text).notNull()
            }
            try db.create(table: "trends_entry") { t in
                t.primaryKey("entry_id", .integer)
                t.column("hour", .integer).notNull()
                t.column("day", .integer).notNull()
                t.column("contribution", .text).notNull()
            }
            try db.create(index: "trends_entry_hour", on: "trends_entry", columns: ["hour"])
            try db.create(index: "trends_entry_day", on: "trends_entry", columns: ["day"])
            try db.create(table: "trends_bucket") { t in
                t.column("granularity", .text).notNull()
                t.column("start", .integer).notNull()
                t.column("scope", .text).notNull()
                t.column("data", .text).notNull()
                t.primaryKey(["granularity", "start", "scope"])
            }
            try db.create(table: "trends_state") { t in
                t.primaryKey("key", .text)
                t.column("value", .text).notNull()
            }
        }
        registerV2(in: &migrator)
    }

    /// Registered after `trends-v1`: the stored entry revision each analysis was made from, so
    /// that a changed entry whose re-analysis was lost in a crash is found again (0 = unknown).
    static func registerV2(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("trends-v2-analysis-revision") { db in
            try db.alter(table: "trends_analysis") { t in t.add(column: "revision", .integer).notNull().defaults(to: 0) }
        }
    }

    public static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        register(in: &m)
        return m
    }
}

/// Row access for the trends tables; every function runs inside the caller's transaction.
enum TrendRows {
    static let encoder = DyadJSON.encoder()
    static let decoder = DyadJSON.decoder()

    static func encode<T: Encodable>(_ v: T) throws -> String { String(decoding: try encoder.encode(v), as: UTF8.self) }
    static func decode<T: Decodable>(_ t: T.Type, _ s: String) throws -> T { try decoder.decode(t, from: Data(s.utf8)) }

    static func contribution(_ db: Database, entryID: Int64) throws -> Contribution? {
        guard let s = try String.fetchOne(db.cachedStatement(sql: "SELECT contribution FROM trends_entry WHERE entry_id = ?"), arguments: [entryID]) else { return nil }
        return try decode(Contribution.self, s)
    }

    static func saveContribution(_ db: Database, _ c: Contribution) throws {
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO trends_entry (entry_id, hour, day, contribution) VALUES (?, ?, ?, ?)")
            .execute(arguments: [c.entryID, Granularity.hour.bucketStart(c.time), Granularity.day.bucketStart(c.time), try encode(c)])
    }

    static func contributions(_ db: Database, granularity: Granularity, start: Int64) throws -> [Contribution] {
        let column = granularity == .hour ? "hour" : "day"
        return try String.fetchAll(db, sql: "SELECT contribution FROM trends_entry WHERE \(column) = ? ORDER BY entry_id", arguments: [start])
            .map { try decode(Contribution.self, $0) }
    }

    static func aggregate(_ db: Database, _ key: BucketKey) throws -> Aggregate? {
        guard let s = try String.fetchOne(db.cachedStatement(sql: "SELECT data FROM trends_bucket WHERE granularity = ? AND start = ? AND scope = ?"),
                                          arguments: [key.granularity.rawValue, key.start, key.scope.key]) else { return nil }
        return try decode(Aggregate.self, s)
    }

    static func saveAggregate(_ db: Database, _ key: BucketKey, _ a: Aggregate) throws {
        if a.entries == 0 {
            try db.cachedStatement(sql: "DELETE FROM trends_bucket WHERE granularity = ? AND start = ? AND scope = ?")
                .execute(arguments: [key.granularity.rawValue, key.start, key.scope.key])
            return
        }
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO trends_bucket (granularity, start, scope, data) VALUES (?, ?, ?, ?)")
            .execute(arguments: [key.granularity.rawValue, key.start, key.scope.key, try encode(a)])
    }

    /// All scopes' aggregates of one bucket.
    static func aggregates(_ db: Database, granularity: Granularity, start: Int64) throws -> [Scope: Aggregate] {
        var out: [Scope: Aggregate] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT scope, data FROM trends_bucket WHERE granularity = ? AND start = ?",
                                    arguments: [granularity.rawValue, start]) {
            out[Scope(key: row["scope"])] = try decode(Aggregate.self, row["data"])
        }
        return out
    }

    /// Aggregate rows of one granularity with start ≥ `from`, ordered by start then scope.
    static func rows(_ db: Database, granularity: Granularity, from: Int64) throws -> [(BucketKey, Aggregate)] {
        try Row.fetchAll(db, sql: "SELECT start, scope, data FROM trends_bucket WHERE granularity = ? AND start >= ? ORDER BY start, scope",
                         arguments: [granularity.rawValue, from]).map { row in
            (BucketKey(granularity: granularity, start: row["start"], scope: Scope(key: row["scope"])), try decode(Aggregate.self, row["data"]))
        }
    }

    /// The same rows as `rows`, streamed through a cursor instead of collected.
    static func forEachRow(_ db: Database, granularity: Granularity, from: Int64, _ body: (BucketKey, Aggregate) throws -> Void) throws {
        let cursor = try Row.fetchCursor(db.cachedStatement(sql: "SELECT start, scope, data FROM trends_bucket WHERE granularity = ? AND start >= ? ORDER BY start, scope"),
                                         arguments: [granularity.rawValue, from])
        while let row = try cursor.next() {
            try body(BucketKey(granularity: granularity, start: row["start"], scope: Scope(key: row["scope"])), try decode(Aggregate.self, row["data"]))
        }
    }

    /// `forEachRow` limited to one scope and, with `groups`, every `group:` scope (the trend
    /// page's rows, without the outlet scopes a large configuration has hundreds of).
    static func forEachRow(_ db: Database, granularity: Granularity, from: Int64, scope: String, groups: Bool,
                           _ body: (BucketKey, Aggregate) throws -> Void) throws {
        let sql = "SELECT start, scope, data FROM trends_bucket WHERE granularity = ? AND start >= ? AND (scope = ?"
            + (groups ? " OR scope LIKE 'group:%'" : "") + ") ORDER BY start, scope"
        let cursor = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: [granularity.rawValue, from, scope])
        while let row = try cursor.next() {
            try body(BucketKey(granularity: granularity, start: row["start"], scope: Scope(key: row["scope"])), try decode(Aggregate.self, row["data"]))
        }
    }

    static func earliestBucket(_ db: Database, granularity: Granularity, from: Int64) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT MIN(start) FROM trends_bucket WHERE granularity = ? AND start >= ?",
                           arguments: [granularity.rawValue, from])
    }

    static func state<T: Decodable>(_ db: Database, _ key: String, as t: T.Type) throws -> T? {
        guard let s = try String.fetchOne(db, sql: "SELECT value FROM trends_state WHERE key = ?", arguments: [key]) else { return nil }
        return try decode(t, s)
    }

    static func setState<T: Encodable>(_ db: Database, _ key: String, _ v: T) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO trends_state (key, value) VALUES (?, ?)", arguments: [key, try encode(v)])
    }
}
