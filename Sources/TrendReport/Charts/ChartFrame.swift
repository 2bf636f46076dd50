import Foundation

/// The frame of one chart: an SVG with a shared time axis at the bottom, an optional value axis
/// on the left with grid lines and a unit, and a band along the top where alert markers sit.
struct ChartFrame {
    static let width = 960.0
    /// Room for value labels and the frame names of the heat map.
    static let left = 92.0
    static let right = 16.0
    /// Band above the plot for alert markers.
    static let markerBand = 26.0
    static let bottom = 30.0

    let time: TimeAxis
    let value: ValueAxis
    let height: Double
    let title: String
    let unit: String

    /// A frame `plotHeight` tall for values scaled by `makeValue(top, height)`.
    init(firstDay: Int64, lastDay: Int64, plotHeight: Double, title: String, unit: String,
         value makeValue: (_ top: Double, _ height: Double) -> ValueAxis) {
        time = TimeAxis(firstDay: firstDay, lastDay: lastDay, left: Self.left, width: Self.width - Self.left - Self.right)
        value = makeValue(Self.markerBand, plotHeight)
        height = Self.markerBand + plotHeight + Self.bottom
        self.title = title; self.unit = unit
    }

    var plotTop: Double { Self.markerBand }
    var plotBottom: Double { Self.markerBand + value.height }

    /// `<svg …>`, grid, axes and labels; the caller appends the series, markers and `</svg>`.
    func open(showValueTicks: Bool = true) -> String {
        var s = "<svg class=\"chart\" viewBox=\"0 0 \(Int(Self.width)) \(Int(height))\" role=\"img\" aria-label=\"\(HTMLText.escape(title))\">"
        if showValueTicks {
            for v in value.ticks {
                let y = f(value.y(v))
                s += "<line class=\"grid\" x1=\"\(f(Self.left))\" x2=\"\(f(Self.width - Self.right))\" y1=\"\(y)\" y2=\"\(y)\"/>"
                s += "<text class=\"tick\" x=\"\(f(Self.left - 6))\" y=\"\(y)\" text-anchor=\"end\" dominant-baseline=\"middle\">\(ValueAxis.label(v))</text>"
            }
            s += "<text class=\"unit\" x=\"4\" y=\"\(f(plotTop - 10))\">\(HTMLText.escape(unit))</text>"
        }
        s += "<line class=\"axis\" x1=\"\(f(Self.left))\" x2=\"\(f(Self.width - Self.right))\" y1=\"\(f(plotBottom))\" y2=\"\(f(plotBottom))\"/>"
        for tick in time.ticks {
            let x = f(time.x(tick.t))
            s += "<line class=\"axis\" x1=\"\(x)\" x2=\"\(x)\" y1=\"\(f(plotBottom))\" y2=\"\(f(plotBottom + 5))\"/>"
            s += "<text class=\"tick\" x=\"\(x)\" y=\"\(f(plotBottom + 18))\" text-anchor=\"middle\">\(tick.label)</text>"
        }
        s += "<text class=\"unit\" x=\"\(f(Self.width - Self.right))\" y=\"\(f(height - 1))\" text-anchor=\"end\">UTC</text>"
        return s
    }

    /// A polyline through the points, broken where a point is missing.
    func path(_ points: [(x: Double, y: Double?)]) -> String {
        var d = ""
        var pen = false
        for p in points {
            guard let y = p.y else { pen = false; continue }
            d += (pen ? "L" : "M") + f(p.x) + "," + f(y)
            pen = true
        }
        return d
    }
}

/// Coordinates with one decimal: small files, no visible loss.
func f(_ v: Double) -> String {
    guard v.isFinite else { return "0" }
    let r = (v * 10).rounded() / 10
    return r == r.rounded() ? String(Int(r)) : String(format: "%.1f", r)
}
