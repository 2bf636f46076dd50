import Alerts
import DyadConfig
import DyadCore
import FeedFetching
import FeedStorage
import Foundation
import Pipeline
import Synchronization
import TestSupport
import Trends
import XCTest

/// A page that fails for a transient reason is asked for again after its wait (never before),
/// up to `max_attempts`; a permanent failure is final at once. Loopback server, manual clock,
/// jitter drawn as 0 (the full backoff).
final class PageRetryTests: XCTestCase {
    var harness: PollHarness!
    let log = RecordedLog()

    override func setUpWithError() throws { harness = try PollHarness() }
    override func tearDown() { harness = nil }

    /// One `fulltext = true` feed linking to `paths`, polled once (every entry pending).
    private func poll(_ paths: [String], retryDelay: String = "10s") throws {
        let items = paths.enumerated().map { i, path in
            RSSFixture.Item(guid: "urn:retry:\(i)", title: "Talks resume \(i)",
                            link: path.contains("://") ? path : harness.server.url(path),
                            published: PollHarness.start - Double(i) * 60, description: "Officials met this week.")
        }
        harness.routes.set("/feed.xml", .ok(RSSFixture.document(items: items)))
        harness.routes.set("/robots.txt", .ok("User-agent: *\nAllow: /\n", contentType: "text/plain"))
        try harness.configure([("news", "/feed.xml", "fulltext = true")], daemon: """

            [fulltext]
            host_delay = "0s"
            timeout = "2s"
            first_poll_backlog = 20
            retry_delay = "\(retryDelay)"
            retry_max_delay = "2h"
            max_attempts = 3
            """)
        XCTAssertEqual(try harness.report(try harness.pollAll(), "news").newCount, paths.count)
    }

    private func processor() -> FulltextProcessor {
        let config = harness.configuration!
        let settings = config.section(FulltextConfig.self)
        let source = HTTPPageSource(policy: PageQueue.fetchPolicy(config), robotsExpiry: settings.robotsExpiry, clock: harness.clock)
        return FulltextProcessor(store: harness.store, source: source, settings: settings, sink: harness.sink,
                                 identity: { id in config.feeds.first { $0.id == id }.map { FeedIdentity($0) } },
                                 clock: harness.clock, random: { 0 }, logger: log.logger)
    }

    private func entry() throws -> StoredEntry { try XCTUnwrap(harness.store.entries(of: "news").first) }

    /// Answers `failures` (in order), then the article.
    private func flaky(_ path: String, _ failures: [LoopbackResponse]) throws {
        let article = try FulltextFixture.text("article-en.html")
        let served = Mutex(0)
        harness.routes.set(path) { _ in
            let n = served.withLock { n in n += 1; return n }
            return n <= failures.count ? failures[n - 1] : .ok(article, contentType: "text/html; charset=utf-8")
        }
    }

    func testA503IsRetriedAfterItsRetryAfterNotBeforeAndTheTextIsAnalyzedOnce() throws {
        try flaky("/flaky", [.status(503, headers: [("Retry-After", "120")])])
        try poll(["/flaky"])
        let pages = processor()

        XCTAssertEqual(try pages.drain(), [:], "nothing final yet")
        let retry = try XCTUnwrap(log.lines("page_retry_scheduled").first)
        XCTAssertEqual(retry.metadata["class"], "http_5xx")
        XCTAssertEqual(retry.metadata["attempt"], "1")
        XCTAssertEqual(retry.metadata["wait"], "120s", "the server's Retry-After beats the 10 s backoff")
        XCTAssertEqual(retry.metadata["reason"], "retry-after")
        var stored = try entry()
        XCTAssertEqual(stored.fulltextStatus, "pending")
        XCTAssertEqual(stored.pageAttempts, 1)
        XCTAssertEqual(stored.pageLastError, "http_5xx")
        XCTAssertEqual(stored.pageNextAttempt, PollHarness.start.addingTimeInterval(120))
        XCTAssertEqual(try harness.store.fulltextCounts().retrying, 1)

        harness.clock.advance(by: 119)
        XCTAssertEqual(try pages.drain(), [:])
        XCTAssertEqual(harness.server.requests(to: "/flaky").count, 1, "not asked again before the wait is over")

        harness.clock.advance(by: 1)
        XCTAssertEqual(try pages.drain(), [.extracted: 1])
        XCTAssertEqual(harness.server.requests(to: "/flaky").count, 2)
        stored = try entry()
        XCTAssertEqual(stored.fulltextStatus, "extracted")
        XCTAssertEqual(stored.revision, 2)
        XCTAssertEqual(stored.pageAttempts, 2)
        XCTAssertNil(stored.pageNextAttempt)
        XCTAssertEqual(log.lines("fulltext_extracted").first?.metadata["attempts"], "2")
        XCTAssertEqual(try harness.store.fulltextCounts().retrying, 0)
        // Analyzed once with its feed text at the poll, once more (as an update of that analysis)
        // with the page's: the retry added no analysis of its own.
        let handed = harness.sink.all
        XCTAssertEqual(handed.map(\.isUpdate), [false, true])
        XCTAssertEqual(handed.last?.revision, 2)
        XCTAssertTrue(handed.last?.text.contains("junior partner") ?? false)
    }

