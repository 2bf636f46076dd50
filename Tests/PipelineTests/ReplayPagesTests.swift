import DyadConfig
import DyadCore
import FeedStorage
import Foundation
import Pipeline
import PostgresStorage
import StorageConformance
import TestSupport
import Trends
import XCTest

/// Issue 14 item 1: `replay --pages` looks each entry's link up in a page archive and sends the
/// page through the live full-text path (extractor, storage, re-analysis); absent links keep
/// their feed text; the output is byte-identical on a rerun and a resumed replay.
final class ReplayPagesTests: XCTestCase {
    var temp: TemporaryDirectory!
    override func setUpWithError() throws { temp = try TemporaryDirectory(prefix: "dyadwatch-replay-pages") }
    override func tearDown() { temp.remove() }

    static let feeds = [
        FeedConfig(id: "herald", name: "Herald", url: "https://herald.example/rss", outlet: "Herald", group: "western", fulltext: true),
        FeedConfig(id: "plain", name: "Plain", url: "https://plain.example/rss", outlet: "Plain", group: "cn-state"),
    ]
    static let outputs = ["logs/alerts.log", "logs/alerts.jsonl", "trends/daily.csv", "trends/hourly.csv", "trends/latest.json"]

    /// Two snapshots of `herald` (a day apart) and one of `plain`; an archive with a plain page,
    /// a gzipped page, a consent wall, a robots-disallowed prefix; one link is missing.
    func makeInputs() throws -> (feeds: URL, pages: URL) {
        let feeds = temp.url.appendingPathComponent("feeds"), pages = temp.url.appendingPathComponent("pages")
        for d in ["herald", "plain"] { try FileManager.default.createDirectory(at: feeds.appendingPathComponent(d), withIntermediateDirectories: true) }
        try FileManager.default.createDirectory(at: pages.appendingPathComponent("2026/11"), withIntermediateDirectories: true)
        let t0 = Date(timeIntervalSince1970: 1_795_000_000)
        func item(_ id: String, _ host: String) -> RSSFixture.Item {
            RSSFixture.Item(guid: id, title: "Summit ends \(id)", link: "https://\(host)/\(id)", published: t0, description: "Officials met this week.")
        }
        try RSSFixture.document(items: [item("limits", "herald.example"), item("trade", "herald.example"), item("missing", "herald.example")])
            .write(to: feeds.appendingPathComponent("herald/20261119T120000Z.xml"), atomically: false, encoding: .utf8)
        try RSSFixture.document(items: [item("consent", "herald.example"), item("members/paywalled", "herald.example")])
            .write(to: feeds.appendingPathComponent("herald/20261120T120000Z.xml"), atomically: false, encoding: .utf8)
        try RSSFixture.document(items: [item("limits", "plain.example")])
            .write(to: feeds.appendingPathComponent("plain/20261119T130000Z.xml"), atomically: false, encoding: .utf8)

        let en = try FulltextFixture.text("article-en.html")
        try en.write(to: pages.appendingPathComponent("2026/11/limits.html"), atomically: false, encoding: .utf8)
        let ru = FulltextFixture.encode(try FulltextFixture.text("article-ru.html"), as: "WINDOWS-1251")
        try Data(Gzip.gzip(ru)).write(to: pages.appendingPathComponent("2026/11/trade.html.gz"))
        try FulltextFixture.text("consent-wall.html").write(to: pages.appendingPathComponent("consent.html"), atomically: false, encoding: .utf8)
        try en.write(to: pages.appendingPathComponent("paywalled.html"), atomically: false, encoding: .utf8)
        try """
            # URL<TAB>file
            https://herald.example/limits\t2026/11/limits.html
            https://herald.example/trade\t2026/11/trade.html.gz
            https://herald.example/consent\tconsent.html
            https://herald.example/members/paywalled\tpaywalled.html
            https://plain.example/limits\t2026/11/limits.html

            """.write(to: pages.appendingPathComponent("index.tsv"), atomically: false, encoding: .utf8)
        try "https://herald.example/members/\n".write(to: pages.appendingPathComponent("robots.tsv"), atomically: false, encoding: .utf8)
        return (feeds, pages)
    }

    func replay(_ feeds: URL, pages: URL, into out: URL,
                state: ((ReplayRunner.Layout) throws -> StateStores)? = nil) throws -> ReplayRunner.Summary {
        var params = DetectorParameters(); params.warmupBuckets = 5; params.closeDelay = 86_400
        var runner = ReplayRunner(feedsDirectory: feeds, layout: .init(root: out), feeds: Self.feeds, parameters: params,
                                  analyze: KeywordAnalyzer.analyze)
        if let state { runner.openState = state }
        runner.pages = try PageArchive(directory: pages, maxBody: 5 << 20)
        var fulltext = FulltextConfig()
        fulltext.minTextLength = 200
        runner.fulltext = fulltext
        return try runner.run()
    }

