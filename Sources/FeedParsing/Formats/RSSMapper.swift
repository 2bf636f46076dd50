import DyadCore
import Foundation

/// Maps RSS 0.9x/2.0 and RDF (RSS 0.90/1.0) trees to the shared feed model, including the
/// Dublin Core, content:encoded, xhtml:body and atom:link extensions common in the wild.
struct RSSMapper {
    let root: XMLElement
    /// Namespaces holding the core RSS vocabulary for this document (none, RSS URIs, the root's).
    private let core: NamespaceSet
    private static let dc = NamespaceSet([Namespace.dc])
    private static let dcterms = NamespaceSet([Namespace.dcterms])
    private static let atom = NamespaceSet([Namespace.atom10, Namespace.atom03])
    private static let admin = NamespaceSet([Namespace.admin])
    private static let contentModule = NamespaceSet([Namespace.content])
    private static let xhtml = NamespaceSet([Namespace.xhtml])
    private static let yandex = NamespaceSet([Namespace.yandex])

    /// Date elements in order of preference, built once per document rather than per item.
    private let channelUpdated: [(ElementName, NamespaceSet)]
    private let itemPublished: [(ElementName, NamespaceSet)]
    private let itemUpdated: [(ElementName, NamespaceSet)]

    init(root: XMLElement) {
        self.root = root
        var core = NamespaceSet([nil] + Namespace.rssCore.map { $0 })
        if root.namespace != nil && root.namespace != Namespace.rdf { core.insert(root.nsID) }
        self.core = core
        channelUpdated = [(.lastBuildDate, core), (.modified, Self.dcterms), (.date, Self.dc), (.updated, Self.atom), (.pubDate, core)]
        itemPublished = [(.pubDate, core), (.date, Self.dc), (.issued, Self.dcterms), (.created, Self.dcterms), (.published, Self.atom)]
        itemUpdated = [(.modified, Self.dcterms), (.updated, Self.atom)]
    }

    /// The channel and its items (at most `maxEntries`); items the document ended inside are left out.
    func map(maxEntries: Int) -> (FeedMetadata, [FeedEntry], unfinished: Int) {
        let channel = root.child(.channel, in: core) ?? root
        let feed = mapChannel(channel)
        var itemElements = channel === root ? [] : channel.children(.item, in: core)
        itemElements += root.children(.item, in: core)
        let finished = itemElements.filter { !$0.unfinished }
        let entries = finished.prefix(maxEntries).map(mapItem)
        return (feed, Array(entries), itemElements.count - finished.count)
    }

    private func mapChannel(_ c: XMLElement) -> FeedMetadata {
        var f = FeedMetadata()
        f.title = text(c, .title) ?? c.childText(.title, in: Self.dc)
        if let link = linkText(c) { f.link = link; f.links.append(FeedLink(href: link, rel: "alternate", type: "text/html")) }
        f.links += AtomMapper.links(of: c, in: Self.atom, atom10: true)
        if f.link == nil { f.link = f.links.first { $0.rel == "alternate" }?.href }
        f.subtitle = text(c, .description) ?? c.childText(.description, in: Self.dc)
        f.language = c.childText(.language, in: core) ?? c.childText(.language, in: Self.dc)
            ?? root.attribute("lang", namespace: Namespace.xml).map { $0.trimmingASCIIWhitespace().replacingOccurrences(of: "_", with: "-") }
        f.rights = text(c, .copyright) ?? c.childText(.rights, in: Self.dc) ?? c.childText(.rights, in: Self.dcterms)
        f.author = (c.childText(.managingEditor, in: core) ?? c.childText(.creator, in: Self.dc)
            ?? c.childText(.author, in: Self.dc) ?? c.childText(.author, in: core)).flatMap(PersonParser.parse)
        f.generator = c.childText(.generator, in: core) ?? c.child(.generatorAgent, in: Self.admin)?.attribute("resource", namespace: Namespace.rdf)
        f.categories = categories(c)
        f.updated = date(c, channelUpdated)
        f.id = c.childText(.id, in: Self.atom)
        if let ttl = c.childText(.ttl, in: core), let minutes = Int(ttl), minutes > 0 { f.ttlMinutes = minutes }
        return f
    }

