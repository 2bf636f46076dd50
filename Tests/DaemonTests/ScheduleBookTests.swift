import XCTest
@testable import Daemon

/// The scheduler's bookkeeping: host spreading, global and per-host limits, changes while in flight.
final class ScheduleBookTests: XCTestCase {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func feed(_ id: String, host: String = "a.example", interval: TimeInterval = 600) -> DaemonFeed {
        DaemonFeed(id: id, url: "https://\(host)/\(id).xml", interval: interval)
    }

    func testFeedsOfOneHostAreSpreadOut() {
        var book = ScheduleBook(concurrency: 10, perHostConcurrency: 10, hostSpacing: 2)
        for id in ["a", "b", "c"] { book.upsert(feed(id), due: t0) }
        book.upsert(feed("other", host: "b.example"), due: t0)
        let dues = ["a", "b", "c"].map { book.slot($0)!.due.timeIntervalSince(t0) }.sorted()
        XCTAssertEqual(dues, [0, 2, 4])
        XCTAssertEqual(book.slot("other")!.due, t0, "another host is not held back")
    }

    func testSpacingShrinksWhenAHostHasManyFeeds() {
        var book = ScheduleBook(concurrency: 10, perHostConcurrency: 10, hostSpacing: 2)
        book.upsertAll((0..<100).map { (feed("f\($0)", interval: 100), t0) })
        let last = book.slots.values.map(\.due).max()!
        XCTAssertLessThanOrEqual(last.timeIntervalSince(t0), 100, "one cycle of a host still fits in its interval")
    }

    func testLimitsAreRespected() {
        var book = ScheduleBook(concurrency: 3, perHostConcurrency: 2, hostSpacing: 0)
        for i in 0..<4 { book.upsert(feed("a\(i)"), due: t0) }
        for i in 0..<4 { book.upsert(feed("b\(i)", host: "b.example"), due: t0) }
        let first = book.takeDue(now: t0)
        XCTAssertEqual(first.count, 3)
        XCTAssertLessThanOrEqual(first.filter { $0.feed.host == "a.example" }.count, 2)
        XCTAssertTrue(book.takeDue(now: t0).isEmpty, "global limit reached")
        _ = book.finish(first[0].feed.id, generation: first[0].generation)
        XCTAssertEqual(book.takeDue(now: t0).count, 1)
        XCTAssertEqual(book.inFlightCount, 3)
    }

    func testNothingIsTakenBeforeItIsDue() {
        var book = ScheduleBook(concurrency: 3, perHostConcurrency: 2, hostSpacing: 0)
        book.upsert(feed("a"), due: t0.addingTimeInterval(10))
        XCTAssertTrue(book.takeDue(now: t0).isEmpty)
        XCTAssertEqual(book.earliestDue, t0.addingTimeInterval(10))
        XCTAssertEqual(book.takeDue(now: t0.addingTimeInterval(10)).count, 1)
        XCTAssertNil(book.earliestDue, "in-flight feeds have no due time")
    }

    func testAChangeWhileInFlightDiscardsTheOldOutcome() {
        var book = ScheduleBook(concurrency: 3, perHostConcurrency: 2, hostSpacing: 0)
        book.upsert(feed("a"), due: t0)
        let taken = book.takeDue(now: t0)
        book.upsert(feed("a", interval: 60), due: t0)
        XCTAssertNil(book.finish("a", generation: taken[0].generation))
        XCTAssertEqual(book.inFlightCount, 0)
        XCTAssertEqual(book.slot("a")?.feed.interval, 60)
    }

    func testRemovalWhileInFlightFreesTheSlot() {
        var book = ScheduleBook(concurrency: 1, perHostConcurrency: 1, hostSpacing: 0)
        book.upsert(feed("a"), due: t0)
        book.upsert(feed("b"), due: t0)
        let taken = book.takeDue(now: t0)
        book.remove(taken[0].feed.id)
        XCTAssertNil(book.finish(taken[0].feed.id, generation: taken[0].generation))
        XCTAssertEqual(book.takeDue(now: t0).count, 1)
        XCTAssertEqual(book.inFlightCount, 1)
    }

    func testASlowPollStopsHoldingItsHostSlotButAHostNeverGetsMoreThanTwiceItsLimit() {
        var book = ScheduleBook(concurrency: 10, perHostConcurrency: 2, hostSpacing: 0, slowAfter: 5)
        for i in 0..<6 { book.upsert(feed("s\(i)"), due: t0) }
        XCTAssertEqual(book.takeDue(now: t0, monotonicNow: 100).count, 2)
        XCTAssertTrue(book.takeDue(now: t0, monotonicNow: 104).isEmpty, "both slots held while the polls are young")
        XCTAssertEqual(book.nextSlotChange(now: t0, monotonicNow: 104), 105, "the scheduler wakes when they turn slow")
        XCTAssertEqual(book.takeDue(now: t0, monotonicNow: 105).count, 2, "slow polls free their slots")
        XCTAssertTrue(book.takeDue(now: t0, monotonicNow: 200).isEmpty, "at most 2 × per_host_concurrency, however slow")
        XCTAssertEqual(book.inFlightCount, 4)
        XCTAssertEqual(book.takeDue(now: t0, monotonicNow: 200).count, 0)
        XCTAssertEqual(book.slots.values.filter(\.inFlight).count, 4)
    }

    func testTheLimitKeysOnHostAndPort() {
        XCTAssertEqual(DaemonFeed.host(of: "https://Example.org/feed"), "example.org:443")
        XCTAssertEqual(DaemonFeed.host(of: "http://example.org/feed"), "example.org:80")
        XCTAssertEqual(DaemonFeed.host(of: "http://example.org:8080/feed"), "example.org:8080")
    }
}
