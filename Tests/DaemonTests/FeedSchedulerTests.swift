import XCTest
import Logging
import TestSupport
@testable import Daemon
import FeedFetching

/// The Dispatch scheduler with a fake backend on a fast clock: every feed polled repeatedly,
/// limits held, a hung poll stalls neither other feeds nor the heartbeat, reload diffs, stop.
final class FeedSchedulerTests: XCTestCase {
    /// 600× real time: a 60 s interval passes in 0.1 s.
    let clock = ScaledClock(start: Date(timeIntervalSince1970: 1_800_000_000), factor: 600)
    let logger = Logger(label: "test")

    func makeScheduler(_ backend: FakeBackend, concurrency: Int = 4, perHost: Int = 2, heartbeat: Heartbeat = Heartbeat(),
                       logger: Logger = Logger(label: "test")) -> FeedScheduler {
        FeedScheduler(settings: DaemonSettings(concurrency: concurrency, perHostConcurrency: perHost),
                      clock: clock, heartbeat: heartbeat, turnInterval: 0.05, hostSpacing: 1, logger: logger) { feed, now in
            backend.poll(feed, now: now)
        }
    }

    func feeds(_ count: Int, hosts: Int = 3) -> [DaemonFeed] {
        (0..<count).map { DaemonFeed(id: "f\($0)", url: "http://h\($0 % hosts).test/\($0).xml", interval: 60) }
    }

    func testEveryFeedIsPolledRepeatedlyWithinTheLimits() {
        let backend = FakeBackend()
        let scheduler = makeScheduler(backend, concurrency: 4, perHost: 2)
        scheduler.start(feeds: feeds(12), stored: [:])
        XCTAssertTrue(eventually { (0..<12).allSatisfy { backend.pollCount("f\($0)") >= 3 } }, "polls: \(backend.polls.count)")
        XCTAssertLessThanOrEqual(backend.maxConcurrent, 4)
        let done = expectation(description: "stopped")
        scheduler.stop { done.fulfill() }
        wait(for: [done], timeout: 5)
    }

    func testAHungPollStallsNeitherOtherFeedsNorTheHeartbeat() {
        let backend = FakeBackend()
        backend.hold("f0")
        let heartbeat = Heartbeat()
        let scheduler = makeScheduler(backend, heartbeat: heartbeat)
        scheduler.start(feeds: feeds(3, hosts: 3), stored: [:])
        XCTAssertTrue(eventually { backend.pollCount("f1") >= 5 && backend.pollCount("f2") >= 5 })
        XCTAssertEqual(backend.pollCount("f0"), 1, "the hung feed is not polled twice at once")
        XCTAssertLessThan(heartbeat.age, 1, "the loop keeps turning")
        XCTAssertEqual(scheduler.inFlight >= 1, true)
        backend.release("f0")
        XCTAssertTrue(eventually { backend.pollCount("f0") >= 2 })
        let done = expectation(description: "stopped")
        scheduler.stop { done.fulfill() }
        wait(for: [done], timeout: 5)
    }

    func testStoredDueTimesAndDisabledFeedsAreKept() {
        let backend = FakeBackend()
        let scheduler = makeScheduler(backend)
        let later = clock.now().addingTimeInterval(86_400 * 365)  // far beyond this test
        scheduler.start(feeds: feeds(3, hosts: 3), stored: [
            "f1": StoredFeedSchedule(nextDue: later),
            "f2": StoredFeedSchedule(nextDue: nil, consecutiveFailures: 3, disabledReason: "HTTP 410 Gone"),
        ])
        XCTAssertTrue(eventually { backend.pollCount("f0") >= 2 })
        XCTAssertEqual(backend.pollCount("f1"), 0)
        XCTAssertEqual(backend.pollCount("f2"), 0)
        XCTAssertFalse(scheduler.schedule().keys.contains("f2"), "a disabled feed is not scheduled")
        scheduler.stop {}
    }

    func testUpdateAddsRemovesAndChangesFeeds() {
        let backend = FakeBackend()
        let scheduler = makeScheduler(backend)
        let start = feeds(3, hosts: 3)
        scheduler.start(feeds: start, stored: [:])
        XCTAssertTrue(eventually { backend.pollCount("f0") >= 1 })
        var next = Array(start.dropFirst())                      // f0 removed
        next[0].url = "http://moved.test/f1.xml"; next[0].host = "moved.test"   // f1 changed
        next.append(DaemonFeed(id: "new", url: "http://h9.test/new.xml", interval: 60))
        let diff = scheduler.update(feeds: next, settings: DaemonSettings(concurrency: 4, perHostConcurrency: 2))
        XCTAssertEqual(diff.added, ["new"])
        XCTAssertEqual(diff.removed, ["f0"])
        XCTAssertEqual(diff.changed, ["f1"])
        let f0Polls = backend.pollCount("f0")
        XCTAssertTrue(eventually { backend.pollCount("new") >= 2 })
        XCTAssertLessThanOrEqual(backend.pollCount("f0"), f0Polls + 1, "a removed feed is not polled again (one may have been in flight)")
        scheduler.stop {}
    }

