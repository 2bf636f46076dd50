import XCTest
import DyadCore
import Pipeline
import TestSupport

/// `replay` writes `trends/index.html`: the page exists, can fetch nothing, and shows every alert
/// of `logs/alerts.jsonl` as a marker carrying its id. Hermetic on the small fixtures; then on the
/// 2022 history through the real binary when ../shared is present.
final class TrendPageReplayTests: XCTestCase {
    var temp: TemporaryDirectory!
    override func setUpWithError() throws { temp = try TemporaryDirectory() }
    override func tearDown() { temp.remove() }

    /// Marker ids in the page (`<a class="marker …" … data-alert-id="ID">`).
    static func markerIDs(_ html: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: ##"<a class="marker[^"]*" href="#alert-[^"]+" data-alert-id="([^"]+)">"##)
        return regex.matches(in: html, range: NSRange(html.startIndex..., in: html)).map { String(html[Range($0.range(at: 1), in: html)!]) }
    }

    /// Alert ids of alerts.jsonl, one per line.
    static func jsonlIDs(_ url: URL) throws -> [String] {
        let decoder = DyadJSON.decoder()
        struct IDOnly: Decodable { var id: String }
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
            try decoder.decode(IDOnly.self, from: Data($0.utf8)).id
        }
    }

    /// What a page must be: present, self-contained, every alert once as a marker.
    static func checkPage(out: URL, file: StaticString = #filePath, line: UInt = #line) throws -> (markers: Int, alerts: Int) {
        let page = out.appendingPathComponent("trends/index.html")
        let html = try String(contentsOf: page, encoding: .utf8)
        let ids = try jsonlIDs(out.appendingPathComponent("logs/alerts.jsonl"))
        let markers = markerIDs(html)
        XCTAssertEqual(markers.sorted(), ids.sorted(), "one marker per alert of alerts.jsonl", file: file, line: line)
        for needle in [" src=", "<link", "@import", "url(", "<iframe", "<img", "fetch(", "XMLHttpRequest"] {
            XCTAssertFalse(html.contains(needle), "the page must not load anything (\(needle))", file: file, line: line)
        }
        return (markers.count, ids.count)
    }

    func testReplayOfTheFixturesWritesAPageWithEveryAlertAsAMarker() throws {
        let out = temp.url.appendingPathComponent("out")
        let summary = try ReplayRunner(feedsDirectory: ReplayGoldenTests.feeds, layout: .init(root: out), feeds: ReplayGoldenTests.config,
                                       parameters: ReplayGoldenTests.params, analyze: KeywordAnalyzer.analyze).run()
        XCTAssertGreaterThanOrEqual(summary.alerts, 1)
        let counts = try Self.checkPage(out: out)
        XCTAssertEqual(counts.markers, summary.alerts)
        let html = try String(contentsOf: out.appendingPathComponent("trends/index.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("2022-01-02 to 2022-01-15 (UTC)"), "window from the first to the last day with data")
        XCTAssertTrue(html.contains("Russia and China hold joint naval drill"), "evidence headline in the alert details")
    }

    /// The 2022 demo end to end with the real binary and analyzer (skips without ../shared).
    func testReplayOf2022HistoryShowsEveryAlertAsAMarker() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let feeds = root.appendingPathComponent("../shared/corpus/headlines-2022/feeds").standardizedFileURL
        guard FileManager.default.fileExists(atPath: feeds.path) else { throw XCTSkip("../shared/corpus/headlines-2022 is not here (\(feeds.path))") }
        guard let binary = CommandLineTests.binary else { throw XCTSkip("dyadwatch binary not built next to the tests") }
        let out = temp.url.appendingPathComponent("replay-2022")
        let process = Process()
        process.executableURL = binary
        process.arguments = ["replay", "--feeds", feeds.path, "--config", root.appendingPathComponent("examples/replay-2022.conf").path, "--out", out.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        let counts = try Self.checkPage(out: out)
        XCTAssertGreaterThanOrEqual(counts.alerts, 3, "the demo's surges")
        print("REPLAY-2022 trend page: \(counts.markers) markers for \(counts.alerts) alerts in alerts.jsonl")
    }
}
