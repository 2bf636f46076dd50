import XCTest
import DyadCore
@testable import FeedParsing

/// One test per syndication format, each checking the fields the pipeline relies on.
final class FormatTests: XCTestCase {
    func testRSS20SampleFeed() throws {
        let f = try Fixture.parse("sample-rss2.xml")
        XCTAssertEqual(f.format, .rss20)
        XCTAssertTrue(f.wellFormed, "\(f.problems)")
        XCTAssertEqual(f.encoding, "utf-8")
        XCTAssertEqual(f.feed.title, "World Desk – Eurasia")
        XCTAssertEqual(f.feed.link, "https://news.example.org/eurasia/")
        XCTAssertEqual(f.feed.language, "en")
        XCTAssertEqual(f.feed.ttlMinutes, 30)
        XCTAssertEqual(f.feed.generator, "Example CMS 4.2")
        XCTAssertEqual(f.feed.updated, utc("2024-05-16T09:30:00Z"))
        XCTAssertEqual(f.entries.count, 3)
        let first = f.entries[0]
        XCTAssertEqual(first.id, "https://news.example.org/eurasia/2024/05/16/xi-putin-beijing")
        XCTAssertEqual(first.author?.name, "Anna Petrova")
        XCTAssertEqual(first.categories.map(\.term), ["Diplomacy", "China-Russia"])
        XCTAssertEqual(first.published, utc("2024-05-16T08:12:00Z"))
        XCTAssertTrue(first.content?.hasPrefix("<p>BEIJING &mdash;") ?? false)
        // text: markup stripped, entities decoded, script dropped
        XCTAssertEqual(first.text?.hasPrefix("BEIJING — Chinese President Xi Jinping"), true)
        XCTAssertFalse(first.text?.contains("track(") ?? true)
        XCTAssertFalse(first.text?.contains("<") ?? true)
        let second = f.entries[1]
        XCTAssertEqual(second.author, Person(name: "Energy Desk", email: "desk@news.example.org"))
        XCTAssertEqual(second.published, utc("2024-05-15T14:45:00Z"))
        XCTAssertEqual(second.id, "eurasia-2024-05-15-0042")
        let third = f.entries[2]
        XCTAssertEqual(third.enclosures, [FeedEnclosure(url: "https://news.example.org/media/machine-tools-chart.png", type: "image/png", length: 48213)])
        XCTAssertEqual(third.links.map(\.rel), ["alternate", "enclosure"])
    }

    func testRSS20RelativeLinksResolveAgainstDocumentURL() throws {
        let f = try Fixture.parse("sample-rss2.xml", documentURL: "https://news.example.org/eurasia/rss.xml")
        XCTAssertEqual(f.entries[2].link, "https://news.example.org/eurasia/2024/05/14/machine-tools")
    }

    func testRSS091() throws {
        let f = try Fixture.parse("formats/rss091.xml")
        XCTAssertEqual(f.format, .rss091)
        XCTAssertTrue(f.wellFormed, "\(f.problems)")
        XCTAssertEqual(f.encoding, "iso-8859-1")
        XCTAssertEqual(f.feed.language, "en-gb")
        XCTAssertEqual(f.feed.rights, "Copyright 2001")
        XCTAssertEqual(f.feed.author, Person(name: "Ivan Editor", email: "editor@kremlin.example.net"))
        XCTAssertEqual(f.entries.first?.link, "http://kremlin.example.net/2001/07/16")
    }

    func testRSS092EscapedHTMLCategoryAndEnclosure() throws {
        let f = try Fixture.parse("formats/rss092.xml")
        XCTAssertEqual(f.format, .rss092)
        XCTAssertEqual(f.entries.count, 2)
        let e = f.entries[0]
        XCTAssertEqual(e.summary, "Leaders of the <b>Shanghai Cooperation Organisation</b> meet.")
        XCTAssertEqual(e.text, "Leaders of the Shanghai Cooperation Organisation meet.")
        XCTAssertEqual(e.categories, [FeedCategory(term: "Diplomacy", scheme: "http://steppe.example.org/topics")])
        XCTAssertEqual(e.enclosures.first?.length, 123456)
        XCTAssertEqual(e.enclosures.first?.type, "audio/mpeg")
    }

