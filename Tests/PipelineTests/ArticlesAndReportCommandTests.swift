import XCTest
import DyadCore
import Pipeline
import DyadConfig
import FeedStorage
import Alerts
import TestSupport

/// `dyadwatch articles` and `dyadwatch report` as processes, over the state a fixture replay left.
final class ArticlesAndReportCommandTests: XCTestCase {
    var temp: TemporaryDirectory!
    var config: URL!
    var alerts = 0

    override func setUpWithError() throws {
        temp = try TemporaryDirectory()
        let out = temp.url.appendingPathComponent("out")
        alerts = try ReplayRunner(feedsDirectory: ReplayGoldenTests.feeds, layout: .init(root: out), feeds: ReplayGoldenTests.config,
                                  parameters: ReplayGoldenTests.params, analyze: KeywordAnalyzer.analyze).run().alerts
        config = temp.url.appendingPathComponent("feeds.conf")
        try """
            [daemon]
            state_dir = "out/state"
            log_dir = "out/logs"
            trends_dir = "out/trends"

            [[feed]]
            id = "alpha"
            name = "Alpha News"
            url = "https://example.invalid/alpha/"
            outlet = "Alpha News"
            group = "cn-state"
            """.write(to: config, atomically: false, encoding: .utf8)
    }

    override func tearDown() { temp.remove() }

    /// The binary with these arguments: status, stdout, stderr.
    func run(_ arguments: [String]) throws -> CommandLineTests.Run {
        try CommandLineTests.run(arguments)
    }

    struct Row: Decodable { var time: Date; var feedID: String; var outlet: String; var title: String; var dyad: Bool?; var stance: String?; var frames: [String] }

    func articles(_ extra: [String]) throws -> [Row] {
        let listed = try run(["articles", "--config", config.path, "--since", "2022-01-01", "--until", "2022-02-01"] + extra)
        XCTAssertEqual(listed.status, 0, listed.stderr)
        let decoder = DyadJSON.decoder()
        return try listed.stdout.split(separator: "\n").map { try decoder.decode(Row.self, from: Data($0.utf8)) }
    }

    func testArticlesListsStoredEntriesWithTheirAnalysisNewestFirst() throws {
        let all = try articles([])  // stdout is a pipe: JSON lines
        XCTAssertEqual(all.count, 98, "every entry of the replay")
        XCTAssertEqual(all.map(\.time), all.map(\.time).sorted(by: >), "newest first")
        XCTAssertTrue(all.allSatisfy { $0.dyad != nil }, "every entry was analyzed")
        XCTAssertEqual(Set(all.map(\.outlet)), ["Alpha News", "beta"], "configured outlet name; unknown feed by its id")

        let dyad = try articles(["--dyad"])
        XCTAssertFalse(dyad.isEmpty)
        XCTAssertTrue(dyad.allSatisfy { $0.dyad == true })
        XCTAssertEqual(dyad.count, all.filter { $0.dyad == true }.count)

        let alpha = try articles(["--feed", "alpha", "--limit", "5"])
        XCTAssertEqual(alpha.count, 5)
        XCTAssertTrue(alpha.allSatisfy { $0.feedID == "alpha" })

        for label in ["supportive", "critical"] {
            let rows = try articles(["--stance", label])
            XCTAssertTrue(rows.allSatisfy { $0.stance == label && $0.dyad == true }, label)
        }
        let bad = try run(["articles", "--config", config.path, "--since", "yesterday"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("--since"), bad.stderr)
    }

    /// In process: small pages (keyset paging over the entries, analyses per page) give the same rows.
    func testListingInSmallBatchesGivesTheSameRows() throws {
        let configuration = try ConfigurationLoader.load(path: config.path)
        let path = configuration.daemon.stateDir.appendingPathComponent(FeedStore.fileName).path
        let store = try FeedStore(readOnlyPath: path, busyTimeout: 5)
        let state = StateStores(feeds: store, analysis: SQLiteAnalysisStore(readOnly: store.writer), location: "sqlite:" + path)
        let listing = ArticleListing(configuration: configuration)
        var filter = ArticleListing.Filter(from: Date(timeIntervalSince1970: 0), to: Date())
        filter.dyadOnly = true
        let whole = try listing.rows(state, filter)
        let small = try listing.rows(state, filter, batchSize: 7)
        XCTAssertFalse(whole.isEmpty)
        XCTAssertEqual(small, whole)
        XCTAssertEqual(try listing.rows(state, filter, batchSize: 1), whole)
        filter.limit = 3
        XCTAssertEqual(try listing.rows(state, filter, batchSize: 2), Array(whole.prefix(3)))
    }

    func testReportWritesThePageWithEveryAlert() throws {
        let page = temp.url.appendingPathComponent("page.html")
        let written = try run(["report", "--config", config.path, "--out", page.path])
        XCTAssertEqual(written.status, 0, written.stderr)
        let html = try String(contentsOf: page, encoding: .utf8)
        XCTAssertEqual(TrendPageReplayTests.markerIDs(html).count, alerts)
        XCTAssertGreaterThanOrEqual(alerts, 1)

        let narrow = try run(["report", "--config", config.path, "--out", "-", "--since", "2022-01-14", "--scope", "group:other"])
        XCTAssertEqual(narrow.status, 0, narrow.stderr)
        XCTAssertTrue(narrow.stdout.contains("Scope <b>group:other</b> · 2022-01-14"), String(narrow.stdout.prefix(4000)))
        XCTAssertEqual(try run(["report", "--config", config.path, "--scope", "nonsense"]).status, 64)
    }
}
