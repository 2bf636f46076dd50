import Foundation

/// Keeps the tree of a huge feed small: while the builder collects the children of a container
/// (`<channel>`, `<rdf:RDF>`, `<feed>`), once it holds more than twice `ParserLimits.maxEntries`
/// finished items/entries, only the newest `maxEntries` by date stay (undated ones rank last, in
/// document order; the survivors keep document order). Memory is then bounded by the limit, not
/// by the document, while "newest by date" still holds over the whole document. The mappers'
/// own date choice decides among the survivors (the poller's `max_items`); here the first date
/// child found is enough to rank.
enum EntryBound {
    static func isEntry(_ e: XMLElement) -> Bool { e.nameID == .item || e.nameID == .entry }

    /// Date children in the order the RSS and Atom mappers prefer them (published before updated).
    private static let dateNames: [ElementName] = [.pubDate, .date, .issued, .created, .published, .modified, .updated]

    static func rankDate(_ e: XMLElement) -> Date? {
        for name in dateNames {
            if let child = e.elements.first(where: { $0.nameID == name }), let date = FeedDate.parse(child.allText) {
                return date
            }
        }
        return nil
    }

    /// Drops all but the newest `keep` entries among `children[start...]`; returns how many it dropped.
    static func compact(_ children: inout [XMLChild], from start: Int, keep: Int) -> Int {
        var entries: [(index: Int, date: Date?, finished: Bool)] = []
        for i in start..<children.count {
            if case .element(let e) = children[i], isEntry(e) { entries.append((i, rankDate(e), !e.unfinished)) }
        }
        guard entries.count > keep else { return 0 }
        let ranked = entries.sorted { a, b in
            if a.finished != b.finished { return a.finished }
            switch (a.date, b.date) {
            case let (x?, y?): return x != y ? x > y : a.index < b.index
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return a.index < b.index
            }
        }
        let dropped = Set(ranked[keep...].map(\.index))
        var write = start
        for read in start..<children.count where !dropped.contains(read) {
            children[write] = children[read]
            write += 1
        }
        children.removeSubrange(write...)
        return dropped.count
    }
}
