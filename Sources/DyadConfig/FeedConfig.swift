import Foundation

/// How entries of a feed are recognised as "the same entry" across polls.
public enum DedupKeyRule: String, Sendable, Codable, CaseIterable {
    /// The entry's GUID / Atom id (falls back like `.automatic` when an entry has none).
    case guid
    /// The normalized link, even when a GUID is present (feeds whose GUIDs change on every edit).
    case link
    /// A hash of title + date + summary (feeds with neither stable ids nor stable links).
    case hash
}

/// One `[[feed]]`: a source to poll and how to label what comes from it.
public struct FeedConfig: Sendable, Equatable, Codable {
    /// Short slug used in file names, metrics and replay folders.
    public var id: String
    public var name: String
    public var url: String
    /// The publisher (several feeds may share one outlet); defaults to `name`.
    public var outlet: String
    /// `cn-state`, `ru-state`, `independent-ru`, `western`, `regional`, …; `other` when not given.
    public var group: String
    /// ISO 3166-1 alpha-2, upper case.
    public var country: String?
    /// ISO 639-1 (`en`, `ru`, `zh`).
    public var language: String?
    /// Per-feed polling interval; nil = `[daemon] interval`.
    public var interval: TimeInterval?
    public var enabled: Bool
    /// Forced dedup-key rule; nil = automatic (GUID, else link, else hash).
    public var dedupKey: DedupKeyRule?
    /// Per-feed staleness threshold; nil = `[daemon] stale_after`.
    public var staleAfter: TimeInterval?
    /// Per-feed cap on items stored per poll; nil = `[daemon] max_items`.
    public var maxItems: Int?
    /// Fetch each new entry's page and analyze its extracted main text (`[fulltext]` settings).
    public var fulltext: Bool

    public init(id: String, name: String, url: String, outlet: String? = nil, group: String = "other",
                country: String? = nil, language: String? = nil, interval: TimeInterval? = nil,
                enabled: Bool = true, dedupKey: DedupKeyRule? = nil, staleAfter: TimeInterval? = nil, maxItems: Int? = nil,
                fulltext: Bool = false) {
        self.id = id; self.name = name; self.url = url; self.outlet = outlet ?? name; self.group = group
        self.country = country; self.language = language; self.interval = interval; self.enabled = enabled
        self.dedupKey = dedupKey; self.staleAfter = staleAfter; self.maxItems = maxItems; self.fulltext = fulltext
    }

    public func effectiveInterval(_ daemon: DaemonConfig) -> TimeInterval { interval ?? daemon.interval }
    public func effectiveStaleAfter(_ daemon: DaemonConfig) -> TimeInterval { staleAfter ?? daemon.staleAfter }
    public func effectiveMaxItems(_ daemon: DaemonConfig) -> Int { maxItems ?? daemon.maxItems }
}

