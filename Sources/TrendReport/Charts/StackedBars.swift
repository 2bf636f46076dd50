import Foundation
import Trends

/// Daily counts as bars, one colour per series, stacked (e.g. China–Russia articles by group).
struct StackedBars {
    struct Series { var name: String; var values: [Int64: Double] }

    var title: String
    var unit: String
    var series: [Series]

    func render(firstDay: Int64, lastDay: Int64, markers: [AlertRecord]) -> String {
        var totals: [Int64: Double] = [:]
        for s in series { for (d, v) in s.values { totals[d, default: 0] += v } }
        let frame = ChartFrame(firstDay: firstDay, lastDay: lastDay, plotHeight: 190, title: title, unit: unit) {
            ValueAxis.counts(max: totals.values.max() ?? 1, top: $0, height: $1)
        }
        var s = frame.open()
        let w = max(frame.time.dayWidth * 0.8, 0.6)
        var base: [Int64: Double] = [:]
        for (i, series) in series.enumerated() {
            s += "<g class=\"bars s\(i % Palette.size)\">"
            for (day, v) in series.values.sorted(by: { $0.key < $1.key }) where v > 0 {
                let y0 = base[day, default: 0]
                let top = frame.value.y(y0 + v), bottom = frame.value.y(y0)
                s += "<rect x=\"\(f(frame.time.x(day) + frame.time.dayWidth * 0.1))\" y=\"\(f(top))\" width=\"\(f(w))\" height=\"\(f(bottom - top))\">"
                s += "<title>\(TimeAxis.date(day)) \(HTMLText.escape(series.name)): \(ValueAxis.label(v))</title></rect>"
                base[day] = y0 + v
            }
            s += "</g>"
        }
        s += AlertMarkers.render(markers, on: frame)
        return s + "</svg>"
    }
}

/// Lines (optionally with a ±spread band) over time, one colour per series.
struct LineChart {
    struct Point { var t: Int64; var value: Double; var spread: Double? }
    struct Series { var name: String; var points: [Point] }

    var title: String
    var unit: String
    /// Width of one point's bucket (a day or a week), seconds: points sit at its middle, and a
    /// line breaks where a bucket is missing.
    var bucket: Int64
    var series: [Series]
    /// Fixed range (stance and tone: −1…1), or nil for counts from 0.
    var range: ClosedRange<Double>?

    func render(firstDay: Int64, lastDay: Int64, markers: [AlertRecord]) -> String {
        let maxValue = series.flatMap(\.points).map(\.value).max() ?? 1
        let frame = ChartFrame(firstDay: firstDay, lastDay: lastDay, plotHeight: 170, title: title, unit: unit) { top, height in
            if let range { return ValueAxis(min: range.lowerBound, max: range.upperBound, top: top, height: height) }
            return ValueAxis.counts(max: maxValue, top: top, height: height)
        }
        var s = frame.open()
        if let range, range.contains(0) {
            s += "<line class=\"zero\" x1=\"\(f(ChartFrame.left))\" x2=\"\(f(ChartFrame.width - ChartFrame.right))\" y1=\"\(f(frame.value.y(0)))\" y2=\"\(f(frame.value.y(0)))\"/>"
        }
        let clamp: (Double) -> Double = { v in range.map { Swift.min(Swift.max(v, $0.lowerBound), $0.upperBound) } ?? v }
        for (i, series) in series.enumerated() {
            s += "<g class=\"line s\(i % Palette.size)\">"
            // Bands: one polygon per run of points without a gap.
            for run in runs(series) where run.count > 1 && run.allSatisfy({ $0.spread != nil }) {
                let upper = run.map { "\(f(x(frame, $0))),\(f(frame.value.y(clamp($0.value + $0.spread!))))" }
                let lower = run.reversed().map { "\(f(x(frame, $0))),\(f(frame.value.y(clamp($0.value - $0.spread!))))" }
                s += "<polygon class=\"band\" points=\"\((upper + lower).joined(separator: " "))\"/>"
            }
            for run in runs(series) {
                let d = frame.path(run.map { (x(frame, $0), frame.value.y(clamp($0.value))) })
                if run.count > 1 { s += "<path d=\"\(d)\"/>" }
            }
            for p in series.points {
                var tip = "\(TimeAxis.date(p.t)) \(series.name): \(String(format: "%.2f", p.value))"
                if let sd = p.spread { tip += " ± \(String(format: "%.2f", sd))" }
                s += "<circle cx=\"\(f(x(frame, p)))\" cy=\"\(f(frame.value.y(clamp(p.value))))\" r=\"2.5\"><title>\(HTMLText.escape(tip))</title></circle>"
            }
            s += "</g>"
        }
        s += AlertMarkers.render(markers, on: frame)
        return s + "</svg>"
    }

    /// Points are placed at the middle of their bucket (a day or a week).
    private func x(_ frame: ChartFrame, _ p: Point) -> Double {
        frame.time.x(Double(p.t) + Double(bucket) / 2)
    }

    /// Consecutive points no further apart than `maxGap`.
    private func runs(_ series: Series) -> [[Point]] {
        var out: [[Point]] = []
        for p in series.points {
            if let last = out.last?.last, p.t - last.t <= bucket { out[out.count - 1].append(p) } else { out.append([p]) }
        }
        return out
    }
}
