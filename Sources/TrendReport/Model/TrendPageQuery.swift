import Foundation
import Alerts
import Trends

/// Reads what the trend page needs from the state database (through the owners' APIs: aggregate
/// rows from `TrendEngine`, alerts from `AlertOutbox`), inside the caller's read transaction.
public struct TrendPageQuery: Sendable {
    /// Scope shown: `all` (broken down by outlet group), `group:NAME` or `outlet:SLUG`.
    public var scope: String
    /// Oldest day considered (UTC midnight, seconds); the page starts at the first day with data.
    public var since: Int64

    public init(scope: String = "all", since: Int64) {
        self.scope = scope; self.since = since
    }

    /// The window the trend files keep (`daily.csv`): what the page in `trends_dir` shows.
    public static func trendFilesWindow(now: Date) -> TrendPageQuery {
        TrendPageQuery(scope: "all", since: TrendFiles.window(now: now).daysFrom)
    }

    public func load(_ db: AnalysisTables, engine: TrendEngine, now: Date) throws -> TrendPageData {
        var total: [TrendPageData.Day] = []
        var groups: [String: [TrendPageData.Day]] = [:]
        let lastAllowed = Granularity.day.bucketStart(now)
        try engine.forEachRow(db.trends, granularity: .day, from: since, scope: scope, groups: scope == Scope.all.key) { key, aggregate in
            guard key.start <= lastAllowed, aggregate.entries > 0 else { return }
            if key.scope.key == scope { total.append((key.start, aggregate)) }
            if scope == Scope.all.key, let g = key.scope.groupName { groups[g, default: []].append((key.start, aggregate)) }
        }
        let alerts = try db.outbox.all().map(\.record).filter { alert in
            Granularity.day.bucketStart(alert.bucket) >= since && Self.alert(alert.scope, belongsTo: scope)
        }
        // The window runs from where coverage starts (or the first alert, if earlier) to the last
        // day with data or an alert (not today: a page of a replayed or stopped state ends with it).
        let alertDays = alerts.map { Granularity.day.bucketStart($0.bucket) }
        guard var first = Self.coverageStart(total.map(\.start)) ?? alertDays.min() else {
            return .empty(scope: scope, now: now)
        }
        if let firstAlert = alertDays.min() { first = min(first, firstAlert) }
        let earlier = total.filter { $0.start < first }.reduce(0) { $0 + $1.aggregate.entries }
        let last = (total.map(\.start) + alertDays).max() ?? first
        var data = TrendPageData(scope: scope, generatedAt: now, firstDay: first, lastDay: last, total: total.filter { $0.start >= first },
                                 groups: groups.sorted { $0.key < $1.key }.map { ($0.key, $0.value.filter { $0.start >= first }) }, alerts: alerts)
        data.entriesBeforeWindow = earlier
        return data
    }

    /// The first day from which at least `denseDays` of the next 7 have articles: a few misdated or
    /// evergreen items months before a feed's real start do not stretch the charts. Nil when no
    /// stretch is that dense (young data): then the first day with data.
    static func coverageStart(_ days: [Int64], denseDays: Int = 4) -> Int64? {
        let present = Set(days)
        let sorted = days.sorted()
        for d in sorted where (0..<7).filter({ present.contains(d + Int64($0) * 86_400) }).count >= denseDays { return d }
        return sorted.first
    }

    /// Which alerts a page about `scope` shows: all of them on the `all` page; otherwise those
    /// raised on that scope, and divergence alerts naming the group.
    static func alert(_ alertScope: String, belongsTo scope: String) -> Bool {
        if scope == Scope.all.key || alertScope == scope { return true }
        guard scope.hasPrefix("group:"), alertScope.hasPrefix("groups:") else { return false }
        let group = scope.dropFirst("group:".count)
        return alertScope.dropFirst("groups:".count).split(separator: "~").contains(group)
    }
}
