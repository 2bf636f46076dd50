import DyadConfig
import DyadCore
import FeedStorage
import Foundation
import Logging
import Pipeline
import TestSupport
import XCTest

/// An `EntrySink` that remembers what it was given.
final class RecordingSink: EntrySink, @unchecked Sendable {
    private let lock = NSLock()
    private var batches: [[AcceptedEntry]] = []
    func accept(_ entries: [AcceptedEntry], at now: Date) throws {
        lock.lock(); batches.append(entries); lock.unlock()
    }
    var all: [AcceptedEntry] { lock.lock(); defer { lock.unlock() }; return batches.flatMap { $0 } }
}

/// A loopback server, a state directory and a configuration naming feeds on the server.
final class PollHarness {
    let routes = RouteTable()
    let server: LoopbackHTTPServer
    let dir: TemporaryDirectory
    let clock: ManualClock
    let sink = RecordingSink()
    /// Everything the pollers of this harness logged.
    let log = LogCapture()
    var configuration: Configuration!
    private(set) var store: FeedStore!

    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    init() throws {
        server = try LoopbackHTTPServer(handler: routes.handler)
        dir = try TemporaryDirectory(prefix: "dyadwatch-poll")
        clock = ManualClock(Self.start)
    }

    deinit { server.stop(); dir.remove() }

    /// Writes the configuration: `feeds` are (id, path on the server, extra TOML lines).
    func configure(_ feeds: [(String, String, String)], daemon: String = "") throws {
        var text = """
        [daemon]
        state_dir = "\(dir.url.path)/state"
        interval = "30m"
        max_backoff = "24h"
        stale_after = "14d"
        connect_timeout = "2s"
        timeout = "10s"
        low_speed_limit = 1000
        low_speed_time = "1s"
        max_body = "256KiB"
        \(daemon)

        """
        for (id, path, extra) in feeds {
            let url = path.contains("://") ? path : server.url(path)
            text += "[[feed]]\nid = \"\(id)\"\nname = \"\(id)\"\nurl = \"\(url)\"\ngroup = \"western\"\nlanguage = \"en\"\n\(extra)\n\n"
        }
        let check = ConfigurationLoader.check(text: text, file: "test.conf", baseDirectory: dir.url)
        XCTAssertEqual(check.errors, [])
        configuration = try XCTUnwrap(check.configuration)
        if store == nil { store = try FeedStore(directory: configuration.daemon.stateDir) }
    }

    /// A fresh database handle on the same state directory: what a restarted process sees.
    func reopenStore() throws { store = try FeedStore(directory: configuration.daemon.stateDir) }

    func poller(random: Double = 0) -> FeedPoller {
        FeedPoller(configuration: configuration, store: store, sink: sink, clock: clock, logger: log.logger(), random: { random })
    }

    /// What was logged about `feed` whose message contains `message`.
    func logged(_ feed: String, _ message: String) -> [LogCapture.Event] {
        log.events(containing: message).filter { $0.metadata["feed"] == feed }
    }

    func pollAll() throws -> PollCycleReport { try poller().pollOnce(all: true) }

    func report(_ cycle: PollCycleReport, _ id: String) throws -> FeedPollReport {
        try XCTUnwrap(cycle.feeds.first { $0.feedID == id }, "no report for \(id)")
    }

    func state(_ id: String) throws -> FeedState { try XCTUnwrap(store.state(of: id)) }

    static func items(_ n: Int, titleSuffix: String = "", daysOld: Double = 0) -> [RSSFixture.Item] {
        (1...n).map {
            RSSFixture.Item(guid: "urn:test:\($0)", title: "Story \($0)\(titleSuffix)", link: "https://example.org/\($0)",
                            published: start - daysOld * 86_400 - Double($0) * 60, description: "Body of story \($0)\(titleSuffix).")
        }
    }
}
