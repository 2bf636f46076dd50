import Foundation
import Trends

/// Everything the trend page shows, already reduced from the state database: one scope's daily
/// aggregates, its breakdown by outlet group, the alerts of the window and the generation time.
/// Plain values, so the page can be rendered (and tested) without a database.
public struct TrendPageData: Sendable {
    /// One day (UTC midnight, seconds since 1970) and its aggregate.
    public typealias Day = (start: Int64, aggregate: Aggregate)

    /// The scope the page is about (`all`, `group:…`, `outlet:…`).
    public var scope: String
    /// When the page was generated (the injected clock's time).
    public var generatedAt: Date
    /// First and last day shown (UTC midnights, inclusive); nil when there is no data at all.
    public var firstDay: Int64?
    public var lastDay: Int64?
    /// The scope's own row per day that has one, oldest first.
    public var total: [Day]
    /// Per outlet group (only when `scope` is `all`), the group's rows, oldest first.
    public var groups: [(name: String, days: [Day])]
    /// Alerts of the window, oldest first.
    public var alerts: [AlertRecord]
    /// Articles dated before `firstDay` (stray old dates before coverage starts), not charted.
    public var entriesBeforeWindow = 0

    public init(scope: String, generatedAt: Date, firstDay: Int64?, lastDay: Int64?, total: [Day],
                groups: [(name: String, days: [Day])], alerts: [AlertRecord]) {
        self.scope = scope; self.generatedAt = generatedAt; self.firstDay = firstDay; self.lastDay = lastDay
        self.total = total; self.groups = groups; self.alerts = alerts
    }

    /// A page with no data (no database or no trend tables yet): it says so.
    public static func empty(scope: String, now: Date) -> TrendPageData {
        TrendPageData(scope: scope, generatedAt: now, firstDay: nil, lastDay: nil, total: [], groups: [], alerts: [])
    }

    /// The whole window summed into one aggregate (for totals and top actors).
    public var windowTotal: Aggregate {
        var sum = Aggregate()
        for d in total { sum.merge(d.aggregate) }
        sum.clearResidue()
        return sum
    }
}
