import XCTest
@testable import FeedParsing

/// The plain-text rendering the analysis stage reads.
final class PlainTextTests: XCTestCase {
    func testStripsMarkupAndDecodesEntities() {
        XCTAssertEqual(PlainText.render(html: "<p>Xi &amp; Putin&nbsp;met &ldquo;today&rdquo;.</p>"), "Xi & Putin met “today”.")
    }

    func testDropsScriptAndStyle() {
        let html = "<style>p{color:red}</style><p>Visible</p><script>var x = '<p>hidden</p>';</script>"
        XCTAssertEqual(PlainText.render(html: html), "Visible")
    }

    func testBlocksBecomeLineBreaksAndWhitespaceCollapses() {
        XCTAssertEqual(PlainText.render(html: "<div>One\n\n   two</div><p>Three</p>  <br/>Four"), "One\ntwo\nThree\nFour")
        XCTAssertEqual(PlainText.render(html: "a  \t b"), "a b")
    }

    func testPlainTextPassesThrough() {
        XCTAssertEqual(PlainText.render(html: "  Россия и Китай  "), "Россия и Китай")
        XCTAssertEqual(PlainText.render(html: "AT&T and Gazprom"), "AT&T and Gazprom")
        XCTAssertEqual(PlainText.render(html: ""), "")
    }

    func testBrokenHTMLStillRenders() {
        XCTAssertEqual(PlainText.render(html: "<p>Unclosed <b>bold <i>text"), "Unclosed bold text")
        XCTAssertEqual(PlainText.render(html: "<img src=x alt=\"Map of Siberia\">Caption"), "Map of Siberia Caption")
    }
}

/// Hostile HTML inside otherwise valid feeds.
final class PlainTextHostileInputTests: XCTestCase {
    func testVeryDeepEscapedHTMLDoesNotExhaustTheStack() {
        let html = String(repeating: "<div>", count: 50_000) + "deep" + String(repeating: "</div>", count: 50_000)
        let text = PlainText.render(html: "<p>top</p>" + html)
        XCTAssertTrue(text.hasPrefix("top"))
    }
}
