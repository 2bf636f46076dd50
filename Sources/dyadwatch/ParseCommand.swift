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

    /// Output is flushed to stdout in chunks of about this many bytes.
    private static let flushThreshold = 256 * 1024

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one FILE to parse") }
    }

    func run() throws {
        let parser = FeedParser()
        let encoder = DyadJSON.encoder()
        var out = Data()
        var unreadable = 0
        for file in files {
            let record: ParseRecord
            do {
                let data = try Data(contentsOf: URL(fileURLWithPath: file))
                record = ParseRecord(file: file, result: parser.parse(data, documentURL: baseURL, httpCharset: charset))
            } catch {
                unreadable += 1
                record = ParseRecord(file: file, result: ParsedFeed(format: .unknown, wellFormed: false,
                                                                    problems: ["cannot read file: \(Self.describe(error))"]))
            }
            if jsonl {
                if let line = try? encoder.encode(record) {
                    out.append(line)
                } else {
                    out.append(Data(#"{"entries":[],"format":"unknown","problems":["could not encode result"],"wellFormed":false}"#.utf8))
                }
                out.append(0x0A)
            } else {
                out.append(Data(Self.summary(record).utf8))
            }
            if out.count >= Self.flushThreshold { FileHandle.standardOutput.write(out); out.removeAll(keepingCapacity: true) }
        }
        FileHandle.standardOutput.write(out)
        if unreadable > 0 { throw ExitCode(1) }
    }

    private static func describe(_ error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain,
           let msg = strerror(Int32(underlying.code)) {
            return String(cString: msg)
        }
        return ns.localizedDescription
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

/// One line of `parse --jsonl`: the parse result with the file path as given.
struct ParseRecord: Encodable {
    let file: String
    let result: ParsedFeed

    private enum Keys: String, CodingKey { case file }

    func encode(to encoder: Encoder) throws {
        try result.encode(to: encoder)
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(file, forKey: .file)
    }
}
