import Foundation
import Trends

/// Daily aggregates summed into UTC weeks (Monday to Sunday): stance, tone and frame shares
/// rest on a handful of articles a day, so the page shows them per week.
enum Weekly {
    static func sum(_ days: [TrendPageData.Day]) -> [(start: Int64, aggregate: Aggregate)] {
        var weeks: [Int64: Aggregate] = [:]
        for d in days { weeks[TimeAxis.weekStart(d.start), default: Aggregate()].merge(d.aggregate) }
        return weeks.keys.sorted().map { k in
            var a = weeks[k]!
            a.clearResidue()
            return (k, a)
        }
    }
}