    func testRSS090() throws {
        let f = try Fixture.parse("formats/rss090.xml")
        XCTAssertEqual(f.format, .rss090)
        XCTAssertEqual(f.feed.title, "Old Netscape Channel")
        XCTAssertEqual(f.entries.map(\.title), ["First", "Second"])
    }

    func testRSS10RDFWithDublinCore() throws {
        let f = try Fixture.parse("formats/rss10.xml")
        XCTAssertEqual(f.format, .rss10)
        XCTAssertTrue(f.wellFormed, "\(f.problems)")
        XCTAssertEqual(f.feed.language, "ru")
        XCTAssertEqual(f.feed.updated, utc("2022-03-01T07:00:00Z"))
        let e = try XCTUnwrap(f.entries.first)
        XCTAssertEqual(e.id, "http://rdf.example.org/a")
        XCTAssertEqual(e.title, "Лавров встретился с Ван И")
        XCTAssertEqual(e.author?.name, "Мария Иванова")
        XCTAssertEqual(e.published, utc("2022-03-01T06:30:00Z"))
        XCTAssertEqual(e.categories.first?.term, "Дипломатия")
        XCTAssertEqual(e.content, "<p>Министры <em>обсудили</em> ситуацию.</p>")
        XCTAssertEqual(e.text, "Министры обсудили ситуацию.")
    }

    func testAtom10() throws {
        let f = try Fixture.parse("formats/atom10.xml")
        XCTAssertEqual(f.format, .atom10)
        XCTAssertTrue(f.wellFormed, "\(f.problems)")
        XCTAssertEqual(f.feed.title, "Atom Desk")
        XCTAssertEqual(f.feed.subtitle, "China &amp; Russia <i>daily</i>")
        XCTAssertEqual(f.feed.link, "http://atom.example.com/news/")
        XCTAssertEqual(f.feed.links.first { $0.rel == "self" }?.href, "http://atom.example.com/news/feed.atom")
        XCTAssertEqual(f.feed.links.first { $0.rel == "self" }?.type, "application/atom+xml")
        XCTAssertEqual(f.feed.language, "en")
        XCTAssertEqual(f.feed.author, Person(name: "Desk Editor", email: "desk@atom.example.com", uri: "http://atom.example.com/about"))
        XCTAssertEqual(f.feed.generator, "ExampleGen")
        XCTAssertEqual(f.feed.categories, [FeedCategory(term: "world", scheme: "http://atom.example.com/cats", label: "World")])
        XCTAssertEqual(f.feed.updated, utc("2022-02-24T05:00:00Z"))
        XCTAssertEqual(f.entries.count, 2)
        let e = f.entries[0]
        XCTAssertEqual(e.title, "Moscow &amp; Beijing")
        XCTAssertEqual(e.link, "http://atom.example.com/news/2022/02/24/story")
        XCTAssertEqual(e.enclosures, [FeedEnclosure(url: "http://atom.example.com/img/photo.jpg", type: "image/jpeg", length: 1000)])
        XCTAssertEqual(e.published, utc("2022-02-24T01:00:00Z"))
        XCTAssertEqual(e.updated, utc("2022-02-24T01:30:00Z"))
        XCTAssertEqual(e.summary, "Short summary.")
        // type="xhtml": the wrapping div is dropped, markup re-serialised
        XCTAssertEqual(e.content, "<p>Full <b>story</b> text &amp; more.</p><script>x()</script>")
        XCTAssertEqual(e.text, "Full story text & more.")
        XCTAssertEqual(f.entries[1].link, "http://other.example.org/base/item")
        XCTAssertEqual(f.entries[1].content, "<p>HTML content</p>")
    }

    func testAtom03ModesAndDates() throws {
        let f = try Fixture.parse("formats/atom03.xml")
        XCTAssertEqual(f.format, .atom03)
        XCTAssertEqual(f.feed.subtitle, "Old <b>Atom</b>")
        XCTAssertEqual(f.feed.rights, "Copyright 2004")
        XCTAssertEqual(f.feed.author?.uri, "http://atom03.example.com/me")
        XCTAssertEqual(f.feed.updated, utc("2004-01-01T19:48:21Z"))
        let e = try XCTUnwrap(f.entries.first)
        XCTAssertEqual(e.title, "Example <b>Atom</b>")
        XCTAssertEqual(e.published, utc("2004-01-01T19:00:00Z"))
        XCTAssertEqual(e.summary, "Plain summary")
        XCTAssertEqual(e.content, "<div>Inline <i>xhtml</i></div>")
    }

