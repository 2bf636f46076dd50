import XCTest
import DyadCore
@testable import FeedParsing

/// Ill-formed and hostile documents: each must return promptly, keep what can be read, say
/// `wellFormed: false` with problems, and never load anything external.
final class FailureModeTests: XCTestCase {
    func testBillionLaughsFailsCleanly() throws {
        let f = try Fixture.parse("broken/billion-laughs.xml")
        XCTAssertFalse(f.wellFormed)
        XCTAssertFalse(f.problems.isEmpty)
        XCTAssertLessThan(f.feed.title?.utf8.count ?? 0, 1 << 20, "entity expansion must be bounded")
    }

    func testQuadraticBlowupIsBounded() throws {
        let f = try Fixture.parse("broken/quadratic-blowup.xml")
        XCTAssertFalse(f.wellFormed)
        let produced = f.entries.reduce(0) { $0 + ($1.title?.utf8.count ?? 0) }
        XCTAssertLessThanOrEqual(produced, ParserLimits.default.textBudget(forInputBytes: 200_411))
    }

    func testXXEFileIsNeverRead() throws {
        let f = try Fixture.parse("broken/xxe-file.xml")
        let everything = String(decoding: try DyadJSON.encoder().encode(f), as: UTF8.self)
        XCTAssertFalse(everything.contains("root:"), "contents of /etc/passwd leaked")
        XCTAssertFalse(f.wellFormed)
        XCTAssertTrue(f.problems.contains { $0.contains("xxe") }, "\(f.problems)")
        XCTAssertEqual(f.entries.count, 1)
    }

    func testXXENetworkIsNeverFetched() throws {
        // Port 9 (discard) on loopback: if the parser tried, it would fail or hang; it must not try.
        let started = Date()
        let f = try Fixture.parse("broken/xxe-network.xml")
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        XCTAssertFalse(f.wellFormed)
        XCTAssertEqual(f.entries.count, 1)
    }

    func testTruncatedDocumentKeepsCompleteItems() throws {
        let f = try Fixture.parse("broken/truncated.xml")
        XCTAssertFalse(f.wellFormed)
        XCTAssertEqual(f.format, .rss20)
        XCTAssertEqual(f.feed.title, "Truncated feed")
        XCTAssertEqual(f.entries.count, 2, "the item the document ended inside is not an entry")
        XCTAssertTrue(f.truncated)
        XCTAssertEqual(f.unfinishedEntries, 1)
        XCTAssertEqual(f.entries[0].title, "First item")
        XCTAssertEqual(f.entries[0].published, utc("2022-02-21T16:16:16Z"))
        XCTAssertEqual(f.entries[1].link, "http://example.com/2")
    }

    func testEntriesBeyondTheLimitAreTheOldestAndNeverAllInTheTree() throws {
        // 500 items, oldest first, undated ones sprinkled in: the parser keeps the 20 newest by date.
        var xml = "<rss version=\"2.0\"><channel><title>Many</title>"
        let base = Date(timeIntervalSince1970: 1_700_000_000)
        let format = DateFormatter()
        format.locale = Locale(identifier: "en_US_POSIX")
        format.timeZone = TimeZone(identifier: "GMT")
        format.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        for i in 0..<500 {
            let date = i % 50 == 7 ? "" : "<pubDate>\(format.string(from: base.addingTimeInterval(Double(i) * 60)))</pubDate>"
            xml += "<item><guid>g\(i)</guid><title>T\(i)</title>\(date)</item>"
        }
        xml += "</channel></rss>"
        let parsed = FeedParser(limits: ParserLimits(maxEntries: 20)).parse(Data(xml.utf8))
        XCTAssertEqual(parsed.entries.count, 20)
        XCTAssertEqual(parsed.entriesBeyondLimit, 480)
        let expected = (0..<500).filter { $0 % 50 != 7 }.suffix(20).map { "g\($0)" }
        XCTAssertEqual(parsed.entries.map(\.id), expected, "the newest, in document order")
    }

    func testBadEncodingDeclaration() throws {
        let f = try Fixture.parse("broken/bad-encoding-declaration.xml")
        XCTAssertFalse(f.wellFormed)
        XCTAssertEqual(f.feed.title, "Bad declaration")
        XCTAssertEqual(f.entries.count, 1)
        XCTAssertTrue(f.problems.contains { $0.contains("no-such-charset-x") }, "\(f.problems)")
    }

    func testJunkBeforeRoot() throws {
        let f = try Fixture.parse("broken/junk-before-root.xml")
        XCTAssertFalse(f.wellFormed)
        XCTAssertEqual(f.format, .rss20)
        XCTAssertEqual(f.feed.title, "Junk before root")
        XCTAssertEqual(f.entries.count, 1)
    }

