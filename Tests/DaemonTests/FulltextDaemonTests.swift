import DyadCore
import Foundation
import GRDB
import TestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Issue 9's "Must show": the real daemon with a `fulltext = true` feed stores the extracted
/// bodies and analyzes them, while another feed keeps being polled on time although the page
/// server answers slowly. Simulated clock at 60×: the 1-minute interval is one real second.
final class FulltextDaemonTests: XCTestCase {
    var dir: TemporaryDirectory!
    var feeds: LoopbackFeedServer!
    var pages: LoopbackHTTPServer!
    let pageRoutes = RouteTable()
    let pageLog = PageLog()
    var daemon: DaemonProcess?
    /// Real seconds the page server waits before answering each page.
    static let pageDelay: TimeInterval = 3

    override func setUpWithError() throws {
        dir = try TemporaryDirectory(prefix: "dyadwatch-fulltext-daemon")
        feeds = try LoopbackFeedServer()
        // Another address: the pages are another host than the feeds.
        pages = try LoopbackHTTPServer(address: "127.0.0.2", handler: pageRoutes.handler)
    }

    override func tearDown() {
        if let daemon {
            if daemon.process.isRunning { print("--- daemon log ---\n\(daemon.log)") }
            daemon.terminate()
        }
        pages.stop(); feeds.stop(); dir.remove()
    }

