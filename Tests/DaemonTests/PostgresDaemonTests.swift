import DyadCore
import FeedStorage
import Foundation
import PostgresStorage
import StorageConformance
import TestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Two real daemons on one PostgreSQL database with a `fulltext = true` feed: every page is
/// fetched once (claimed by one daemon), extracted, stored and analyzed; then `status`,
/// `articles`, `report` and the `[http]` endpoint answer from PostgreSQL (no SQLite file is made).
/// Needs `$DYADWATCH_TEST_PG` (scripts/test.sh starts a throw-away server); skips visibly without.
final class PostgresDaemonTests: XCTestCase {
    var dir: TemporaryDirectory!
    var feeds: LoopbackFeedServer!
    var pages: LoopbackHTTPServer!
    let pageRoutes = RouteTable()
    var database: TestServer.Database?
    var daemons: [DaemonProcess] = []
    /// Real seconds each page takes to answer, so both daemons work the queue at once.
    static let pageDelay: TimeInterval = 1.5
    static let pageCount = 4

    override func setUpWithError() throws {
        database = try TestServer.database()
        dir = try TemporaryDirectory(prefix: "dyadwatch-pg-daemon")
        feeds = try LoopbackFeedServer()
        pages = try LoopbackHTTPServer(address: "127.0.0.2", handler: pageRoutes.handler)
    }

    override func tearDown() {
        for daemon in daemons {
            if daemon.process.isRunning, testRun?.hasSucceeded == false { print("--- daemon log ---\n\(daemon.log)") }
            daemon.terminate()
        }
        pages?.stop(); feeds?.stop(); dir?.remove()
        database?.drop()
    }

    func config(node: String, http: UInt16?) throws -> URL {
        let db = try XCTUnwrap(database)
        let url = dir.url.appendingPathComponent("feeds-\(node).conf")
        var conf = FeedsConf(daemon: FulltextDaemonFixture.daemon(suffix: "-\(node)", "log_level = \"info\""),
                             feeds: FulltextDaemonFixture.feeds(feeds))
        conf.table("storage", "url = \"\(db.url)\"", "tls = \"disable\"", "node = \"\(node)\"")
        conf.table("fulltext", "host_delay = \"0s\"", "timeout = \"20s\"", "first_poll_backlog = 10")
        if let http { conf.table("http", "listen = \"127.0.0.1:\(http)\"") }
        try conf.write(to: url)
        return url
    }