    private func mapItem(_ item: XMLElement) -> FeedEntry {
        var e = FeedEntry()
        let guid = item.child(.guid, in: core)
        let guidText = guid?.allText.trimmingASCIIWhitespace()
        e.id = (guidText?.isEmpty == false ? guidText : nil) ?? item.childText(.identifier, in: Self.dc)
            ?? item.attribute("about", namespace: Namespace.rdf) ?? item.childText(.id, in: Self.atom)
        e.title = text(item, .title) ?? item.childText(.title, in: Self.dc)
        e.link = linkText(item)
        e.links = itemLinks(item)
        if e.link == nil, let guid, let guidText, !guidText.isEmpty,
           guid.attribute("isPermaLink")?.lowercased() != "false", Self.looksLikeURL(guidText) {
            e.link = URLResolver.resolve(guidText, against: guid.base)
            e.links.append(FeedLink(href: e.link, rel: "alternate", type: "text/html"))
        }
        if e.link == nil { e.link = e.links.first { $0.rel == "alternate" }?.href }
        e.summary = text(item, .description) ?? item.child(.description, in: Self.dc).map { TextConstruct.value(of: $0) }
            ?? item.child(.summary, in: Self.atom).map { TextConstruct.value(of: $0, atom10: true) }
        if let encoded = item.child(.encoded, in: Self.contentModule) {
            e.content = TextConstruct.value(of: encoded)
        } else if let body = item.child(.body, in: Self.xhtml) {
            e.content = MarkupSerializer.innerMarkup(of: body).trimmingASCIIWhitespace()
        } else if let ac = item.child(.content, in: Self.atom) {
            e.content = TextConstruct.value(of: ac, atom10: true)
        } else if let full = item.child(.fullText, in: Self.yandex) {
            e.content = TextConstruct.value(of: full)
        }
        e.published = date(item, itemPublished)
        e.updated = date(item, itemUpdated)
        e.author = (item.childText(.author, in: core) ?? item.childText(.creator, in: Self.dc)
            ?? item.childText(.author, in: Self.dc)).flatMap(PersonParser.parse)
            ?? item.child(.author, in: Self.atom).flatMap(AtomMapper.person)
        e.categories = categories(item)
        for enc in item.children(.enclosure, in: core) {
            guard let url = enc.attribute("url").map({ URLResolver.resolve($0, against: enc.base) }) else { continue }
            let lengthText = enc.attribute("length")?.trimmingASCIIWhitespace()
            e.enclosures.append(FeedEnclosure(url: url, type: enc.attribute("type")?.trimmingASCIIWhitespace(),
                                              length: lengthText.flatMap { Int64($0) }))
        }
        e.language = item.childText(.language, in: Self.dc) ?? item.attribute("lang", namespace: Namespace.xml)?.trimmingASCIIWhitespace()
        return e
    }

    // MARK: helpers

    private func text(_ parent: XMLElement, _ name: ElementName) -> String? {
        guard let el = parent.child(name, in: core) else { return nil }
        return TextConstruct.value(of: el)
    }

    /// The element's `<link>` text, resolved against its xml:base (first non-empty one).
    private func linkText(_ parent: XMLElement) -> String? {
        for el in parent.children(.link, in: core) {
            let t = el.allText.trimmingASCIIWhitespace()
            if !t.isEmpty { return URLResolver.resolve(t, against: el.base) }
        }
        return nil
    }

    /// An item's links in document order: `<link>` (alternate), atom:link, `<enclosure>`.
    private func itemLinks(_ item: XMLElement) -> [FeedLink] {
        var links: [FeedLink] = []
        var sawLink = false
        for el in item.elements {
            if el.nameID == .link && core.contains(el.nsID) {
                let t = el.allText.trimmingASCIIWhitespace()
                if !t.isEmpty && !sawLink {
                    sawLink = true
                    links.append(FeedLink(href: URLResolver.resolve(t, against: el.base), rel: "alternate", type: "text/html"))
                }
            } else if el.nameID == .link && Self.atom.contains(el.nsID) {
                links.append(AtomMapper.link(from: el))
            } else if el.nameID == .enclosure && core.contains(el.nsID), let url = el.attribute("url") {
                links.append(FeedLink(href: URLResolver.resolve(url, against: el.base), rel: "enclosure",
                                      type: el.attribute("type")?.trimmingASCIIWhitespace()))
            }
        }
        return links
    }

    /// Categories in document order: `<category domain>`, comma-separated `<tags>`,
    /// dc:subject and atom:category.
    private func categories(_ parent: XMLElement) -> [FeedCategory] {
        var out: [FeedCategory] = []
        for c in parent.elements {
            if c.nameID == .category && core.contains(c.nsID) {
                let term = c.allText.trimmingASCIIWhitespace()
                if !term.isEmpty { out.append(FeedCategory(term: term, scheme: c.attribute("domain")?.trimmingASCIIWhitespace())) }
            } else if c.nameID == .tags && core.contains(c.nsID) {
                for term in c.allText.split(separator: ",") {
                    let t = term.trimmingCharacters(in: .whitespacesAndNewlines)
                    if !t.isEmpty { out.append(FeedCategory(term: t)) }
                }
            } else if c.nameID == .subject && c.nsID == NamespaceID.known(Namespace.dc) {
                let term = c.allText.trimmingASCIIWhitespace()
                if !term.isEmpty { out.append(FeedCategory(term: term)) }
            } else if c.nameID == .category && Self.atom.contains(c.nsID), let cat = AtomMapper.category(c) {
                out.append(cat)
            }
        }
        return out
    }

    private func date(_ parent: XMLElement, _ candidates: [(ElementName, NamespaceSet)]) -> Date? {
        for (name, ns) in candidates {
            if let t = parent.childText(name, in: ns), let d = FeedDate.parse(t) { return d }
        }
        return nil
    }

    static func looksLikeURL(_ s: String) -> Bool {
        // Compares the first bytes case-insensitively instead of lowercasing the whole guid.
        let head = s.utf8.prefix(8).map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        return head.starts(with: "http://".utf8) || head.starts(with: "https://".utf8) || head.starts(with: "//".utf8)
    }
}
