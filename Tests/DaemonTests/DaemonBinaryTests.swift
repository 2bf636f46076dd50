import XCTest
import DyadCore
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The real `dyadwatch run` binary against a loopback feed server and a test notify socket.
/// Intervals are short through the simulated clock (`DYADWATCH_CLOCK_SCALE`), never through sleeps.
final class DaemonBinaryTests: XCTestCase {
    var dir: TemporaryDirectory!
    var server: LoopbackFeedServer!
    var socket: NotifySocket!
    var daemons: [DaemonProcess] = []
    /// 60× real time: the 1-minute interval of the test config passes in one second.
    static let clockScale = "60"

    override func setUpWithError() throws {
        dir = try TemporaryDirectory(prefix: "dyadwatch-daemon")
        server = try LoopbackFeedServer()
        socket = try NotifySocket(path: dir.url.appendingPathComponent("notify.sock").path)
    }

    override func tearDown() {
        for daemon in daemons {
            if daemon.process.isRunning { print("--- daemon log (still running) ---\n\(daemon.log)") }
            daemon.terminate()
        }
        socket.shutdown()
        server.stop()
        dir.remove()
    }

    var configURL: URL { dir.url.appendingPathComponent("feeds.conf") }

    /// A feeds.conf with state and logs under the temp dir and one `[[feed]]` per id, served by the loopback server.
    func writeConfig(_ ids: [String], extra: String = "") throws {
        var text = """
            [daemon]
            state_dir = "state"
            log_dir = "logs"
            trends_dir = "trends"
            interval = "1m"
            concurrency = 4
            per_host_concurrency = 4
            log_level = "debug"
            stale_after = "30d"

            """
        for id in ids {
            text += """

                [[feed]]
                id = "\(id)"
                name = "Test feed \(id)"
                url = "\(server.url("/\(id).xml"))"
                outlet = "Outlet \(id)"
                group = "western"
                language = "en"

                """
        }
        try (text + extra).write(to: configURL, atomically: false, encoding: .utf8)
    }

