import Foundation
import Trends

/// Alert markers: a dashed line at the alert's bucket and a triangle in the frame's top band,
/// coloured by severity. Each marker is a link to the alert's row (`#alert-ID`) carrying the
/// alert `id` from `alerts.jsonl`, with its summary and evidence headlines as the hover text; the
/// page's script opens the same details in a popover on click.
enum AlertMarkers {
    /// Markers for `alerts` on `frame`; `y` gives a point the line should reach (default: the plot bottom).
    static func render(_ alerts: [AlertRecord], on frame: ChartFrame, y: ((AlertRecord) -> Double)? = nil) -> String {
        var s = ""
        var perSlot: [Int: Int] = [:]
        for a in alerts {
            let mid = (a.bucket.timeIntervalSince1970 + a.bucketEnd.timeIntervalSince1970) / 2
            let x = frame.time.x(mid)
            // Markers of the same day stack upwards in the band instead of hiding each other.
            let slot = Int(x / 8)
            let level = perSlot[slot, default: 0]
            perSlot[slot] = level + 1
            let top = frame.plotTop - 4 - Double(level % 3) * 7
            let lineEnd = y?(a) ?? frame.plotBottom
            let id = HTMLText.token(a.id)
            s += "<a class=\"marker sev-\(a.severity.rawValue)\" href=\"#alert-\(id)\" data-alert-id=\"\(id)\">"
            s += "<title>\(HTMLText.escape(hoverText(a)))</title>"
            s += "<line x1=\"\(f(x))\" x2=\"\(f(x))\" y1=\"\(f(top))\" y2=\"\(f(lineEnd))\"/>"
            s += "<path d=\"M\(f(x)),\(f(top))l-6,-10h12z\"/>"
            s += "</a>"
        }
        return s
    }

    /// Plain-text hover: when, what, the summary and the evidence headlines.
    static func hoverText(_ a: AlertRecord) -> String {
        var lines = ["\(a.severity.rawValue.uppercased()) \(a.detector) · \(a.scope) · \(TrendPageRenderer.bucketLabel(a))",
                     a.summary]
        for e in a.evidence { lines.append("• \(e.title) (\(e.outlet))") }
        lines.append("id \(a.id)")
        return lines.joined(separator: "\n")
    }
}
