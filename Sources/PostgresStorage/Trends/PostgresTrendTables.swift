import DyadCore
import Foundation
import Trends

/// `TrendTables` on a PostgreSQL connection inside the caller's transaction.
struct PostgresTrendTables: TrendTables {
    let c: PGConnection

    func hasAnalysis(entryID: Int64) throws -> Bool {
        !(try c.query("SELECT 1 FROM trends_analysis WHERE entry_id = $1", [.int(entryID)]).isEmpty)
    }

    func storeAnalysis(_ a: StoredAnalysis) throws {
        try c.execute("""
            INSERT INTO trends_analysis (entry_id, result, revision, dyad, first_seen) VALUES ($1, $2::jsonb, $3, $4, $5)
            ON CONFLICT (entry_id) DO UPDATE SET result = EXCLUDED.result, revision = EXCLUDED.revision,
              dyad = EXCLUDED.dyad, first_seen = EXCLUDED.first_seen
            """, [.int(a.entryID), .text(try TrendCoding.encode(a.result)), .int(a.revision), .bool(a.result.dyad.isDyad),
                  .date(a.firstSeen)])
    }

    func analysis(entryID: Int64) throws -> ArticleAnalysisResult? {
        try c.query("SELECT result::text AS r FROM trends_analysis WHERE entry_id = $1", [.int(entryID)]).first.map {
            try TrendCoding.decode(ArticleAnalysisResult.self, try $0.get("r", as: String.self))
        }
    }

    func analyses(entryIDs: [Int64]) throws -> [Int64: ArticleAnalysisResult] {
        var out: [Int64: ArticleAnalysisResult] = [:]
        for row in try c.query("SELECT entry_id, result::text AS r FROM trends_analysis WHERE entry_id = ANY($1)", [.intArray(entryIDs)]) {
            out[try row.get("entry_id", as: Int64.self)] = try TrendCoding.decode(ArticleAnalysisResult.self, try row.get("r", as: String.self))
        }
        return out
    }

    func analyzedRevisions(entryIDs: [Int64]) throws -> [Int64: Int] {
        var out: [Int64: Int] = [:]
        for row in try c.query("SELECT entry_id, revision FROM trends_analysis WHERE entry_id = ANY($1)", [.intArray(entryIDs)]) {
            out[try row.get("entry_id", as: Int64.self)] = Int(try row.get("revision", as: Int64.self))
        }
        return out
    }

    func dyadCount(firstSeenSince since: Date) throws -> Int {
        Int(try c.query("SELECT COUNT(*) AS n FROM trends_analysis WHERE dyad AND first_seen >= $1", [.date(since)])[0]
            .get("n", as: Int64.self))
    }

    func contribution(entryID: Int64) throws -> Contribution? {
        try c.query("SELECT contribution FROM trends_entry WHERE entry_id = $1", [.int(entryID)]).first.map {
            try TrendCoding.decode(Contribution.self, try $0.get("contribution", as: String.self))
        }
    }

    func saveContribution(_ x: Contribution) throws {
        try c.execute("""
            INSERT INTO trends_entry (entry_id, hour, day, contribution) VALUES ($1, $2, $3, $4)
            ON CONFLICT (entry_id) DO UPDATE SET hour = EXCLUDED.hour, day = EXCLUDED.day, contribution = EXCLUDED.contribution
            """, [.int(x.entryID), .int(Granularity.hour.bucketStart(x.time)), .int(Granularity.day.bucketStart(x.time)),
                  .text(try TrendCoding.encode(x))])
    }

    func contributions(granularity: Granularity, start: Int64) throws -> [Contribution] {
        let column = granularity == .hour ? "hour" : "day"
        return try c.query("SELECT contribution FROM trends_entry WHERE \(column) = $1 ORDER BY entry_id", [.int(start)]).map {
            try TrendCoding.decode(Contribution.self, try $0.get("contribution", as: String.self))
        }
    }

    func aggregate(_ key: BucketKey) throws -> Aggregate? {
        try c.query("SELECT data FROM trends_bucket WHERE granularity = $1 AND start = $2 AND scope = $3",
                    [.text(key.granularity.rawValue), .int(key.start), .text(key.scope.key)]).first.map {
            try TrendCoding.decode(Aggregate.self, try $0.get("data", as: String.self))
        }
    }

    func saveAggregate(_ key: BucketKey, _ a: Aggregate) throws {
        let k: [PGArg] = [.text(key.granularity.rawValue), .int(key.start), .text(key.scope.key)]
        if a.entries == 0 {
            try c.execute("DELETE FROM trends_bucket WHERE granularity = $1 AND start = $2 AND scope = $3", k)
            return
        }
        try c.execute("""
            INSERT INTO trends_bucket (granularity, start, scope, data) VALUES ($1, $2, $3, $4)
            ON CONFLICT (granularity, start, scope) DO UPDATE SET data = EXCLUDED.data
            """, k + [.text(try TrendCoding.encode(a))])
    }

