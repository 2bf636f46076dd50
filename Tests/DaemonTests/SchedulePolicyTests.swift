import XCTest
@testable import Daemon

/// The next-due decision: interval, TTL floor, Retry-After, exponential backoff with a cap, jitter bounds.
final class SchedulePolicyTests: XCTestCase {
    let feed = DaemonFeed(id: "a", url: "https://example.org/a.xml", interval: 1800)
    let noJitter = SchedulePolicy(jitterFraction: 0)

    func testSuccessUsesTheInterval() {
        let (delay, reason) = noJitter.nextDelay(feed: feed, outcome: PollOutcome(feedID: "a", status: 200), random: { 0.5 })
        XCTAssertEqual(delay, 1800)
        XCTAssertEqual(reason, .interval)
    }

    func testTTLIsAFloorNotACeiling() {
        let longTTL = noJitter.nextDelay(feed: feed, outcome: PollOutcome(feedID: "a", status: 200, minimumInterval: 3600), random: { 0.5 })
        XCTAssertEqual(longTTL.delay, 3600)
        XCTAssertEqual(longTTL.reason, .ttl)
        let shortTTL = noJitter.nextDelay(feed: feed, outcome: PollOutcome(feedID: "a", status: 200, minimumInterval: 60), random: { 0.5 })
        XCTAssertEqual(shortTTL.delay, 1800)
    }

    func testRetryAfterIsHonouredAndCapped() {
        let outcome = PollOutcome(feedID: "a", status: 429, error: "HTTP 429", retryAfter: 7200, consecutiveFailures: 1)
        XCTAssertEqual(noJitter.nextDelay(feed: feed, outcome: outcome, random: { 0.9 }).delay, 7200)
        XCTAssertEqual(noJitter.nextDelay(feed: feed, outcome: outcome, random: { 0.9 }).reason, .retryAfter)
        var huge = outcome; huge.retryAfter = 10 * 86_400
        XCTAssertEqual(noJitter.nextDelay(feed: feed, outcome: huge, random: { 0 }).delay, noJitter.retryAfterCap)
        // Jitter never brings a Retry-After poll earlier than asked.
        let jittered = SchedulePolicy(jitterFraction: 0.2)
        XCTAssertGreaterThanOrEqual(jittered.nextDelay(feed: feed, outcome: outcome, random: { 0 }).delay, 7200)
    }

    func testBackoffDoublesUpToTheCap() {
        let delays = (1...12).map { n in
            noJitter.nextDelay(feed: feed, outcome: PollOutcome(feedID: "a", error: "timeout", consecutiveFailures: n), random: { 0.5 }).delay
        }
        XCTAssertEqual(Array(delays.prefix(4)), [1800, 3600, 7200, 14_400])
        XCTAssertEqual(delays.last, noJitter.backoffCap)
        XCTAssertEqual(delays, delays.sorted(), "backoff never shrinks as failures grow")
    }

    func testJitterStaysWithinItsFraction() {
        let policy = SchedulePolicy(jitterFraction: 0.1)
        let low = policy.nextDelay(feed: feed, outcome: PollOutcome(feedID: "a", status: 200), random: { 0 }).delay
        let high = policy.nextDelay(feed: feed, outcome: PollOutcome(feedID: "a", status: 200), random: { 0.999999 }).delay
        XCTAssertEqual(low, 1620, accuracy: 0.001)
        XCTAssertEqual(high, 1980, accuracy: 0.01)
    }

    func testNeverBelowTheMinimumDelay() {
        let tiny = DaemonFeed(id: "t", url: "http://127.0.0.1/t", interval: 0.01)
        XCTAssertEqual(noJitter.nextDelay(feed: tiny, outcome: PollOutcome(feedID: "t", status: 200), random: { 0 }).delay, noJitter.minimumDelay)
    }
}
