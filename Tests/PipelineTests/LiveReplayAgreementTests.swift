import XCTest
import Alerts
import DyadConfig
import DyadCore
import FeedStorage
import Pipeline
import TestSupport
import Trends

/// The product promise of `replay`: the same history gives the same alerts whether it is replayed
/// offline or polled live. A small history with late entries (items first seen in the snapshot
/// after their day closed) is run both ways: through `ReplayRunner`, and through a live daemon's
/// path (`FeedPoller` on a loopback server, the analysis sink, and the maintenance round's `tick`
/// judging buckets as they close, on a manual clock stepped to each snapshot's time).
final class LiveReplayAgreementTests: XCTestCase {
    static let feedID = "wire"
    /// Daily snapshots at 06:00 UTC, 2022-01-02 … 2022-01-21.
    static let days = 2...21
    /// The day whose coverage surges only in late items (first seen two days later, after it closed).
    static let lateDay = 14
    /// A day whose surge is seen in time (the next morning's snapshot): both ways alert on it.
    static let surgeDay = 18

    static var params: DetectorParameters {
        var p = DetectorParameters(); p.warmupBuckets = 5; p.closeDelay = 86_400; return p
    }

    static func time(day: Int, hour: Int, minute: Int = 0) -> Date {
        Date(timeIntervalSince1970: 1_640_995_200 + Double(day - 1) * 86_400 + Double(hour) * 3_600 + Double(minute) * 60)
    }

    /// The snapshot taken on `day` at 06:00: two Russia items of the day before (ten the morning
    /// after the surge day), and on the day after the late day's close, eight more items of the late day.
    static func snapshot(day: Int) -> String {
        var items = (1...(day == surgeDay + 1 ? 10 : 2)).map { k in
            RSSFixture.Item(guid: "urn:wire:\(day - 1)-\(k)", title: "Russia item \(k) of day \(day - 1)",
                            published: time(day: day - 1, hour: 8, minute: 5 * k), description: "Russian officials spoke.")
        }
        if day == lateDay + 2 {
            items += (1...8).map { k in
                RSSFixture.Item(guid: "urn:wire:late-\(k)", title: "Russia late item \(k)",
                                published: time(day: lateDay, hour: 9, minute: k), description: "Moscow, a day late.")
            }
        }
        return RSSFixture.document(title: "Wire", items: items)
    }

    var temp: TemporaryDirectory!
    override func setUpWithError() throws { temp = try TemporaryDirectory(prefix: "dyadwatch-agreement") }
    override func tearDown() { temp.remove() }

    func testReplayAndLivePollingRaiseTheSameAlerts() throws {
        let replayed = try replayAlerts()
        let live = try liveAlerts()
        XCTAssertEqual(replayed, live, "replay and live polling of one history disagree")
        let day = { (d: Int) in Date(timeIntervalSince1970: 1_640_995_200 + Double(d - 1) * 86_400) }
        XCTAssertEqual(replayed.map(\.bucket), [day(Self.surgeDay)], "\(replayed)")
        XCTAssertEqual(replayed.map(\.detector), ["volume_surge"])
        // The late items are stored and counted in their day, but its judgement (made when it
        // closed, on the two items seen by then) is not redone: no surge for that day.
        XCTAssertFalse(replayed.contains { $0.bucket == day(Self.lateDay) }, "\(replayed)")
    }

    struct Raised: Equatable, CustomStringConvertible {
        var id: String, detector: String, scope: String, bucket: Date
        var description: String { "\(detector) \(scope) \(bucket) \(id)" }
    }

    static func raised(_ state: StateStores) throws -> [Raised] {
        try state.analysis.readOutbox { try $0.recent(limit: 1_000) }
            .map { Raised(id: $0.id, detector: $0.detector, scope: $0.scope, bucket: $0.bucket) }
            .sorted { $0.id < $1.id }
    }

    func replayAlerts() throws -> [Raised] {
        let feeds = temp.url.appendingPathComponent("history")
        let dir = feeds.appendingPathComponent(Self.feedID)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for day in Self.days {
            let name = String(format: "202201%02dT060000Z.xml", day)
            try Data(Self.snapshot(day: day).utf8).write(to: dir.appendingPathComponent(name))
        }
        let layout = ReplayRunner.Layout(root: temp.url.appendingPathComponent("replay"))
        let feed = FeedConfig(id: Self.feedID, name: "Wire", url: "https://example.invalid/wire/", outlet: "Wire", group: "western")
        let summary = try ReplayRunner(feedsDirectory: feeds, layout: layout, feeds: [feed], parameters: Self.params,
                                       analyze: KeywordAnalyzer.analyze).run()
        XCTAssertEqual(summary.snapshots, Self.days.count)
        XCTAssertEqual(summary.newEntries, 2 * Self.days.count + 8 + 8)
        return try Self.raised(try StateStores.sqlite(directory: layout.stateDir))
    }

    func liveAlerts() throws -> [Raised] {
        let routes = RouteTable()
        let server = try LoopbackHTTPServer(handler: routes.handler)
        defer { server.stop() }
        let root = temp.url.appendingPathComponent("live")
        let text = """
        [daemon]
        state_dir = "\(root.path)/state"
        interval = "1d"

        [[feed]]
        id = "\(Self.feedID)"
        name = "Wire"
        url = "\(server.url("/wire.xml"))"
        outlet = "Wire"
        group = "western"

        """
        let check = ConfigurationLoader.check(text: text, file: "live.conf", baseDirectory: root)
        XCTAssertEqual(check.errors, [])
        let configuration = try XCTUnwrap(check.configuration)
        let state = try StateStores.sqlite(directory: configuration.daemon.stateDir)
        let sink = AnalysisSink(store: state.analysis, engine: TrendEngine(params: Self.params), analyze: KeywordAnalyzer.analyze,
                                delivery: AlertDelivery(logDirectory: root.appendingPathComponent("logs"), hook: nil),
                                trendFiles: nil)
        let clock = ManualClock(Self.time(day: Self.days.lowerBound, hour: 5))
        let poller = FeedPoller(configuration: configuration, store: state.feeds, sink: sink, clock: clock, random: { 0 })
        for day in Self.days {
            let t = Self.time(day: day, hour: 6)
            // The daemon's maintenance round (every 10 s) judges what closed since the last poll.
            clock.set(t.addingTimeInterval(-10))
            try sink.tick(at: clock.now())
            routes.set("/wire.xml", .ok(Self.snapshot(day: day)))
            clock.set(t)
            let cycle = try poller.pollOnce(all: true, force: true)
            XCTAssertEqual(cycle.feeds.map(\.result), [.fetched], "day \(day)")
        }
        return try Self.raised(state)
    }
}