    func testPagesGoThroughTheLivePathAndTheOutputIsReproducible() throws {
        let (feeds, pages) = try makeInputs()
        let out = temp.url.appendingPathComponent("out")
        let summary = try replay(feeds, pages: pages, into: out)
        XCTAssertEqual(summary.pages, [.extracted: 2, .absent: 1, .tooShort: 1, .robots: 1])

        let store = try FeedStore(directory: out.appendingPathComponent("state"))
        let herald = Dictionary(uniqueKeysWithValues: try store.entries(of: "herald").map { ($0.guid ?? "", $0) })
        XCTAssertTrue(herald["limits"]?.fulltext?.contains("junior partner") ?? false)
        XCTAssertTrue(herald["trade"]?.fulltext?.contains("Москва и Пекин договорились") ?? false, "gunzipped, windows-1251 from <meta>")
        XCTAssertEqual(herald["missing"]?.fulltextStatus, "absent")
        XCTAssertNil(herald["missing"]?.fulltext)
        XCTAssertEqual(herald["missing"]?.text, "Officials met this week.")
        XCTAssertEqual(herald["members/paywalled"]?.fulltextStatus, "robots")
        XCTAssertEqual(herald["consent"]?.fulltextStatus, "too_short")
        XCTAssertNil(try store.entries(of: "plain").first?.fulltextStatus, "pages only for fulltext = true feeds")

        // The extracted text was analyzed: the (English) keyword analyzer finds Beijing and Moscow in
        // the English body; the feed text alone names neither.
        let sinkCheck = try store.writer.read { db in
            try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM entries JOIN trends_analysis ON trends_analysis.entry_id = entries.id
                WHERE entries.fulltext IS NOT NULL AND trends_analysis.revision = entries.revision
                  AND json_extract(trends_analysis.result, '$.dyad.isDyad') = 1
                """)
        }
        XCTAssertEqual(sinkCheck, 1)

        // A second replay into a new directory: byte-identical outputs.
        let again = temp.url.appendingPathComponent("again")
        _ = try replay(feeds, pages: pages, into: again)
        for f in Self.outputs {
            XCTAssertEqual(try? Data(contentsOf: out.appendingPathComponent(f)), try? Data(contentsOf: again.appendingPathComponent(f)), f)
        }

        // Resume: a replay that stopped after the first day, continued with the rest, ends the same.
        let partialFeeds = temp.url.appendingPathComponent("partial")
        try FileManager.default.copyItem(at: feeds, to: partialFeeds)
        try FileManager.default.removeItem(at: partialFeeds.appendingPathComponent("herald/20261120T120000Z.xml"))
        let resumed = temp.url.appendingPathComponent("resumed")
        _ = try replay(partialFeeds, pages: pages, into: resumed)
        let rest = try replay(feeds, pages: pages, into: resumed)
        XCTAssertEqual(rest.pages, [.tooShort: 1, .robots: 1], "only the new entries' pages")
        for f in Self.outputs {
            XCTAssertEqual(try? Data(contentsOf: out.appendingPathComponent(f)), try? Data(contentsOf: resumed.appendingPathComponent(f)), f)
        }
    }

    /// The same replay with its state on PostgreSQL (the page queue and its claims there): the
    /// same page outcomes, stored texts and byte-identical outputs. Skips without a test server.
    func testOnPostgreSQLTheOutputsAreTheSame() throws {
        let database = try TestServer.database()
        defer { database.drop() }
        let (feeds, pages) = try makeInputs()
        let sqlite = temp.url.appendingPathComponent("sqlite"), postgres = temp.url.appendingPathComponent("postgres")
        let expected = try replay(feeds, pages: pages, into: sqlite)
        let opened = try database.open(node: "replay")
        defer { opened.client.close() }
        let summary = try replay(feeds, pages: pages, into: postgres, state: { _ in
            StateStores(feeds: opened.feeds, analysis: opened.analysis, location: opened.client.location)
        })
        XCTAssertEqual(summary, expected)
        XCTAssertEqual(try opened.feeds.fulltextCounts(), try FeedStore(directory: sqlite.appendingPathComponent("state")).fulltextCounts())
        XCTAssertEqual(try opened.feeds.entries(of: "herald").map(\.fulltext),
                       try FeedStore(directory: sqlite.appendingPathComponent("state")).entries(of: "herald").map(\.fulltext))
        for f in Self.outputs {
            XCTAssertEqual(try? Data(contentsOf: sqlite.appendingPathComponent(f)), try? Data(contentsOf: postgres.appendingPathComponent(f)), f)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: postgres.appendingPathComponent("state/dyadwatch.sqlite").path))
    }

    func testABadArchiveIsRefusedWithItsLine() throws {
        let dir = temp.url.appendingPathComponent("bad")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        XCTAssertThrowsError(try PageArchive(directory: dir, maxBody: 1 << 20)) { XCTAssertTrue("\($0)".contains("index.tsv"), "\($0)") }
        try "https://a.example/x\tpages/x.html\nhttps://a.example/y ../../etc/passwd\n".write(to: dir.appendingPathComponent("index.tsv"), atomically: false, encoding: .utf8)
        XCTAssertThrowsError(try PageArchive(directory: dir, maxBody: 1 << 20)) { XCTAssertTrue("\($0)".contains("index.tsv:2"), "\($0)") }
        try "https://a.example/y\t../../etc/passwd\n".write(to: dir.appendingPathComponent("index.tsv"), atomically: false, encoding: .utf8)
        XCTAssertThrowsError(try PageArchive(directory: dir, maxBody: 1 << 20)) { XCTAssertTrue("\($0)".contains("inside the archive"), "\($0)") }
        // A gzip bomb is cut at max_body.
        try "https://a.example/bomb\tbomb.html.gz\n".write(to: dir.appendingPathComponent("index.tsv"), atomically: false, encoding: .utf8)
        try Data(Gzip.gzip([UInt8](repeating: 0x20, count: 4 << 20))).write(to: dir.appendingPathComponent("bomb.html.gz"))
        let archive = try PageArchive(directory: dir, maxBody: 1 << 20)
        guard case .failed(.tooLarge, _, _) = archive.page(for: "https://a.example/bomb") else { return XCTFail("bomb not cut") }
        // A robots.tsv that cannot be read is refused, not silently replaced by "allow everything".
        try Data([0xFF, 0xFE, 0xC3, 0x28]).write(to: dir.appendingPathComponent("robots.tsv"))
        XCTAssertThrowsError(try PageArchive(directory: dir, maxBody: 1 << 20)) { XCTAssertTrue("\($0)".contains("robots.tsv"), "\($0)") }
    }
}

/// `dyadwatch replay --pages` as a process: the page counts it prints, and a bad archive refused.
extension CommandLineTests {
    func testReplayWithPagesPrintsPageCountsAndRefusesABadArchive() throws {
        let dir = try TemporaryDirectory(prefix: "dyadwatch-replay-pages-cli")
        defer { dir.remove() }
        let feeds = dir.url.appendingPathComponent("feeds/herald"), pages = dir.url.appendingPathComponent("pages")
        try FileManager.default.createDirectory(at: feeds, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: pages, withIntermediateDirectories: true)
        let items = ["a", "b"].map { (id: String) in
            RSSFixture.Item(guid: id, title: "Summit ends", link: "https://herald.example/\(id)",
                            published: Date(timeIntervalSince1970: 1_795_000_000), description: "Officials met.")
        }
        try RSSFixture.document(items: items).write(to: feeds.appendingPathComponent("20261119T120000Z.xml"), atomically: false, encoding: .utf8)
        try FulltextFixture.text("article-en.html").write(to: pages.appendingPathComponent("a.html"), atomically: false, encoding: .utf8)
        try "https://herald.example/a\ta.html\n".write(to: pages.appendingPathComponent("index.tsv"), atomically: false, encoding: .utf8)
        let config = dir.url.appendingPathComponent("feeds.conf")
        try "[[feed]]\nid = \"herald\"\nname = \"Herald\"\nurl = \"https://herald.example/rss\"\ngroup = \"western\"\nfulltext = true\n"
            .write(to: config, atomically: false, encoding: .utf8)
        let out = dir.url.appendingPathComponent("out").path
        let ok = try run(["replay", "--feeds", dir.url.appendingPathComponent("feeds").path, "--pages", pages.path,
                          "--config", config.path, "--out", out])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertTrue(ok.stderr.contains("replay: pages: 1 extracted, 1 absent"), ok.stderr)

        let bad = try run(["replay", "--feeds", dir.url.appendingPathComponent("feeds").path, "--pages", dir.url.path,
                           "--config", config.path, "--out", out])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("index.tsv"), bad.stderr)
    }
}
