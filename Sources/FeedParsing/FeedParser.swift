import DyadCore
import Foundation

/// Parses one feed document (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed 1.0/1.1) into a
/// `ParsedFeed`. Never throws and never crashes on bad input: what can be read is returned,
/// with `wellFormed == false` and the problems found. Safe on hostile XML (no network, no DTD
/// or external entity loading, bounded entity expansion and depth). Stateless and `Sendable`:
/// one instance may be shared by many threads.
public struct FeedParser: Sendable {
    public let limits: ParserLimits

    public init(limits: ParserLimits = .default) {
        self.limits = limits
    }

    /// Parses one document. `documentURL` is the base for relative links; `httpCharset` is the
    /// `charset` parameter of the HTTP Content-Type, which outranks the XML declaration.
    public func parse(_ data: Data, documentURL: String? = nil, httpCharset: String? = nil) -> ParsedFeed {
        parse(bytes: [UInt8](data), documentURL: documentURL, httpCharset: httpCharset)
    }

    /// `parse(_:documentURL:httpCharset:)` for a document already in a byte array (spares a copy).
    public func parse(bytes: [UInt8], documentURL: String? = nil, httpCharset: String? = nil) -> ParsedFeed {
        var bytes = bytes
        var problems: [String] = []
        if bytes.count > limits.maxDocumentBytes {
            bytes.removeSubrange(limits.maxDocumentBytes...)
            problems.append("document larger than \(limits.maxDocumentBytes) bytes; read truncated")
        }
        if bytes.allSatisfy(String.isASCIISpace) {
            return ParsedFeed(format: .unknown, wellFormed: false, problems: ["document is empty"])
        }
        if JSONFeedMapper.looksLikeJSON(bytes) {
            var result = JSONFeedMapper.parse(Data(bytes), documentURL: documentURL, maxEntries: limits.maxEntries)
            finish(&result)
            if !problems.isEmpty { result.problems = problems + result.problems; result.wellFormed = false }
            return result
        }
        let decoded = CharsetDetector.decode(bytes, httpCharset: httpCharset)
        problems += decoded.problems
        let xml = parseXML(decoded.utf8, documentURL: documentURL)
        problems += xml.problems
        var result = ParsedFeed(format: .unknown, wellFormed: problems.isEmpty && xml.wellFormed, problems: problems,
                                encoding: decoded.encoding)
        guard let root = xml.root else {
            result.wellFormed = false
            if result.problems.isEmpty { result.problems.append("no XML root element") }
            return result
        }
        result.format = FormatDetector.detect(root)
        result.truncated = xml.endedEarly
        result.entriesBeyondLimit = xml.droppedEntries
        var unfinished = 0
        switch result.format {
        case .rss20, .rss091, .rss092, .rss090, .rss10:
            (result.feed, result.entries, unfinished) = RSSMapper(root: root).map(maxEntries: limits.maxEntries)
        case .atom10, .atom03:
            (result.feed, result.entries, unfinished) = AtomMapper(root: root, atom10: result.format == .atom10).map(maxEntries: limits.maxEntries)
        case .jsonFeed, .unknown:
            result.problems.append("root element <\(root.name)> is not RSS, RDF or Atom")
            result.wellFormed = false
        }
        if result.entriesBeyondLimit > 0 {
            result.problems.append("\(result.entries.count + result.entriesBeyondLimit) entries; kept the newest \(result.entries.count) (limit \(limits.maxEntries))")
        }
        if unfinished > 0 {
            result.unfinishedEntries = unfinished
            result.problems.append("the document ended inside \(unfinished == 1 ? "an entry" : "\(unfinished) entries"); not kept")
        }
        finish(&result)
        return result
    }

    /// Parses XML; when the first pass fails in a repairable way (bare `&`, HTML entities, junk
    /// before the root), reparses a repaired copy and keeps the first pass's problems.
    private func parseXML(_ utf8: [UInt8], documentURL: String?) -> (root: XMLElement?, wellFormed: Bool, problems: [String], endedEarly: Bool, droppedEntries: Int) {
        let first = SAXTreeBuilder.parse(utf8: utf8, documentURL: documentURL, limits: limits)
        if first.wellFormed && !first.undefinedEntities.isEmpty {
            // Entities an external DTD would declare: substitute the HTML ones, stay well-formed.
            let repaired = MarkupRepair.repair(utf8, undefinedEntities: first.undefinedEntities)
            let second = SAXTreeBuilder.parse(utf8: repaired.bytes, documentURL: documentURL, limits: limits)
            if let root = second.root { return (root, second.wellFormed, second.problems, second.endedEarly, second.droppedEntries) }
        }
        if first.wellFormed || first.stoppedByLimit
            || !(first.hadAmpersandErrors || first.root == nil || utf8.contains(UInt8(ascii: "&"))) {
            return (first.root, first.wellFormed, first.problems, first.endedEarly, first.droppedEntries)
        }
        let repaired = MarkupRepair.repair(utf8, undefinedEntities: first.undefinedEntities)
        guard repaired.droppedLeadingBytes > 0 || repaired.rewrittenReferences > 0 || repaired.normalizedReferences > 0 else {
            return (first.root, false, first.problems, first.endedEarly, first.droppedEntries)
        }
        let second = SAXTreeBuilder.parse(utf8: repaired.bytes, documentURL: documentURL, limits: limits)
        guard let root = second.root else { return (first.root, false, first.problems, first.endedEarly, first.droppedEntries) }
        var problems = first.problems
        if repaired.droppedLeadingBytes > 0 {
            let onlySpace = utf8.prefix(repaired.droppedLeadingBytes).allSatisfy(String.isASCIISpace)
            problems.append("ignored \(repaired.droppedLeadingBytes) bytes of \(onlySpace ? "whitespace" : "junk") before the first tag")
        }
        if repaired.rewrittenReferences > 0 { problems.append("repaired \(repaired.rewrittenReferences) bare '&' or undefined entity references") }
        for p in second.problems where !problems.contains(p) { problems.append(p) }
        return (root, false, problems, second.endedEarly, second.droppedEntries)
    }

    /// Repairs double-encoded UTF-8 in text fields of UTF-8 documents and fills each entry's
    /// plain-text rendering from its content or summary.
    private func finish(_ result: inout ParsedFeed) {
        if result.encoding == "utf-8" {
            result.feed.title = MojibakeRepair.fix(result.feed.title)
            result.feed.subtitle = MojibakeRepair.fix(result.feed.subtitle)
            for i in result.entries.indices {
                result.entries[i].title = MojibakeRepair.fix(result.entries[i].title)
                result.entries[i].summary = MojibakeRepair.fix(result.entries[i].summary)
                result.entries[i].content = MojibakeRepair.fix(result.entries[i].content)
            }
        }
        for i in result.entries.indices {
            let source = result.entries[i].content ?? result.entries[i].summary
            if let source, !source.isEmpty {
                let text = PlainText.render(html: source)
                result.entries[i].text = text.isEmpty ? nil : text
            }
        }
    }
}
