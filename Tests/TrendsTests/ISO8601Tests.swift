import DyadCore
import Foundation
import XCTest

/// Stored dates are written and read by hand (hot path); they must agree with Foundation's
/// ISO-8601 formatter on every date, and other forms must still parse through Foundation.
final class ISO8601Tests: XCTestCase {
    func testHandWrittenFormsAgreeWithFoundation() {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let date = Date(timeIntervalSince1970: Double(Int64.random(in: -2_000_000_000...8_000_000_000, using: &rng)))
            let s = ISO8601.string(date)
            XCTAssertEqual(s, f.string(from: date))
            XCTAssertEqual(ISO8601.date(s), date, s)
        }
        XCTAssertEqual(ISO8601.date("2022-03-01T01:00:00+01:00"), f.date(from: "2022-03-01T00:00:00Z"), "offsets via Foundation")
        XCTAssertEqual(ISO8601.date("2022-03-01T00:00:00.250Z")?.timeIntervalSince1970, 1_646_092_800.25)
        XCTAssertNil(ISO8601.date("2022-13-01T00:00:00Z"))
        XCTAssertNil(ISO8601.date("yesterday"))
    }
}
