import DyadConfig
import DyadCore
import FeedFetching
import FeedStorage
import Foundation
import Logging
import Pipeline
import Synchronization
import XCTest

/// Pages served from a script per URL (then a plain article), counting requests: the page
/// processor on a backend without any network.
final class ScriptedPages: PageSource {
    private let script: Mutex<[String: [PageResponse]]>
    private let asked = Mutex<[String: Int]>([:])

    init(_ script: [String: [PageResponse]]) { self.script = Mutex(script) }

    func page(for url: String) -> PageResponse {
        asked.withLock { $0[url, default: 0] += 1 }
        if let next = script.withLock({ s -> PageResponse? in s[url]?.isEmpty == false ? s[url]!.removeFirst() : nil }) { return next }
        return .page(PageDocument(bytes: Array(Self.article.utf8), url: url, httpCharset: "utf-8", contentType: "text/html"))
    }

    func requests(_ url: String) -> Int { asked.withLock { $0[url] ?? 0 } }

    static let article = "<html><head><title>Talks</title></head><body><article><h1>Talks</h1>"
        + String(repeating: "<p>Beijing and Moscow agreed on Tuesday to extend their energy accord for another decade, officials said after the talks.</p>", count: 6)
        + "</article></body></html>"
}

/// Log lines kept in memory (message and metadata).
final class KeptLog: @unchecked Sendable {
    private let lock = NSLock()
    private var kept: [(String, [String: String])] = []
    func lines(_ message: String) -> [[String: String]] {
        lock.lock(); defer { lock.unlock() }
        return kept.filter { $0.0 == message }.map(\.1)
    }
    var logger: Logger { Logger(label: "conformance") { _ in Handler(log: self) } }

    struct Handler: LogHandler {
        let log: KeptLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? { get { metadata[key] } set { metadata[key] = newValue } }
        func log(level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?, source: String,
                 file: String, function: String, line: UInt) {
            let all = metadata.merging(extra ?? [:]) { _, new in new }.mapValues { "\($0)" }
            log.lock.lock(); log.kept.append((message.description, all)); log.lock.unlock()
        }
    }
}

