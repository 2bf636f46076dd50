import XCTest
import DyadCore

/// Round-trips the shared types through DyadJSON, so every stage agrees on dates and key order.
final class FeedParsingTestsCoreTypes: XCTestCase {
    func testISO8601RoundTrip() {
        let d = Date(timeIntervalSince1970: 1_072_986_501)
        XCTAssertEqual(ISO8601.string(d), "2004-01-01T19:48:21Z")
        XCTAssertEqual(ISO8601.date("2004-01-01T19:48:21Z"), d)
    }
}