    func testUndefinedEntitiesBecomeHTMLCharacters() throws {
        let f = try Fixture.parse("broken/undefined-entities.xml")
        XCTAssertFalse(f.wellFormed)
        XCTAssertEqual(f.feed.title, "Café — news\u{00A0}desk &madeup;")
        XCTAssertEqual(f.entries.first?.title, "Putin’s visit")
        XCTAssertEqual(f.entries.first?.link, "http://example.com/?a=1&b=2")
        XCTAssertTrue(f.problems.contains { $0.contains("eacute") }, "\(f.problems)")
    }

    func testBareAmpersands() throws {
        let f = try Fixture.parse("broken/bare-ampersand.xml")
        XCTAssertFalse(f.wellFormed)
        XCTAssertEqual(f.feed.title, "Trade & energy")
        XCTAssertEqual(f.entries.first?.title, "Rosneft & CNPC sign deal")
        XCTAssertEqual(f.entries.first?.link, "http://example.com/story?id=1&lang=en")
        XCTAssertEqual(f.entries.first?.summary, "Kept & untouched")
    }

    func testEntitiesAfterAnEarlierErrorAreKept() {
        // libxml2 drops entity references after its first error; the repair pass must keep them.
        let f = Fixture.parse(xml: """
            <rss version="2.0"><channel><title>a</b>x</title>
            <item><title>P &amp; Q &#169; &lt;b&gt;</title><link>http://e.com/?a=1&amp;b=2</link></item></channel></rss>
            """)
        XCTAssertFalse(f.wellFormed)
        XCTAssertEqual(f.entries.first?.title, "P & Q © <b>")
        XCTAssertEqual(f.entries.first?.link, "http://e.com/?a=1&b=2")
        XCTAssertFalse(f.problems.contains { $0.contains("repaired") }, "predefined entities are not a repair: \(f.problems)")
    }

    func testHugeDepthStops() throws {
        let f = try Fixture.parse("broken/huge-depth.xml")
        XCTAssertFalse(f.wellFormed)
        XCTAssertEqual(f.feed.title, "deep")
        XCTAssertTrue(f.problems.contains { $0.contains("deep") || $0.contains("depth") }, "\(f.problems)")
    }

    func testEmptyAndWhitespaceOnly() throws {
        for file in ["broken/empty.xml", "broken/whitespace-only.xml"] {
            let f = try Fixture.parse(file)
            XCTAssertFalse(f.wellFormed, file)
            XCTAssertEqual(f.format, .unknown, file)
            XCTAssertEqual(f.problems, ["document is empty"], file)
        }
    }

    func testBinaryGarbage() throws {
        let f = try Fixture.parse("broken/binary-garbage.xml")
        XCTAssertFalse(f.wellFormed)
        XCTAssertEqual(f.format, .unknown)
        XCTAssertTrue(f.entries.isEmpty)
        XCTAssertFalse(f.problems.isEmpty)
    }

    func testDeclaredInternalEntitiesStayWellFormed() {
        let f = Fixture.parse(xml: """
            <?xml version="1.0"?><!DOCTYPE rss [<!ENTITY org "Shanghai Cooperation Organisation">]>
            <rss version="2.0"><channel><title>&org;</title></channel></rss>
            """)
        XCTAssertTrue(f.wellFormed, "\(f.problems)")
        XCTAssertEqual(f.feed.title, "Shanghai Cooperation Organisation")
    }

    func testLimitsAreConfigurable() {
        let xml = "<rss version=\"2.0\"><channel>" + String(repeating: "<item><title>x</title></item>", count: 20) + "</channel></rss>"
        let f = FeedParser(limits: ParserLimits(maxEntries: 5)).parse(Data(xml.utf8))
        XCTAssertEqual(f.entries.count, 5)
        let small = FeedParser(limits: ParserLimits(maxDocumentBytes: 40)).parse(Data(xml.utf8))
        XCTAssertFalse(small.wellFormed)
        XCTAssertTrue(small.problems.contains { $0.contains("truncated") })
    }

    func testParserIsUsableFromManyThreads() {
        let xml = Data("<rss version=\"2.0\"><channel><title>t</title><item><title>Caf&eacute;</title></item></channel></rss>".utf8)
        let parser = FeedParser()
        DispatchQueue.concurrentPerform(iterations: 64) { _ in
            let f = parser.parse(xml)
            XCTAssertEqual(f.entries.first?.title, "Café")
        }
    }
}
