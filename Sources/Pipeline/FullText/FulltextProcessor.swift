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
/// as an update, so its aggregates are subtracted and re-added with the full text. A failure
/// `PageRetryPolicy` calls transient leaves the entry pending until its next attempt
/// (`page_retry_scheduled`), until the attempts are spent (`page_given_up`, final); any other
/// outcome than `extracted` is final at once and logged as `fulltext_failed class=…`. Meanwhile
/// the entry keeps its feed text, which was stored and analyzed when the feed was polled. Each
/// page is claimed in the page queue first, so daemons sharing a database never fetch one page
/// at the same time.
public final class FulltextProcessor: Sendable {
    /// What became of one page job.
    public enum Outcome: Sendable, Equatable {
        /// The page's status is decided for good (`extracted`, or a failure that is final).
        case decided(FulltextStatus)
        /// A transient failure: the entry stays pending until `next`.
        case retry(FulltextStatus, next: Date)
        /// The entry's feed is not a configured full-text feed now: left pending, not fetched.
        case unknownFeed
        /// Another daemon holds its claim, or its next attempt is still to come: not fetched here.
        case notClaimed
    }

    public let store: any PageQueueStoring
    let source: any PageSource
    let extractor: ArticleExtractor
    let sink: (any EntrySink)?
    let identity: @Sendable (String) -> FeedIdentity?
    let clock: any WallClock
    let logger: Logger
    let retry: PageRetryPolicy
    /// A draw in 0…1 for the retry jitter (injected by tests).
    let random: @Sendable () -> Double
    /// How long a page's claim lasts: longer than its fetch can take (robots.txt and the page, each
    /// bounded by the timeout, then extraction), so another daemon takes it over only from a
    /// daemon that died or hangs.
    let claimSeconds: TimeInterval

    public init(store: any PageQueueStoring, source: any PageSource, settings: FulltextConfig, sink: (any EntrySink)?,
                identity: @escaping @Sendable (String) -> FeedIdentity?, clock: any WallClock,
                random: @escaping @Sendable () -> Double = { Double.random(in: 0...1) },
                logger: Logger = Logger(label: "dyadwatch.fulltext")) {
        self.store = store; self.source = source; self.sink = sink; self.identity = identity; self.clock = clock
        self.logger = logger; self.random = random
        retry = Self.retryPolicy(settings)
        extractor = ArticleExtractor(options: ExtractionOptions(minTextLength: settings.minTextLength ?? ExtractionOptions.defaultMinTextLength))
        claimSeconds = Self.claimSeconds(settings)
    }

    /// A page claim's length for these settings: twice the page timeout plus a minute.
    public static func claimSeconds(_ settings: FulltextConfig) -> TimeInterval { 2 * settings.timeout + 60 }

    /// `[fulltext]`'s `max_attempts`, `retry_delay` and `retry_max_delay`.
    public static func retryPolicy(_ settings: FulltextConfig) -> PageRetryPolicy {
        PageRetryPolicy(maxAttempts: settings.maxAttempts, baseDelay: settings.retryDelay, maxDelay: settings.retryMaxDelay)
    }

    /// Processes one pending entry whose attempt is due. Throws only for storage errors (the
    /// entry then stays pending and is tried again later).
    @discardableResult
    public func process(_ job: PageJob) throws -> Outcome {
        guard let feed = identity(job.feedID) else { return .unknownFeed }
        guard try store.claimPage(job, seconds: claimSeconds, now: clock.now()) else { return .notClaimed }
        let started = DispatchTime.now().uptimeNanoseconds
        var status: FulltextStatus
        var detail = ""
        var text: String? = nil
        var pageURL = job.link
        var retryAfter: TimeInterval? = nil
        switch source.page(for: job.link) {
        case .failed(let s, let why, let after):
            status = s; detail = why; retryAfter = after
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
        let attempt = job.attempts + 1
        let decision: PageRetryPolicy.Decision = status == .extracted
            ? .final : retry.decide(status, attempt: attempt, retryAfter: retryAfter, random: random())
        let ms = Int((DispatchTime.now().uptimeNanoseconds - started) / 1_000_000)
        var metadata: Logger.Metadata = ["feed": "\(job.feedID)", "entry": "\(job.entryID)", "url": "\(pageURL)", "ms": "\(ms)"]
        if status != .extracted {
            metadata["class"] = "\(status.rawValue)"
            if !detail.isEmpty { metadata["error"] = "\(detail)" }
        }
        if case .retry(let wait, let serverAsked) = decision {
            let next = now.addingTimeInterval(wait)
            guard try store.schedulePageRetry(job, error: status, next: next) else { return .notClaimed }
            Telemetry.fullTextRetried(errorClass: status.rawValue)
            metadata["attempt"] = "\(attempt)"
            metadata["wait"] = "\(Int(wait.rounded(.up)))s"
            if serverAsked { metadata["reason"] = "retry-after" }
            logger.notice("page_retry_scheduled", metadata: metadata)
            return .retry(status, next: next)
        }
        let updated = try store.recordPage(job, status: status, text: text, feed: feed, now: now)
        Telemetry.fullTextFetched(result: status.rawValue)
        if status == .extracted {
            metadata["chars"] = "\(text?.count ?? 0)"
            if attempt > 1 { metadata["attempts"] = "\(attempt)" }
            logger.info("fulltext_extracted", metadata: metadata)
        } else if decision == .givenUp {
            metadata["attempts"] = "\(attempt)"
            logger.warning("page_given_up", metadata: metadata)
        } else {
            logger.notice("fulltext_failed", metadata: metadata)
        }
        if let updated, let sink {
            do { try sink.accept([updated], at: now) } catch {
                // Stored with a new revision: `recoverUnanalyzed` analyzes it at the next start.
                logger.error("analysis of the extracted text failed; retried at the next start",
                             metadata: ["feed": "\(job.feedID)", "entry": "\(job.entryID)", "error": "\(error)"])
            }
        }
        return .decided(status)
    }

    /// Processes every pending entry due by the clock, one at a time in entry order, until none is
    /// left (replay: no politeness needed, and the order makes the output independent of timing).
    /// Pages scheduled for a retry are taken up by a later drain once the clock has reached their
    /// next attempt. Returns the final outcomes counted by status.
    @discardableResult
    public func drain(batch: Int = 200) throws -> [FulltextStatus: Int] {
        var counts: [FulltextStatus: Int] = [:]
        while true {
            let jobs = try store.pendingPages(limit: batch, excluding: [], dueBy: clock.now())
            if jobs.isEmpty { return counts }
            var progressed = false
            for job in jobs {
                switch try process(job) {
                case .decided(let status): counts[status, default: 0] += 1; progressed = true
                case .retry: progressed = true  // no longer due: not listed again by this drain
                case .unknownFeed, .notClaimed: continue
                }
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
