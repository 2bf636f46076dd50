import DyadCore

/// The readable report of `dyadwatch analyze`: entities, dyad, stance with its evidence
/// highlighted in context, tone and frames.
public enum AnalysisReport {
    /// Characters of context shown on each side of an evidence phrase.
    static let contextScalars = 60

    public static func render(_ r: ArticleAnalysisResult, article: Article, color: Bool) -> String {
        let full = Array((article.title + "\n" + article.text).unicodeScalars)
        func mark(_ s: String) -> String { color ? "\u{1B}[1;33m\(s)\u{1B}[0m" : "[[\(s)]]" }
        func bold(_ s: String) -> String { color ? "\u{1B}[1m\(s)\u{1B}[0m" : s }
        func context(_ e: Evidence) -> String {
            guard e.start >= 0, e.end <= full.count, e.start <= e.end else { return e.text }
            let a = max(0, e.start - contextScalars), b = min(full.count, e.end + contextScalars)
            func str(_ x: Int, _ y: Int) -> String {
                String(String.UnicodeScalarView(full[x..<y])).replacingOccurrences(of: "\n", with: " ")
            }
            return (a > 0 ? "…" : "") + str(a, e.start) + mark(str(e.start, e.end)) + str(e.end, b) + (b < full.count ? "…" : "")
        }
        func num(_ d: Double) -> String { String(format: "%+.2f", d) }
        var lines: [String] = []
        lines.append(bold("== \(article.id)") + (article.title.isEmpty ? "" : "  \(article.title.prefix(120))"))
        lines.append("language: \(r.language)" + (article.outlet.map { "   outlet: \($0)" } ?? ""))
        lines.append(bold("entities") + " (\(r.entities.count))")
        let order: [Side] = [.china, .russia, .us, .west, .ukraine, .other]
        for side in order {
            let es = r.entities.filter { $0.side == side }
            if es.isEmpty { continue }
            lines.append("  \(side.rawValue):")
            for e in es {
                let forms = Array(Set(e.mentions.map(\.text))).sorted().prefix(5).joined(separator: ", ")
                lines.append("    \(e.name) [\(e.type.rawValue)] ×\(e.mentions.count)  (\(forms))")
            }
        }
        lines.append(bold("dyad") + ": \(r.dyad.isDyad ? "yes" : "no")  relevance \(String(format: "%.2f", r.dyad.relevance))")
        for s in r.dyad.sentences.prefix(5) { lines.append("  · \(s)") }
        lines.append(bold("stance") + ": \(r.stance.label.rawValue)  score \(num(r.stance.score))  confidence \(String(format: "%.2f", r.stance.confidence))")
        for e in r.stance.evidence {
            lines.append("  \(num(e.weight))  \(e.cue): \(context(e))")
        }
        var tone: [String] = []
        if let c = r.tone.china { tone.append("China \(num(c))") }
        if let c = r.tone.russia { tone.append("Russia \(num(c))") }
        if let c = r.tone.us { tone.append("US/West \(num(c))") }
        lines.append(bold("tone") + ": " + (tone.isEmpty ? "(no side mentioned)" : tone.joined(separator: "   ")))
        lines.append(bold("frames") + ":" + (r.frames.isEmpty ? " (none)" : ""))
        for f in r.frames.sorted(by: { $0.score > $1.score }) {
            let cues = Array(Set(f.evidence.map(\.text))).sorted().prefix(6).joined(separator: ", ")
            lines.append("  \(f.id.rawValue) \(String(format: "%.2f", f.score))  (\(cues))")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
