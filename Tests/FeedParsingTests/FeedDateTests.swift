import XCTest
import DyadCore
@testable import FeedParsing

/// Date formats seen in feeds, normalised to UTC; impossible dates give nil.
final class FeedDateTests: XCTestCase {
    private func expect(_ input: String, _ iso: String?, line: UInt = #line) {
        let got = FeedDate.parse(input).map(ISO8601.string)
        XCTAssertEqual(got, iso, "FeedDate.parse(\(input.debugDescription))", line: line)
    }

    func testRFC822Variants() {
        expect("Thu, 01 Jan 2004 19:48:21 GMT", "2004-01-01T19:48:21Z")
        expect("01 Jan 2004 19:48:21 GMT", "2004-01-01T19:48:21Z")             // no weekday
        expect("Thu,  5 Apr 2012 10:00:00 GMT", "2012-04-05T10:00:00Z")        // 1-digit day
        expect("Wed, 19 Feb 2012 22:40:00 -01:01", "2012-02-19T23:41:00Z")     // +hh:mm
        expect("Mon, 13 Feb, 2012 06:28:00 UTC", "2012-02-13T06:28:00Z")       // stray comma
        expect("Thu, 01 Jan 2004 00:00 GMT", "2004-01-01T00:00:00Z")           // no seconds
        expect("Thu, 01 Jan 2004", "2004-01-01T00:00:00Z")                     // no time
        expect("Mon, 26 January 2004 16:31:00 ET", "2004-01-26T21:31:00Z")     // long month, odd zone
        expect("Thu, 30 Apr 2015 08:57:00 MEST", "2015-04-30T06:57:00Z")
        expect("Thu, 01 Jan 04 19:48:21 GMT", "2004-01-01T19:48:21Z")          // 2-digit year
        expect("Fri, 01 Jan 99 00:00:00 GMT", "1999-01-01T00:00:00Z")
        expect("Mon, 21 Feb 2022 19:16:16 +0300", "2022-02-21T16:16:16Z")      // Moscow offset
        expect("Mon, 21 Feb 2022 19:16:16 MSK", "2022-02-21T16:16:16Z")
        expect("Mon, 21 Feb 2022 23:16:16 +0800 (CST)", "2022-02-21T15:16:16Z") // comment ignored
        expect("Thu, 01 Jan 0100 00:00:01 +0100", "0099-12-31T23:00:01Z")      // ancient
        expect("21-Feb-2022 10:00:00 GMT", "2022-02-21T10:00:00Z")
    }

    func testAsctime() {
        expect("Sun Jan  4 16:29:06 2004", "2004-01-04T16:29:06Z")
        expect("Sun Jan  4 16:29:06 PST 2004", "2004-01-05T00:29:06Z")
    }

    func testW3CDTFAndISO8601() {
        expect("2003-12-31T10:14:55Z", "2003-12-31T10:14:55Z")
        expect("2003-12-31T10:14:55-08:00", "2003-12-31T18:14:55Z")
        expect("2003-12-31T10:14:55.123+05:30", "2003-12-31T04:44:55Z")
        expect("2003-12-31", "2003-12-31T00:00:00Z")
        expect("2003-12", "2003-12-01T00:00:00Z")
        expect("2003", "2003-01-01T00:00:00Z")
        expect("20031231T101455Z", "2003-12-31T10:14:55Z")
        expect("2003-365", "2003-12-31T00:00:00Z")                            // ordinal
        expect("031231", "2003-12-31T00:00:00Z")
        expect("03-12-31", "2003-12-31T00:00:00Z")
        expect("-03-12", "2003-12-01T00:00:00Z")
        expect("2003-012-31T10:14:55+00:00", "2003-12-31T10:14:55Z")          // Google's 0MM
        expect("2004-02-28T18:14:55-08:00", "2004-02-29T02:14:55Z")           // leap-year rollover
        expect("2004-07-08 23:56:58 -00:20", "2004-07-09T00:16:58Z")          // MSSQL style
        expect("2004-07-08 23:56:58", "2004-07-08T23:56:58Z")
    }

    func testImpossibleDatesAreNil() {
        expect("", nil)
        expect("Sun, 99 Jun 2009 12:00:00 GMT", nil)
        expect("Sun, 16 Dec 2012 11:47:32 +00:zz", nil)
        expect("9999-12-31T23:59:59-99:99", nil)
        expect("2003-12-31T25:14:55Z", nil)
        expect("2003-12-31T10:61:55Z", nil)
        expect("2003-12-31T10:14:61Z", nil)
        expect("2013-01-27-01", nil)
        expect("2013-01-28T11:30:00-06:00Textra", nil)
        expect("2013-01-28T09:xx:00Z", nil)
        expect("2003-02-30", nil)
        expect("yesterday", nil)
        expect("Mon, 31 Feb 2022 10:00:00 GMT", nil)
    }

    func testLocalizedDates() {
        expect("2004-j\u{fa}lius-13T9:15-05:00", "2004-07-13T14:15:00Z")              // Hungarian
        expect("\u{039a}\u{03c5}\u{03c1}, 11 \u{0399}\u{03bf}\u{03cd}\u{03bb} 2004 12:00:00 EST", "2004-07-11T17:00:00Z") // Greek
        expect("2004\u{b144} 05\u{c6d4} 28\u{c77c}  01:31:15", "2004-05-27T16:31:15Z") // Korean (onblog)
        expect("2004-05-25 \u{c624}\u{d6c4} 11:23:17", "2004-05-25T14:23:17Z")         // Korean (nate)
        expect("21 февраля 2022 10:00:00 +0300", "2022-02-21T07:00:00Z")               // Russian
        expect("2022年02月21日 10:00", "2022-02-21T10:00:00Z")                          // Chinese
    }

    func testPerforceStyle() {
        expect("2006/09/15 08:19:53 EDT", "2006-09-15T12:19:53Z")
    }

    /// feedparser's own date-parser cases (public half), when ../shared is present.
    func testSharedDateSuite() throws {
        guard let shared = Fixture.shared else { throw XCTSkip("../shared not present") }
        let tsv = try String(contentsOf: shared.appendingPathComponent("eval/dates.tsv"), encoding: .utf8)
        var total = 0, passed = 0, failures: [String] = []
        for line in tsv.split(separator: "\n").dropFirst() {
            let cols = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard cols.count >= 3,
                  let input = try JSONSerialization.jsonObject(with: Data(cols[1].utf8), options: [.fragmentsAllowed]) as? String else { continue }
            total += 1
            let got = FeedDate.parse(input).map(ISO8601.string)
            if got == (cols[2].isEmpty ? nil : cols[2]) { passed += 1 } else { failures.append("\(cols[1]) → \(got ?? "nil"), want \(cols[2])") }
        }
        XCTAssertGreaterThan(total, 0)
        XCTAssertGreaterThanOrEqual(Double(passed) / Double(total), 0.9, failures.joined(separator: "\n"))
    }
}
