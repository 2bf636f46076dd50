/// Namespace URIs the mappers recognise.
enum Namespace {
    static let atom10 = "http://www.w3.org/2005/Atom"
    static let atom03 = "http://purl.org/atom/ns#"
    static let rss10 = "http://purl.org/rss/1.0/"
    static let rss090 = "http://my.netscape.com/rdf/simple/0.9/"
    static let rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    static let dc = "http://purl.org/dc/elements/1.1/"
    static let dcterms = "http://purl.org/dc/terms/"
    static let content = "http://purl.org/rss/1.0/modules/content/"
    static let xhtml = "http://www.w3.org/1999/xhtml"
    static let xml = "http://www.w3.org/XML/1998/namespace"
    static let admin = "http://webns.net/mvcb/"
    /// Yandex news RSS extensions; Russian outlets carry the article text in `yandex:full-text`.
    static let yandex = "http://news.yandex.ru"
    /// Namespaces some RSS 0.9x/2.0 publishers put their core elements in.
    static let rssCore: Set<String> = [
        rss10, rss090, "http://backend.userland.com/rss2", "http://backend.userland.com/rss",
        "http://blogs.law.harvard.edu/tech/rss", "http://purl.org/net/rss1.1#",
    ]
}

extension XMLElement {
    /// Child elements with this local name in one of `namespaces`.
    func children(_ name: ElementName, in namespaces: NamespaceSet) -> [XMLElement] {
        var out: [XMLElement] = []
        var i = 0
        while let found = indexOfChild(name, in: namespaces, from: i) { out.append(elements[found]); i = found + 1 }
        return out
    }

    /// The first child element with this local name in one of `namespaces`.
    func child(_ name: ElementName, in namespaces: NamespaceSet) -> XMLElement? {
        indexOfChild(name, in: namespaces).map { elements[$0] }
    }

    /// Trimmed text of the first such child with non-empty text.
    func childText(_ name: ElementName, in namespaces: NamespaceSet) -> String? {
        var i = 0
        while let found = indexOfChild(name, in: namespaces, from: i) {
            let t = elements[found].allText.trimmingASCIIWhitespace()
            if !t.isEmpty { return t }
            i = found + 1
        }
        return nil
    }
}

/// A set of namespaces (see `NamespaceID`) as a bit mask: membership is one AND.
struct NamespaceSet {
    private var bits: UInt64 = 0

    /// A set of namespaces known by URI (nil = no namespace).
    init(_ uris: [String?]) { for u in uris { insert(NamespaceID.known(u)) } }

    init(ids: [UInt8]) { for id in ids { insert(id) } }

    func contains(_ id: UInt8) -> Bool { bits & (1 << UInt64(id)) != 0 }

    /// True when the set shares a member with `mask` (a mask of `NamespaceID` bits).
    func intersects(_ mask: UInt64) -> Bool { bits & mask != 0 }

    mutating func insert(_ id: UInt8) { bits |= 1 << UInt64(id) }
}
