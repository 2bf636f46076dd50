import DyadCore
import FeedFetching
import Foundation
import XCTest

/// The one scheduling policy: interval, TTL floor, exponential backoff with jitter and cap,
/// Retry-After as a lower bound, 410 — and the reason each decision gives.
final class PollScheduleTests: XCTestCase {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let schedule = PollSchedule(interval: 1_800, maxBackoff: 6 * 3_600, jitter: 0.2)

    func next(_ input: ScheduleInput, random: Double = 0) -> ScheduleDecision { schedule.next(after: input, now: now, random: random) }

    func testSuccessUsesIntervalPlusAtMostHalfTheJitter() {
        XCTAssertEqual(next(.success(ttlFloor: nil)), ScheduleDecision(due: now + 1_800, reason: .interval))
        XCTAssertEqual(next(.success(ttlFloor: nil), random: 1).due, now + 1_800 * 1.1)
    }

    func testTTLFloorRaisesButNeverLowersTheInterval() {
        XCTAssertEqual(next(.success(ttlFloor: 3_600)), ScheduleDecision(due: now + 3_600, reason: .ttl))
        XCTAssertEqual(next(.success(ttlFloor: 60)), ScheduleDecision(due: now + 1_800, reason: .interval))
        XCTAssertEqual(next(.success(ttlFloor: 30 * 86_400)).due, now + 6 * 3_600, "floor capped")
        XCTAssertEqual(PollSchedule.ttlFloor(ttlMinutes: 60, maxAge: 600), 3_600)
        XCTAssertEqual(PollSchedule.ttlFloor(ttlMinutes: nil, maxAge: 600), 600)
        XCTAssertNil(PollSchedule.ttlFloor(ttlMinutes: nil, maxAge: nil))
    }

    func testBackoffDoublesUpToTheCap() {
        XCTAssertEqual((1...6).map { next(.failure(failures: $0, retryAfter: nil)).due!.timeIntervalSince(now) },
                       [1_800, 3_600, 7_200, 14_400, 21_600, 21_600])
        XCTAssertEqual(next(.failure(failures: 500, retryAfter: nil)), ScheduleDecision(due: now + 21_600, reason: .backoff))
    }

    func testJitterShortensBackoffByAtMostItsFraction() {
        XCTAssertEqual(schedule.backoff(failures: 3, random: 1), 7_200 * 0.8)
        let delays = (0..<50).map { schedule.backoff(failures: 3, random: Double($0) / 49) }
        XCTAssertTrue(delays.allSatisfy { $0 >= 7_200 * 0.8 && $0 <= 7_200 })
        XCTAssertGreaterThan(Set(delays).count, 40, "different random draws spread the retries")
    }

    func testRetryAfterIsALowerBoundClampedToTheLimits() {
        XCTAssertEqual(next(.failure(failures: 1, retryAfter: 7_200), random: 0.5), ScheduleDecision(due: now + 7_200, reason: .retryAfter))
        XCTAssertEqual(next(.failure(failures: 1, retryAfter: 86_400 * 30)), ScheduleDecision(due: now + 6 * 3_600, reason: .retryAfter))
        // Shorter than the backoff: the backoff wins (the server said "not before", never "exactly then").
        XCTAssertEqual(next(.failure(failures: 1, retryAfter: 0)), ScheduleDecision(due: now + 1_800, reason: .backoff))
        let short = PollSchedule(interval: 60, maxBackoff: 3_600, jitter: 0)
        XCTAssertEqual(short.next(after: .failure(failures: 1, retryAfter: 0), now: now, random: 0).due, now + PollSchedule.minimumDelay)
    }

    func testRepeatedRateLimitsWithoutRetryAfterGrow() {
        let short = PollSchedule(interval: 120, maxBackoff: 86_400, jitter: 0.2)
        let waits = (1...8).map { short.next(after: .failure(failures: $0, retryAfter: nil), now: now, random: 0.5).due!.timeIntervalSince(now) }
        XCTAssertEqual(waits, waits.sorted())
        XCTAssertEqual(waits.last!, 120 * 128 * 0.9, accuracy: 0.001)
    }

    func testGoneIsNever() {
        XCTAssertEqual(next(.gone), ScheduleDecision(due: nil, reason: .gone))
        XCTAssertTrue(ScheduleReason.gone.holdsManualPolls && ScheduleReason.backoff.holdsManualPolls && ScheduleReason.retryAfter.holdsManualPolls)
        XCTAssertFalse(ScheduleReason.interval.holdsManualPolls || ScheduleReason.ttl.holdsManualPolls)
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

/// Every fetch failure maps to one fixed class, and every class is documented.
final class ErrorClassTests: XCTestCase {
    func testFailuresMapToTheirClass() {
        let cases: [(FetchFailure, FeedErrorClass)] = [
            (.httpStatus(404), .http4xx), (.httpStatus(403), .http4xx), (.httpStatus(500), .http5xx), (.httpStatus(503), .http5xx),
            (.httpStatus(410), .gone), (.httpStatus(429), .rateLimited), (.bodyTooLarge(limit: 1), .tooLarge),
            (.tooManyRedirects(limit: 5), .tooManyRedirects), (.redirectLoop(url: "u"), .redirectLoop),
            (.forbiddenRedirect(url: "file:///"), .badScheme), (.invalidURL("ftp://x"), .badScheme),
            (.connectionRefused("x"), .connect), (.timedOut("x"), .timeout), (.stalled("x"), .stalled),
            (.dnsFailure("x"), .dns), (.tlsFailure("x"), .tls), (.badContentEncoding("x"), .encodingError),
            (.transport(code: 56, message: "reset"), .connect),
        ]
        for (failure, errorClass) in cases { XCTAssertEqual(failure.errorClass, errorClass, "\(failure)") }
    }

    func testEveryClassIsDocumented() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/errors.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        for errorClass in FeedErrorClass.allCases {
            XCTAssertTrue(text.contains("### `\(errorClass.rawValue)`"), "docs/errors.md has no section for \(errorClass.rawValue)")
        }
        for reason in ScheduleReason.allCases { XCTAssertTrue(text.contains("`\(reason.rawValue)`"), reason.rawValue) }
    }
}