/// Decodes the `[[feed]]` array and checks the feeds against each other (duplicate ids and URLs).
enum FeedListDecoder {
    static let idPattern = try! NSRegularExpression(pattern: "^[a-z0-9][a-z0-9._-]{0,63}$")
    static let groupPattern = try! NSRegularExpression(pattern: "^[a-z0-9][a-z0-9-]{0,31}$")
    static let languagePattern = try! NSRegularExpression(pattern: "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
    static let countryPattern = try! NSRegularExpression(pattern: "^[A-Z]{2}$")
    /// Groups the shipped feeds.conf and the analysis know; others are accepted with a warning.
    static let knownGroups: Set<String> = [
        "cn-state", "ru-state", "ru-mainstream", "independent-ru", "independent", "western",
        "international", "regional", "other",
    ]

    static func matches(_ re: NSRegularExpression, _ s: String) -> Bool {
        re.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil
    }

    static func decode(_ value: ConfigValue?, context: ConfigContext) -> [FeedConfig] {
        guard let value else { return [] }
        guard let array = value.array else {
            context.report("feed", "expected an array of tables ([[feed]]), found \(value.type)")
            return []
        }
        var feeds: [FeedConfig] = []
        var idLines: [String: String] = [:]     // id → key path of first use
        var urlLines: [String: String] = [:]    // normalized URL → key path of first use
        for (index, element) in array.enumerated() {
            let path = "feed[\(index)]"
            guard let table = element.table else {
                context.report(path, "expected a table, found \(element.type)")
                continue
            }
            let r = TableReader(table: table, path: path, context: context)
            let feed = decodeOne(r)
            r.finish()
            // Duplicates are checked on the raw values, so a feed with other errors is still compared.
            if let id = table["id"]?.string {
                if let first = idLines[id] {
                    r.error("id", "duplicate id \"\(id)\" (first used at \(describe(first, context)))")
                } else { idLines[id] = r.keyPath("id") }
            }
            if let url = table["url"]?.string {
                let normalized = normalizedURL(url)
                if let first = urlLines[normalized] {
                    r.error("url", "duplicate URL \(url) (first used at \(describe(first, context)))")
                } else { urlLines[normalized] = r.keyPath("url") }
            }
            if let feed { feeds.append(feed) }
        }
        return feeds
    }

    private static func describe(_ keyPath: String, _ context: ConfigContext) -> String {
        context.sourceMap.line(for: keyPath).map { "line \($0)" } ?? keyPath
    }

    /// Reads one feed; nil when a required key is missing or unusable (errors are already reported).
    static func decodeOne(_ r: TableReader) -> FeedConfig? {
        let id = r.string("id", required: true)
        let name = r.string("name", required: true)
        let url = r.string("url", required: true)
        let outlet = r.string("outlet")
        let group = r.string("group")
        let country = r.string("country")
        let language = r.string("language")
        let interval = r.duration("interval", in: DaemonConfig.Limits.interval)
        let enabled = r.bool("enabled") ?? true
        let dedupText = r.string("dedup_key")
        let staleAfter = r.duration("stale_after", in: DaemonConfig.Limits.staleAfter)
        let maxItems = r.int("max_items", in: DaemonConfig.Limits.maxItems)
        let fulltext = r.bool("fulltext") ?? false

        var ok = id != nil && name != nil && url != nil
        if let id, !matches(idPattern, id) {
            r.error("id", "\"\(id)\" is not a slug: lower-case letters, digits, '.', '_', '-', at most 64, starting with a letter or digit")
            ok = false
        }
        if let url, let problem = urlProblem(url) { r.error("url", problem); ok = false }
        if let group, !matches(groupPattern, group) {
            r.error("group", "\"\(group)\" is not a group slug (lower-case letters, digits and '-')")
        } else if let group, !knownGroups.contains(group) {
            r.warning("group", "\"\(group)\" is not one of the usual groups (\(knownGroups.sorted().joined(separator: ", ")))")
        }
        if let country, !matches(countryPattern, country) {
            r.error("country", "\"\(country)\" is not an ISO 3166 two-letter upper-case code such as \"RU\"")
        }
        if let language, !matches(languagePattern, language) {
            r.error("language", "\"\(language)\" is not an ISO 639 code such as \"en\", \"ru\", \"zh\"")
        }
        var dedup: DedupKeyRule? = nil
        if let dedupText {
            dedup = DedupKeyRule(rawValue: dedupText)
            if dedup == nil {
                r.error("dedup_key", "unknown rule \"\(dedupText)\"; one of \(DedupKeyRule.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        guard ok, let id, let name, let url else { return nil }
        return FeedConfig(id: id, name: name, url: url, outlet: outlet, group: group ?? "other",
                          country: country, language: language, interval: interval, enabled: enabled,
                          dedupKey: dedup, staleAfter: staleAfter, maxItems: maxItems, fulltext: fulltext)
    }

    /// Why `url` cannot be fetched, or nil when it is an absolute http(s) URL with a host.
    static func urlProblem(_ url: String) -> String? {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased() else {
            return "\"\(url)\" is not an absolute URL"
        }
        guard scheme == "http" || scheme == "https" else {
            return "scheme \"\(scheme)\" is not allowed; only http and https"
        }
        guard let host = components.host, !host.isEmpty else { return "\"\(url)\" has no host" }
        if url.contains(where: { $0.isWhitespace }) { return "\"\(url)\" contains whitespace" }
        return nil
    }

    /// Scheme and host lower-cased, default port and fragment dropped: two spellings of one feed.
    static func normalizedURL(_ url: String) -> String {
        guard var c = URLComponents(string: url) else { return url }
        c.scheme = c.scheme?.lowercased()
        c.host = c.host?.lowercased()
        if (c.scheme == "http" && c.port == 80) || (c.scheme == "https" && c.port == 443) { c.port = nil }
        c.fragment = nil
        if c.path.isEmpty { c.path = "/" }
        return c.string ?? url
    }
}
