import FeedParsing
import Foundation

/// Reads title, publication date, author, canonical URL and language from a page's head, its
/// JSON-LD and its markup (`<time>`, `itemprop`, `rel=author`), strongest source first.
enum MetadataReader {
    /// `<meta>` names (name, property or itemprop) that carry the publication date, best first.
    private static let dateKeys = [
        "article:published_time", "og:published_time", "datepublished", "article.published", "published_time",
        "publishdate", "publish-date", "publish_date", "pubdate", "parsely-pub-date", "sailthru.date", "dc.date.issued",
        "dcterms.issued", "dc.date", "dcterms.date", "dcterms.created", "date", "article:published", "og:pubdate",
        "datecreated", "article.created", "created",
    ]
    private static let authorKeys = ["author", "article:author", "byl", "sailthru.author", "parsely-author", "dc.creator", "dcterms.creator", "twitter:creator"]

    static func read(_ index: ElementIndex, baseURL: String?) -> PageMetadata {
        var meta: [String: String] = [:]
        for i in index.metaTags {
            var content: String?
            var keys: [String] = []
            NodeAccess.forEachAttribute(index.elements[i].node) { name, value in
                if NodeAccess.equals(name, "content") { content = value.trimmingASCIIWhitespace() }
                else if NodeAccess.equals(name, "property") || NodeAccess.equals(name, "name") || NodeAccess.equals(name, "itemprop")
                    || NodeAccess.equals(name, "http-equiv") { keys.append(value.lowercased()) }
            }
            guard let content, !content.isEmpty else { continue }
            for key in keys where meta[key] == nil { meta[key] = content }
        }
        var ld: [String] = []
        for i in index.scriptTags {
            let node = index.elements[i].node
            if NodeAccess.attribute(node, "type")?.lowercased().contains("ld+json") == true { ld.append(rawText(node)) }
        }
        let jsonLD = JSONLDReader.read(ld)
        var md = PageMetadata()
        md.siteName = meta["og:site_name"] ?? meta["application-name"]

        // Title: og:title, JSON-LD headline, the one <h1>, the <title> — site name trimmed.
        let documentTitle = index.titleTags.first.map { NodeAccess.text(of: index.elements[$0].node, limit: 2048) }
        let h1 = index.headings1.count == 1 ? NodeAccess.text(of: index.elements[index.headings1[0]].node, limit: 2048) : nil
        md.title = [meta["og:title"], meta["twitter:title"], jsonLD.headline, h1, documentTitle]
            .compactMap { $0 }.map(collapse).first { !$0.isEmpty }
            .map { TitleCleaner.clean($0, siteName: md.siteName) }

        // Publication date.
        var dates: [String] = []
        if let d = jsonLD.datePublished { dates.append(d) }
        dates += dateKeys.compactMap { meta[$0] }
        for (i, prop) in index.itempropTags where prop == "datepublished" {
            let node = index.elements[i].node
            if let v = NodeAccess.attribute(node, "content") ?? NodeAccess.attribute(node, "datetime") { dates.append(v) }
        }
        let times = index.timeTags.map { index.elements[$0].node }
        for node in times.filter({ NodeAccess.attribute($0, "pubdate") != nil }) + times {
            if let v = NodeAccess.attribute(node, "datetime") { dates.append(v) }
        }
        md.published = dates.lazy.compactMap { FeedDate.parse($0.trimmingASCIIWhitespace()) }.first

        // Author.
        var authors: [String] = []
        if let a = jsonLD.author { authors.append(a) }
        authors += authorKeys.compactMap { meta[$0] }.filter { !$0.hasPrefix("http") && !$0.hasPrefix("@") }
        for (i, prop) in index.itempropTags where prop == "author" || prop == "creator" {
            let node = index.elements[i].node
            authors.append(NodeAccess.attribute(node, "content") ?? NodeAccess.text(of: node, limit: 256))
        }
        authors += index.authorLinks.map { NodeAccess.text(of: index.elements[$0].node, limit: 256) }
        md.author = authors.lazy.map(cleanAuthor).first { !$0.isEmpty && $0.count <= 200 }

        // Canonical URL.
        var canonical: String?
        for i in index.linkTags {
            let node = index.elements[i].node
            let rel = NodeAccess.attribute(node, "rel")?.lowercased().split(separator: " ") ?? []
            if rel.contains("canonical"), let href = NodeAccess.attribute(node, "href"), !href.isEmpty { canonical = href; break }
        }
        if let c = canonical ?? meta["og:url"] ?? jsonLD.url {
            let resolved = URLResolver.resolve(c, against: baseURL)
            // Only web addresses: not `javascript:`, `data:` or other schemes a hostile page may put there.
            let lower = resolved.lowercased()
            if lower.hasPrefix("http://") || lower.hasPrefix("https://") || (baseURL == nil && resolved.hasPrefix("/")) {
                md.canonicalURL = resolved
            }
        }

        // Language.
        let root = index.elements.first
        let lang = (root.flatMap { $0.tag == .html ? NodeAccess.attribute($0.node, "lang") ?? NodeAccess.attribute($0.node, "xml:lang") : nil })
            ?? meta["content-language"] ?? meta["og:locale"] ?? jsonLD.language
        if let l = lang?.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "_", with: "-"),
           !l.isEmpty, l.count <= 35 {
            md.language = String(l.split(separator: ",").first ?? Substring(l))
        }
        return md
    }

    /// The text inside a `<script>` (raw text: not skipped like scripts in body text).
    private static func rawText(_ node: NodePtr) -> String {
        var s = ""
        var c = node.pointee.children
        while let n = c {
            if let content = n.pointee.content { s += String(cString: content) }
            c = n.pointee.next
        }
        return s
    }

    static func collapse(_ s: String) -> String {
        s.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// "By Jane Doe | Staff writer" → "Jane Doe | Staff writer"; whitespace collapsed.
    private static func cleanAuthor(_ raw: String) -> String {
        var s = collapse(raw)
        for prefix in ["By ", "by ", "BY ", "From ", "Written by ", "Posted by "] where s.hasPrefix(prefix) {
            s = String(s.dropFirst(prefix.count))
            break
        }
        return s.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