    func testJSONFeed11() throws {
        let f = try Fixture.parse("formats/jsonfeed11.json")
        XCTAssertEqual(f.format, .jsonFeed)
        XCTAssertTrue(f.wellFormed)
        XCTAssertEqual(f.feed.title, "JSON Eurasia")
        XCTAssertEqual(f.feed.link, "https://json.example.com/")
        XCTAssertEqual(f.feed.author?.name, "JSON Desk")
        XCTAssertEqual(f.entries.count, 2)
        let e = f.entries[0]
        XCTAssertEqual(e.published, utc("2022-02-04T04:00:00Z"))
        XCTAssertEqual(e.categories.map(\.term), ["energy", "china"])
        XCTAssertEqual(e.enclosures, [FeedEnclosure(url: "https://json.example.com/audio/1.mp3", type: "audio/mpeg", length: 1234)])
        XCTAssertEqual(e.text, "Gazprom & CNPC.")
        XCTAssertEqual(f.entries[1].id, "2")
        XCTAssertEqual(f.entries[1].link, "https://json.example.com/2")
        XCTAssertEqual(f.entries[1].text, "Plain text only")
    }

    func testJSONFeed10() throws {
        let f = try Fixture.parse("formats/jsonfeed10.json")
        XCTAssertEqual(f.format, .jsonFeed)
        XCTAssertEqual(f.feed.author?.name, "Old JSON")
        XCTAssertEqual(f.entries.first?.published, utc("2019-05-01T00:00:00Z"))
    }

    func testJSONThatIsNotAFeed() {
        let f = FeedParser().parse(Data(#"{"hello": "world"}"#.utf8))
        XCTAssertEqual(f.format, .unknown)
        XCTAssertFalse(f.wellFormed)
        XCTAssertFalse(f.problems.isEmpty)
    }

    func testHTMLPageIsNotAFeed() {
        let f = Fixture.parse(xml: "<html><head><title>x</title></head><body><p>hi</p></body></html>")
        XCTAssertEqual(f.format, .unknown)
        XCTAssertFalse(f.wellFormed)
        XCTAssertTrue(f.problems.contains { $0.contains("not RSS") })
    }

    func testXMLBaseNestedResolution() {
        let f = Fixture.parse(xml: """
            <rss version="2.0" xml:base="http://a.example/x/"><channel xml:base="y/"><title>t</title>
            <item xml:base="/z/"><title>i</title><link>page.html</link><enclosure url="../m.mp3" type="audio/mpeg" length="1"/></item>
            </channel></rss>
            """, documentURL: "http://ignored.example/feed")
        XCTAssertEqual(f.entries.first?.link, "http://a.example/z/page.html")
        XCTAssertEqual(f.entries.first?.enclosures.first?.url, "http://a.example/m.mp3")
    }

    func testGuidPermalinkBecomesLinkOnlyWhenAllowed() {
        let f = Fixture.parse(xml: """
            <rss version="2.0"><channel><title>t</title>
            <item><guid>http://example.com/a</guid></item>
            <item><guid isPermaLink="false">http://example.com/b</guid></item>
            </channel></rss>
            """)
        XCTAssertEqual(f.entries[0].link, "http://example.com/a")
        XCTAssertNil(f.entries[1].link)
    }
}

/// Extensions Russian and Chinese outlets use.
final class OutletExtensionTests: XCTestCase {
    func testYandexFullTextBecomesContent() throws {
        let f = try Fixture.parse("formats/yandex-rss.xml")
        XCTAssertTrue(f.wellFormed, "\(f.problems)")
        let e = try XCTUnwrap(f.entries.first)
        XCTAssertEqual(e.summary, "Short lead.")
        XCTAssertEqual(e.content, "Full article text about the joint exercise in the Sea of Japan.")
        XCTAssertEqual(e.text, "Full article text about the joint exercise in the Sea of Japan.")
        XCTAssertEqual(e.published, utc("2022-02-24T07:15:00Z"))
    }
}
