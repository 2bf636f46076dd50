import DyadCore
import FeedFetching
import XCTest

/// The one transient-or-permanent rule of article pages and its waits.
final class PageRetryPolicyTests: XCTestCase {
    let policy = PageRetryPolicy(maxAttempts: 4, baseDelay: 60, maxDelay: 300)

    func testEveryClassIsEitherTransientOrPermanent() {
        let transient = FulltextStatus.allCases.filter(PageRetryPolicy.isTransient)
        XCTAssertEqual(Set(transient), [.timeout, .stalled, .connect, .dns, .http5xx, .rateLimited, .robotsUnreachable])
        for status in FulltextStatus.allCases where !transient.contains(status) {
            XCTAssertEqual(policy.decide(status, attempt: 1, retryAfter: 5, random: 0), .final, status.rawValue)
        }
        // The classes fetching gives a failed transfer map onto the same words.
        for failure: FetchFailure in [.timedOut("t"), .connectionRefused("r"), .transport(code: 56, message: "reset"), .dnsFailure("d"),
                                      .httpStatus(503), .httpStatus(429), .stalled("s")] {
            XCTAssertTrue(PageRetryPolicy.isTransient(FulltextStatus(transfer: failure.errorClass)), failure.description)
        }
        for failure: FetchFailure in [.httpStatus(404), .httpStatus(410), .httpStatus(403), .bodyTooLarge(limit: 1),
                                      .redirectLoop(url: "u"), .tooManyRedirects(limit: 5), .invalidURL("x"), .badContentEncoding("gzip")] {
            XCTAssertFalse(PageRetryPolicy.isTransient(FulltextStatus(transfer: failure.errorClass)), failure.description)
        }
    }

    func testBackoffDoublesUpToTheCapWithJitterOffIt() {
        XCTAssertEqual((1...4).map { policy.backoff(attempt: $0, random: 0) }, [60, 120, 240, 300])
        XCTAssertEqual(policy.backoff(attempt: 2, random: 1), 96, accuracy: 1e-9, "at most 20 % off")
        XCTAssertEqual(policy.backoff(attempt: 1_000, random: 0.5), 270, accuracy: 1e-9, "no overflow")
        XCTAssertEqual(policy.decide(.timeout, attempt: 1, retryAfter: nil, random: 0), .retry(wait: 60, retryAfter: false))
        XCTAssertEqual(policy.decide(.timeout, attempt: 3, retryAfter: nil, random: 0), .retry(wait: 240, retryAfter: false))
        XCTAssertEqual(policy.decide(.timeout, attempt: 4, retryAfter: nil, random: 0), .givenUp, "four attempts in all")
        XCTAssertEqual(PageRetryPolicy(maxAttempts: 1, baseDelay: 60, maxDelay: 60).decide(.http5xx, attempt: 1, retryAfter: nil, random: 0),
                       .givenUp, "max_attempts = 1: never retried")
    }

    func testRetryAfterIsALowerBoundCappedAtTheLongestWait() {
        XCTAssertEqual(policy.decide(.rateLimited, attempt: 1, retryAfter: 200, random: 0), .retry(wait: 200, retryAfter: true))
        XCTAssertEqual(policy.decide(.rateLimited, attempt: 1, retryAfter: 10, random: 0), .retry(wait: 60, retryAfter: false),
                       "shorter than the backoff: the backoff")
        XCTAssertEqual(policy.decide(.http5xx, attempt: 1, retryAfter: 86_400, random: 0), .retry(wait: 300, retryAfter: true),
                       "bounded by retry_max_delay")
        XCTAssertEqual(policy.decide(.http5xx, attempt: 4, retryAfter: 10, random: 0), .givenUp)
    }

    func testSettingsAreKeptSane() {
        let odd = PageRetryPolicy(maxAttempts: 0, baseDelay: 0, maxDelay: -5, jitter: 7)
        XCTAssertEqual([Double(odd.maxAttempts), odd.baseDelay, odd.maxDelay, odd.jitter], [1, 1, 1, 1])
    }
}
