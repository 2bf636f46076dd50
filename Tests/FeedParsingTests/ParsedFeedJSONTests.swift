import XCTest
import DyadCore
@testable import FeedParsing

/// The fast `parse --jsonl` writer must produce exactly what DyadJSON's encoder produces.
final class ParsedFeedJSONTests: XCTestCase {
    private func assertMatchesDyadJSON(_ feed: ParsedFeed, roundTrip: Bool = true, file: StaticString = #filePath, line: UInt = #line) throws {
        let fast = String(decoding: ParsedFeedJSON.encode(feed), as: UTF8.self)
        let reference = String(decoding: try DyadJSON.encoder().encode(feed), as: UTF8.self)
        XCTAssertEqual(fast, reference, file: file, line: line)
        if roundTrip {
            // `truncated`/`unfinishedEntries` are for the poller, not part of the JSON form.
            var expected = feed
            expected.truncated = false
            expected.unfinishedEntries = 0
            expected.entriesBeyondLimit = 0
            XCTAssertEqual(try DyadJSON.decoder().decode(ParsedFeed.self, from: Data(fast.utf8)), expected, file: file, line: line)
        }
    }

    func testFixturesEncodeIdentically() throws {
        for path in ["sample-rss2.xml", "formats/atom10.xml", "formats/atom03.xml", "formats/rss10.xml", "formats/rss092.xml",
                     "formats/jsonfeed11.json", "broken/truncated.xml", "broken/undefined-entities.xml", "encodings/koi8-r.xml"] {
            try assertMatchesDyadJSON(try Fixture.parse(path))
        }
    }

    func testEscapingAndEdgeValues() throws {
        var entry = FeedEntry(id: "quote \" backslash \\ slash / tab \t nl \n cr \r bell \u{07} nul \u{00} del \u{7F} ✓ 中",
                              published: Date(timeIntervalSince1970: -2_208_988_800), // 1900-01-01
                              updated: Date(timeIntervalSince1970: 1_645_460_176))
        entry.enclosures = [FeedEnclosure(url: "u", type: nil, length: Int64.max)]
        entry.author = Person(name: "n", email: nil, uri: "x")
        entry.categories = [FeedCategory(term: nil, scheme: "s", label: "l")]
        var meta = FeedMetadata(title: "\u{2028}\u{2029}", ttlMinutes: 15)
        meta.links = [FeedLink(href: "h", rel: "self", type: "t", title: "ti")]
        try assertMatchesDyadJSON(ParsedFeed(format: .atom03, wellFormed: false, problems: ["p1", "p\"2"], encoding: nil,
                                             feed: meta, entries: [entry, FeedEntry()]))
    }

    /// The writer skips eight bytes at a time while none needs escaping: every escaped byte,
    /// at every offset within and across those words, and multi-byte text around them.
    func testEscapesAtEveryOffsetOfTheWordScan() throws {
        let specials: [Character] = ["\"", "\\", "\n", "\u{01}", "\u{1F}", " ", "\u{7F}", "é", "中"]
        var titles: [String] = []
        for special in specials {
            for offset in 0..<18 {
                titles.append(String(repeating: "a", count: offset) + String(special) + String(repeating: "b", count: 17 - offset))
            }
        }
        titles.append(String(repeating: "x", count: 64))
        titles.append("")
        try assertMatchesDyadJSON(ParsedFeed(entries: titles.map { FeedEntry(title: $0) }))
    }

    func testAncientDatesFormatLikeISO8601() throws {
        // Year 2 and year 99 (the decoder's calendar differs for such dates) and fractional
        // seconds (rounded down, so not round-trippable): compare text only.
        for t in [-62_135_596_800.0 + 86_400 * 400, -59_042_995_199, 1_645_460_176.999, -0.5] {
            try assertMatchesDyadJSON(ParsedFeed(entries: [FeedEntry(published: Date(timeIntervalSince1970: t))]), roundTrip: false)
        }
    }

    func testFileMemberIsAddedInSortedPosition() throws {
        let line = String(decoding: ParsedFeedJSON.encode(ParsedFeed(), file: "a/b.xml"), as: UTF8.self)
        XCTAssertEqual(line, #"{"entries":[],"feed":{"categories":[],"links":[]},"file":"a/b.xml","format":"unknown","problems":[],"wellFormed":true}"#)
    }
}