    func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let run = try BinaryRun.run(arguments)
        return (run.status, run.stdout, run.stderr)
    }

    func testTwoDaemonsShareThePageQueueAndTheReadersAnswerFromPostgreSQL() throws {
        let article = try FulltextDaemonFixture.article()
        pageRoutes.set("/robots.txt", .status(404))
        for i in 0..<Self.pageCount {
            pageRoutes.set("/story/\(i)") { _ in
                usleep(useconds_t(Self.pageDelay * 1_000_000))
                return .ok(article, contentType: "text/html; charset=utf-8")
            }
        }
        // Headlines that name neither side; the bodies name both. Dated in the current hour (so
        // that /api/trends' current hour holds them all), none in the future.
        let now = Date().timeIntervalSince1970, hourStart = (now / 3_600).rounded(.down) * 3_600
        feeds.set("/herald.xml", body: FulltextDaemonFixture.heraldRSS(pages: pages, count: Self.pageCount) { i in
            Date(timeIntervalSince1970: hourStart + (now - hourStart) * Double(i) / Double(Self.pageCount))
        })
        feeds.set("/alpha.xml", body: TestFeeds.rss(title: "alpha", items: TestFeeds.dyadItems("alpha", count: 2)))

        let port = try RawHTTP.freePort()
        let configA = try config(node: "a", http: port), configB = try config(node: "b", http: nil)
        let a = try DaemonProcess(arguments: ["run", "--config", configA.path], environment: [:], logURL: dir.url.appendingPathComponent("a.log"))
        daemons.append(a)
        XCTAssertNotNil(a.waitForLog("http endpoint listening", timeout: 30), a.log)
        // b joins while a works through the pages.
        XCTAssertTrue(eventually(timeout: 20) { self.pages.requests(to: "/story/0").count + self.pages.requests(to: "/story/3").count >= 1 }, a.log)
        let b = try DaemonProcess(arguments: ["run", "--config", configB.path], environment: [:], logURL: dir.url.appendingPathComponent("b.log"))
        daemons.append(b)

        func extracted(_ d: DaemonProcess) -> Int { d.logLines.filter { $0.contains("msg=fulltext_extracted") }.count }
        XCTAssertTrue(eventually(timeout: 40) { extracted(a) + extracted(b) == Self.pageCount }, a.log + b.log)
        let requests = (0..<Self.pageCount).map { pages.requests(to: "/story/\($0)").count }
        XCTAssertEqual(requests, Array(repeating: 1, count: Self.pageCount), "every page fetched once over both daemons")
        print("PG-FULLTEXT: \(Self.pageCount) pages, requests per page \(requests); extracted by a: \(extracted(a)), by b: \(extracted(b))")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.url.appendingPathComponent("state-a/dyadwatch.sqlite").path), "no SQLite state")

        // Stored beside the feed text, and analyzed again from the body.
        let state = try XCTUnwrap(database).open()
        let herald = try XCTUnwrap(eventuallyValue(timeout: 10) { () -> [StoredEntryAnalysis]? in
            guard let entries = try? state.feeds.entries(of: "herald"),
                  let analyses = try? state.analysis.read({ try $0.trends.analyzedRevisions(entryIDs: entries.compactMap(\.id)) }),
                  entries.count == Self.pageCount, entries.allSatisfy({ analyses[$0.id!] == $0.revision }) else { return nil }
            return entries.map { StoredEntryAnalysis(entry: $0, analyzedRevision: analyses[$0.id!]!) }
        }, "each entry's body analyzed\n" + a.log + b.log)
        for h in herald {
            XCTAssertEqual(h.entry.fulltextStatus, "extracted")
            XCTAssertEqual(h.entry.text, "Officials met this week.", "the feed text is kept")
            XCTAssertTrue(h.entry.fulltext?.contains("junior partner") == true)
            XCTAssertEqual(h.entry.revision, 2)
        }
        // An alert in the shared outbox, for the readers to find.
        _ = try state.analysis.write { try $0.outbox.enqueue([StorageConformance.alert(1)]) }

        // status: the page counts and both nodes.
        let status = try run(["status", "--config", configB.path])
        XCTAssertEqual(status.status, 0, status.stderr)
        XCTAssertTrue(status.stdout.contains("full text: 4 fetched, 4 extracted, 0 too short, 0 blocked by robots, 0 failed, 0 pending"), status.stdout)

        // articles: every entry, the herald ones read as China–Russia from their bodies.
        let listed = try run(["articles", "--config", configB.path, "--since", "2d", "--jsonl"])
        XCTAssertEqual(listed.status, 0, listed.stderr)
        struct Row: Decodable { var feedID: String; var title: String; var dyad: Bool?; var topCue: String? }
        let rows = try listed.stdout.split(separator: "\n").map { try DyadJSON.decoder().decode(Row.self, from: Data($0.utf8)) }
        XCTAssertEqual(rows.count, Self.pageCount + 2, listed.stdout)
        XCTAssertEqual(rows.filter { $0.feedID == "herald" }.map(\.dyad), Array(repeating: true, count: Self.pageCount), listed.stdout)
        let onlyHerald = try run(["articles", "--config", configB.path, "--since", "2d", "--jsonl", "--feed", "herald", "--limit", "2"])
        XCTAssertEqual(onlyHerald.stdout.split(separator: "\n").count, 2, onlyHerald.stdout)

        // report: the trend page from the database.
        let report = try run(["report", "--config", configB.path, "--out", "-"])
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertTrue(report.stdout.contains("<h1>China–Russia coverage</h1>"))
        XCTAssertFalse(report.stdout.contains("No data yet."), "the page has the stored articles")
        XCTAssertTrue(report.stdout.contains(StorageConformance.alert(1).id), "the alert's marker")

        // The endpoint of daemon a.
        let page = try RawHTTP.get(port: port, "/?since=30d")
        XCTAssertEqual(page.status, 200)
        XCTAssertFalse(page.body.contains("No data yet."))
        let alerts = try RawHTTP.get(port: port, "/api/alerts")
        XCTAssertEqual(alerts.status, 200, alerts.body)
        XCTAssertTrue(alerts.body.contains(StorageConformance.alert(1).id), alerts.body)
        let trends = try RawHTTP.get(port: port, "/api/trends")
        XCTAssertEqual(trends.status, 200, trends.body)
        struct Latest: Decodable { var currentHour: [String: Row]; var recentAlerts: [Alert]
            struct Row: Decodable { var entries: Int }; struct Alert: Decodable { var id: String } }
        let latest = try DyadJSON.decoder().decode(Latest.self, from: Data(trends.body.utf8))
        XCTAssertEqual(latest.currentHour["group:western"]?.entries, Self.pageCount, trends.body)
        XCTAssertEqual(latest.recentAlerts.map(\.id), [StorageConformance.alert(1).id])
        let health = try RawHTTP.get(port: port, "/healthz")
        XCTAssertEqual(health.status, 200, health.body)
        let metrics = try PrometheusText(try RawHTTP.get(port: port, "/metrics").body)
        XCTAssertEqual(metrics.values("dyadwatch_feeds").first { $0.labels["health"] == "ok" }?.value, 2)
        XCTAssertGreaterThan(metrics.values("dyadwatch_database_bytes").first?.value ?? 0, 0)
        XCTAssertNotNil(metrics.values("dyadwatch_outbox_pending").first)

        for d in [a, b] { d.signal(SIGTERM) }
        XCTAssertEqual(a.waitForExit(timeout: 15), 0, a.log)
        XCTAssertEqual(b.waitForExit(timeout: 15), 0, b.log)
        state.client.close()
    }
}

