import Foundation
import GRDB
import XCTest
@testable import FeedStorage

/// Entry dates are bound as text written by hand; it must be GRDB's own text for the same date,
/// so rows written before and after compare and sort alike.
final class StoredDateTests: XCTestCase {
    private func grdbText(_ d: Date) -> String? { String.fromDatabaseValue(d.databaseValue) }
    private func ourText(_ d: Date) -> String? { StoredDate.value(d).flatMap { String.fromDatabaseValue($0.databaseValue) } }

    func testWholeSecondsAreWrittenAsGRDBWritesThem() {
        var rng = SystemRandomNumberGenerator()
        var dates = [-11_676_096_000, -2_208_988_800, -1, 0, 1, 951_782_400, 1_645_240_709, 4_107_542_400, 253_402_300_799]
            .map { Date(timeIntervalSince1970: TimeInterval($0)) }
        for _ in 0..<2_000 { dates.append(Date(timeIntervalSince1970: TimeInterval(Int64.random(in: -11_676_096_000..<253_402_300_800, using: &rng)))) }
        for d in dates {
            XCTAssertTrue(StoredDate.value(d) is String, "\(d)")
            XCTAssertEqual(ourText(d), grdbText(d), "\(d.timeIntervalSince1970)")
        }
    }

    func testOtherDatesAreLeftToGRDB() {
        for t in [0.5, 1_645_240_709.123, -11_676_096_001, 253_402_300_800, -62_135_596_800] {
            let d = Date(timeIntervalSince1970: t)
            XCTAssertTrue(StoredDate.value(d) is Date, "\(t)")
            XCTAssertEqual(ourText(d), grdbText(d))
        }
        XCTAssertNil(StoredDate.value(nil))
    }
}
