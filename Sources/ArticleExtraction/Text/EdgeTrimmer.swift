import FeedParsing

/// Takes off the lines that sit at the top or bottom of an article's container but are not its
/// text: the headline again, the byline (it names the author the metadata gives, or starts with
/// "By"), a bare date. Only the first and last few paragraphs are looked at, and only short ones.
enum EdgeTrimmer {
    /// Paragraphs examined at each end.
    private static let edge = 3
    /// A byline longer than this is a paragraph about the author, kept.
    private static let maxBylineChars = 150
    /// A dateline longer than this is a sentence.
    private static let maxDatelineChars = 40

    static func trim(_ paragraphs: [String], title: String?, author: String?) -> [String] {
        var ps = paragraphs
        let names = (author ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.count >= 4 }
        let normalizedTitle = title.map(normalize)
        func isFurniture(_ p: String) -> Bool {
            if let title, let normalizedTitle, p.utf8.count <= title.utf8.count * 2 + 16, normalize(p) == normalizedTitle { return true }
            if p.count <= maxBylineChars && names.contains(where: { p.contains($0) }) { return true }
            if p.count <= 80 && (p.hasPrefix("By ") || p.hasPrefix("BY ")) && !p.dropLast().contains(". ") { return true }
            if p.count <= maxDatelineChars && FeedDate.parse(p) != nil { return true }
            return false
        }
        var dropped = 0
        while dropped < edge, let first = ps.first, isFurniture(first) { ps.removeFirst(); dropped += 1 }
        dropped = 0
        while dropped < edge, let last = ps.last, isFurniture(last) { ps.removeLast(); dropped += 1 }
        return ps
    }

    private static func normalize(_ s: String) -> String {
        s.lowercased().filter { $0.isLetter || $0.isNumber }
    }
}
