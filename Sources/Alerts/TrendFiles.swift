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

    public func write(_ s: TrendSnapshot, recentAlerts: [AlertRecord]) throws {
        let hourly = s.hourly.map { TrendRow($0.0, $0.1, now: s.now, closeDelay: 0) }
        let daily = s.daily.map { TrendRow($0.0, $0.1, now: s.now, closeDelay: s.params.closeDelay) }
        try AtomicFile.write(Data(Self.csv(hourly).utf8), to: directory.appendingPathComponent(Self.hourlyName))
        try AtomicFile.write(Data(Self.csv(daily).utf8), to: directory.appendingPathComponent(Self.dailyName))
        let latest = Latest(generatedAt: s.now, judgedUntil: s.judgedUntil, detectorGranularity: s.params.granularity,
                            currentHour: Self.latestPerScope(hourly, before: s.now), currentDay: Self.latestPerScope(daily, before: s.now),
                            baselines: s.baselines, recentAlerts: recentAlerts, parameters: s.params)
        try AtomicFile.write(try DyadJSON.encoder(pretty: true).encode(latest) + Data("\n".utf8),
                             to: directory.appendingPathComponent(Self.latestName))
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
        for r in rows {
            var f: [String] = [ISO8601.string(r.bucket), field(r.scope), r.complete ? "1" : "0", "\(r.entries)", "\(r.china)",
                               "\(r.russia)", "\(r.dyad)", num(r.dyadShare), num(r.meanStance), num(r.stanceSpread),
                               "\(r.supportive)", "\(r.neutral)", "\(r.critical)"]
            f += frameColumns.map { "\(r.frames[$0] ?? 0)" }
            f += [num(r.toneChina), num(r.toneRussia), num(r.toneUS), field(r.topActors.joined(separator: "; "))]
            out += f.joined(separator: ",") + "\n"
        }
        return out
    }

    static func num(_ x: Double?) -> String { x.map { Num.fmt($0, 4) } ?? "" }

    /// RFC 4180 quoting when needed.
    static func field(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
