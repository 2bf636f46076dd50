import DyadCore
import Foundation
import Pipeline

/// The terminal rendering of `dyadwatch articles`: one block per article, aligned columns on the
/// first line (time, outlet, dyad, stance), then the title, link, top cue and frames.
enum ArticleTable {
    static func terminalWidth() -> Int {
        var w = winsize()
        return ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &w) == 0 && w.ws_col > 20 ? Int(w.ws_col) : 100
    }

    static func render(_ rows: [ArticleListing.Row], width: Int) -> String {
        guard !rows.isEmpty else { return "no articles in this window\n" }
        let outletWidth = min(22, rows.map(\.outlet.count).max() ?? 6)
        var out = ""
        for r in rows {
            let time = String(ISO8601.string(r.time).prefix(16)).replacingOccurrences(of: "T", with: " ")
            let dyad = r.dyad == nil ? "not analyzed" : (r.dyad! ? "CN–RU" : "-")
            var stance = ""
            if r.dyad == true, let s = r.stance, let score = r.stanceScore { stance = "\(s.rawValue) \(String(format: "%+.2f", score))" }
            out += "\(time)  \(pad(r.outlet, outletWidth))  \(pad(dyad, 12))  \(stance)\n"
            out += "  " + clip(r.title, width - 2) + "\n"
            var details: [String] = []
            if let cue = r.topCue, r.dyad == true { details.append("cue: \"\(cue)\"" + (r.topCueWeight.map { String(format: " (%+.1f)", $0) } ?? "")) }
            if !r.frames.isEmpty { details.append("frames: " + r.frames.joined(separator: ", ")) }
            if !details.isEmpty { out += "  " + clip(details.joined(separator: "  "), width - 2) + "\n" }
            if let link = r.link { out += "  " + link + "\n" }
        }
        return out
    }

    private static func pad(_ s: String, _ n: Int) -> String {
        let c = clip(s, n)
        return c + String(repeating: " ", count: max(0, n - c.count))
    }

    private static func clip(_ s: String, _ n: Int) -> String {
        let flat = s.replacingOccurrences(of: "\n", with: " ")
        return flat.count <= n ? flat : String(flat.prefix(max(1, n - 1))) + "…"
    }
}
