import Foundation
import DyadCore
import Trends

/// One row of `hourly.csv` / `daily.csv` and of the `current` part of `latest.json`.
public struct TrendRow: Codable, Sendable, Equatable {
    public var bucket: Date
    public var scope: String
    public var complete: Bool
    public var entries: Int
    public var china: Int
    public var russia: Int
    public var dyad: Int
    public var dyadShare: Double
    public var meanStance: Double?
    public var stanceSpread: Double?
    public var supportive: Int
    public var neutral: Int
    public var critical: Int
    public var frames: [String: Int]
    public var toneChina: Double?
    public var toneRussia: Double?
    public var toneUS: Double?
    public var topActors: [String]

    /// Actors listed per row.
    public static let topActorCount = 5

    init(_ key: BucketKey, _ a: Aggregate, now: Date, closeDelay: TimeInterval) {
        bucket = Date(timeIntervalSince1970: Double(key.start)); scope = key.scope.key
        complete = Double(key.start + key.granularity.seconds) + closeDelay <= now.timeIntervalSince1970
        entries = a.entries; china = a.china; russia = a.russia; dyad = a.dyad; dyadShare = a.dyadShare
        meanStance = a.meanStance; stanceSpread = a.stanceSpread
        supportive = a.supportive; neutral = a.neutral; critical = a.critical; frames = a.frames
        toneChina = a.toneChina; toneRussia = a.toneRussia; toneUS = a.toneUS
        topActors = a.topActors(Self.topActorCount).map { "\($0.name):\($0.count)" }
    }
}

/// The trend files in the trends directory, rewritten atomically (temp file + rename) whenever a
/// bucket closes: `hourly.csv`, `daily.csv` (one row per bucket and scope, oldest first, scopes
/// alphabetical) and `latest.json` (current buckets, detector baselines, recent alerts).
public struct TrendFiles: Sendable {
    public static let hourlyName = "hourly.csv"
    public static let dailyName = "daily.csv"
    public static let latestName = "latest.json"
    /// Hours kept in hourly.csv, days kept in daily.csv.
    public static let hourlyRetention: Int64 = 14 * 24
    public static let dailyRetention: Int64 = 800
    /// Alerts listed in latest.json.
    public static let recentAlertCount = 20

    /// The frames given their own CSV column, in column order.
    public static let frameColumns = ["military", "economy", "energy", "diplomacy", "ukraine_war", "sanctions",
                                      "multipolarity", "technology", "territory", "other"]
    public static var header: String {
        (["bucket_start", "scope", "complete", "entries", "china", "russia", "dyad", "dyad_share", "mean_stance", "stance_spread",
          "supportive", "neutral", "critical"] + frameColumns.map { "frame_" + $0 } +
         ["tone_china", "tone_russia", "tone_us", "top_actors"]).joined(separator: ",")
    }

    public let directory: URL
    public init(directory: URL) { self.directory = directory }

    /// The window of buckets the engine should put in a snapshot for these files.
    public static func window(now: Date) -> (hoursFrom: Int64, daysFrom: Int64) {
        (Granularity.hour.bucketStart(now) - hourlyRetention * 3_600, Granularity.day.bucketStart(now) - dailyRetention * 86_400)
    }

    /// Writes the files from a snapshot already in memory (tests, small windows).
    public func write(_ s: TrendSnapshot, recentAlerts: [AlertRecord]) throws {
        let hourly = try writeCSV(Self.hourlyName, now: s.now, closeDelay: 0) { body in for (k, a) in s.hourly { try body(k, a) } }
        let daily = try writeCSV(Self.dailyName, now: s.now, closeDelay: s.params.closeDelay) { body in for (k, a) in s.daily { try body(k, a) } }
        try writeLatest(now: s.now, judgedUntil: s.judgedUntil, params: s.params, currentHour: hourly, currentDay: daily,
                        baselines: s.baselines, recentAlerts: recentAlerts)
    }

    /// Writes the files straight from the state database, streaming each aggregate row from a
    /// cursor into the temporary file: memory stays bounded by one row plus one row per scope,
    /// however many hours the window holds. Same bytes as `write(_:recentAlerts:)`.
    public func write(from db: any TrendTables, engine: TrendEngine, now: Date, recentAlerts: [AlertRecord]) throws {
        let window = Self.window(now: now)
        let hourly = try writeCSV(Self.hourlyName, now: now, closeDelay: 0) { body in
            try engine.forEachRow(db, granularity: .hour, from: window.hoursFrom, body)
        }
        let daily = try writeCSV(Self.dailyName, now: now, closeDelay: engine.params.closeDelay) { body in
            try engine.forEachRow(db, granularity: .day, from: window.daysFrom, body)
        }
        let status = try engine.status(db)
        try writeLatest(now: now, judgedUntil: status.judgedUntil, params: engine.params, currentHour: hourly, currentDay: daily,
                        baselines: status.baselines, recentAlerts: recentAlerts)
    }

