import DyadCore
import Foundation

/// Maps JSON Feed 1.0/1.1 (https://jsonfeed.org) documents to the shared model.
enum JSONFeedMapper {
    /// True when the first non-whitespace byte opens a JSON object.
    /// At most `keep` items, the newest by `date_published` (else `date_modified`; undated last),
    /// in document order — the same rule as the XML tree's `EntryBound`.
    private static func newest(_ items: [Any], keep: Int) -> [Any] {
        guard items.count > keep else { return items }
        func date(_ item: Any) -> Date? {
            guard let item = item as? [String: Any] else { return nil }
            return ((item["date_published"] as? String) ?? (item["date_modified"] as? String)).flatMap(FeedDate.parse)
        }
        let dates = items.map(date)
        let ranked = items.indices.sorted { a, b in
            switch (dates[a], dates[b]) {
            case let (x?, y?): return x != y ? x > y : a < b
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return a < b
            }
        }
        return ranked.prefix(max(0, keep)).sorted().map { items[$0] }
    }

    static func looksLikeJSON(_ bytes: [UInt8]) -> Bool {
        var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while i < bytes.count, String.isASCIISpace(bytes[i]) { i += 1 }
        return i < bytes.count && bytes[i] == UInt8(ascii: "{")
    }

    static func parse(_ data: Data, documentURL: String?, maxEntries: Int) -> ParsedFeed {
        var result = ParsedFeed(format: .unknown, wellFormed: false, encoding: "utf-8")
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data, options: [])
        } catch {
            result.problems.append("invalid JSON: \(error.localizedDescription)")
            return result
        }
        guard let top = object as? [String: Any] else {
            result.problems.append("JSON document is not an object")
            return result
        }
        guard let version = top["version"] as? String, version.contains("jsonfeed.org") else {
            result.problems.append("JSON object is not a JSON Feed (no jsonfeed.org version)")
            return result
        }
        result.format = .jsonFeed
        result.wellFormed = true
        let base = (top["home_page_url"] as? String) ?? documentURL
        func url(_ v: Any?) -> String? { (v as? String).map { URLResolver.resolve($0, against: base) } }
        var f = FeedMetadata()
        f.title = top["title"] as? String
        f.link = url(top["home_page_url"])
        if let link = f.link { f.links.append(FeedLink(href: link, rel: "alternate", type: "text/html")) }
        if let feedURL = url(top["feed_url"]) { f.links.append(FeedLink(href: feedURL, rel: "self", type: "application/feed+json")) }
        f.subtitle = top["description"] as? String
        f.language = top["language"] as? String
        f.author = person(top)
        result.feed = f
        let all = top["items"] as? [Any] ?? []
        let items = newest(all, keep: maxEntries)
        result.entriesBeyondLimit = all.count - items.count
        for case let item as [String: Any] in items {
            var e = FeedEntry()
            if let id = item["id"] { e.id = (id as? String) ?? (id as? NSNumber)?.stringValue }
            e.title = item["title"] as? String
            e.link = url(item["url"])
            if let link = e.link { e.links.append(FeedLink(href: link, rel: "alternate", type: "text/html")) }
            if let ext = url(item["external_url"]) { e.links.append(FeedLink(href: ext, rel: "related", type: "text/html")) }
            e.summary = item["summary"] as? String
            e.content = (item["content_html"] as? String) ?? (item["content_text"] as? String)
            e.published = (item["date_published"] as? String).flatMap(FeedDate.parse)
            e.updated = (item["date_modified"] as? String).flatMap(FeedDate.parse)
            e.author = person(item)
            e.categories = (item["tags"] as? [Any] ?? []).compactMap { ($0 as? String).map { FeedCategory(term: $0) } }
            for case let att as [String: Any] in item["attachments"] as? [Any] ?? [] {
                guard let u = url(att["url"]) else { continue }
                let length = (att["size_in_bytes"] as? NSNumber)?.int64Value
                e.enclosures.append(FeedEnclosure(url: u, type: att["mime_type"] as? String, length: length))
                e.links.append(FeedLink(href: u, rel: "enclosure", type: att["mime_type"] as? String, title: att["title"] as? String))
            }
            e.language = item["language"] as? String
            result.entries.append(e)
        }
        return result
    }

    /// JSON Feed 1.1 `authors` (first one) or 1.0 `author`.
    private static func person(_ obj: [String: Any]) -> Person? {
        let raw = (obj["authors"] as? [Any])?.first as? [String: Any] ?? obj["author"] as? [String: Any]
        guard let raw else { return nil }
        let p = Person(name: raw["name"] as? String, uri: raw["url"] as? String)
        return p.name == nil && p.uri == nil ? nil : p
    }
}
