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
    /// Files parsed concurrently before their output is written (bounds memory held at once).
    private static let parallelWindow = 64

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one FILE to parse") }
    }

    func run() throws {
        let parser = FeedParser()
        let (jsonl, baseURL, charset) = (self.jsonl, self.baseURL, self.charset)
        var out: [UInt8] = []
        var unreadable = 0
        var start = 0
        while start < files.count {
            // Files are parsed in parallel a window at a time; output stays in input order.
            let window = Array(files[start..<min(start + Self.parallelWindow, files.count)])
            let rendered = ParallelMap.map(window) { file -> (bytes: [UInt8], readable: Bool) in
                let record: ParseRecord
                var readable = true
                do {
                    let bytes = try FileBytes.read(file)
                    record = ParseRecord(file: file, result: parser.parse(bytes: bytes, documentURL: baseURL, httpCharset: charset))
                } catch {
                    readable = false
                    record = ParseRecord(file: file, result: ParsedFeed(format: .unknown, wellFormed: false,
                                                                        problems: ["cannot read file: \(Self.describe(error, path: file))"]))
                }
                if jsonl {
                    var line: [UInt8] = []
                    ParsedFeedJSON.append(record.result, file: record.file, to: &line)
                    line.append(0x0A)
                    return (line, readable)
                }
                return (Array(Self.summary(record).utf8), readable)
            }
            for r in rendered {
                out.append(contentsOf: r.bytes)
                if !r.readable { unreadable += 1 }
            }
            if out.count >= Self.flushThreshold { try FileBytes.writeStandardOutput(out); out.removeAll(keepingCapacity: true) }
            start += window.count
        }
        try FileBytes.writeStandardOutput(out)
        if unreadable > 0 { throw ExitCode(1) }
    }

    /// Why a file could not be read, in the words of `ls`/`cat` rather than Foundation's.
    private static func describe(_ error: Error, path: String) -> String {
        var isDirectory: ObjCBool = false
        let fm = FileManager.default
        if !fm.fileExists(atPath: path, isDirectory: &isDirectory) { return "no such file" }
        if isDirectory.boolValue { return "is a directory" }
        if !fm.isReadableFile(atPath: path) { return "permission denied" }
        return (error as NSError).localizedDescription
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

/// `map` over an array on all cores (Dispatch's concurrentPerform), results in input order.
enum ParallelMap {
    /// Result storage written by index from many threads; each slot is written exactly once.
    /// Unchecked because it is a raw buffer: safe as each index is written by one iteration of
    /// `concurrentPerform` only, and read after `concurrentPerform` returned (a full barrier).
    private final class Slots<R>: @unchecked Sendable {
        let base: UnsafeMutablePointer<R?>
        let count: Int
        init(count: Int) {
            self.count = count
            base = .allocate(capacity: count)
            base.initialize(repeating: nil, count: count)
        }
        deinit { base.deinitialize(count: count); base.deallocate() }
    }

    static func map<T: Sendable, R>(_ items: [T], _ transform: @escaping @Sendable (T) -> R) -> [R] {
        guard items.count > 1 else { return items.map(transform) }
        let slots = Slots<R>(count: items.count)
        DispatchQueue.concurrentPerform(iterations: items.count) { i in
            slots.base[i] = transform(items[i])
        }
        return (0..<items.count).map { slots.base[$0]! }
    }
}

/// Whole-file reads and stdout writes with plain POSIX calls: straight into and out of byte
/// arrays, without the intermediate `Data` copies Foundation's file APIs make.
enum FileBytes {
    /// Read size when the file's size is unknown (pipes, /proc) or it grows while read.
    private static let readChunk = 64 * 1024

    /// The contents of the file at `path`; throws `POSIXError` (ENOENT, EACCES, EISDIR, …).
    static func read(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(fd) }
        var st = stat()
        let sizeHint = fstat(fd, &st) == 0 && st.st_size > 0 ? Int(st.st_size) : 0
        // One byte beyond the size, so that the read meeting end-of-file needs no growth.
        var bytes = [UInt8](repeating: 0, count: sizeHint > 0 ? sizeHint + 1 : readChunk)
        var filled = 0
        while true {
            if filled == bytes.count { bytes.append(contentsOf: repeatElement(0, count: readChunk)) }
            let n = bytes.withUnsafeMutableBytes { buf in
                Glibc.read(fd, buf.baseAddress! + filled, buf.count - filled)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            if n == 0 { break }
            filled += n
        }
        bytes.removeSubrange(filled...)
        return bytes
    }

    /// Writes all of `bytes` to standard output.
    static func writeStandardOutput(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { buf in
            var done = 0
            while done < buf.count {
                let n = write(STDOUT_FILENO, buf.baseAddress! + done, buf.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
                }
                done += n
            }
        }
    }
}