extension StorageConformance {
    /// Retries of the page queue: a transient failure is asked again after its wait and not
    /// before (also after a restart), a permanent one never again, the last allowed attempt is
    /// given up and logged once, a claim that expired mid-retry is taken over without the late
    /// daemon's writes counting, and a retry that succeeds stores the text once.
    public static func pageRetry(_ s: StorageUnderTest, file: StaticString = #filePath, line: UInt = #line) throws {
        let identity = heraldIdentity(backlog: 10, limit: 10)
        let st = try XCTUnwrap(try s.feeds.register([herald]).first)
        _ = try s.feeds.commitPoll(identity, state: st, entries: [dated("flaky", hoursAgo: 3), dated("missing", hoursAgo: 2),
                                                                  dated("recovers", hoursAgo: 1)], now: t0)
        let url = { (guid: String) in "https://example.invalid/story/\(guid)" }
        let source = ScriptedPages([
            url("flaky"): [.failed(.http5xx, "HTTP 503", retryAfter: 30), .failed(.timeout, "timed out"), .failed(.timeout, "timed out")],
            url("missing"): [.failed(.http4xx, "HTTP 404")],
            url("recovers"): [.failed(.connect, "connection reset")],
        ])
        var settings = FulltextConfig()
        settings.maxAttempts = 3; settings.retryDelay = 10; settings.retryMaxDelay = 3_600
        let clock = ManualClock(t0)
        let log = KeptLog()
        func processor(_ store: any FeedStoring) -> FulltextProcessor {
            FulltextProcessor(store: store, source: source, settings: settings, sink: nil, identity: { $0 == "herald" ? identity : nil },
                              clock: clock, random: { 0 }, logger: log.logger)
        }
        let pages = processor(s.feeds)
        func entry(_ guid: String, _ store: any FeedStoring) throws -> StoredEntry {
            try XCTUnwrap(try store.entries(of: "herald").first { $0.guid == guid }, file: file, line: line)
        }

        // First round: 404 final; the 503 waits its Retry-After (30 s), the reset its backoff (10 s).
        XCTAssertEqual(try pages.drain(), [.http4xx: 1], file: file, line: line)
        let flaky = try entry("flaky", s.feeds)
        XCTAssertEqual([flaky.fulltextStatus, flaky.pageLastError], ["pending", "http_5xx"], file: file, line: line)
        XCTAssertEqual(flaky.pageAttempts, 1, file: file, line: line)
        XCTAssertEqual(flaky.pageNextAttempt, t0.addingTimeInterval(30), file: file, line: line)
        XCTAssertEqual(try entry("missing", s.feeds).pageAttempts, 1, file: file, line: line)
        XCTAssertEqual(try s.feeds.nextPageAttempt(after: t0), t0.addingTimeInterval(10), file: file, line: line)
        var counts = try s.feeds.fulltextCounts()
        XCTAssertEqual([counts[.pending], counts.retrying, counts[.http4xx]], [2, 2, 1], file: file, line: line)

        // Not before the wait: neither listed nor claimable, also by a restarted process.
        let job = PageJob(entryID: flaky.id!, feedID: "herald", link: url("flaky"), attempts: 1)
        XCTAssertEqual(try s.feeds.pendingPages(limit: 10, excluding: [], dueBy: t0.addingTimeInterval(9)), [], file: file, line: line)
        XCTAssertFalse(try s.feeds.claimPage(job, seconds: 60, now: t0.addingTimeInterval(29)), file: file, line: line)
        XCTAssertEqual(try s.reopen().feeds.pendingPages(limit: 10, excluding: [], dueBy: t0.addingTimeInterval(30)).map(\.entryID),
                       [flaky.id!, try entry("recovers", s.feeds).id!], file: file, line: line)
        XCTAssertEqual(try s.reopen().feeds.pendingPages(limit: 10, excluding: [], dueBy: t0.addingTimeInterval(30)).first, job,
                       "the attempts survive a restart", file: file, line: line)

        // t0 + 10: the reset page's second attempt succeeds: extracted once, revision 2.
        clock.set(t0.addingTimeInterval(10))
        XCTAssertEqual(try pages.drain(), [.extracted: 1], file: file, line: line)
        let recovered = try entry("recovers", s.feeds)
        XCTAssertEqual([recovered.fulltextStatus, recovered.pageLastError], ["extracted", "connect"], file: file, line: line)
        XCTAssertEqual(recovered.revision, 2, file: file, line: line)
        XCTAssertEqual(recovered.pageAttempts, 2, file: file, line: line)
        XCTAssertEqual(source.requests(url("flaky")), 1, "not before its wait", file: file, line: line)

        // t0 + 30: the second attempt times out: backoff 20 s (10 × 2).
        clock.set(t0.addingTimeInterval(30))
        XCTAssertEqual(try pages.drain(), [:], file: file, line: line)
        XCTAssertEqual(try entry("flaky", s.feeds).pageNextAttempt, t0.addingTimeInterval(50), file: file, line: line)
        XCTAssertEqual(log.lines("page_retry_scheduled").map { [$0["class"], $0["attempt"], $0["wait"]] },
                       [["http_5xx", "1", "30s"], ["connect", "1", "10s"], ["timeout", "2", "20s"]], file: file, line: line)

        // t0 + 50: a daemon claims the third attempt and dies; once its claim is over another
        // daemon takes the page, and its third attempt is the last: given up, logged once.
        clock.set(t0.addingTimeInterval(50))
        let due = try XCTUnwrap(try s.feeds.pendingPages(limit: 10, excluding: [], dueBy: clock.now()).first, file: file, line: line)
        XCTAssertEqual(due.attempts, 2, file: file, line: line)
        XCTAssertTrue(try s.feeds.claimPage(due, seconds: 60, now: clock.now()), file: file, line: line)
        let other = try s.otherDaemon()
        if s.name == "postgresql" {
            XCTAssertFalse(try other.claimPage(due, seconds: 60, now: clock.now()), "claimed by the first daemon", file: file, line: line)
        }
        try s.expirePageClaims()
        XCTAssertEqual(try processor(other).drain(), [.timeout: 1], file: file, line: line)
        let givenUp = log.lines("page_given_up")
        XCTAssertEqual(givenUp.count, 1, file: file, line: line)
        XCTAssertEqual([givenUp.first?["attempts"], givenUp.first?["class"]], ["3", "timeout"], file: file, line: line)
        // The dead daemon's late writes change nothing.
        XCTAssertFalse(try s.feeds.schedulePageRetry(due, error: .timeout, next: t0.addingTimeInterval(999)), file: file, line: line)
        XCTAssertNil(try s.feeds.recordPage(due, status: .extracted, text: "late", feed: identity, now: clock.now()), file: file, line: line)
        let last = try entry("flaky", s.feeds)
        XCTAssertEqual([last.fulltextStatus, last.pageLastError], ["timeout", "timeout"], file: file, line: line)
        XCTAssertEqual(last.pageAttempts, 3, file: file, line: line)
        XCTAssertNil(last.pageNextAttempt, file: file, line: line)
        XCTAssertNil(last.fulltext, file: file, line: line)

        // Final is final: nothing is asked again, however late.
        clock.set(t0.addingTimeInterval(30 * 86_400))
        XCTAssertEqual(try pages.drain(), [:], file: file, line: line)
        XCTAssertNil(try s.feeds.nextPageAttempt(after: t0), file: file, line: line)
        XCTAssertEqual([source.requests(url("flaky")), source.requests(url("missing")), source.requests(url("recovers"))], [3, 1, 2],
                       file: file, line: line)
        XCTAssertEqual(log.lines("page_given_up").count, 1, file: file, line: line)
        counts = try s.feeds.fulltextCounts()
        XCTAssertEqual(counts.byStatus, [.extracted: 1, .http4xx: 1, .timeout: 1], file: file, line: line)
        XCTAssertEqual(counts.retrying, 0, file: file, line: line)
    }
}
