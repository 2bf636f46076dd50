import Foundation
import DyadCore
import GRDB

/// The trends tables in the SQLite state database (migrations `trends-…`): per-entry analyses and
/// contributions, bucket aggregates, and engine state (watermarks, detector state).
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
        // The stored entry revision each analysis was made from, so that a changed entry whose
        // re-analysis was lost in a crash is found again (0 = unknown).
        migrator.registerMigration("trends-v2-analysis-revision") { db in
            try db.alter(table: "trends_analysis") { t in t.add(column: "revision", .integer).notNull().defaults(to: 0) }
        }
        // What `status` counts, kept beside the analysis so that no other module's table is read:
        // the dyad verdict and the entry's first sight. Existing rows are filled once from the
        // stored result and (the only cross-table statement, run once) the entries table.
        migrator.registerMigration("trends-v3-analysis-status") { db in
            try db.alter(table: "trends_analysis") { t in
                t.add(column: "dyad", .boolean).notNull().defaults(to: false)
                t.add(column: "first_seen", .double)
            }
            try db.execute(sql: "UPDATE trends_analysis SET dyad = COALESCE(json_extract(result, '$.dyad.isDyad'), 0)")
            if try db.tableExists("entries") {
                try db.execute(sql: """
                    UPDATE trends_analysis SET first_seen =
                      (SELECT CAST(strftime('%s', entries.first_seen) AS REAL) FROM entries WHERE entries.id = trends_analysis.entry_id)
                    """)
            }
            try db.create(index: "trends_analysis_first_seen", on: "trends_analysis", columns: ["first_seen"])
        }
    }

    public static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        register(in: &m)
        return m
    }
}

/// `TrendTables` on an SQLite (GRDB) connection inside the caller's transaction.
public struct SQLiteTrendTables: TrendTables {
    public let db: Database
    public init(_ db: Database) { self.db = db }

