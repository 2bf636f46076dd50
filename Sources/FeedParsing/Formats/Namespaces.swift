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
    /// Namespaces some RSS 0.9x/2.0 publishers put their core elements in.
    static let rssCore: Set<String> = [
        rss10, rss090, "http://backend.userland.com/rss2", "http://backend.userland.com/rss",
        "http://blogs.law.harvard.edu/tech/rss", "http://purl.org/net/rss1.1#",
    ]
}

extension XMLElement {
    /// Child elements with this local name in one of `namespaces` (nil = no namespace).
    func children(_ name: String, in namespaces: NamespaceSet) -> [XMLElement] {
        var out: [XMLElement] = []
        for case .element(let e) in children where e.name == name && namespaces.contains(e.namespace) { out.append(e) }
        return out
    }

    /// The first child element with this local name in one of `namespaces`.
    func child(_ name: String, in namespaces: NamespaceSet) -> XMLElement? {
        for case .element(let e) in children where e.name == name && namespaces.contains(e.namespace) { return e }
        return nil
    }

    /// Trimmed text of the first such child with non-empty text.
    func childText(_ name: String, in namespaces: NamespaceSet) -> String? {
        for case .element(let e) in children where e.name == name && namespaces.contains(e.namespace) {
            let t = e.allText.trimmingASCIIWhitespace()
            if !t.isEmpty { return t }
        }
        return nil
    }
}

/// A handful of namespace URIs (nil = no namespace). Lookups compare linearly: with at most a
/// few members this beats hashing a URI string for every child element examined.
struct NamespaceSet: ExpressibleByArrayLiteral {
    private var members: [String?]

    init(arrayLiteral elements: String?...) { members = elements }

    func contains(_ ns: String?) -> Bool {
        for m in members where m == ns { return true }
        return false
    }

    mutating func insert(_ ns: String?) {
        if !contains(ns) { members.append(ns) }
    }
}
