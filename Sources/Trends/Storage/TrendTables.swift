import Foundation
import DyadCore

/// One stored analysis as the trends tables keep it: the analyzer's result, the entry revision it
/// was made from, and what `status` counts (dyad verdict, first sight).
public struct StoredAnalysis: Sendable {
    public var entryID: Int64
    /// Stored revision of the entry the analysis was made from (0 = unknown).
    public var revision: Int
    /// When the entry was first seen (nil only for analyses stored before this was recorded).
    public var firstSeen: Date?
    public var result: ArticleAnalysisResult

    public init(entryID: Int64, revision: Int, firstSeen: Date?, result: ArticleAnalysisResult) {
        self.entryID = entryID; self.revision = revision; self.firstSeen = firstSeen; self.result = result
    }
}

/// The trends tables (analyses, per-entry contributions, bucket aggregates, engine state) as seen
/// from inside one transaction of whichever database holds them. `TrendEngine` is written against
/// this protocol only; `SQLiteTrendTables` and the PostgreSQL module implement it, and one
/// conformance suite (`StorageConformance`) checks both.
public protocol TrendTables {
    // analyses
    func hasAnalysis(entryID: Int64) throws -> Bool
    func storeAnalysis(_ analysis: StoredAnalysis) throws
    func analysis(entryID: Int64) throws -> ArticleAnalysisResult?
    /// The stored analyses of these entries (those analyzed), by entry id.
    func analyses(entryIDs: [Int64]) throws -> [Int64: ArticleAnalysisResult]
    /// The revision each listed entry was last analyzed from (entries never analyzed are absent).
    func analyzedRevisions(entryIDs: [Int64]) throws -> [Int64: Int]
    /// Dyad articles first seen at or after `since`.
    func dyadCount(firstSeenSince since: Date) throws -> Int

    // contributions
    func contribution(entryID: Int64) throws -> Contribution?
    func saveContribution(_ c: Contribution) throws
    /// Contributions of one bucket, by entry id.
    func contributions(granularity: Granularity, start: Int64) throws -> [Contribution]

    // aggregates
    func aggregate(_ key: BucketKey) throws -> Aggregate?
    /// Stores an aggregate; an empty one (no entries) deletes the row.
    func saveAggregate(_ key: BucketKey, _ a: Aggregate) throws
    /// All scopes' aggregates of one bucket.
    func aggregates(granularity: Granularity, start: Int64) throws -> [Scope: Aggregate]
    /// Aggregate rows of one granularity with start ≥ `from`, ordered by start then scope, one at a
    /// time (memory bounded by one row).
    func forEachRow(granularity: Granularity, from: Int64, _ body: (BucketKey, Aggregate) throws -> Void) throws
    /// `forEachRow` limited to one scope and, with `groups`, every `group:` scope (the trend page's
    /// rows, without the outlet scopes a large configuration has hundreds of).
    func forEachRow(granularity: Granularity, from: Int64, scope: String, groups: Bool,
                    _ body: (BucketKey, Aggregate) throws -> Void) throws
    func earliestBucket(granularity: Granularity, from: Int64) throws -> Int64?
    /// Per scope, its newest aggregate row of one granularity with `from ≤ start ≤ until` (the
    /// `current` part of `latest.json`, without reading the whole window), by scope.
    func latestRows(granularity: Granularity, from: Int64, until: Int64) throws -> [(BucketKey, Aggregate)]

    // engine state (watermarks, detector state), one JSON value per key
    func stateValue(_ key: String) throws -> Data?
    func setStateValue(_ key: String, _ value: Data) throws
    func stateKeys() throws -> [String]

    // whole tables, by key, streamed (copying a state to another database: `migrate`)
    func forEachAnalysis(_ body: (StoredAnalysis) throws -> Void) throws
    func forEachContribution(_ body: (Contribution) throws -> Void) throws
}

extension TrendTables {
    func state<T: Decodable>(_ key: String, as t: T.Type) throws -> T? {
        try stateValue(key).map { try TrendCoding.decoder.decode(t, from: $0) }
    }

    func setState<T: Encodable>(_ key: String, _ v: T) throws {
        try setStateValue(key, try TrendCoding.encoder.encode(v))
    }

    /// Every aggregate row, hours then days, each by start then scope.
    public func forEachAggregate(_ body: (BucketKey, Aggregate) throws -> Void) throws {
        for g in Granularity.allCases { try forEachRow(granularity: g, from: Int64.min, body) }
    }

    /// Aggregate rows collected (tests, small windows).
    func rows(granularity: Granularity, from: Int64) throws -> [(BucketKey, Aggregate)] {
        var out: [(BucketKey, Aggregate)] = []
        try forEachRow(granularity: granularity, from: from) { out.append(($0, $1)) }
        return out
    }
}

/// How trend values are turned into stored text: DyadJSON (sorted keys, ISO dates), the same for
/// every backend so that a copied database decodes alike. The values stored per entry (analysis
/// results, contributions, aggregates) are written by `JSONWriter`, which gives the same bytes as
/// the encoder at a fraction of its cost; anything else goes through `JSONEncoder`.
public enum TrendCoding {
    public static let encoder = DyadJSON.encoder()
    public static let decoder = DyadJSON.decoder()

    public static func encode<T: Encodable>(_ v: T) throws -> String { String(decoding: try encoder.encode(v), as: UTF8.self) }
    public static func encode<T: Encodable & JSONWritable>(_ v: T) throws -> String {
        // A NaN or infinity: the encoder's own error, as before.
        guard let s = JSONWriter.string(v) else { return String(decoding: try encoder.encode(v), as: UTF8.self) }
        return s
    }
    public static func decode<T: Decodable>(_ t: T.Type, _ s: String) throws -> T { try decoder.decode(t, from: Data(s.utf8)) }
    /// Aggregates: `JSONReader` for the stored form, the decoder for anything else.
    public static func decode<T: Decodable & JSONReadable>(_ t: T.Type, _ s: String) throws -> T {
        if let v = JSONReader.read(t, from: s) { return v }
        return try decoder.decode(t, from: Data(s.utf8))
    }
}