    func aggregates(granularity: Granularity, start: Int64) throws -> [Scope: Aggregate] {
        var out: [Scope: Aggregate] = [:]
        for row in try c.query("SELECT scope, data FROM trends_bucket WHERE granularity = $1 AND start = $2",
                               [.text(granularity.rawValue), .int(start)]) {
            out[Scope(key: try row.get("scope"))] = try TrendCoding.decode(Aggregate.self, try row.get("data", as: String.self))
        }
        return out
    }

    func forEachRow(granularity: Granularity, from: Int64, _ body: (BucketKey, Aggregate) throws -> Void) throws {
        // COLLATE "C": the same byte order as SQLite, so trend files list scopes alike on both.
        try c.forEachRow("""
            SELECT start, scope, data FROM trends_bucket WHERE granularity = $1 AND start >= $2 ORDER BY start, scope COLLATE "C"
            """, [.text(granularity.rawValue), .int(from)]) { row in
            try body(BucketKey(granularity: granularity, start: try row.get("start"), scope: Scope(key: try row.get("scope"))),
                     try TrendCoding.decode(Aggregate.self, try row.get("data", as: String.self)))
        }
    }

    func forEachRow(granularity: Granularity, from: Int64, scope: String, groups: Bool,
                    _ body: (BucketKey, Aggregate) throws -> Void) throws {
        try c.forEachRow("""
            SELECT start, scope, data FROM trends_bucket WHERE granularity = $1 AND start >= $2
              AND (scope = $3\(groups ? " OR scope LIKE 'group:%'" : "")) ORDER BY start, scope COLLATE "C"
            """, [.text(granularity.rawValue), .int(from), .text(scope)]) { row in
            try body(BucketKey(granularity: granularity, start: try row.get("start"), scope: Scope(key: try row.get("scope"))),
                     try TrendCoding.decode(Aggregate.self, try row.get("data", as: String.self)))
        }
    }

    func earliestBucket(granularity: Granularity, from: Int64) throws -> Int64? {
        try c.query("SELECT MIN(start) AS m FROM trends_bucket WHERE granularity = $1 AND start >= $2",
                    [.text(granularity.rawValue), .int(from)])[0].get("m", as: Int64?.self)
    }

    func latestRows(granularity: Granularity, from: Int64, until: Int64) throws -> [(BucketKey, Aggregate)] {
        try c.query("""
            SELECT DISTINCT ON (scope COLLATE "C") start, scope, data FROM trends_bucket
            WHERE granularity = $1 AND start >= $2 AND start <= $3 ORDER BY scope COLLATE "C", start DESC
            """, [.text(granularity.rawValue), .int(from), .int(until)]).map { row in
            (BucketKey(granularity: granularity, start: try row.get("start"), scope: Scope(key: try row.get("scope"))),
             try TrendCoding.decode(Aggregate.self, try row.get("data", as: String.self)))
        }
    }

    func stateValue(_ key: String) throws -> Data? {
        try c.query("SELECT value FROM trends_state WHERE key = $1", [.text(key)]).first.map { Data(try $0.get("value", as: String.self).utf8) }
    }

    func setStateValue(_ key: String, _ value: Data) throws {
        try c.execute("""
            INSERT INTO trends_state (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value
            """, [.text(key), .text(String(decoding: value, as: UTF8.self))])
    }

    func stateKeys() throws -> [String] {
        try c.query("SELECT key FROM trends_state ORDER BY key COLLATE \"C\"").map { try $0.get("key", as: String.self) }
    }

    func forEachAnalysis(_ body: (StoredAnalysis) throws -> Void) throws {
        try c.forEachRow("SELECT entry_id, result::text AS result, revision, first_seen FROM trends_analysis ORDER BY entry_id") { r in
            try body(StoredAnalysis(entryID: try r.get("entry_id"), revision: Int(try r.get("revision", as: Int64.self)),
                                    firstSeen: try r.get("first_seen"),
                                    result: try TrendCoding.decode(ArticleAnalysisResult.self, try r.get("result", as: String.self))))
        }
    }

    func forEachContribution(_ body: (Contribution) throws -> Void) throws {
        try c.forEachRow("SELECT contribution FROM trends_entry ORDER BY entry_id") { r in
            try body(try TrendCoding.decode(Contribution.self, try r.get("contribution", as: String.self)))
        }
    }
}
