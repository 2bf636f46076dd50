import Alerts
import DyadConfig
import DyadCore
import FeedFetching
import FeedStorage
import Foundation
import Logging
import Pipeline
import TestSupport
import Trends
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Issue 9 item 5: a loopback feed whose items link to saved pages of every kind a crawler meets;
/// what is stored and logged for each, through the live page queue (HTTP, robots.txt, extraction,
/// storage, re-analysis).
final class FulltextLoopbackTests: XCTestCase {
    var harness: PollHarness!
    let log = RecordedLog()

    override func setUpWithError() throws { harness = try PollHarness() }
    override func tearDown() { harness = nil }

    /// Serves the pages, configures one `fulltext = true` feed linking to them, polls it once.
    private func pollFeedOfEveryKind(extraFulltext: String = "") throws -> [String: String] {
        let routes = harness.routes
        let html = "text/html; charset=utf-8"
        routes.set("/robots.txt", .ok("# test site\nUser-agent: *\nDisallow: /private/\nAllow: /private/open\n", contentType: "text/plain"))
        routes.set("/world/limits", .ok(try FulltextFixture.text("article-en.html"), contentType: html))
        routes.set("/ru/trade", .send(status: 200, headers: [("Content-Type", "text/html")],
                                      body: FulltextFixture.encode(try FulltextFixture.text("article-ru.html"), as: "WINDOWS-1251")))
        routes.set("/zh/trade", .send(status: 200, headers: [("Content-Type", "text/html; charset=gbk")],
                                      body: FulltextFixture.encode(try FulltextFixture.text("article-zh.html"), as: "GBK")))
        routes.set("/private/memo", .ok(try FulltextFixture.text("article-en.html"), contentType: html))
        routes.set("/slow") { _ in usleep(4_000_000); return .ok("<html><body><p>late</p></body></html>", contentType: "text/html") }
        routes.set("/huge", .unsized([UInt8](repeating: UInt8(ascii: "a"), count: 30 << 20), contentType: "text/html"))
        routes.set("/consent", .ok(try FulltextFixture.text("consent-wall.html"), contentType: html))
        routes.set("/broken", .status(500))
        // "/gone" is not routed: 404.
        let links = ["/world/limits", "/ru/trade", "/zh/trade", "/private/memo", "/slow", "/huge", "/consent", "/gone", "/broken"]
        let items = links.enumerated().map { i, path in
            RSSFixture.Item(guid: "urn:page:\(i)", title: "Summit ends \(i)", link: harness.server.url(path),
                            published: PollHarness.start - Double(i) * 60, description: "Officials met this week.")
        }
        harness.routes.set("/feed.xml", .ok(RSSFixture.document(items: items)))
        try harness.configure([("news", "/feed.xml", "fulltext = true")], daemon: """

            [fulltext]
            host_delay = "0s"
            timeout = "2s"
            min_text_length = 200
            first_poll_backlog = 20
            max_attempts = 1           # every class final at once here; retries: PageRetryTests
            \(extraFulltext)
            """)
        let cycle = try harness.pollAll()
        XCTAssertEqual(try harness.report(cycle, "news").newCount, links.count)
        return Dictionary(uniqueKeysWithValues: links.map { (harness.server.url($0), $0) })
    }

    private func runQueue(sink: (any EntrySink)?) throws -> PageQueue {
        let config = harness.configuration!
        let queue = PageQueue.live(config, store: harness.store, sink: sink,
                                   identity: { id in config.feeds.first { $0.id == id }.map { FeedIdentity($0) } },
                                   clock: harness.clock, hosts: HostActivity(), logger: log.logger)
        queue.wake()
        XCTAssertTrue(queue.waitUntilIdle(timeout: 60), "page queue did not drain")
        return queue
    }

