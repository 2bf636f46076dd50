import FeedParsing
import Foundation

/// Finds the main text of a news page and its metadata. A stateless `Sendable` value: one
/// instance serves all threads. Never throws and never traps on any input: what went wrong is in
/// the result's `problems` and `verdict`.
///
/// Method (see ARCHITECTURE.md): decode the charset, parse with libxml2's HTML parser, read the
/// metadata, then readability-style scoring — page furniture removed by tag, role, visibility and
/// class/id; paragraphs score their ancestors by length and commas; the best container (times one
/// minus its link density) and its siblings are written out as plain paragraphs, with link lists,
/// forms, image strips and scraps removed. If that finds little text, the rules are relaxed one
/// at a time and the longest result is kept.
public struct ArticleExtractor: Sendable {
    public let options: ExtractionOptions
    /// Body text length at which a pass is good enough to stop relaxing rules.
    private static let enoughText = 500

    public init(options: ExtractionOptions = .init()) {
        self.options = options
    }

    public func extract(html: [UInt8], baseURL: String?, httpCharset: String?) -> ExtractedPage {
        switch InputSniffer.classify(html) {
        case .empty:
            return ExtractedPage(problems: ["the page is empty"], verdict: .empty)
        case .binary(let what):
            return ExtractedPage(problems: ["not an HTML page: \(what)"], verdict: .notHTML)
        case .markup:
            break
        }
        let decoded = TextDecoding.decodeHTML(html, httpCharset: httpCharset)
        var problems = decoded.problems
        var utf8 = decoded.utf8
        if utf8.count > options.maxInputBytes {
            utf8.removeSubrange(options.maxInputBytes...)
            problems.append("page cut to its first \(options.maxInputBytes) bytes")
        }
        guard let document = HTMLDocument(utf8: MarkupPrefilter.filter(utf8)), let root = document.root else {
            problems.append("the HTML parser built no document")
            return ExtractedPage(encoding: decoded.encoding, problems: problems, verdict: .notHTML)
        }
        let index = ElementIndex(root: root, maxDepth: options.maxDepth)
        if index.truncatedDepth { problems.append("elements nested deeper than \(options.maxDepth) levels were ignored") }
        let meta = MetadataReader.read(index, baseURL: baseURL)

        var best: [String] = []
        var bestLength = -1
        for flags in PassFlags.ladder {
            let pass = ContentPass(index: index, flags: flags)
            let written = BodyWriter(pass: pass, maxDepth: options.maxDepth).paragraphs(of: pass.selectContent())
            let paragraphs = EdgeTrimmer.trim(written, title: meta.title, author: meta.author)
            let length = paragraphs.reduce(0) { $0 + $1.count }
            if length > bestLength { (best, bestLength) = (paragraphs, length) }
            if length >= Self.enoughText { break }
        }
        var page = ExtractedPage(title: meta.title, text: best.joined(separator: "\n\n"), paragraphs: best, published: meta.published,
                                 author: meta.author, canonicalURL: meta.canonicalURL, language: meta.language,
                                 encoding: decoded.encoding, problems: problems, verdict: .extracted)
        if bestLength < options.minTextLength {
            page.verdict = .tooShort
            page.problems.append("too little body text: \(max(0, bestLength)) characters, fewer than \(options.minTextLength) (paywall, consent wall, video or index page?)")
        }
        return page
    }
}
