import Foundation

/// A vertical linear scale with "nice" ticks (1, 2, 5 × 10ⁿ).
struct ValueAxis {
    let min: Double
    let max: Double
    let top: Double
    let height: Double

    /// A scale from `min` to at least `dataMax`, rounded up to a nice tick.
    static func counts(max dataMax: Double, top: Double, height: Double) -> ValueAxis {
        let step = niceStep(Swift.max(dataMax, 1) / 4)
        return ValueAxis(min: 0, max: (Swift.max(dataMax, 1) / step).rounded(.up) * step, top: top, height: height)
    }

    func y(_ v: Double) -> Double { top + height - (v - min) / (max - min) * height }

    var ticks: [Double] {
        let step = Self.niceStep((max - min) / 4)
        var out: [Double] = []
        var v = (min / step).rounded(.up) * step
        while v <= max + step * 1e-9 { out.append(v); v += step }
        return out
    }

    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let p = pow(10, floor(log10(raw)))
        for m in [1.0, 2, 5, 10] where raw <= m * p { return m * p }
        return 10 * p
    }

    static func label(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e9 { return String(Int(v)) }
        return String(format: "%.1f", v)
    }
}