    public func hasAnalysis(entryID: Int64) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM trends_analysis WHERE entry_id = ?"), arguments: [entryID]) ?? false
    }

    public func storeAnalysis(_ a: StoredAnalysis) throws {
        try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO trends_analysis (entry_id, result, revision, dyad, first_seen) VALUES (?, ?, ?, ?, ?)
            """).execute(arguments: [a.entryID, try TrendCoding.encode(a.result), a.revision, a.result.dyad.isDyad,
                                     a.firstSeen?.timeIntervalSince1970])
    }

    public func analysis(entryID: Int64) throws -> ArticleAnalysisResult? {
        guard let s = try String.fetchOne(db, sql: "SELECT result FROM trends_analysis WHERE entry_id = ?", arguments: [entryID]) else { return nil }
        return try TrendCoding.decode(ArticleAnalysisResult.self, s)
    }

    public func analyses(entryIDs: [Int64]) throws -> [Int64: ArticleAnalysisResult] {
        var out: [Int64: ArticleAnalysisResult] = [:]
        guard try db.tableExists("trends_analysis") else { return out }  // a read-only reader before the first run
        for chunk in stride(from: 0, to: entryIDs.count, by: 500).map({ Array(entryIDs[$0..<min($0 + 500, entryIDs.count)]) }) {
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
            let rows = try Row.fetchAll(db, sql: "SELECT entry_id, result FROM trends_analysis WHERE entry_id IN (\(marks))",
                                        arguments: StatementArguments(chunk))
            for r in rows { out[r["entry_id"]] = try TrendCoding.decode(ArticleAnalysisResult.self, r["result"]) }
        }
        return out
    }

    public func analyzedRevisions(entryIDs: [Int64]) throws -> [Int64: Int] {
        var out: [Int64: Int] = [:]
        let statement = try db.cachedStatement(sql: "SELECT revision FROM trends_analysis WHERE entry_id = ?")
        for id in entryIDs {
            if let r = try Int.fetchOne(statement, arguments: [id]) { out[id] = r }
        }
        return out
    }

    public func dyadCount(firstSeenSince since: Date) throws -> Int {
        guard try db.tableExists("trends_analysis") else { return 0 }  // read-only `status` before the first run
        return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM trends_analysis WHERE dyad AND first_seen >= ?",
                         arguments: [since.timeIntervalSince1970]) ?? 0
    }

    public func contribution(entryID: Int64) throws -> Contribution? {
        guard let s = try String.fetchOne(db.cachedStatement(sql: "SELECT contribution FROM trends_entry WHERE entry_id = ?"), arguments: [entryID]) else { return nil }
        return try TrendCoding.decode(Contribution.self, s)
    }

    public func saveContribution(_ c: Contribution) throws {
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO trends_entry (entry_id, hour, day, contribution) VALUES (?, ?, ?, ?)")
            .execute(arguments: [c.entryID, Granularity.hour.bucketStart(c.time), Granularity.day.bucketStart(c.time), try TrendCoding.encode(c)])
    }

    public func contributions(granularity: Granularity, start: Int64) throws -> [Contribution] {
        let column = granularity == .hour ? "hour" : "day"
        return try String.fetchAll(db, sql: "SELECT contribution FROM trends_entry WHERE \(column) = ? ORDER BY entry_id", arguments: [start])
            .map { try TrendCoding.decode(Contribution.self, $0) }
    }

    public func aggregate(_ key: BucketKey) throws -> Aggregate? {
        guard let s = try String.fetchOne(db.cachedStatement(sql: "SELECT data FROM trends_bucket WHERE granularity = ? AND start = ? AND scope = ?"),
                                          arguments: [key.granularity.rawValue, key.start, key.scope.key]) else { return nil }
        return try TrendCoding.decode(Aggregate.self, s)
    }

    public func saveAggregate(_ key: BucketKey, _ a: Aggregate) throws {
        if a.entries == 0 {
            try db.cachedStatement(sql: "DELETE FROM trends_bucket WHERE granularity = ? AND start = ? AND scope = ?")
                .execute(arguments: [key.granularity.rawValue, key.start, key.scope.key])
            return
        }
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO trends_bucket (granularity, start, scope, data) VALUES (?, ?, ?, ?)")
            .execute(arguments: [key.granularity.rawValue, key.start, key.scope.key, try TrendCoding.encode(a)])
    }

    public func aggregates(granularity: Granularity, start: Int64) throws -> [Scope: Aggregate] {
        var out: [Scope: Aggregate] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT scope, data FROM trends_bucket WHERE granularity = ? AND start = ?",
                                    arguments: [granularity.rawValue, start]) {
            out[Scope(key: row["scope"])] = try TrendCoding.decode(Aggregate.self, row["data"])
        }
        return out
    }

    public func forEachRow(granularity: Granularity, from: Int64, _ body: (BucketKey, Aggregate) throws -> Void) throws {
        let cursor = try Row.fetchCursor(db.cachedStatement(sql: "SELECT start, scope, data FROM trends_bucket WHERE granularity = ? AND start >= ? ORDER BY start, scope"),
                                         arguments: [granularity.rawValue, from])
        while let row = try cursor.next() {
            try body(BucketKey(granularity: granularity, start: row["start"], scope: Scope(key: row["scope"])),
                     try TrendCoding.decode(Aggregate.self, row["data"]))
        }
    }

    public func forEachRow(granularity: Granularity, from: Int64, scope: String, groups: Bool,
                           _ body: (BucketKey, Aggregate) throws -> Void) throws {
        guard try db.tableExists("trends_bucket") else { return }  // a read-only reader before the first run
        let sql = "SELECT start, scope, data FROM trends_bucket WHERE granularity = ? AND start >= ? AND (scope = ?"
            + (groups ? " OR scope LIKE 'group:%'" : "") + ") ORDER BY start, scope"
        let cursor = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: [granularity.rawValue, from, scope])
        while let row = try cursor.next() {
            try body(BucketKey(granularity: granularity, start: row["start"], scope: Scope(key: row["scope"])),
                     try TrendCoding.decode(Aggregate.self, row["data"]))
        }
    }

    public func earliestBucket(granularity: Granularity, from: Int64) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT MIN(start) FROM trends_bucket WHERE granularity = ? AND start >= ?",
                           arguments: [granularity.rawValue, from])
    }

    public func latestRows(granularity: Granularity, from: Int64, until: Int64) throws -> [(BucketKey, Aggregate)] {
        guard try db.tableExists("trends_bucket") else { return [] }  // a read-only reader before the first run
        // SQLite's bare-column rule: with MAX(), `data` comes from the row holding the maximum.
        return try Row.fetchAll(db, sql: """
            SELECT MAX(start) AS start, scope, data FROM trends_bucket WHERE granularity = ? AND start >= ? AND start <= ?
            GROUP BY scope ORDER BY scope
            """, arguments: [granularity.rawValue, from, until]).map { row in
            (BucketKey(granularity: granularity, start: row["start"], scope: Scope(key: row["scope"])),
             try TrendCoding.decode(Aggregate.self, row["data"]))
        }
    }

    public func stateValue(_ key: String) throws -> Data? {
        try String.fetchOne(db, sql: "SELECT value FROM trends_state WHERE key = ?", arguments: [key]).map { Data($0.utf8) }
    }

    public func setStateValue(_ key: String, _ value: Data) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO trends_state (key, value) VALUES (?, ?)",
                       arguments: [key, String(decoding: value, as: UTF8.self)])
    }

    public func stateKeys() throws -> [String] {
        try String.fetchAll(db, sql: "SELECT key FROM trends_state ORDER BY key")
    }

    public func forEachAnalysis(_ body: (StoredAnalysis) throws -> Void) throws {
        let cursor = try Row.fetchCursor(db, sql: "SELECT entry_id, result, revision, first_seen FROM trends_analysis ORDER BY entry_id")
        while let row = try cursor.next() {
            try body(StoredAnalysis(entryID: row["entry_id"], revision: row["revision"],
                                    firstSeen: (row["first_seen"] as Double?).map(Date.init(timeIntervalSince1970:)),
                                    result: try TrendCoding.decode(ArticleAnalysisResult.self, row["result"])))
        }
    }

    public func forEachContribution(_ body: (Contribution) throws -> Void) throws {
        let cursor = try String.fetchCursor(db, sql: "SELECT contribution FROM trends_entry ORDER BY entry_id")
        while let s = try cursor.next() { try body(try TrendCoding.decode(Contribution.self, s)) }
    }
}
