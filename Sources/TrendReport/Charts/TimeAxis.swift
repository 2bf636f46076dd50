import Foundation
import DyadCore

/// The shared horizontal scale of every chart on the page: UTC days from the first to the last day
/// shown, with tick labels at month starts (long windows) or Mondays (short ones).
struct TimeAxis {
    let firstDay: Int64
    /// Exclusive end: the midnight after the last day.
    let end: Int64
    let left: Double
    let width: Double

    static let day: Int64 = 86_400

    init(firstDay: Int64, lastDay: Int64, left: Double, width: Double) {
        self.firstDay = firstDay; self.end = lastDay + Self.day; self.left = left; self.width = width
    }

    /// Pixel position of a time (seconds since 1970).
    func x(_ t: Int64) -> Double { x(Double(t)) }
    func x(_ t: Double) -> Double { left + (t - Double(firstDay)) / Double(end - firstDay) * width }
    /// Width of one day in pixels.
    var dayWidth: Double { width * Double(Self.day) / Double(end - firstDay) }

    /// Monday 00:00 UTC of the week holding `day`.
    static func weekStart(_ t: Int64) -> Int64 {
        let week = 7 * day, mondayOffset = 3 * day  // 1970-01-01 was a Thursday
        return t - ((t + mondayOffset) % week + week) % week
    }

    /// Tick positions and labels.
    var ticks: [(t: Int64, label: String)] {
        let days = (end - firstDay) / Self.day
        var out: [(Int64, String)] = []
        if days > 70 {
            var (y, m) = Self.yearMonth(firstDay)
            while true {
                let t = Self.monthStart(y, m)
                if t >= end { break }
                if t >= firstDay { out.append((t, m == 1 || out.isEmpty ? String(format: "%04d-%02d", y, m) : Self.monthNames[m - 1])) }
                m += 1; if m > 12 { m = 1; y += 1 }
            }
        } else {
            let step: Int64 = days > 21 ? 7 : (days > 7 ? 2 : 1)
            var t = days > 21 ? Self.weekStart(firstDay) : firstDay
            while t < end {
                if t >= firstDay { out.append((t, Self.dayLabel(t))) }
                t += step * Self.day
            }
        }
        return out
    }

    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func yearMonth(_ t: Int64) -> (Int, Int) {
        let s = ISO8601.string(Date(timeIntervalSince1970: Double(t)))
        return (Int(s.prefix(4)) ?? 1970, Int(s.dropFirst(5).prefix(2)) ?? 1)
    }

    static func monthStart(_ y: Int, _ m: Int) -> Int64 {
        var c = DateComponents(); c.year = y; c.month = m; c.day = 1
        var cal = Calendar(identifier: .gregorian); cal.timeZone = TimeZone(identifier: "UTC")!
        return Int64(cal.date(from: c)!.timeIntervalSince1970)
    }

    /// `2022-02-24` for a day start.
    static func date(_ t: Int64) -> String { String(ISO8601.string(Date(timeIntervalSince1970: Double(t))).prefix(10)) }
    /// `Feb 24` for a tick.
    static func dayLabel(_ t: Int64) -> String {
        let (_, m) = yearMonth(t)
        return "\(monthNames[m - 1]) \(Int(date(t).suffix(2)) ?? 1)"
    }
}