extension PostgresDaemonTests {
    /// `poll --once` on a shared database takes the daemons' feed leases: a feed a running daemon
    /// holds is skipped with a line saying so (even with `--all --force`, and although feeds.conf
    /// names the same node as that daemon's), the others are polled; once the lease ends it is polled.
    func testPollOnceLeavesAFeedThatADaemonHoldsAlone() throws {
        let db = try XCTUnwrap(database)
        feeds.set("/alpha.xml", body: TestFeeds.rss(title: "alpha", items: TestFeeds.dyadItems("alpha", count: 2)))
        feeds.set("/beta.xml", body: TestFeeds.rss(title: "beta", items: TestFeeds.dyadItems("beta", count: 2)))
        var conf = FeedsConf(daemon: FulltextDaemonFixture.daemon(), feeds: [
            FeedsConf.Feed(id: "alpha", url: feeds.url("/alpha.xml"), group: "cn-state"),
            FeedsConf.Feed(id: "beta", url: feeds.url("/beta.xml"), group: "western"),
        ])
        conf.table("storage", "url = \"\(db.url)\"", "tls = \"disable\"", "node = \"a\"")
        let config = dir.url.appendingPathComponent("poll.conf")
        try conf.write(to: config)

        let first = try run(["poll", "--once", "--config", config.path])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual([feeds.hitCount("/alpha.xml"), feeds.hitCount("/beta.xml")], [1, 1], first.stdout)

        // Daemon `a` is polling alpha now.
        let daemonA = try db.open(node: "a")
        defer { daemonA.client.close() }
        XCTAssertEqual(try daemonA.feeds.claimNow("alpha", now: Date()), .claimed)
        let second = try run(["poll", "--once", "--all", "--force", "--config", config.path])
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertEqual([feeds.hitCount("/alpha.xml"), feeds.hitCount("/beta.xml")], [1, 2], second.stdout)
        XCTAssertTrue(second.stdout.contains("skipped  alpha  being polled by a (its lease ends in "), second.stdout)
        XCTAssertTrue(second.stdout.contains("1 left to other daemons"), second.stdout)
        XCTAssertEqual(try daemonA.feeds.claimNow("beta", now: Date()), .claimed, "the manual poll released its lease on beta")
        try daemonA.feeds.leave()
        XCTAssertEqual(try daemonA.feeds.claimNow("alpha", now: Date()), .claimed)

        // The daemon stores its poll (or stops): the lease ends, a manual poll takes the feed.
        try daemonA.feeds.leave()
        let third = try run(["poll", "--once", "--feed", "alpha", "--config", config.path])
        XCTAssertEqual(third.status, 0, third.stderr)
        XCTAssertEqual(feeds.hitCount("/alpha.xml"), 2, third.stdout)
        XCTAssertFalse(third.stdout.contains("skipped"), third.stdout)
    }
}

struct StoredEntryAnalysis {
    var entry: StoredEntry
    var analyzedRevision: Int
}