    func testSlowPagesAreExtractedAndAnalyzedWhileOtherFeedsKeepTheirSchedule() throws {
        let article = try FulltextDaemonFixture.article()
        pageRoutes.set("/robots.txt", .status(404))
        let log = pageLog
        for i in 0..<3 {
            pageRoutes.set("/story/\(i)") { _ in
                log.record("start")
                usleep(useconds_t(Self.pageDelay * 1_000_000))
                log.record("end")
                return .ok(article, contentType: "text/html; charset=utf-8")
            }
        }
        // The full-text feed: headlines that name neither side; the bodies name both.
        feeds.set("/herald.xml", body: FulltextDaemonFixture.heraldRSS(pages: pages, count: 3) { i in
            Date().addingTimeInterval(-Double(i + 1) * 600)
        })
        feeds.set("/alpha.xml", body: TestFeeds.rss(title: "alpha", items: TestFeeds.dyadItems("alpha", count: 2)))

        let config = dir.url.appendingPathComponent("feeds.conf")
        var conf = FeedsConf(daemon: FulltextDaemonFixture.daemon("concurrency = 4", "per_host_concurrency = 2", "log_level = \"info\""),
                             feeds: FulltextDaemonFixture.feeds(feeds))
        conf.table("fulltext", "host_delay = \"0s\"", "timeout = \"20s\"", "first_poll_backlog = 5")
        try conf.write(to: config)

        let start = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / 86_400).rounded(.down) * 86_400 + 43_200)
        let process = try DaemonProcess(arguments: ["run", "--config", config.path],
                                        environment: ["DYADWATCH_CLOCK_SCALE": "60", "DYADWATCH_CLOCK_START": ISO8601.string(start)],
                                        logURL: dir.url.appendingPathComponent("daemon.log"))
        daemon = process

        // While the first page is being served (3 s), alpha is polled about every second.
        XCTAssertTrue(eventually(timeout: 15) { log.count("start") >= 1 }, process.log)
        let alphaAtFirstPage = feeds.hitCount("/alpha.xml")
        XCTAssertNotNil(process.waitForLog("msg=fulltext_extracted", "feed=herald", timeout: 30), process.log)
        let alphaDuringFirstPage = feeds.hitCount("/alpha.xml") - alphaAtFirstPage
        XCTAssertGreaterThanOrEqual(alphaDuringFirstPage, 2,
                                    "alpha (1 s interval) must keep its schedule while a page takes \(Self.pageDelay) s")

        // All three bodies extracted, stored and analyzed.
        XCTAssertTrue(eventually(timeout: 30) { process.logLines.filter { $0.contains("msg=fulltext_extracted") }.count == 3 }, process.log)
        let alphaWhilePages = feeds.hitCount("/alpha.xml") - alphaAtFirstPage
        let elapsed = log.span()
        XCTAssertGreaterThanOrEqual(elapsed, 3 * Self.pageDelay * 0.9, "the three pages took their time (one at a time per host)")
        XCTAssertGreaterThanOrEqual(alphaWhilePages, Int(elapsed * 0.6), "alpha polled about once a second during \(elapsed) s of pages: \(alphaWhilePages)")
        print("FULLTEXT-DAEMON: 3 pages served one after another in \(String(format: "%.1f", elapsed)) s (\(Self.pageDelay) s each); alpha (1 real second interval) polled \(alphaWhilePages) times meanwhile, \(alphaDuringFirstPage) during the first page")

        let db = try DatabaseQueue(path: dir.url.appendingPathComponent("state/dyadwatch.sqlite").path)
        let rows = try XCTUnwrap(eventuallyValue(timeout: 10) { () -> [Row]? in
            let rows = try? db.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT entries.text, entries.fulltext, entries.fulltext_status,
                           json_extract(trends_analysis.result, '$.dyad.isDyad') AS dyad, trends_analysis.result AS result
                    FROM entries JOIN trends_analysis ON trends_analysis.entry_id = entries.id
                    WHERE feed_id = 'herald' AND trends_analysis.revision = entries.revision ORDER BY entries.id
                    """)
            }
            return rows?.count == 3 && rows!.allSatisfy { ($0["fulltext_status"] as String?) == "extracted" } ? rows : nil
        }, process.log)
        for row in rows {
            XCTAssertEqual(row["text"] as String?, "Officials met this week.", "the feed text is kept")
            XCTAssertTrue((row["fulltext"] as String? ?? "").contains("junior partner"))
            XCTAssertEqual(row["dyad"] as Int?, 1, "the analysis read the body: Beijing and Moscow")
            let result = row["result"] as String? ?? ""
            XCTAssertTrue(result.contains("\"cue\":\"junior partner\""), "stance evidence quotes the body: \(result.prefix(600))")
        }

        // `status` shows the counts.
        let text = try BinaryRun.run(["status", "--config", config.path]).stdout
        XCTAssertTrue(text.contains("full text: 3 fetched, 3 extracted, 0 too short, 0 blocked by robots, 0 failed, 0 pending"), text)

        process.signal(SIGTERM)
        XCTAssertEqual(process.waitForExit(timeout: 10), 0)
    }
}

/// When the page server started and finished answering (monotonic seconds).
final class PageLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [(String, Double)] = []
    func record(_ kind: String) { lock.lock(); events.append((kind, Double(DispatchTime.now().uptimeNanoseconds) / 1e9)); lock.unlock() }
    func count(_ kind: String) -> Int { lock.lock(); defer { lock.unlock() }; return events.filter { $0.0 == kind }.count }
    /// Seconds from the first start to the last end.
    func span() -> Double {
        lock.lock(); defer { lock.unlock() }
        guard let first = events.first(where: { $0.0 == "start" })?.1, let last = events.last(where: { $0.0 == "end" })?.1 else { return 0 }
        return last - first
    }
}

func eventuallyValue<T>(timeout: TimeInterval, _ value: () -> T?) -> T? {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if let v = value() { return v }
        usleep(50_000)
    }
    return value()
}

extension FulltextDaemonTests {
    /// SIGKILL while a page is in flight: nothing was stored for it, so the restarted daemon
    /// fetches it again; every entry ends with one extracted text and one analysis of it.
    func testSIGKILLDuringAPageFetchesItAgainAfterRestart() throws {
        let article = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../PipelineTests/FulltextFixtures/article-en.html").standardizedFileURL, encoding: .utf8)
        pageRoutes.set("/robots.txt", .status(404))
        let log = pageLog
        let slow = Mutable(true)
        pageRoutes.set("/story/0") { _ in
            log.record("start")
            if slow.value { usleep(10_000_000) }
            return .ok(article, contentType: "text/html")
        }
        let date = RSSFixture.rfc822(Date().addingTimeInterval(-600))
        feeds.set("/herald.xml", body: "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>H</title><link>http://127.0.0.2/</link><item><title>Summit ends</title><link>\(pages.url("/story/0"))</link><guid>h0</guid><pubDate>\(date)</pubDate><description>Officials met this week.</description></item></channel></rss>")
        let config = dir.url.appendingPathComponent("feeds.conf")
        var conf = FeedsConf(daemon: FulltextDaemonFixture.daemon(), feeds: [FulltextDaemonFixture.feeds(feeds)[0]])
        conf.table("fulltext", "timeout = \"30s\"")
        try conf.write(to: config)
        let first = try DaemonProcess(arguments: ["run", "--config", config.path], environment: ["DYADWATCH_CLOCK_SCALE": "60"],
                                      logURL: dir.url.appendingPathComponent("daemon-1.log"))
        XCTAssertTrue(eventually(timeout: 15) { log.count("start") == 1 }, first.log)
        first.signal(SIGKILL)
        first.terminate()
        slow.value = false

        let second = try DaemonProcess(arguments: ["run", "--config", config.path], environment: ["DYADWATCH_CLOCK_SCALE": "60"],
                                       logURL: dir.url.appendingPathComponent("daemon-2.log"))
        daemon = second
        XCTAssertNotNil(second.waitForLog("msg=fulltext_extracted", "feed=herald", timeout: 20), second.log)
        XCTAssertEqual(log.count("start"), 2, "fetched again after the restart")
        second.signal(SIGTERM)
        XCTAssertEqual(second.waitForExit(timeout: 10), 0)
        let db = try DatabaseQueue(path: dir.url.appendingPathComponent("state/dyadwatch.sqlite").path)
        let row = try XCTUnwrap(try db.read { db in
            try Row.fetchOne(db, sql: """
                SELECT COUNT(*) AS n, entries.revision AS rev, trends_analysis.revision AS analyzed, entries.fulltext_status AS status
                FROM entries JOIN trends_analysis ON trends_analysis.entry_id = entries.id
                """)
        })
        XCTAssertEqual(row["n"] as Int?, 1)
        XCTAssertEqual(row["status"] as String?, "extracted")
        XCTAssertEqual(row["rev"] as Int?, 2)
        XCTAssertEqual(row["analyzed"] as Int?, 2, "the extracted text was analyzed")
    }
}

final class Mutable<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T
    init(_ value: T) { stored = value }
    var value: T {
        get { lock.lock(); defer { lock.unlock() }; return stored }
        set { lock.lock(); stored = newValue; lock.unlock() }
    }
}
