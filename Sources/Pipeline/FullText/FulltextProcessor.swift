import ArticleExtraction
import DyadConfig
import DyadCore
import FeedFetching
import FeedStorage
import Foundation
import Logging
import Telemetry

/// What happens to one entry's page, live or in a replay: ask the page source, extract the main
/// text, store it next to the feed text (or record why not), and hand the entry to analysis again
/// as an update, so its aggregates are subtracted and re-added with the full text. Every outcome
/// other than `extracted` is logged once as `fulltext_failed class=…`; the entry keeps its feed
/// text, which was stored and analyzed when the feed was polled. Each page is claimed in the
/// page queue first, so daemons sharing a database never fetch one page at the same time.
public final class FulltextProcessor: Sendable {
    public let store: any PageQueueStoring
    let source: any PageSource
    let extractor: ArticleExtractor
    let sink: (any EntrySink)?
    let identity: @Sendable (String) -> FeedIdentity?
    let clock: any WallClock
    let logger: Logger
    /// How long a page's claim lasts: longer than its fetch can take (robots.txt and the page, each
    /// bounded by the timeout, then extraction), so another daemon takes it over only from a
    /// daemon that died or hangs.
    let claimSeconds: TimeInterval

    public init(store: any PageQueueStoring, source: any PageSource, settings: FulltextConfig, sink: (any EntrySink)?,
                identity: @escaping @Sendable (String) -> FeedIdentity?, clock: any WallClock,
                logger: Logger = Logger(label: "dyadwatch.fulltext")) {
        self.store = store; self.source = source; self.sink = sink; self.identity = identity; self.clock = clock
        self.logger = logger
        extractor = ArticleExtractor(options: ExtractionOptions(minTextLength: settings.minTextLength ?? ExtractionOptions.defaultMinTextLength))
        claimSeconds = Self.claimSeconds(settings)
    }

    /// A page claim's length for these settings: twice the page timeout plus a minute.
    public static func claimSeconds(_ settings: FulltextConfig) -> TimeInterval { 2 * settings.timeout + 60 }

    /// Processes one pending entry; returns its new status, `.pending` when the entry's feed is
    /// no longer configured (it is left for a later start, not fetched under a wrong outlet), or
    /// nil when another daemon holds its claim (it is not fetched here). Throws only for storage
    /// errors (the entry then stays pending and is tried again later).
    @discardableResult
    public func process(_ job: PageJob) throws -> FulltextStatus? {
        guard let feed = identity(job.feedID) else { return .pending }
        guard try store.claimPage(job, seconds: claimSeconds) else { return nil }
        let started = DispatchTime.now().uptimeNanoseconds
        var status: FulltextStatus
        var detail = ""
        var text: String? = nil
        var pageURL = job.link
        switch source.page(for: job.link) {
        case .failed(let s, let why):
            status = s; detail = why
        case .page(let document):
            pageURL = document.url
            if let type = document.contentType, !Self.mayBeHTML(type) {
                status = .notHTML; detail = "content type \(type)"
            } else {
                let page = extractor.extract(html: document.bytes, baseURL: document.url, httpCharset: document.httpCharset)
                (status, detail) = Self.status(of: page)
                if status == .extracted { text = page.text }
            }
        }
        let now = clock.now()
        let updated = try store.recordPage(job, status: status, text: text, feed: feed, now: now)
        let ms = Int((DispatchTime.now().uptimeNanoseconds - started) / 1_000_000)
        Telemetry.fullTextFetched(result: status.rawValue)
        var metadata: Logger.Metadata = ["feed": "\(job.feedID)", "entry": "\(job.entryID)", "url": "\(pageURL)", "ms": "\(ms)"]
        if status == .extracted {
            metadata["chars"] = "\(text?.count ?? 0)"
            logger.info("fulltext_extracted", metadata: metadata)
        } else {
            metadata["class"] = "\(status.rawValue)"
            if !detail.isEmpty { metadata["error"] = "\(detail)" }
            logger.notice("fulltext_failed", metadata: metadata)
        }
        if let updated, let sink {
            do { try sink.accept([updated], at: now) } catch {
                // Stored with a new revision: `recoverUnanalyzed` analyzes it at the next start.
                logger.error("analysis of the extracted text failed; retried at the next start",
                             metadata: ["feed": "\(job.feedID)", "entry": "\(job.entryID)", "error": "\(error)"])
            }
        }
        return status
    }

    /// Processes every pending entry, one at a time in entry order, until none is left (replay:
    /// no politeness needed, and the order makes the output independent of timing). Returns the
    /// outcomes counted by status.
    @discardableResult
    public func drain(batch: Int = 200) throws -> [FulltextStatus: Int] {
        var counts: [FulltextStatus: Int] = [:]
        while true {
            let jobs = try store.pendingPages(limit: batch)
            if jobs.isEmpty { return counts }
            var progressed = false
            for job in jobs {
                guard let status = try process(job) else { continue }  // another daemon's
                if status != .pending { counts[status, default: 0] += 1; progressed = true }
            }
            if !progressed { return counts }  // only entries of unknown feeds (or other daemons') are left
        }
    }

    /// The stored status of an extraction, with a detail for the log.
    static func status(of page: ExtractedPage) -> (FulltextStatus, String) {
        let detail = page.problems.prefix(2).joined(separator: "; ")
        switch page.verdict {
        case .extracted: return (.extracted, "")
        case .tooShort: return (.tooShort, detail.isEmpty ? "\(page.text.count) characters of main text" : detail)
        case .notHTML: return (.notHTML, detail)
        case .empty: return (.empty, detail)
        }
    }

    /// A Content-Type the extractor should see: HTML, XHTML, or an unlabelled/odd text type.
    static func mayBeHTML(_ contentType: String) -> Bool {
        let mime = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return mime.isEmpty || mime.contains("html") || mime.hasPrefix("text/") || mime == "application/octet-stream"
    }
}
