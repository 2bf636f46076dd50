import ArgumentParser
import ArticleExtraction
import DyadCore
import Foundation

/// `dyadwatch extract`: runs the full-text extractor on saved pages and prints the main text and
/// metadata of each, readable or (with --jsonl) one JSON object per file in input order.
struct ExtractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Extract the main text, title, date and author from saved web pages (.html or .html.gz).",
        discussion: """
            Every file gets a result, in the order given. A page with too little body text is \
            reported with verdict too_short; a file that cannot be read gets a `problems` entry and \
            the exit status is 1. Schema: docs/extract.md.
            """)

    @Flag(name: .long, help: "Print one JSON object per file, one per line (schema in docs/extract.md).")
    var jsonl = false

    @Option(name: .customLong("base-url"), help: "The page's URL, for resolving a relative canonical link.")
    var baseURL: String?

    @Option(name: .long, help: "Charset to assume, as if sent in the HTTP Content-Type (outranks <meta charset>).")
    var charset: String?

    @Option(name: .customLong("min-length"), help: "Fewer body characters than this make a page too_short.")
    var minLength: Int = ExtractionOptions().minTextLength

    @Argument(help: "Saved pages (.gz files are decompressed).")
    var files: [String] = []

    /// Files extracted concurrently before their output is written (bounds memory held at once).
    private static let parallelWindow = 128

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one FILE to extract") }
        if minLength < 0 { throw ValidationError("--min-length must be 0 or more") }
    }

    func run() throws {
        let extractor = ArticleExtractor(options: ExtractionOptions(minTextLength: minLength))
        let (jsonl, baseURL, charset) = (self.jsonl, self.baseURL, self.charset)
        let render: @Sendable (ExtractRecord) -> [UInt8] = { jsonl ? $0.jsonLine() : Array($0.summary().utf8) }
        let unreadable = try FileBatch.run(files, window: Self.parallelWindow, read: { file in
            let bytes = try FileBytes.read(file)
            return file.hasSuffix(".gz") || GzipFile.isGzip(bytes) ? try GzipFile.decompress(bytes) : bytes
        }, render: { file, html in
            render(ExtractRecord(file: file, page: extractor.extract(html: html, baseURL: baseURL, httpCharset: charset)))
        }, unreadable: { file, reason in
            render(ExtractRecord(file: file, page: ExtractedPage(problems: ["cannot read file: \(reason)"], verdict: .empty)))
        })
        if unreadable > 0 { throw ExitCode(1) }
    }
}

/// One file's extraction as printed by `dyadwatch extract` (schema: docs/extract.md).
struct ExtractRecord: Encodable {
    let file: String
    let verdict: String
    let title: String?
    let text: String
    let published: Date?
    let author: String?
    let canonical: String?
    let language: String?
    let encoding: String?
    let problems: [String]

    init(file: String, page: ExtractedPage) {
        self.file = file
        verdict = page.verdict.rawValue
        title = page.title
        text = page.text
        published = page.published
        author = page.author
        canonical = page.canonicalURL
        language = page.language
        encoding = page.encoding
        problems = page.problems
    }

    /// Absent values are written as null, so every line has every key.
    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(file, forKey: .file)
        try c.encode(verdict, forKey: .verdict)
        try c.encode(title, forKey: .title)
        try c.encode(text, forKey: .text)
        try c.encode(published.map(ISO8601.string), forKey: .published)
        try c.encode(author, forKey: .author)
        try c.encode(canonical, forKey: .canonical)
        try c.encode(language, forKey: .language)
        try c.encode(encoding, forKey: .encoding)
        try c.encode(problems, forKey: .problems)
    }

    private enum CodingKeys: String, CodingKey {
        case file, verdict, title, text, published, author, canonical, language, encoding, problems
    }

    func jsonLine() -> [UInt8] {
        var line = Array((try? DyadJSON.encoder().encode(self)) ?? Data("{\"file\":\"?\",\"problems\":[\"could not encode\"]}".utf8))
        line.append(0x0A)
        return line
    }

    func summary() -> String {
        var s = "\(file): \(verdict)"
        if let encoding { s += ", \(encoding)" }
        s += "\n"
        for p in problems { s += "  problem:   \(p)\n" }
        if let title { s += "  title:     \(title)\n" }
        if let published { s += "  published: \(ISO8601.string(published))\n" }
        if let author { s += "  author:    \(author)\n" }
        if let canonical { s += "  canonical: \(canonical)\n" }
        if let language { s += "  language:  \(language)\n" }
        if !text.isEmpty {
            s += "\n"
            for paragraph in text.components(separatedBy: "\n\n") { s += "  \(paragraph)\n\n" }
        }
        return s
    }
}