    func testFailuresBackOff() {
        let backend = FakeBackend()
        backend.result = { _ in .failure(failures: 5, retryAfter: nil) }
        let scheduler = makeScheduler(backend)
        scheduler.start(feeds: [DaemonFeed(id: "down", url: "http://127.0.0.1:9/x", interval: 60)], stored: [:])
        XCTAssertTrue(eventually { backend.pollCount("down") >= 1 })
        // Backoff after 5 failures is 16 intervals = 16 min = 1.6 s real at 600×; a healthy feed
        // would be polled every 0.1 s.
        usleep(500_000)
        XCTAssertEqual(backend.pollCount("down"), 1)
        let due = scheduler.schedule()["down"]!!
        XCTAssertEqual(due.timeIntervalSince(clock.now()), 960, accuracy: 400)
        scheduler.stop {}
    }

    func testStopWaitsForPollsInFlight() {
        let backend = FakeBackend()
        backend.hold("f0")
        let scheduler = makeScheduler(backend)
        scheduler.start(feeds: feeds(1), stored: [:])
        XCTAssertTrue(eventually { backend.pollCount("f0") == 1 })
        let stopped = LockedBox(false)
        scheduler.stop { stopped.value = true }
        usleep(300_000)
        XCTAssertFalse(stopped.value, "stop waits for the poll in flight")
        backend.release("f0")
        XCTAssertTrue(eventually { stopped.value })
        XCTAssertEqual(backend.pollCount("f0"), 1, "no poll starts after stop")
    }

    func testTheLogLineGivesThePolicysReasonAndErrorClass() {
        let backend = FakeBackend()
        backend.result = { feed in feed.id == "limited" ? .failure(failures: 1, retryAfter: 7_200) : .success(ttlFloor: nil) }
        let log = LogCapture()
        let scheduler = makeScheduler(backend, logger: log.logger())
        scheduler.start(feeds: [DaemonFeed(id: "limited", url: "http://a.test/l.xml", interval: 60),
                                DaemonFeed(id: "fine", url: "http://b.test/f.xml", interval: 60)], stored: [:])
        XCTAssertTrue(eventually { backend.pollCount("limited") >= 1 && backend.pollCount("fine") >= 2 })
        let failed = log.events(containing: "poll failed").first { $0.metadata["feed"] == "limited" }
        XCTAssertEqual(failed?.metadata["reason"], "retry-after")
        XCTAssertEqual(failed?.metadata["error_class"], "rate_limited")
        XCTAssertEqual(failed?.metadata["next_in"], "7200s")
        XCTAssertEqual(log.events(containing: "poll ok").first { $0.metadata["feed"] == "fine" }?.metadata["reason"], "interval")
        XCTAssertEqual(backend.pollCount("limited"), 1, "not polled again before the Retry-After")
        scheduler.stop {}
    }

    func testThreeHungPollsOfAHostDelayItsOtherFeedOnlyUntilTheyTurnSlow() {
        let backend = FakeBackend()
        for id in ["slow1", "slow2", "slow3"] { backend.hold(id) }
        let scheduler = makeScheduler(backend, concurrency: 8, perHost: 2)
        let host = "http://one.test"
        let started = Date()
        // The slow feeds are due first and take both slots; the fast one is due a moment later.
        let now = clock.now()
        scheduler.start(feeds: ["slow1", "slow2", "slow3", "fast"].map { DaemonFeed(id: $0, url: "\(host)/\($0).xml", interval: 3_600) },
                        stored: ["slow1": StoredFeedSchedule(nextDue: now - 300), "slow2": StoredFeedSchedule(nextDue: now - 200),
                                 "slow3": StoredFeedSchedule(nextDue: now - 100), "fast": StoredFeedSchedule(nextDue: now + 60)])
        XCTAssertTrue(eventually { backend.pollCount("slow1") == 1 && backend.pollCount("slow2") == 1 })
        usleep(500_000)
        XCTAssertEqual(backend.pollCount("fast"), 0, "both slots of the host are held by young polls")
        XCTAssertTrue(eventually(timeout: 15) { backend.pollCount("fast") >= 1 }, "the fast feed was never polled")
        let waited = Date().timeIntervalSince(started)
        XCTAssertLessThan(waited, HostSlots.defaultSlowAfter + 3, "waited \(waited) s")
        XCTAssertLessThanOrEqual(backend.maxConcurrent, 4, "never more than 2 × per_host_concurrency to one host")
        for id in ["slow1", "slow2", "slow3"] { backend.release(id) }
        let done = expectation(description: "stopped")
        scheduler.stop { done.fulfill() }
        wait(for: [done], timeout: 5)
    }
}