    /// Where every daemon's simulated clock starts: noon (UTC) today.
    static var simulatedStart: Date {
        Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / 86_400).rounded(.down) * 86_400 + 43_200)
    }

    func start(environment: [String: String] = [:]) throws -> DaemonProcess {
        // The simulated clock starts at noon (UTC) today, so "today" in `status` (real time) and
        // the entries' first-seen times (simulated) fall on the same day.
        var env = ["NOTIFY_SOCKET": socket.path, "DYADWATCH_CLOCK_SCALE": Self.clockScale,
                   "DYADWATCH_CLOCK_START": ISO8601.string(Self.simulatedStart)]
        env.merge(environment) { _, new in new }
        let daemon = try DaemonProcess(arguments: ["run", "--config", configURL.path], environment: env,
                                       logURL: dir.url.appendingPathComponent("daemon-\(daemons.count).log"))
        daemons.append(daemon)
        return daemon
    }

    /// `dyadwatch status` for the test config: its stdout.
    func status() throws -> String {
        let run = try BinaryRun.run(["status", "--config", configURL.path])
        XCTAssertEqual(run.status, 0)
        return run.stdout
    }

    /// Entries in total, as `status` reports them.
    func totalEntries() throws -> Int? {
        let text = try status()
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("entries:") }),
              let range = line.range(of: #"(\d+) in total"#, options: .regularExpression) else { return nil }
        return Int(line[range].split(separator: " ")[0])
    }

    /// China–Russia articles first seen today, as `status` reports them.
    func dyadToday() throws -> Int? {
        let text = try status()
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("entries:") }),
              let range = line.range(of: #"(\d+) China–Russia"#, options: .regularExpression) else { return nil }
        return Int(line[range].split(separator: " ")[0])
    }

    func serve(_ id: String, items: Int, prefix: String? = nil) {
        server.set("/\(id).xml", body: TestFeeds.rss(title: id, items: TestFeeds.dyadItems(prefix ?? id, count: items)))
    }

    // MARK: - Tests

    func testReadyThenNewItemsAreAnalyzedAndShownInStatus() throws {
        serve("alpha", items: 3)
        try writeConfig(["alpha"])
        let daemon = try start()
        let ready = try XCTUnwrap(socket.wait { $0.contains("READY=1") }, daemon.log)
        XCTAssertTrue(ready.contains("STATUS="), ready)
        XCTAssertNotNil(daemon.waitForLog("msg=\"poll ok\"", "feed=alpha", "new=3"), daemon.log)
        // Two more items: picked up at the next interval (1 simulated minute).
        serve("alpha", items: 5)
        XCTAssertNotNil(daemon.waitForLog("msg=\"poll ok\"", "feed=alpha", "new=2"), daemon.log)
        XCTAssertEqual(try totalEntries(), 5)
        // Analysis runs on the daemon's background queue, after the poll.
        XCTAssertTrue(eventually { (try? self.dyadToday()) == 5 }, "every new item was analyzed (all are about Xi and Putin) (background analysis)")
        let text = try status()
        let alphaLine = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix("alpha ") }, text)
        XCTAssertTrue(alphaLine.contains(" ok "), String(alphaLine))
        XCTAssertTrue(text.contains("China–Russia (dyad) articles today"), text)
        daemon.signal(SIGTERM)
        XCTAssertEqual(daemon.waitForExit(timeout: 5), 0)
    }

    func testEachPollLineSaysTheReasonTheErrorClassBytesAndProblems() throws {
        try writeConfig(["limited", "cut"])
        server.set("/limited.xml", response: .status(429, headers: [("Retry-After", "7200")]))
        let full = TestFeeds.rss(title: "cut", items: TestFeeds.dyadItems("cut", count: 3))
        let lastItem = try XCTUnwrap(full.range(of: "<item>", options: .backwards))
        server.set("/cut.xml", response: .unsized(Array((full[..<lastItem.upperBound] + "<title>Half a sto").utf8)))
        let daemon = try start()
        let failed = try XCTUnwrap(daemon.waitForLog("msg=\"poll failed; backing off\"", "feed=limited"), daemon.log)
        for fragment in ["status=429", "error_class=rate_limited", "reason=retry-after", "bytes=", "ms=", "failures=1"] {
            XCTAssertTrue(failed.contains(fragment), "\(fragment) missing: \(failed)")
        }
        let ok = try XCTUnwrap(daemon.waitForLog("msg=\"poll ok\"", "feed=cut", "new=2"), daemon.log)
        XCTAssertTrue(ok.contains("problems=truncated") && ok.contains("reason=interval"), ok)
        XCTAssertNotNil(daemon.waitForLog("truncated", "feed=cut", "unfinished=1"), daemon.log)
        // The healthy feed comes back every simulated minute; the rate-limited one waits its two hours.
        XCTAssertNotNil(daemon.waitForLog("msg=\"poll ok\"", "feed=cut", "new=0"), daemon.log)
        XCTAssertEqual(server.hitCount("/limited.xml"), 1)
        let status = try status()
        let line = try XCTUnwrap(status.split(separator: "\n").first { $0.hasPrefix("limited ") }, status)
        XCTAssertTrue(line.contains("retry-after") && line.contains("rate_limited: HTTP 429"), String(line))
        daemon.signal(SIGTERM)
        XCTAssertEqual(daemon.waitForExit(timeout: 5), 0)
    }

    func testSIGHUPWithAChangedConfigAddsAFeedWithoutLosingState() throws {
        serve("alpha", items: 3)
        serve("beta", items: 2)
        try writeConfig(["alpha"])
        let daemon = try start()
        XCTAssertNotNil(daemon.waitForLog("msg=\"poll ok\"", "feed=alpha", "new=3"), daemon.log)
        try writeConfig(["alpha", "beta"])
        let before = daemon.logLines.count
        daemon.signal(SIGHUP)
        XCTAssertNotNil(socket.wait { $0.hasPrefix("RELOADING=1") })
        XCTAssertNotNil(daemon.waitForLog("msg=reloaded", "added=beta", after: before), daemon.log)
        XCTAssertNotNil(daemon.waitForLog("msg=\"poll ok\"", "feed=beta", "new=2", after: before), daemon.log)
        // alpha keeps its validators and entries: its next poll finds nothing new.
        XCTAssertNotNil(daemon.waitForLog("msg=\"poll ok\"", "feed=alpha", "new=0", after: before), daemon.log)
        XCTAssertEqual(socket.count { $0.contains("READY=1") }, 2, "READY=1 after start and after the reload")
        XCTAssertEqual(try totalEntries(), 5)
        daemon.signal(SIGTERM)
        XCTAssertEqual(daemon.waitForExit(timeout: 5), 0)
    }

    func testSIGHUPWithABrokenConfigKeepsTheOldOneAndLogsTheLine() throws {
        serve("alpha", items: 1)
        try writeConfig(["alpha"])
        let daemon = try start()
        XCTAssertNotNil(daemon.waitForLog("msg=\"poll ok\"", "feed=alpha"), daemon.log)
        // Line 15 of the broken file carries the bad URL scheme.
        try writeConfig(["alpha"], extra: "\n[[feed]]\nid = \"bad\"\nname = \"Bad\"\nurl = \"ftp://127.0.0.1/bad.xml\"\n")
        let badLine = try String(contentsOf: configURL, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex { $0.contains("ftp://") }.map { $0 + 1 }
        let before = daemon.logLines.count
        daemon.signal(SIGHUP)
        let failure = try XCTUnwrap(daemon.waitForLog("reload failed", after: before), daemon.log)
        XCTAssertTrue(failure.contains("feeds.conf:\(badLine!)"), failure)
        XCTAssertTrue(daemon.process.isRunning)
        // The old configuration is still polled.
        XCTAssertNotNil(daemon.waitForLog("msg=\"poll ok\"", "feed=alpha", after: before), daemon.log)
        XCTAssertNil(daemon.waitForLog("feed=bad", after: before, timeout: 0.1))
        daemon.signal(SIGTERM)
        XCTAssertEqual(daemon.waitForExit(timeout: 5), 0)
    }

    func testSIGTERMExitsZeroWithinFiveSeconds() throws {
        serve("alpha", items: 2)
        // A feed whose server never answers in time: a poll is in flight when SIGTERM arrives.
        server.set("/slow.xml", LoopbackFeedServer.Route(body: TestFeeds.rss(title: "slow", items: []), delay: 30))
        try writeConfig(["alpha", "slow"])
        let daemon = try start()
        XCTAssertNotNil(socket.wait { $0.contains("READY=1") }, daemon.log)
        XCTAssertTrue(eventually { self.server.hitCount("/slow.xml") >= 1 })
        let started = Date()
        daemon.signal(SIGTERM)
        XCTAssertEqual(daemon.waitForExit(timeout: 5), 0, daemon.log)
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        XCTAssertNotNil(socket.wait(timeout: 1) { $0 == "STOPPING=1" })
    }

    /// Hourly detectors with a two-bucket warm-up that judge a bucket as soon as it ends, and a
    /// new-actor threshold of one article: enough for the dated items of `alertingDocument` to
    /// raise an alert at the very first poll.
    static let alertingDetectors = """

        [detectors]
        granularity = "hour"
        warmup_buckets = 2
        close_delay = "0s"
        [detectors.new_actor]
        min_count = 1

        """

    /// `count` (at least 3) China–Russia items of feed `id` dated in the three simulated hours before the clock
    /// starts (09:30, 10:30, 11:30, then 11:40, 11:45, … for the rest). The 09:00 and 10:00 buckets
    /// warm the detectors up; item 2 (11:30) co-mentions a third party never seen before, so
    /// judging the 11:00 bucket raises a new-actor alert.
    func alertingDocument(_ id: String, count: Int) -> String {
        precondition(count >= 3, "the alerting item is item 2")
        let noon = Self.simulatedStart
        var items = TestFeeds.dyadItems(id, count: count)
        items[2].text += " Indian Prime Minister Narendra Modi joined the talks."
        let minutes = [-150, -90, -30] + (3..<max(count, 3)).map { -20 + 5 * ($0 - 3) }
        let dates = (0..<count).map { noon.addingTimeInterval(60 * Double(minutes[$0])) }
        return TestFeeds.rss(title: id, items: items, dates: dates)
    }

    /// The alerts in logs/alerts.jsonl as `detector:id`, in file order (nil when the file is missing).
    func alertIDs() -> [String]? {
        let url = dir.url.appendingPathComponent("logs/alerts.jsonl")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return nil }
        return text.split(separator: "\n").map { line in
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any],
                  let id = object["id"] as? String, let detector = object["detector"] as? String else { return "<unreadable: \(line)>" }
            return detector + ":" + id
        }
    }

    func testSIGKILLDuringAPollThenRestartLosesNothingAndDuplicatesNothing() throws {
        server.set("/alpha.xml", body: alertingDocument("alpha", count: 3))
        try writeConfig(["alpha"], extra: Self.alertingDetectors)
        let first = try start()
        XCTAssertNotNil(first.waitForLog("msg=\"poll ok\"", "feed=alpha", "new=3"), first.log)
        // The first poll judged the 09:00–11:00 buckets and raised the new-actor alert: it is in
        // the alert log before the kill, so a restart that re-sent it would show up as a duplicate.
        XCTAssertTrue(eventually { (self.alertIDs()?.count ?? 0) >= 1 }, "an alert is delivered before the kill\n\(first.log)")
        let alertsBeforeKill = alertIDs() ?? []
        // The next document has 3 more items but is served slowly: kill the daemon mid-poll.
        server.set("/alpha.xml", LoopbackFeedServer.Route(body: alertingDocument("alpha", count: 6), delay: 10))
        let hits = server.hitCount("/alpha.xml")
        XCTAssertTrue(eventually { self.server.hitCount("/alpha.xml") > hits })
        first.signal(SIGKILL)
        _ = first.waitForExit(timeout: 5)
        server.set("/alpha.xml", body: alertingDocument("alpha", count: 6))
        let second = try start()
        XCTAssertNotNil(second.waitForLog("msg=\"poll ok\"", "feed=alpha", "new=3"), second.log)
        XCTAssertEqual(try totalEntries(), 6, "every item stored exactly once")
        // Analysis runs on the daemon's background queue, after the poll.
        XCTAssertTrue(eventually { (try? self.dyadToday()) == 6 }, "and analyzed (background analysis)")
        second.signal(SIGTERM)
        XCTAssertEqual(second.waitForExit(timeout: 5), 0)
        let ids = try XCTUnwrap(alertIDs(), "alerts.jsonl exists")
        XCTAssertGreaterThanOrEqual(ids.count, 1)
        XCTAssertTrue(ids.contains { $0.hasPrefix("new_actor:") }, "the new-actor alert: \(ids)")
        XCTAssertEqual(Array(ids.prefix(alertsBeforeKill.count)), alertsBeforeKill, "alerts delivered before the kill are kept as they were")
        XCTAssertEqual(ids.count, Set(ids).count, "no alert written twice: \(ids)")
        let log = try String(contentsOf: dir.url.appendingPathComponent("logs/alerts.log"), encoding: .utf8)
        XCTAssertEqual(log.split(separator: "\n").count, ids.count, "one alerts.log line per alert")
    }

    func testACrashBetweenStorageAndAnalysisIsRecoveredAtRestart() throws {
        serve("alpha", items: 4)
        try writeConfig(["alpha"])
        let first = try start(environment: ["DYADWATCH_FAULT": "crash-before-analysis"])
        XCTAssertNotNil(first.waitForExit(timeout: 15), first.log)
        XCTAssertEqual(first.process.terminationReason, .uncaughtSignal)
        XCTAssertEqual(first.process.terminationStatus, SIGKILL)
        XCTAssertEqual(try totalEntries(), 4, "the entries were committed before the crash")
        XCTAssertEqual(try dyadToday(), 0, "and none was analyzed")
        let second = try start()
        XCTAssertNotNil(second.waitForLog("recovered 4 stored entries"), second.log)
        XCTAssertNotNil(second.waitForLog("msg=\"poll ok\"", "feed=alpha", "new=0"), second.log)
        XCTAssertEqual(try totalEntries(), 4)
        // Analysis runs on the daemon's background queue, after the poll.
        XCTAssertTrue(eventually { (try? self.dyadToday()) == 4 }, "every committed entry analyzed exactly once after the restart (background analysis)")
        second.signal(SIGTERM)
        XCTAssertEqual(second.waitForExit(timeout: 5), 0)
    }

    func testASecondDaemonOnTheSameStateIsRefused() throws {
        serve("alpha", items: 1)
        try writeConfig(["alpha"])
        let first = try start()
        XCTAssertNotNil(socket.wait { $0.contains("READY=1") }, first.log)
        let second = try start()
        XCTAssertEqual(second.waitForExit(timeout: 10), 1, second.log)
        XCTAssertNotNil(second.waitForLog("another dyadwatch daemon (pid \(first.pid))"), second.log)
        XCTAssertTrue(first.process.isRunning)
        first.signal(SIGTERM)
        XCTAssertEqual(first.waitForExit(timeout: 5), 0)
    }

    func testWatchdogStopsWhenTheSchedulerIsWedged() throws {
        serve("alpha", items: 1)
        try writeConfig(["alpha"])
        let daemon = try start(environment: ["WATCHDOG_USEC": "1000000", "DYADWATCH_FAULT": "wedge-scheduler-after=2"])
        XCTAssertNotNil(socket.wait { $0.contains("READY=1") }, daemon.log)
        XCTAssertTrue(eventually(timeout: 5) { self.socket.count { $0 == "WATCHDOG=1" } >= 3 }, "pings while healthy")
        XCTAssertNotNil(daemon.waitForLog("fault injected"), daemon.log)
        let wedgedAt = daemon.logLines.firstIndex { $0.contains("fault injected") } ?? 0
        XCTAssertNotNil(daemon.waitForLog("withholding WATCHDOG=1", after: wedgedAt), daemon.log)
        let pings = socket.count { $0 == "WATCHDOG=1" }
        // Three more ping periods (1/3 s each) pass without a ping.
        usleep(1_000_000)
        XCTAssertEqual(socket.count { $0 == "WATCHDOG=1" }, pings, "no ping while the scheduler is wedged")
        // Stop is still bounded: the wedged loop cannot confirm, so the grace period ends it.
        daemon.signal(SIGTERM)
        XCTAssertEqual(daemon.waitForExit(timeout: 5), 0, daemon.log)
    }
}
