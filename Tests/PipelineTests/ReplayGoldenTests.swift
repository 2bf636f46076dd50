import XCTest
import DyadConfig
import DyadCore
import FeedStorage
import Pipeline
import Trends
import TestSupport

/// A small replay end to end (fixture snapshots → store → analysis → trends → alerts and trend
/// files) against golden files; determinism; and a replay killed midway then rerun.
/// Refresh the golden files with `DYADWATCH_UPDATE_GOLDEN=1 swift test --filter ReplayGoldenTests`.
final class ReplayGoldenTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("ReplayFixtures")
    static let feeds = fixtures.appendingPathComponent("feeds")
    static let golden = fixtures.appendingPathComponent("golden")
    /// The output files compared byte for byte.
    static let outputs = ["logs/alerts.log", "logs/alerts.jsonl", "trends/daily.csv", "trends/hourly.csv", "trends/latest.json"]

    var temp: TemporaryDirectory!
    override func setUpWithError() throws { temp = try TemporaryDirectory() }
    override func tearDown() { temp.remove() }

    /// `alpha` is configured; `beta` is not (replayed as group `other`).
    static let config: [FeedConfig] = [
        FeedConfig(id: "alpha", name: "Alpha News", url: "https://example.invalid/alpha/", outlet: "Alpha News", group: "cn-state"),
    ]
    /// As in examples/replay-2022.conf: daily snapshots, so a day is judged a day after it ends.
    static var params: DetectorParameters {
        var p = DetectorParameters(); p.warmupBuckets = 5; p.closeDelay = 86_400; return p
    }

    func replay(_ feeds: URL, into out: URL) throws -> ReplayRunner.Summary {
        try ReplayRunner(feedsDirectory: feeds, layout: .init(root: out), feeds: Self.config, parameters: Self.params,
                         analyze: KeywordAnalyzer.analyze).run()
    }

    func read(_ root: URL, _ file: String) -> Data? { try? Data(contentsOf: root.appendingPathComponent(file)) }

    func testReplayMatchesGoldenFiles() throws {
        let out = temp.url.appendingPathComponent("out")
        let summary = try replay(Self.feeds, into: out)
        XCTAssertEqual(summary.snapshots, 28)
        XCTAssertEqual(summary.unknownFeeds, ["beta"])
        XCTAssertEqual(summary.newEntries, summary.analyzed)
        XCTAssertGreaterThanOrEqual(summary.alerts, 1)
        let log = String(decoding: read(out, "logs/alerts.log") ?? Data(), as: UTF8.self)
        XCTAssertTrue(log.contains("volume_surge scope=all bucket=2022-01-12 count:russia"), log)
        XCTAssertTrue(log.contains("\"Russia and China hold joint naval drill"), log)

        if ProcessInfo.processInfo.environment["DYADWATCH_UPDATE_GOLDEN"] == "1" {
            for f in Self.outputs {
                let target = Self.golden.appendingPathComponent(f.replacingOccurrences(of: "/", with: "-"))
                try FileManager.default.createDirectory(at: Self.golden, withIntermediateDirectories: true)
                try read(out, f)!.write(to: target)
            }
        }
        for f in Self.outputs {
            let golden = try Data(contentsOf: Self.golden.appendingPathComponent(f.replacingOccurrences(of: "/", with: "-")))
            XCTAssertEqual(read(out, f), golden, "\(f) differs from its golden file")
        }
    }

    func testReplayIsDeterministic() throws {
        let a = temp.url.appendingPathComponent("a"), b = temp.url.appendingPathComponent("b")
        _ = try replay(Self.feeds, into: a)
        _ = try replay(Self.feeds, into: b)
        for f in Self.outputs { XCTAssertEqual(read(a, f), read(b, f), f) }
        // Replaying again over a finished run changes nothing.
        let again = try replay(Self.feeds, into: a)
        XCTAssertEqual(again.alerts, 0)
        XCTAssertEqual(again.analyzed, 0)
        for f in Self.outputs { XCTAssertEqual(read(a, f), read(b, f), f) }
    }

    /// Killed midway (after 15 snapshots, and with one poll stored but never analyzed), then rerun
    /// over the full history: same outputs as an uninterrupted run, no duplicate alerts.
    func testKilledReplayResumesWithoutDuplicates() throws {
        let full = temp.url.appendingPathComponent("full")
        _ = try replay(Self.feeds, into: full)

        let partialFeeds = temp.url.appendingPathComponent("partial-feeds")
        var skipped: [String] = []
        let snapshots = try ReplaySnapshot.scan(Self.feeds, skipped: &skipped)
        for s in snapshots.prefix(15) {
            let dir = partialFeeds.appendingPathComponent(s.feedID)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: s.file, to: dir.appendingPathComponent(s.file.lastPathComponent))
        }
        let resumed = temp.url.appendingPathComponent("resumed")
        _ = try replay(partialFeeds, into: resumed)
        // The crash hit right after the 16th snapshot's storage commit, before its analysis.
        let store = try FeedStore(directory: ReplayRunner.Layout(root: resumed).stateDir)
        let next = snapshots[15]
        let doc = FeedParserBridge.parse(try Data(contentsOf: next.file))
        let identity = FeedIdentity(id: next.feedID, outlet: next.feedID == "alpha" ? "Alpha News" : next.feedID,
                                    group: next.feedID == "alpha" ? "cn-state" : "other", language: nil, dedupRule: nil)
        let stored = try store.ingest(identity, entries: doc, now: next.time)
        XCTAssertFalse(stored.accepted.isEmpty)

        _ = try replay(Self.feeds, into: resumed)
        for f in Self.outputs { XCTAssertEqual(read(resumed, f), read(full, f), f) }
    }
}
