import ArticleExtraction
import DyadCore
import FeedFetching
import Foundation

/// Saved article pages for `replay --pages DIR`, served to the same extraction code as live
/// fetches. Layout:
///
///     DIR/index.tsv    URL<TAB>relative/path.html   (one page per line; `.html.gz` is gunzipped)
///     DIR/robots.tsv   optional: one disallowed URL prefix per line
///
/// Blank lines and lines starting with `#` are ignored. A link absent from the index is
/// `absent`; a link under a robots.tsv prefix is `robots`, as a live disallow would be.
public struct PageArchive: PageSource {
    public enum LoadError: Error, CustomStringConvertible {
        case missingIndex(String)
        case badLine(file: String, line: Int, reason: String)
        /// robots.tsv exists but cannot be read as UTF-8 text: its rules would otherwise be ignored.
        case unreadableRobots(String)
        public var description: String {
            switch self {
            case .missingIndex(let path): return "\(path): no such file (a page archive needs index.tsv: URL<TAB>relative/path.html per line)"
            case .badLine(let file, let line, let reason): return "\(file):\(line): \(reason)"
            case .unreadableRobots(let path): return "\(path): exists but cannot be read as UTF-8 text; refusing to replay without its disallow rules"
            }
        }
    }

    public let directory: URL
    /// URL → file, as listed.
    let index: [String: URL]
    let disallowed: [String]
    /// Largest decoded page served (live fetching's `max_body`); larger ones are `too_large`.
    let maxBody: Int

    public init(directory: URL, maxBody: Int64) throws {
        self.directory = directory.standardizedFileURL
        self.maxBody = Int(clamping: maxBody)
        let indexFile = directory.appendingPathComponent("index.tsv")
        guard let text = try? String(contentsOf: indexFile, encoding: .utf8) else { throw LoadError.missingIndex(indexFile.path) }
        var index: [String: URL] = [:]
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.trimmingCharacters(in: .whitespaces).isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
            guard fields.count == 2, !fields[0].isEmpty, !fields[1].isEmpty else {
                throw LoadError.badLine(file: "index.tsv", line: n + 1, reason: "expected URL<TAB>relative/path.html")
            }
            let path = String(fields[1])
            guard !path.hasPrefix("/"), !path.split(separator: "/").contains("..") else {
                throw LoadError.badLine(file: "index.tsv", line: n + 1, reason: "\(path): the path must be relative and stay inside the archive")
            }
            index[String(fields[0])] = self.directory.appendingPathComponent(path)
        }
        self.index = index
        var disallowed: [String] = []
        let robotsFile = directory.appendingPathComponent("robots.tsv")
        if FileManager.default.fileExists(atPath: robotsFile.path) {
            guard let robots = try? String(contentsOf: robotsFile, encoding: .utf8) else { throw LoadError.unreadableRobots(robotsFile.path) }
            for raw in robots.split(whereSeparator: \.isNewline) {
                let prefix = raw.split(separator: "\t").first.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
                if !prefix.isEmpty, !prefix.hasPrefix("#") { disallowed.append(prefix) }
            }
        }
        self.disallowed = disallowed
    }

    /// Pages listed.
    public var count: Int { index.count }

    public func page(for url: String) -> PageResponse {
        if disallowed.contains(where: { url.hasPrefix($0) }) { return .failed(.robots, "disallowed by the archive's robots.tsv") }
        guard let file = index[url] ?? index[Self.withoutFragment(url)] else { return .failed(.absent, "not in the page archive") }
        guard var bytes = FileManager.default.contents(atPath: file.path).map({ [UInt8]($0) }) else {
            return .failed(.absent, "listed in index.tsv but unreadable: \(file.path)")
        }
        if GzipFile.isGzip(bytes) {
            do { bytes = try GzipFile.decompress(bytes, limit: maxBody) } catch GzipFile.Failure.tooLarge(let limit) {
                return .failed(.tooLarge, "decompresses to more than \(limit) bytes")
            } catch {
                return .failed(.notHTML, "\(file.lastPathComponent): \(error)")
            }
        }
        guard bytes.count <= maxBody else { return .failed(.tooLarge, "body larger than \(maxBody) bytes") }
        return .page(PageDocument(bytes: bytes, url: url))
    }

    static func withoutFragment(_ url: String) -> String {
        url.firstIndex(of: "#").map { String(url[..<$0]) } ?? url
    }
}