    func testBackoffDoublesAndTheLastTransientFailureIsFinalAfterMaxAttempts() throws {
        harness.routes.set("/down", .status(502))
        try poll(["/down"])
        let pages = processor()
        XCTAssertEqual(try pages.drain(), [:])
        XCTAssertEqual(try entry().pageNextAttempt, PollHarness.start.addingTimeInterval(10))
        harness.clock.advance(by: 10)
        XCTAssertEqual(try pages.drain(), [:])
        XCTAssertEqual(try entry().pageNextAttempt, PollHarness.start.addingTimeInterval(30), "then 20 s")
        XCTAssertEqual(log.lines("page_retry_scheduled").map { $0.metadata["wait"] ?? "" }, ["10s", "20s"])
        harness.clock.advance(by: 20)
        XCTAssertEqual(try pages.drain(), [.http5xx: 1], "third attempt of three: given up")

        let givenUp = log.lines("page_given_up")
        XCTAssertEqual(givenUp.count, 1)
        XCTAssertEqual(givenUp.first?.metadata["attempts"], "3")
        XCTAssertEqual(givenUp.first?.metadata["class"], "http_5xx")
        XCTAssertEqual(log.lines("fulltext_failed").count, 0)
        let stored = try entry()
        XCTAssertEqual(stored.fulltextStatus, "http_5xx")
        XCTAssertEqual(stored.pageAttempts, 3)
        XCTAssertNil(stored.fulltext)
        harness.clock.advance(by: 86_400)
        XCTAssertEqual(try pages.drain(), [:])
        XCTAssertEqual(harness.server.requests(to: "/down").count, 3, "never asked again")
        XCTAssertEqual(log.lines("page_given_up").count, 1, "logged once")
        XCTAssertEqual(harness.sink.all.filter(\.isUpdate).count, 0, "keeps its feed text and analysis")
    }

    func testPermanentFailuresAreFinalAtOnce() throws {
        harness.routes.set("/pdf", .send(status: 200, headers: [("Content-Type", "application/pdf")], body: Array("%PDF-1.4".utf8)))
        // "/missing" is not routed: 404. "/gone": 410. "/loop" redirects to itself.
        harness.routes.set("/gone", .status(410))
        harness.routes.set("/loop", .redirect(302, to: harness.server.url("/loop")))
        try poll(["/missing", "/gone", "/pdf", "/loop"])
        let pages = processor()
        XCTAssertEqual(try pages.drain(), [.http4xx: 1, .gone: 1, .notHTML: 1, .redirectLoop: 1])
        harness.clock.advance(by: 86_400)
        XCTAssertEqual(try pages.drain(), [:])
        for path in ["/missing", "/gone", "/pdf"] { XCTAssertEqual(harness.server.requests(to: path).count, 1, path) }
        XCTAssertEqual(log.lines("page_retry_scheduled").count, 0)
        XCTAssertEqual(log.lines("fulltext_failed").count, 4)
        XCTAssertEqual(try harness.store.entries(of: "news").map(\.pageAttempts), [1, 1, 1, 1])
    }

