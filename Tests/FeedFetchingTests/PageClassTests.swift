import DyadCore
import FeedFetching
import XCTest

/// A failed page transfer is classed exactly as a failed feed poll would be.
final class PageClassTests: XCTestCase {
    func testEveryTransferFailureKeepsItsFeedClassName() {
        let failures: [FetchFailure] = [
            .httpStatus(404), .httpStatus(403), .httpStatus(410), .httpStatus(429), .httpStatus(503), .bodyTooLarge(limit: 1),
            .tooManyRedirects(limit: 5), .redirectLoop(url: "u"), .forbiddenRedirect(url: "file:///"), .invalidURL("x"),
            .connectionRefused("m"), .timedOut("m"), .stalled("m"), .dnsFailure("m"), .tlsFailure("m"),
            .badContentEncoding("m"), .transport(code: 56, message: "m"),
        ]
        for failure in failures {
            XCTAssertEqual(FulltextStatus(transfer: failure.errorClass).rawValue, failure.errorClass.rawValue, "\(failure)")
        }
    }
}