    func testEachKindOfPageIsStoredAndLoggedWithItsClass() throws {
        let pathOf = try pollFeedOfEveryKind()
        let pending = try harness.store.entries(of: "news")
        XCTAssertEqual(pending.map(\.fulltextStatus), Array(repeating: "pending", count: 9), "every new entry waits for its page")
        XCTAssertEqual(harness.sink.all.count, 9, "entries are handed to analysis at once, with their feed text")

        let queue = try runQueue(sink: harness.sink)
        queue.stop()

        var byPath: [String: StoredEntry] = [:]
        for e in try harness.store.entries(of: "news") { byPath[pathOf[e.link!]!] = e }
        let statuses = byPath.mapValues { $0.fulltextStatus ?? "nil" }
        XCTAssertEqual(statuses, [
            "/world/limits": "extracted", "/ru/trade": "extracted", "/zh/trade": "extracted",
            "/private/memo": "robots", "/slow": "stalled", "/huge": "too_large", "/consent": "too_short",
            "/gone": "http_4xx", "/broken": "http_5xx",
        ])

        // The article body, without the page's furniture; the feed text is kept beside it.
        let en = try XCTUnwrap(byPath["/world/limits"])
        let body = try XCTUnwrap(en.fulltext)
        XCTAssertTrue(body.contains("Beijing sees Moscow as a useful but junior partner"), body)
        XCTAssertTrue(body.contains("shared opposition to Western sanctions"), body)
        for furniture in ["cookies", "Accept all", "Share on", "Ten things to know", "Great article", "All rights reserved", "Sport"] {
            XCTAssertFalse(body.contains(furniture), "\(furniture) leaked into the body:\n\(body)")
        }
        XCTAssertEqual(en.text, "Officials met this week.")
        XCTAssertEqual(en.revision, 2, "storing the page's text is a new revision (recovered at start if analysis is lost)")

        // Legacy charsets: windows-1251 from <meta http-equiv>, GBK from the HTTP header.
        XCTAssertTrue(try XCTUnwrap(byPath["/ru/trade"]?.fulltext).contains("Москва и Пекин договорились увеличить поставки"))
        XCTAssertTrue(try XCTUnwrap(byPath["/zh/trade"]?.fulltext).contains("中俄两国在平等互利的基础上深化务实合作"))

        // Failed pages keep their feed text and no page text.
        for path in ["/private/memo", "/slow", "/huge", "/consent", "/gone", "/broken"] {
            XCTAssertNil(byPath[path]?.fulltext, path)
            XCTAssertEqual(byPath[path]?.text, "Officials met this week.", path)
            XCTAssertEqual(byPath[path]?.revision, 1, path)
        }

        // Each failure is logged once, with its fixed class; each success once.
        // (transient classes on their last attempt, max_attempts = 1, are `page_given_up`)
        let failed = log.lines("fulltext_failed") + log.lines("page_given_up")
        XCTAssertEqual(log.lines("page_given_up").map { $0.metadata["class"] ?? "" }.sorted(), ["http_5xx", "stalled"])
        XCTAssertEqual(failed.map { $0.metadata["class"] ?? "" }.sorted(),
                       ["http_4xx", "http_5xx", "robots", "stalled", "too_large", "too_short"])
        XCTAssertEqual(Set(failed.compactMap { $0.metadata["url"] }).count, 6)
        XCTAssertEqual(log.lines("fulltext_extracted").count, 3)

        // Politeness: robots.txt asked once for the host, the disallowed page never.
        XCTAssertEqual(harness.server.requests(to: "/robots.txt").count, 1)
        XCTAssertEqual(harness.server.requests(to: "/private/memo").count, 0)
        let pageRequest = try XCTUnwrap(harness.server.requests(to: "/world/limits").first)
        XCTAssertTrue(pageRequest.headers["accept"]?.hasPrefix("text/html") ?? false, "\(pageRequest.headers)")
        XCTAssertTrue(pageRequest.headers["user-agent"]?.hasPrefix("dyadwatch/") ?? false)

        // The extracted entries went back to analysis as updates with the page's text.
        let updates = harness.sink.all.filter(\.isUpdate)
        XCTAssertEqual(updates.count, 3)
        XCTAssertEqual(updates.first { $0.link == en.link }?.text, body)

        // Counts as `status` shows them.
        let counts = try harness.store.fulltextCounts()
        XCTAssertEqual(counts.fetched, 4)  // 3 extracted + the consent wall
        XCTAssertEqual(counts[.extracted], 3)
        XCTAssertEqual(counts[.tooShort], 1)
        XCTAssertEqual(counts[.robots], 1)
        XCTAssertEqual(counts.failed, 4)
        XCTAssertEqual(counts[.pending], 0)
    }

