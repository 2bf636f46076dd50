import Foundation
import DyadCore
import Trends
import Alerts

/// The page's tables: the alerts of the window (newest first, each row the target of its markers)
/// and the actors most co-mentioned with China and Russia.
enum Tables {
    static func alerts(_ alerts: [AlertRecord]) -> String {
        guard !alerts.isEmpty else { return "<p class=\"note\">No alerts in this window.</p>" }
        var s = "<div class=\"tablebox\"><table><thead><tr><th>bucket (UTC)</th><th>severity</th><th>detector</th><th>scope</th>"
        s += "<th>metric: baseline → current</th><th>why</th></tr></thead><tbody>"
        for a in alerts.reversed() {
            let id = HTMLText.token(a.id)
            s += "<tr id=\"alert-\(id)\" class=\"sev-\(a.severity.rawValue)\">"
            s += "<td>\(HTMLText.escape(TrendPageRenderer.bucketLabel(a)))</td>"
            s += "<td class=\"sev\">\(a.severity.rawValue)</td><td>\(HTMLText.escape(a.detector))</td><td>\(HTMLText.escape(a.scope))</td>"
            s += "<td>\(HTMLText.escape(a.metric)): \(AlertLine.value(a.baseline, a.metric)) → \(AlertLine.value(a.current, a.metric))"
            s += "<br><span class=\"note\">\(HTMLText.escape(a.statistic))=\(AlertLine.statistic(a.statistic, a.statisticValue))</span></td>"
            s += "<td>\(detail(a))</td></tr>"
        }
        return s + "</tbody></table></div>"
    }

    /// Summary, evidence headlines (linked when the link is http(s)) and the id: shown in the
    /// table and copied into the popover.
    static func detail(_ a: AlertRecord) -> String {
        var s = "<div class=\"detail\"><p><b>\(HTMLText.escape(a.detector))</b> · \(HTMLText.escape(a.scope)) · \(HTMLText.escape(TrendPageRenderer.bucketLabel(a)))</p>"
        s += "<p>\(HTMLText.escape(a.summary))</p>"
        if !a.evidence.isEmpty {
            s += "<ul>"
            for e in a.evidence {
                let title = HTMLText.escape(e.title.isEmpty ? "(untitled)" : e.title)
                let headline = HTMLText.safeHref(e.link).map { "<a href=\"\($0)\" rel=\"noopener noreferrer\">\(title)</a>" } ?? title
                var extra = HTMLText.escape(e.outlet)
                if let st = e.stance { extra += ", stance " + Num.fmt(st, 2) }
                if !e.cues.isEmpty { extra += ", cues: " + HTMLText.escape(e.cues.prefix(3).joined(separator: "; ")) }
                s += "<li>\(headline) <span class=\"note\">(\(extra))</span></li>"
            }
            s += "</ul>"
        }
        return s + "<p class=\"id\">id \(HTMLText.escape(a.id))</p></div>"
    }

    static func actors(_ total: Aggregate, limit: Int = 15) -> String {
        let top = total.topActors(limit)
        guard !top.isEmpty else { return "<p class=\"note\">No third-party actors co-mentioned in China–Russia articles in this window.</p>" }
        var s = "<div class=\"tablebox\"><table><thead><tr><th>actor</th><th class=\"num\">China–Russia articles mentioning it</th>"
        s += "<th class=\"num\">share</th></tr></thead><tbody>"
        for a in top {
            let share = total.dyad > 0 ? Double(a.count) / Double(total.dyad) * 100 : 0
            s += "<tr><td>\(HTMLText.escape(a.name))</td><td class=\"num\">\(a.count)</td><td class=\"num\">\(String(format: "%.0f", share)) %</td></tr>"
        }
        return s + "</tbody></table></div>"
    }
}
