import Foundation

/// schema.org facts from a page's `<script type="application/ld+json">` blocks: the first
/// article-like object (NewsArticle, Article, BlogPosting, Report, …, also inside `@graph`).
struct JSONLDFacts {
    var headline: String?
    var datePublished: String?
    var author: String?
    var language: String?
    var url: String?
}

enum JSONLDReader {
    /// Blocks larger than this are skipped (they are catalogues, not article metadata).
    private static let maxBlockBytes = 1 << 20
    /// Objects visited per block: bounds hostile nesting.
    private static let maxObjects = 2000

    static func read(_ blocks: [String]) -> JSONLDFacts {
        var facts = JSONLDFacts()
        var fallback = JSONLDFacts()
        for block in blocks where block.utf8.count <= maxBlockBytes {
            guard let data = block.data(using: .utf8),
                  let json = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else { continue }
            var budget = maxObjects
            for object in objects(in: json, budget: &budget) {
                let types = typeNames(object["@type"])
                let isArticle = types.contains { $0.hasSuffix("article") || $0 == "blogposting" || $0 == "report" || $0 == "posting" || $0 == "liveblogposting" }
                if isArticle { merge(into: &facts, from: object) } else if types.contains(where: { $0 == "webpage" || $0 == "itempage" }) {
                    merge(into: &fallback, from: object)
                }
            }
        }
        facts.headline = facts.headline ?? fallback.headline
        facts.datePublished = facts.datePublished ?? fallback.datePublished
        facts.author = facts.author ?? fallback.author
        facts.language = facts.language ?? fallback.language
        return facts
    }

    private static func merge(into facts: inout JSONLDFacts, from o: [String: Any]) {
        if facts.headline == nil { facts.headline = string(o["headline"]) ?? string(o["name"]) }
        if facts.datePublished == nil { facts.datePublished = string(o["datePublished"]) ?? string(o["dateCreated"]) }
        if facts.author == nil { facts.author = personNames(o["author"]) ?? personNames(o["creator"]) }
        if facts.language == nil { facts.language = string(o["inLanguage"]) }
        if facts.url == nil { facts.url = string(o["url"]) }
    }

    /// Every JSON object in the value, depth first, including `@graph` members.
    private static func objects(in value: Any, budget: inout Int) -> [[String: Any]] {
        var out: [[String: Any]] = []
        var stack: [Any] = [value]
        while let v = stack.popLast(), budget > 0 {
            budget -= 1
            if let o = v as? [String: Any] {
                out.append(o)
                if let g = o["@graph"] { stack.append(g) }
                if let m = o["mainEntity"] { stack.append(m) }
            } else if let a = v as? [Any] {
                stack.append(contentsOf: a.reversed())
            }
        }
        return out
    }

    private static func typeNames(_ v: Any?) -> [String] {
        if let s = v as? String { return [s.lowercased()] }
        if let a = v as? [Any] { return a.compactMap { ($0 as? String)?.lowercased() } }
        return []
    }

    private static func string(_ v: Any?) -> String? {
        if let s = v as? String {
            let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
            return t.isEmpty ? nil : t
        }
        if let a = v as? [Any], let first = a.first { return string(first) }
        return nil
    }

    /// "A", {"name": "A"}, or a list of either → "A, B".
    private static func personNames(_ v: Any?) -> String? {
        var names: [String] = []
        func add(_ x: Any) {
            if let s = string(x), !s.hasPrefix("http") { names.append(s) }
            else if let o = x as? [String: Any], let n = string(o["name"]) { names.append(n) }
        }
        if let a = v as? [Any] { a.prefix(10).forEach(add) } else if let v { add(v) }
        var seen = Set<String>()
        let unique = names.filter { seen.insert($0).inserted }
        return unique.isEmpty ? nil : unique.joined(separator: ", ")
    }
}