    func testTheFullTextIsAnalyzedThroughTheUpdatePath() throws {
        let temp = try TemporaryDirectory(prefix: "dyadwatch-fulltext-sink")
        defer { temp.remove() }
        harness.routes.set("/robots.txt", .status(404))
        harness.routes.set("/world/limits", .ok(try FulltextFixture.text("article-en.html"), contentType: "text/html"))
        let item = RSSFixture.Item(guid: "urn:a", title: "Summit ends", link: harness.server.url("/world/limits"),
                                   published: PollHarness.start - 600, description: "Officials met this week.")
        harness.routes.set("/feed.xml", .ok(RSSFixture.document(items: [item])))
        try harness.configure([("news", "/feed.xml", "fulltext = true")])
        let sink = AnalysisSink(store: try SQLiteAnalysisStore(harness.store.writer), engine: TrendEngine(), analyze: KeywordAnalyzer.analyze,
                                    delivery: AlertDelivery(logDirectory: temp.url.appendingPathComponent("logs"), hook: nil),
                                    trendFiles: nil)
        let config = harness.configuration!
        let poller = FeedPoller(configuration: config, store: harness.store, sink: sink, clock: harness.clock, logger: log.logger)
        _ = try poller.pollOnce(all: true)
        let id = try XCTUnwrap(harness.store.entries(of: "news").first?.id)
        func dyad() throws -> Bool? { try sink.store.read { try sink.engine.analysis($0.trends, entryID: id)?.dyad.isDyad } }
        XCTAssertEqual(try dyad(), false, "the feed text names neither side")

        let queue = try runQueue(sink: sink)
        queue.stop()
        XCTAssertEqual(try dyad(), true, "the page's body names Beijing and Moscow")
        // Analysed once per revision: nothing left for recovery, the day's aggregate counts it once.
        XCTAssertEqual(try sink.recoverUnanalyzed(from: harness.store, identity: { _ in nil }, at: harness.clock.now()), 0)
    }

    func testRequestsToOneHostAreSpacedByTheHostDelay() throws {
        let times = RequestTimes()
        for i in 0..<3 {
            harness.routes.set("/p\(i)") { _ in times.add(); return .ok(String(repeating: "<p>word </p>", count: 10), contentType: "text/html") }
        }
        harness.routes.set("/robots.txt", .status(404))
        let items = (0..<3).map { RSSFixture.Item(guid: "g\($0)", title: "t\($0)", link: harness.server.url("/p\($0)"), published: PollHarness.start) }
        harness.routes.set("/feed.xml", .ok(RSSFixture.document(items: items)))
        try harness.configure([("news", "/feed.xml", "fulltext = true")], daemon: "\n[fulltext]\nhost_delay = \"1s\"\nconcurrency = 8\n")
        _ = try harness.pollAll()
        let queue = try runQueue(sink: nil)
        queue.stop()
        let t = times.values
        XCTAssertEqual(t.count, 3)
        for (a, b) in zip(t, t.dropFirst()) { XCTAssertGreaterThanOrEqual(b - a, 0.95, "\(t)") }
    }

    func testFirstPollBacklogAndUpdatesAskForNoPage() throws {
        harness.routes.set("/robots.txt", .status(404))
        let items = (1...6).map {
            RSSFixture.Item(guid: "g\($0)", title: "t\($0)", link: harness.server.url("/p\($0)"), published: PollHarness.start - Double($0) * 60)
        }
        harness.routes.set("/feed.xml", .ok(RSSFixture.document(items: items)))
        try harness.configure([("news", "/feed.xml", "fulltext = true")], daemon: "\n[fulltext]\nfirst_poll_backlog = 2\n")
        _ = try harness.pollAll()
        var stored = try harness.store.entries(of: "news")
        XCTAssertEqual(stored.filter { $0.fulltextStatus == "pending" }.compactMap(\.guid), ["g1", "g2"], "the two newest of the first poll")
        // An edited entry and a new one: only the new one asks for its page.
        var next = items
        next[3].title = "t4 edited"
        next.insert(RSSFixture.Item(guid: "g0", title: "t0", link: harness.server.url("/p0"), published: PollHarness.start), at: 0)
        harness.routes.set("/feed.xml", .ok(RSSFixture.document(items: next)))
        harness.clock.advance(by: 3_600)
        _ = try harness.pollAll()
        stored = try harness.store.entries(of: "news")
        XCTAssertEqual(stored.filter { $0.fulltextStatus == "pending" }.compactMap(\.guid).sorted(), ["g0", "g1", "g2"])
        XCTAssertNil(stored.first { $0.guid == "g4" }?.fulltextStatus)
    }
}

