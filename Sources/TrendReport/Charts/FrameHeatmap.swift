import Foundation
import Trends

/// Frame shares per week as a heat map: one row per frame, one cell per week, the cell's shade the
/// share of that week's China–Russia articles carrying the frame (its value on hover).
struct FrameHeatmap {
    var frames: [String]
    var weeks: [(start: Int64, dyad: Int, frames: [String: Int])]

    static let rowHeight = 18.0

    func render(firstDay: Int64, lastDay: Int64, markers: [AlertRecord]) -> String {
        let plotHeight = Double(frames.count) * Self.rowHeight
        let frame = ChartFrame(firstDay: firstDay, lastDay: lastDay, plotHeight: plotHeight,
                               title: "Frame shares per week", unit: "") { ValueAxis(min: 0, max: 1, top: $0, height: $1) }
        var s = frame.open(showValueTicks: false)
        for (row, name) in frames.enumerated() {
            let y = frame.plotTop + Double(row) * Self.rowHeight
            s += "<text class=\"tick\" x=\"\(f(ChartFrame.left - 6))\" y=\"\(f(y + Self.rowHeight / 2))\" text-anchor=\"end\" dominant-baseline=\"middle\">\(HTMLText.escape(label(name)))</text>"
            for w in weeks where w.dyad > 0 {
                let count = w.frames[name] ?? 0
                let share = Double(count) / Double(w.dyad)
                let x0 = max(frame.time.x(w.start), ChartFrame.left)
                let x1 = min(frame.time.x(w.start + 7 * 86_400), ChartFrame.width - ChartFrame.right)
                guard x1 > x0 else { continue }
                let level = share == 0 ? 0 : min(5, Int((share * 5).rounded(.up)))
                s += "<rect class=\"heat h\(level)\" x=\"\(f(x0 + 0.5))\" y=\"\(f(y + 1))\" width=\"\(f(x1 - x0 - 1))\" height=\"\(f(Self.rowHeight - 2))\">"
                s += "<title>week of \(TimeAxis.date(w.start)) \(HTMLText.escape(label(name))): \(count) of \(w.dyad) articles (\(Int((share * 100).rounded())) %)</title></rect>"
            }
        }
        // A frame-shift marker points at its frame's row.
        s += AlertMarkers.render(markers, on: frame) { alert in
            let name = alert.metric.hasPrefix("share:") ? String(alert.metric.dropFirst("share:".count)) : ""
            guard let row = frames.firstIndex(of: name) else { return frame.plotBottom }
            return frame.plotTop + (Double(row) + 0.5) * Self.rowHeight
        }
        return s + "</svg>"
    }

    private func label(_ frame: String) -> String { frame.replacingOccurrences(of: "_", with: " ") }
}
