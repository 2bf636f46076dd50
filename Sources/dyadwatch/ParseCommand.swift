import ArgumentParser
import DyadCore
import FeedParsing
import Foundation

/// `dyadwatch parse`: parses feed files with the pipeline's own parser and prints a readable
/// summary, or (with --jsonl) one JSON object per file in input order for scripts and evaluation.
struct ParseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Parse feed files (RSS, RDF, Atom, JSON Feed) and print a summary or JSON lines.",
        discussion: """
            Every file gets a result, in the order given: a file that cannot be read or parsed \
            yields an object with `problems` (exit status 1 if any file was unreadable).
            """)

    @Flag(name: .long, help: "Print one JSON object per file, one per line (schema in README).")
    var jsonl = false

    @Option(name: .customLong("base-url"), help: "Base URL for resolving relative links (the document URL).")
    var baseURL: String?

    @Option(name: .long, help: "Charset to assume, as if sent in the HTTP Content-Type (outranks the XML declaration).")
    var charset: String?

    @Argument(help: "Feed files to parse.")
    var files: [String] = []

    /// Files parsed concurrently before their output is written (bounds memory held at once).
    private static let parallelWindow = 64

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one FILE to parse") }
    }

    func run() throws {
        let parser = FeedParser()
        let (jsonl, baseURL, charset) = (self.jsonl, self.baseURL, self.charset)
        let render: @Sendable (ParseRecord) -> [UInt8] = { record in
            guard jsonl else { return Array(Self.summary(record).utf8) }
            var line: [UInt8] = []
            ParsedFeedJSON.append(record.result, file: record.file, to: &line)
            line.append(0x0A)
            return line
        }
        let unreadable = try FileBatch.run(files, window: Self.parallelWindow, render: { file, bytes in
            render(ParseRecord(file: file, result: parser.parse(bytes: bytes, documentURL: baseURL, httpCharset: charset)))
        }, unreadable: { file, reason in
            render(ParseRecord(file: file, result: ParsedFeed(format: .unknown, wellFormed: false, problems: ["cannot read file: \(reason)"])))
        })
        if unreadable > 0 { throw ExitCode(1) }
    }

    /// The human-readable summary of one file.
    static func summary(_ r: ParseRecord) -> String {
        let p = r.result
        var s = "\(r.file): \(p.format.rawValue), \(p.entries.count) entries"
        if let enc = p.encoding { s += ", \(enc)" }
        s += p.wellFormed ? ", well-formed\n" : ", NOT well-formed\n"
        for problem in p.problems { s += "  problem: \(problem)\n" }
        if let t = p.feed.title { s += "  title:   \(t)\n" }
        if let l = p.feed.link { s += "  link:    \(l)\n" }
        if let lang = p.feed.language { s += "  lang:    \(lang)\n" }
        if let u = p.feed.updated { s += "  updated: \(ISO8601.string(u))\n" }
        for e in p.entries {
            let when = (e.published ?? e.updated).map(ISO8601.string) ?? "(no date)           "
            s += "  - \(when)  \(e.title ?? e.link ?? e.id ?? "(untitled)")\n"
        }
        return s
    }
}

/// One input file and its parse result.
struct ParseRecord {
    let file: String
    let result: ParsedFeed
}