extension FulltextLoopbackTests {
    /// A pending page of a feed no longer in the configuration is not fetched (it would be
    /// analyzed under a wrong outlet); it stays pending for a start that knows the feed.
    func testAPageOfAnUnknownFeedIsLeftPending() throws {
        harness.routes.set("/p", .ok(try FulltextFixture.text("article-en.html"), contentType: "text/html"))
        let item = RSSFixture.Item(guid: "g", title: "t", link: harness.server.url("/p"), published: PollHarness.start)
        harness.routes.set("/feed.xml", .ok(RSSFixture.document(items: [item])))
        try harness.configure([("news", "/feed.xml", "fulltext = true")])
        _ = try harness.pollAll()
        let job = try XCTUnwrap(harness.store.pendingPages(limit: 10).first)
        let source = HTTPPageSource(policy: PageQueue.fetchPolicy(harness.configuration), robotsExpiry: 60, clock: harness.clock)
        let processor = FulltextProcessor(store: harness.store, source: source, settings: FulltextConfig(), sink: nil,
                                          identity: { _ in nil }, clock: harness.clock, logger: log.logger)
        XCTAssertEqual(try processor.process(job), .unknownFeed)
        XCTAssertEqual(try processor.drain(), [:])
        XCTAssertEqual(harness.server.requests(to: "/p").count, 0)
        XCTAssertEqual(try harness.store.pendingPages(limit: 10), [job])
    }
}

extension FulltextLoopbackTests {
    func testAFullQueueKeepsTheFeedTextAndSaysSoOnce() throws {
        let items = (1...3).map { RSSFixture.Item(guid: "g\($0)", title: "t\($0)", link: harness.server.url("/p\($0)"), published: PollHarness.start) }
        harness.routes.set("/feed.xml", .ok(RSSFixture.document(items: items)))
        try harness.configure([("news", "/feed.xml", "fulltext = true")], daemon: "\n[fulltext]\nqueue_limit = 1\n")
        let poller = FeedPoller(configuration: harness.configuration, store: harness.store, sink: harness.sink, clock: harness.clock,
                                logger: log.logger)
        _ = try poller.pollOnce(all: true)
        let statuses = try harness.store.entries(of: "news").compactMap(\.fulltextStatus).sorted()
        XCTAssertEqual(statuses, ["pending", "queue_full", "queue_full"])
        let lines = log.lines("fulltext_failed")
        XCTAssertEqual(lines.count, 1)
        XCTAssertEqual(lines.first?.metadata["class"], "queue_full")
        XCTAssertEqual(lines.first?.metadata["entries"], "2")
        XCTAssertEqual(harness.sink.all.count, 3, "all three analyzed with their feed text")
    }
}

extension FulltextLoopbackTests {
    /// A link that redirects to another site (a shortener, a feed proxy) answers to that site's
    /// robots.txt as well.
    func testARedirectToAnotherOriginHonoursItsRobotsTxt() throws {
        let otherRoutes = RouteTable()
        let other = try LoopbackHTTPServer(address: "127.0.0.2", handler: otherRoutes.handler)
        defer { other.stop() }
        otherRoutes.set("/robots.txt", .ok("User-agent: *\nDisallow: /\n", contentType: "text/plain"))
        otherRoutes.set("/story", .ok(try FulltextFixture.text("article-en.html"), contentType: "text/html"))
        harness.routes.set("/robots.txt", .status(404))
        harness.routes.set("/go", .redirect(302, to: other.url("/story")))
        let item = RSSFixture.Item(guid: "g", title: "t", link: harness.server.url("/go"), published: PollHarness.start)
        harness.routes.set("/feed.xml", .ok(RSSFixture.document(items: [item])))
        try harness.configure([("news", "/feed.xml", "fulltext = true")], daemon: "\n[fulltext]\nhost_delay = \"0s\"\n")
        _ = try harness.pollAll()
        let queue = try runQueue(sink: nil)
        queue.stop()
        XCTAssertEqual(try harness.store.entries(of: "news").first?.fulltextStatus, "robots")
        XCTAssertNil(try harness.store.entries(of: "news").first?.fulltext)
        XCTAssertEqual(other.requests(to: "/robots.txt").count, 1)
    }
}

/// Arrival times of requests (monotonic seconds).
final class RequestTimes: @unchecked Sendable {
    private let lock = NSLock()
    private var times: [Double] = []
    func add() { lock.lock(); times.append(Double(DispatchTime.now().uptimeNanoseconds) / 1e9); lock.unlock() }
    var values: [Double] { lock.lock(); defer { lock.unlock() }; return times }
}
