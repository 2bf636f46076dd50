import FeedFetching
import Foundation
import XCTest

/// Next-due maths: interval, TTL floor, exponential backoff with jitter and cap, Retry-After.
final class PollScheduleTests: XCTestCase {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let schedule = PollSchedule(interval: 1_800, maxBackoff: 6 * 3_600, jitter: 0.2)

    func testSuccessUsesIntervalPlusAtMostHalfTheJitter() {
        XCTAssertEqual(schedule.nextAfterSuccess(now: now, ttlFloor: nil, random: 0), now + 1_800)
        XCTAssertEqual(schedule.nextAfterSuccess(now: now, ttlFloor: nil, random: 1), now + 1_800 * 1.1)
    }

    func testTTLFloorRaisesButNeverLowersTheInterval() {
        XCTAssertEqual(schedule.nextAfterSuccess(now: now, ttlFloor: 3_600, random: 0), now + 3_600)
        XCTAssertEqual(schedule.nextAfterSuccess(now: now, ttlFloor: 60, random: 0), now + 1_800)
        XCTAssertEqual(schedule.nextAfterSuccess(now: now, ttlFloor: 30 * 86_400, random: 0), now + 6 * 3_600, "floor capped")
        XCTAssertEqual(PollSchedule.ttlFloor(ttlMinutes: 60, maxAge: 600), 3_600)
        XCTAssertEqual(PollSchedule.ttlFloor(ttlMinutes: nil, maxAge: 600), 600)
        XCTAssertNil(PollSchedule.ttlFloor(ttlMinutes: nil, maxAge: nil))
    }

    func testBackoffDoublesUpToTheCap() {
        XCTAssertEqual(schedule.backoff(failures: 1, random: 0), 1_800)
        XCTAssertEqual(schedule.backoff(failures: 2, random: 0), 3_600)
        XCTAssertEqual(schedule.backoff(failures: 3, random: 0), 7_200)
        XCTAssertEqual(schedule.backoff(failures: 4, random: 0), 14_400)
        XCTAssertEqual(schedule.backoff(failures: 5, random: 0), 21_600)
        XCTAssertEqual(schedule.backoff(failures: 500, random: 0), 21_600)
    }

    func testJitterShortensBackoffByAtMostItsFraction() {
        XCTAssertEqual(schedule.backoff(failures: 3, random: 1), 7_200 * 0.8)
        let delays = (0..<50).map { schedule.backoff(failures: 3, random: Double($0) / 49) }
        XCTAssertTrue(delays.allSatisfy { $0 >= 7_200 * 0.8 && $0 <= 7_200 })
        XCTAssertGreaterThan(Set(delays).count, 40, "different random draws spread the retries")
    }

    func testRetryAfterIsHonouredAndBounded() {
        XCTAssertEqual(schedule.nextAfterFailure(now: now, failures: 1, retryAfter: 7_200, random: 0.5), now + 7_200)
        XCTAssertEqual(schedule.nextAfterFailure(now: now, failures: 1, retryAfter: 0, random: 0.5), now + PollSchedule.minimumDelay)
        XCTAssertEqual(schedule.nextAfterFailure(now: now, failures: 1, retryAfter: 86_400 * 30, random: 0.5), now + 6 * 3_600)
        XCTAssertEqual(schedule.nextAfterFailure(now: now, failures: 2, retryAfter: nil, random: 0), now + 3_600)
    }
}

final class HeaderValueTests: XCTestCase {
    func testRetryAfterForms() {
        let now = Date(timeIntervalSince1970: 784_111_777)  // Sun, 06 Nov 1994 08:49:37 GMT
        XCTAssertEqual(HTTPHeaderValues.retryAfter("120", now: now), 120)
        XCTAssertEqual(HTTPHeaderValues.retryAfter("Sun, 06 Nov 1994 09:49:37 GMT", now: now), 3_600)
        XCTAssertEqual(HTTPHeaderValues.retryAfter("Sun, 06 Nov 1994 07:49:37 GMT", now: now), 0, "a past date means now")
        XCTAssertNil(HTTPHeaderValues.retryAfter("soon", now: now))
    }

    func testCacheControl() {
        XCTAssertEqual(HTTPHeaderValues.maxAge("public, max-age=300"), 300)
        XCTAssertEqual(HTTPHeaderValues.maxAge("max-age=60, s-maxage=600"), 600)
        XCTAssertNil(HTTPHeaderValues.maxAge("no-cache, max-age=300"))
        XCTAssertNil(HTTPHeaderValues.maxAge("private"))
    }

    func testCharsetAndScheme() {
        XCTAssertEqual(HTTPHeaderValues.charset("text/xml; charset=\"Windows-1251\""), "windows-1251")
        XCTAssertNil(HTTPHeaderValues.charset("application/rss+xml"))
        XCTAssertEqual(HTTPHeaderValues.scheme("HTTPS://x"), "https")
        XCTAssertEqual(HTTPHeaderValues.scheme("file:///etc"), "file")
        XCTAssertNil(HTTPHeaderValues.scheme("/relative"))
    }
}
