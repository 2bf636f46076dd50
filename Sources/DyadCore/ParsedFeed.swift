import Foundation

/// The syndication format a document was recognised as (names match the `parse --jsonl` schema).
public enum FeedFormat: String, Codable, Sendable, CaseIterable {
    case rss20 = "rss2.0", rss091 = "rss0.91", rss092 = "rss0.92", rss090 = "rss0.90"
    case rss10 = "rss1.0", atom10 = "atom1.0", atom03 = "atom0.3", jsonFeed = "jsonfeed"
    case unknown
}

/// A person named by a feed or entry (author, contributor).
public struct Person: Codable, Sendable, Equatable, Hashable {
    public var name: String?
    public var email: String?
    public var uri: String?
    public init(name: String? = nil, email: String? = nil, uri: String? = nil) {
        self.name = name; self.email = email; self.uri = uri
    }
}

/// A category or tag (RSS `<category>`, Atom `<category term=…>`, JSON Feed `tags`).
public struct FeedCategory: Codable, Sendable, Equatable, Hashable {
    public var term: String?
    public var scheme: String?
    public var label: String?
    public init(term: String? = nil, scheme: String? = nil, label: String? = nil) {
        self.term = term; self.scheme = scheme; self.label = label
    }
}

/// A link of an entry or feed; `href` is absolute after parsing.
public struct FeedLink: Codable, Sendable, Equatable, Hashable {
    public var href: String?
    public var rel: String?
    public var type: String?
    public var title: String?
    public init(href: String? = nil, rel: String? = nil, type: String? = nil, title: String? = nil) {
        self.href = href; self.rel = rel; self.type = type; self.title = title
    }
}

/// A media enclosure (podcast audio, images).
public struct FeedEnclosure: Codable, Sendable, Equatable, Hashable {
    public var url: String?
    public var type: String?
    public var length: Int64?
    public init(url: String? = nil, type: String? = nil, length: Int64? = nil) {
        self.url = url; self.type = type; self.length = length
    }
}

/// Channel-level metadata of a feed.
public struct FeedMetadata: Codable, Sendable, Equatable {
    public var title: String?
    public var link: String?
    public var subtitle: String?
    public var language: String?
    public var id: String?
    public var updated: Date?
    public var author: Person?
    public var generator: String?
    public var rights: String?
    public var categories: [FeedCategory]
    /// RSS `<ttl>` in minutes: a polite floor on the polling interval, if the feed states one.
    public var ttlMinutes: Int?
    /// Every link of the feed in document order (`link` is the main alternate one); absolute.
    public var links: [FeedLink]
    public init(title: String? = nil, link: String? = nil, subtitle: String? = nil, language: String? = nil,
                id: String? = nil, updated: Date? = nil, author: Person? = nil, generator: String? = nil,
                rights: String? = nil, categories: [FeedCategory] = [], ttlMinutes: Int? = nil,
                links: [FeedLink] = []) {
        self.title = title; self.link = link; self.subtitle = subtitle; self.language = language
        self.id = id; self.updated = updated; self.author = author; self.generator = generator
        self.rights = rights; self.categories = categories; self.ttlMinutes = ttlMinutes; self.links = links
    }
}

/// One item/entry of a feed, as parsed. Text fields keep any HTML markup; `text` is plain.
public struct FeedEntry: Codable, Sendable, Equatable {
    public var id: String?
    public var title: String?
    public var link: String?
    public var links: [FeedLink]
    public var published: Date?
    public var updated: Date?
    public var author: Person?
    public var summary: String?
    public var content: String?
    public var categories: [FeedCategory]
    public var enclosures: [FeedEnclosure]
    public var language: String?
    /// Plain-text rendering for analysis: markup stripped, entities decoded, whitespace collapsed.
    public var text: String?
    public init(id: String? = nil, title: String? = nil, link: String? = nil, links: [FeedLink] = [],
                published: Date? = nil, updated: Date? = nil, author: Person? = nil, summary: String? = nil,
                content: String? = nil, categories: [FeedCategory] = [], enclosures: [FeedEnclosure] = [],
                language: String? = nil, text: String? = nil) {
        self.id = id; self.title = title; self.link = link; self.links = links; self.published = published
        self.updated = updated; self.author = author; self.summary = summary; self.content = content
        self.categories = categories; self.enclosures = enclosures; self.language = language; self.text = text
    }
}

/// The result of parsing one document. Never thrown away on error: ill-formed input gives what
/// could be recovered, with `wellFormed == false` and the problems found.
public struct ParsedFeed: Codable, Sendable, Equatable {
    public var format: FeedFormat
    public var wellFormed: Bool
    public var problems: [String]
    /// Name of the encoding the document was decoded from, lower case (`utf-8`, `windows-1251`, …).
    public var encoding: String?
    public var feed: FeedMetadata
    public var entries: [FeedEntry]
    /// The document ended before its root element closed (a body cut off in transfer); entries
    /// the parser had not finished are not in `entries` (not part of the JSON form).
    public var truncated = false
    /// How many entries were left out because the document ended inside them.
    public var unfinishedEntries = 0
    /// Entries left out because the document had more than the parser's `maxEntries` (the
    /// oldest by date); `entries.count + entriesBeyondLimit` is the document's count.
    public var entriesBeyondLimit = 0

    enum CodingKeys: String, CodingKey { case format, wellFormed, problems, encoding, feed, entries }

    public init(format: FeedFormat = .unknown, wellFormed: Bool = true, problems: [String] = [],
                encoding: String? = nil, feed: FeedMetadata = FeedMetadata(), entries: [FeedEntry] = []) {
        self.format = format; self.wellFormed = wellFormed; self.problems = problems
        self.encoding = encoding; self.feed = feed; self.entries = entries
    }
}
