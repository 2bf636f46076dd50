import DyadCore
import Foundation

/// Maps Atom 1.0 and Atom 0.3 (and pre-standard "echo"/"pie" namespaces) to the shared model.
struct AtomMapper {
    let root: XMLElement
    let atom10: Bool
    /// The namespaces of the Atom vocabulary in this document: the root's own, plus the standard ones.
    private let core: NamespaceSet

    init(root: XMLElement, atom10: Bool) {
        self.root = root
        self.atom10 = atom10
        var core = NamespaceSet([Namespace.atom10, Namespace.atom03])
        core.insert(root.nsID)
        self.core = core
    }

    /// The feed and its entries (at most `maxEntries`); entries the document ended inside are left out.
    func map(maxEntries: Int) -> (FeedMetadata, [FeedEntry], unfinished: Int) {
        var f = FeedMetadata()
        f.title = text(root, .title)
        f.subtitle = text(root, .subtitle) ?? text(root, .tagline) ?? text(root, .info)
        f.links = Self.links(of: root, in: core, atom10: atom10)
        f.link = Self.mainLink(f.links)
        f.id = root.childText(.id, in: core)
        f.updated = date(root, [.updated, .modified])
        f.author = root.child(.author, in: core).flatMap(Self.person)
        f.generator = root.childText(.generator, in: core)
        f.rights = text(root, .rights) ?? text(root, .copyright)
        f.categories = root.children(.category, in: core).compactMap(Self.category)
        f.language = root.attribute("lang", namespace: Namespace.xml).map {
            $0.trimmingASCIIWhitespace().replacingOccurrences(of: "_", with: "-")
        }.flatMap { $0.isEmpty ? nil : $0 }
        let all = root.children(.entry, in: core)
        let finished = all.filter { !$0.unfinished }
        let entries = finished.prefix(maxEntries).map(mapEntry)
        return (f, Array(entries), all.count - finished.count)
    }

    private func mapEntry(_ el: XMLElement) -> FeedEntry {
        var e = FeedEntry()
        e.id = el.childText(.id, in: core)
        e.title = text(el, .title)
        e.links = Self.links(of: el, in: core, atom10: atom10)
        e.link = Self.mainLink(e.links)
        e.published = date(el, [.published, .issued, .created])
        e.updated = date(el, [.updated, .modified])
        e.author = el.child(.author, in: core).flatMap(Self.person)
            ?? el.child(.source, in: core)?.child(.author, in: core).flatMap(Self.person)
        e.summary = text(el, .summary)
        e.content = text(el, .content)
        e.categories = el.children(.category, in: core).compactMap(Self.category)
        for link in el.children(.link, in: core) where link.attribute("rel")?.trimmingASCIIWhitespace() == "enclosure" {
            guard let href = Self.href(of: link) else { continue }
            let length = link.attribute("length").flatMap { Int64($0.trimmingASCIIWhitespace()) }
            e.enclosures.append(FeedEnclosure(url: href, type: link.attribute("type"), length: length))
        }
        e.language = el.attribute("lang", namespace: Namespace.xml)?.trimmingASCIIWhitespace()
        return e
    }

    private func text(_ parent: XMLElement, _ name: ElementName) -> String? {
        guard let el = parent.child(name, in: core) else { return nil }
        return TextConstruct.value(of: el, atom10: atom10)
    }

    private func date(_ parent: XMLElement, _ names: [ElementName]) -> Date? {
        for name in names {
            if let t = parent.childText(name, in: core), let d = FeedDate.parse(t) { return d }
        }
        return nil
    }

    // MARK: shared with RSS (atom:link / atom:author inside RSS)

    /// Every `<link>` child as a FeedLink: rel defaults to alternate, type to text/html
    /// (application/atom+xml for rel=self), href resolved against xml:base.
    static func links(of parent: XMLElement, in namespaces: NamespaceSet, atom10: Bool) -> [FeedLink] {
        parent.children(.link, in: namespaces).map(link(from:))
    }

    /// One `<link>` element as a FeedLink (see `links(of:in:atom10:)`).
    static func link(from link: XMLElement) -> FeedLink {
        let rel = link.attribute("rel")?.trimmingASCIIWhitespace() ?? "alternate"
        let type = link.attribute("type")?.trimmingASCIIWhitespace() ?? (rel == "self" ? "application/atom+xml" : "text/html")
        return FeedLink(href: href(of: link), rel: rel, type: type, title: link.attribute("title"))
    }

    /// A link's target: `href`, else its text (Atom 0.3 style), else the in-scope base.
    static func href(of link: XMLElement) -> String? {
        if let href = link.attribute("href") { return URLResolver.resolve(href, against: link.base) }
        let t = link.allText.trimmingASCIIWhitespace()
        if !t.isEmpty { return URLResolver.resolve(t, against: link.base) }
        return link.base
    }

    /// The entry/feed's main link: the first alternate link to an HTML page.
    static func mainLink(_ links: [FeedLink]) -> String? {
        let html: Set<String> = ["text/html", "application/xhtml+xml"]
        return links.first { $0.rel == "alternate" && html.contains($0.type ?? "text/html") && $0.href != nil }?.href
            ?? links.first { $0.rel == "alternate" && $0.href != nil }?.href
    }

    static func person(_ el: XMLElement) -> Person? {
        let ns = NamespaceSet(ids: [el.nsID])
        var p = Person(name: el.childText(.name, in: ns), email: el.childText(.email, in: ns),
                       uri: (el.childText(.uri, in: ns) ?? el.childText(.url, in: ns) ?? el.childText(.homepage, in: ns)).map { URLResolver.resolve($0, against: el.base) })
        if p.name == nil && p.email == nil && p.uri == nil {
            guard let parsed = PersonParser.parse(el.allText) else { return nil }
            p = parsed
        }
        return p
    }

    static func category(_ el: XMLElement) -> FeedCategory? {
        let term = el.attribute("term")?.trimmingASCIIWhitespace() ?? el.allText.trimmingASCIIWhitespace()
        let scheme = el.attribute("scheme")?.trimmingASCIIWhitespace()
        let label = el.attribute("label")?.trimmingASCIIWhitespace()
        if term.isEmpty && scheme == nil && label == nil { return nil }
        return FeedCategory(term: term.isEmpty ? nil : term, scheme: scheme, label: label)
    }
}