    /// Streams rows (oldest first, scopes alphabetical) into one CSV file; returns per scope the
    /// newest row that started before `now` (for `latest.json`).
    private func writeCSV(_ name: String, now: Date, closeDelay: TimeInterval,
                          rows: ((BucketKey, Aggregate) throws -> Void) throws -> Void) throws -> [String: TrendRow] {
        var latest: [String: TrendRow] = [:]
        try AtomicFile.write(to: directory.appendingPathComponent(name)) { sink in
            try sink.write(Self.header + "\n")
            try rows { key, aggregate in
                let r = TrendRow(key, aggregate, now: now, closeDelay: closeDelay)
                try sink.write(Self.csvLine(r))
                if r.bucket <= now { latest[r.scope] = r }
            }
        }
        return latest
    }

    private func writeLatest(now: Date, judgedUntil: Date?, params: DetectorParameters, currentHour: [String: TrendRow],
                             currentDay: [String: TrendRow], baselines: Baselines, recentAlerts: [AlertRecord]) throws {
        try AtomicFile.write(try Self.latestJSON(now: now, judgedUntil: judgedUntil, params: params, currentHour: currentHour,
                                                 currentDay: currentDay, baselines: baselines, recentAlerts: recentAlerts),
                             to: directory.appendingPathComponent(Self.latestName))
    }

    private static func latestJSON(now: Date, judgedUntil: Date?, params: DetectorParameters, currentHour: [String: TrendRow],
                                   currentDay: [String: TrendRow], baselines: Baselines, recentAlerts: [AlertRecord]) throws -> Data {
        let latest = Latest(generatedAt: now, judgedUntil: judgedUntil, detectorGranularity: params.granularity,
                            currentHour: currentHour, currentDay: currentDay,
                            baselines: baselines, recentAlerts: recentAlerts, parameters: params)
        return try DyadJSON.encoder(pretty: true).encode(latest) + Data("\n".utf8)
    }

    /// `latest.json` computed from the database at `now` (the HTTP endpoint's `/api/trends`, live
    /// on either backend): the same bytes `write(from:…)` would put in the file, reading only the
    /// newest row per scope instead of the whole window.
    public static func latestJSON(from db: any TrendTables, engine: TrendEngine, now: Date, recentAlerts: [AlertRecord]) throws -> Data {
        let window = window(now: now), until = Int64(now.timeIntervalSince1970.rounded(.down))
        func current(_ g: Granularity, from: Int64, closeDelay: TimeInterval) throws -> [String: TrendRow] {
            var out: [String: TrendRow] = [:]
            for (key, aggregate) in try db.latestRows(granularity: g, from: from, until: until) {
                out[key.scope.key] = TrendRow(key, aggregate, now: now, closeDelay: closeDelay)
            }
            return out
        }
        let status = try engine.status(db)
        return try latestJSON(now: now, judgedUntil: status.judgedUntil, params: engine.params,
                              currentHour: try current(.hour, from: window.hoursFrom, closeDelay: 0),
                              currentDay: try current(.day, from: window.daysFrom, closeDelay: engine.params.closeDelay),
                              baselines: status.baselines, recentAlerts: recentAlerts)
    }

    /// `latest.json`.
    struct Latest: Codable {
        var generatedAt: Date
        var judgedUntil: Date?
        var detectorGranularity: Granularity
        var currentHour: [String: TrendRow]
        var currentDay: [String: TrendRow]
        var baselines: Baselines
        var recentAlerts: [AlertRecord]
        var parameters: DetectorParameters
    }

    /// Per scope, the newest bucket that started before `now`.
    static func latestPerScope(_ rows: [TrendRow], before now: Date) -> [String: TrendRow] {
        var out: [String: TrendRow] = [:]
        for r in rows where r.bucket <= now { out[r.scope] = r }
        return out
    }

    static func csv(_ rows: [TrendRow]) -> String {
        var out = header + "\n"
        for r in rows { out += csvLine(r) }
        return out
    }

    /// One CSV line, newline included.
    static func csvLine(_ r: TrendRow) -> String {
        var f: [String] = [ISO8601.string(r.bucket), field(r.scope), r.complete ? "1" : "0", "\(r.entries)", "\(r.china)",
                           "\(r.russia)", "\(r.dyad)", num(r.dyadShare), num(r.meanStance), num(r.stanceSpread),
                           "\(r.supportive)", "\(r.neutral)", "\(r.critical)"]
        f += frameColumns.map { "\(r.frames[$0] ?? 0)" }
        f += [num(r.toneChina), num(r.toneRussia), num(r.toneUS), field(r.topActors.joined(separator: "; "))]
        return f.joined(separator: ",") + "\n"
    }

    static func num(_ x: Double?) -> String { x.map { Num.fmt($0, 4) } ?? "" }

    /// RFC 4180 quoting when needed.
    static func field(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