    func testAResetConnectionAndAHostThatDoesNotAnswerAreTransient() throws {
        // A port nothing listens on (bound, then closed): its robots.txt does not answer either.
        let closed = try LoopbackHTTPServer(handler: { _ in .status(200) })
        let deadURL = closed.url("/story")
        closed.stop()
        try flaky("/reset", [.closeImmediately])
        try poll(["/reset", deadURL])
        let pages = processor()
        XCTAssertEqual(try pages.drain(), [:])
        let lines = log.lines("page_retry_scheduled")
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: lines.map { ($0.metadata["class"] ?? "", $0.metadata["wait"] ?? "") }),
                       ["connect": "10s", "robots_unreachable": "3600s"],
                       "robots.txt is asked again after an hour (complete disallow until then): the page no sooner")

        harness.clock.advance(by: 10)
        XCTAssertEqual(try pages.drain(), [.extracted: 1], "the reset page on its second attempt; the dead host not yet due")
        XCTAssertEqual(harness.server.requests(to: "/reset").count, 2)
        let dead = try XCTUnwrap(harness.store.entries(of: "news").first { $0.link == deadURL })
        XCTAssertEqual(dead.fulltextStatus, "pending")
        XCTAssertEqual(dead.pageLastError, "robots_unreachable")
    }

    func testARedirectTargetWhoseRobotsTxtDoesNotAnswerIsRetried() throws {
        let otherRoutes = RouteTable()
        otherRoutes.set("/robots.txt", .status(503))
        otherRoutes.set("/story", .ok(try FulltextFixture.text("article-en.html"), contentType: "text/html"))
        let other = try LoopbackHTTPServer(handler: otherRoutes.handler)
        defer { other.stop() }
        harness.routes.set("/short", .redirect(302, to: other.url("/story")))
        try poll(["/short"])
        XCTAssertEqual(try processor().drain(), [:])
        XCTAssertEqual(try entry().pageLastError, "robots_unreachable")
        XCTAssertEqual(log.lines("page_retry_scheduled").first?.metadata["wait"], "3600s")
    }

    /// The live queue wakes itself when a retry comes due (no poll, no maintenance round).
    func testTheLiveQueueWakesForADueRetry() throws {
        try flaky("/flaky", [.status(503, headers: [("Retry-After", "1")])])
        try poll(["/flaky"], retryDelay: "1s")
        let config = harness.configuration!
        let queue = PageQueue.live(config, store: harness.store, sink: harness.sink,
                                   identity: { id in config.feeds.first { $0.id == id }.map { FeedIdentity($0) } },
                                   clock: harness.clock, hosts: HostActivity(), logger: log.logger)
        defer { queue.stop() }
        queue.wake()
        XCTAssertTrue(queue.waitUntilIdle(timeout: 10))
        XCTAssertEqual(try entry().fulltextStatus, "pending")
        let retryAt = try XCTUnwrap(try entry().pageNextAttempt)
        harness.clock.set(retryAt)  // the wall clock reaches the retry; the queue's timer fires in its real wait
        let deadline = Date().addingTimeInterval(15)
        while try entry().fulltextStatus == "pending", Date() < deadline { usleep(20_000) }
        XCTAssertEqual(try entry().fulltextStatus, "extracted")
        XCTAssertEqual(harness.server.requests(to: "/flaky").count, 2)
    }
    /// A page held back only by its host's feed poll starts when that poll ends (no timer), and a
    /// poll that turns slow frees the slot when it does.
    func testAPageHeldByItsHostsFeedPollStartsWhenThePollEnds() throws {
        try flaky("/story", [])
        try poll(["/story"])
        let config = harness.configuration!
        let frozen = Mutex(1_000.0)  // monotonic seconds as the host book sees them
        let hosts = HostActivity(slowAfter: 5, now: { frozen.withLock { $0 } })
        let host = HostSlots.key(harness.server.url("/story"))
        let feedPoll = hosts.enter(host)  // a feed poll of the same host in flight, with a per-host limit of 1
        var settings = PageQueue.settings(config)
        settings.perHostLimit = 1
        let processor = FulltextProcessor(store: harness.store, source: HTTPPageSource(policy: PageQueue.fetchPolicy(config),
                                                                                       robotsExpiry: 3_600, clock: harness.clock),
                                          settings: config.section(FulltextConfig.self), sink: harness.sink,
                                          identity: { id in config.feeds.first { $0.id == id }.map { FeedIdentity($0) } },
                                          clock: harness.clock, random: { 0 }, logger: log.logger)
        let queue = PageQueue(processor: processor, settings: settings, hosts: hosts, logger: log.logger)
        defer { queue.stop() }
        queue.wake()
        XCTAssertFalse(queue.waitUntilIdle(timeout: 0.3), "held by the feed poll")
        XCTAssertEqual(harness.server.requests(to: "/story").count, 0)
        hosts.leave(host, token: feedPoll)
        XCTAssertTrue(queue.waitUntilIdle(timeout: 10))
        XCTAssertEqual(harness.server.requests(to: "/story").count, 1)
        XCTAssertEqual(try entry().fulltextStatus, "extracted")
        XCTAssertNil(hosts.secondsUntilChange(host))
        let slow = hosts.enter(host)
        XCTAssertEqual(hosts.secondsUntilChange(host), 5)
        frozen.withLock { $0 += 2 }
        XCTAssertEqual(hosts.secondsUntilChange(host), 3)
        hosts.leave(host, token: slow)
    }
    /// Through the real analysis end: the entry counts once in every bucket before the retry (feed
    /// text) and once after it (page text), never twice.
    func testARetriedPageReplacesTheEntrysContributionInTheAggregates() throws {
        let temp = try TemporaryDirectory(prefix: "dyadwatch-retry-sink")
        defer { temp.remove() }
        try flaky("/flaky", [.status(503)])
        try poll(["/flaky"])
        let sink = AnalysisSink(store: try SQLiteAnalysisStore(harness.store.writer), engine: TrendEngine(), analyze: KeywordAnalyzer.analyze,
                                delivery: AlertDelivery(logDirectory: temp.url.appendingPathComponent("logs"), hook: nil), trendFiles: nil)
        let stored = try entry()
        _ = try sink.process([EntryIngest.accepted(stored, feed: FeedIdentity(harness.configuration.feeds[0]), isUpdate: false)],
                             at: harness.clock.now())
        func totals() throws -> (entries: Int, dyad: Int) {
            var entries = 0, dyad = 0
            try sink.store.read { try $0.trends.forEachAggregate { key, a in
                if key.granularity == .day, key.scope == .all { entries += a.entries; dyad += a.dyad }
            } }
            return (entries, dyad)
        }
        XCTAssertEqual(try totals().entries, 1)
        XCTAssertEqual(try totals().dyad, 0, "the feed text names neither side")

        let config = harness.configuration!
        let settings = config.section(FulltextConfig.self)
        let pages = FulltextProcessor(store: harness.store, source: HTTPPageSource(policy: PageQueue.fetchPolicy(config),
                                                                                   robotsExpiry: 3_600, clock: harness.clock),
                                      settings: settings, sink: sink, identity: { id in config.feeds.first { $0.id == id }.map { FeedIdentity($0) } },
                                      clock: harness.clock, random: { 0 }, logger: log.logger)
        XCTAssertEqual(try pages.drain(), [:])
        XCTAssertEqual(try totals().entries, 1, "a failed attempt changes nothing")
        harness.clock.advance(by: 10)
        XCTAssertEqual(try pages.drain(), [.extracted: 1])
        XCTAssertEqual(try totals().entries, 1, "counted once, with the page's text")
        XCTAssertEqual(try totals().dyad, 1, "the page's body names Beijing and Moscow")
        XCTAssertEqual(try sink.recoverUnanalyzed(from: harness.store, identity: { _ in nil }, at: harness.clock.now()), 0)
    }
}
