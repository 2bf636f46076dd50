/// Element local names the mappers look up, as small integers fixed when the tree is built, so
/// that finding `<title>` among an item's children is an integer compare, not a string compare.
/// Names not listed are `.other`.
enum ElementName: UInt8 {
    case other
    // RSS and RDF
    case rss, RDF, channel, item, title, link, description, language, copyright, managingEditor, webMaster
    case pubDate, lastBuildDate, category, generator, ttl, guid, author, enclosure, tags, image, textInput
    // Dublin Core, content, xhtml, admin
    case creator, subject, date, rights, identifier, modified, issued, created, encoded, body, generatorAgent
    // Atom
    case feed, entry, id, updated, published, summary, content, subtitle, tagline, info, name, email, uri, url
    case homepage, source, div
    // Yandex news RSS (RIA, TASS, Interfax, …): `yandex:full-text`
    case fullText

    private static let byString: [String: ElementName] = {
        var map: [String: ElementName] = [:]
        var raw: UInt8 = 1
        while let n = ElementName(rawValue: raw) { map["\(n)"] = n; raw += 1 }
        map["fullText"] = nil
        map["full-text"] = .fullText // not a Swift identifier
        return map
    }()

    init(localName: String) { self = Self.byString[localName] ?? .other }
}

/// Namespace URIs as small integers: fixed ones for the vocabularies the mappers know, and
/// per-document ones (assigned in order of appearance) for any other URI, so that namespace
/// sets are bit masks. 0 is "no namespace".
enum NamespaceID {
    static let none: UInt8 = 0
    /// First identifier handed out to unknown URIs, and the last one (shared by any beyond it).
    static let firstDynamic: UInt8 = 17
    static let lastDynamic: UInt8 = 63

    private static let fixed: [String: UInt8] = [
        Namespace.rss10: 1, Namespace.rss090: 2, "http://backend.userland.com/rss2": 3, "http://backend.userland.com/rss": 4,
        "http://blogs.law.harvard.edu/tech/rss": 5, "http://purl.org/net/rss1.1#": 6,
        Namespace.atom10: 7, Namespace.atom03: 8, Namespace.dc: 9, Namespace.dcterms: 10, Namespace.content: 11,
        Namespace.xhtml: 12, Namespace.rdf: 13, Namespace.xml: 14, Namespace.admin: 15, Namespace.yandex: 16,
    ]

    /// The fixed identifier of a known URI (nil for unknown ones).
    static func fixedID(_ uri: String) -> UInt8? { fixed[uri] }

    /// The identifier of a URI the mappers name statically; must be a known one.
    static func known(_ uri: String?) -> UInt8 {
        guard let uri else { return none }
        guard let id = fixed[uri] else { preconditionFailure("namespace \(uri) is not in NamespaceID's table") }
        return id
    }
}
