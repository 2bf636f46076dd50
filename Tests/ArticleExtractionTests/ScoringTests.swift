import ArticleExtraction
import XCTest

/// The scoring and cleaning rules, one hand-made page each.
final class ScoringTests: XCTestCase {
    let extractor = ArticleExtractor()

    func extract(_ html: String, base: String? = nil, charset: String? = nil) -> ExtractedPage {
        extractor.extract(html: Array(html.utf8), baseURL: base, httpCharset: charset)
    }

    func assertBody(_ page: ExtractedPage, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(page.verdict, .extracted, page.problems.joined(separator: "; "), file: file, line: line)
        for start in ["The two governments signed", "Analysts said the agreement", "Trade between the two countries"] {
            XCTAssertTrue(page.paragraphs.contains { $0.hasPrefix(start) }, "missing \(start): \(page.text)", file: file, line: line)
        }
    }

    func testNavigationCookieBannerShareBarRelatedCommentsAndFooterAreRemoved() {
        let page = extract(Pages.newsPage)
        assertBody(page)
        XCTAssertEqual(page.paragraphs.count, 3, page.text)
        for junk in ["Home", "World news", "Great article", "Related stories", "We use cookies", "Share on Facebook", "Other story one", "Copyright"] {
            XCTAssertFalse(page.text.contains(junk), "\(junk) leaked into: \(page.text)")
        }
        XCTAssertEqual(page.text, page.paragraphs.joined(separator: "\n\n"))
    }

    func testLinkDenseListInsideTheArticleIsDropped() {
        let page = extract(Pages.page("""
            <article>\(Pages.body)
            <ul><li><a href="/1">Read also: a different story about the pipeline and its long history</a></li>
                <li><a href="/2">Read also: yet another story about prices on the world market</a></li></ul>
            <p>Officials plan to meet again in spring, when a second round of talks, on finance, is due.</p>
            </article>
            """))
        assertBody(page)
        XCTAssertFalse(page.text.contains("Read also"), page.text)
        XCTAssertTrue(page.text.contains("Officials plan to meet again"), page.text)
    }

    func testClassHintsPreferTheStoryOverAnEquallyLongComment() {
        let comment = "<p>I think the writer is wrong about this, as usual, and the facts, the figures and the quotes do not add up at all.</p>"
        let page = extract(Pages.page("""
            <div class="user-comments">\(comment)\(comment)\(comment)</div>
            <div class="story-text">\(Pages.body)</div>
            """))
        assertBody(page)
        XCTAssertFalse(page.text.contains("the writer is wrong"), page.text)
    }

    func testLongerBlockWithFewerLinksWins() {
        let linkList = (1...12).map { "<p><a href=\"/s\($0)\">Another headline number \($0), with a comma, and more words here</a></p>" }.joined()
        let page = extract(Pages.page("<div>\(linkList)</div><div>\(Pages.body)</div>"))
        assertBody(page)
        XCTAssertFalse(page.text.contains("Another headline"), page.text)
    }

    func testCaptionsBylinesAndDatelinesAreNotBodyText() {
        let page = extract(Pages.page("""
            <article>
              <div class="byline">By Jane Reporter</div>
              <div class="timestamp">Updated 5 hours ago</div>
              <figure><img src="a.jpg"><figcaption>The signing ceremony in the capital, photographed on Tuesday.</figcaption></figure>
              \(Pages.body)
              <p class="caption">Photo: the delegation arriving at the airport, seen from the tower.</p>
            </article>
            """))
        assertBody(page)
        for junk in ["Jane Reporter", "Updated 5 hours", "signing ceremony", "delegation arriving"] {
            XCTAssertFalse(page.text.contains(junk), "\(junk) leaked into: \(page.text)")
        }
    }

    func testSubheadingsStayAndTheHeadlineGoes() {
        let page = extract(Pages.page("""
            <article><h1>Supply deal signed</h1>\(Pages.body)<h2>What comes next</h2>
            <p>Both sides said that technical talks on the route of a second pipeline would continue next year.</p></article>
            """))
        assertBody(page)
        XCTAssertTrue(page.paragraphs.contains("What comes next"), page.text)
        XCTAssertFalse(page.text.contains("Supply deal signed"), page.text)
    }

    func testLineBreakRunsSplitParagraphs() {
        let text = """
            The two governments signed a long-term supply agreement on Tuesday, after months of talks.<br><br>
            Analysts said the agreement, which covers pipeline deliveries, prices and a joint fund, would deepen ties.<br><br>
            Trade between the two countries rose by a third last year, customs figures show, with energy first.
            """
        let page = extract(Pages.page("<div class=\"entry\">\(text)</div>"))
        assertBody(page)
        XCTAssertEqual(page.paragraphs.count, 3, page.text)
    }

    func testScriptsStylesFormsAndHiddenBlocksAreNotText() {
        let page = extract(Pages.page("""
            <article><script>var tracking = "the two governments";</script><style>p { color: red }</style>
            \(Pages.body)
            <div style="display: none">Hidden teaser that nobody sees on the page at all, not even once.</div>
            <form><label>Your email address for our daily newsletter</label><input type="email"><button>Sign up</button></form>
            </article>
            """))
        assertBody(page)
        for junk in ["tracking", "color: red", "Hidden teaser", "newsletter", "Sign up"] {
            XCTAssertFalse(page.text.contains(junk), "\(junk) leaked into: \(page.text)")
        }
    }

    func testConsentWallIsTooShort() {
        let page = extract("""
            <html><head><title>Before you continue</title></head><body>
            <div class="consent-dialog"><h2>We value your privacy</h2>
            <p>We and our partners use cookies to store and access information on your device.</p>
            <button>Accept all</button><button>Manage options</button></div></body></html>
            """)
        XCTAssertEqual(page.verdict, .tooShort)
        XCTAssertTrue(page.problems.contains { $0.contains("too little body text") }, "\(page.problems)")
    }

    func testPaywallTeaserIsTooShort() {
        let page = extract(Pages.page("""
            <article><p>The two governments signed a supply agreement on Tuesday.</p>
            <div class="paywall"><p>Subscribe to read the full story.</p><a href="/subscribe">Subscribe now</a></div></article>
            """))
        XCTAssertEqual(page.verdict, .tooShort, page.text)
        XCTAssertLessThan(page.text.count, 200)
    }

    func testMinimumLengthIsAnOption() {
        let strict = ArticleExtractor(options: ExtractionOptions(minTextLength: 5000))
        XCTAssertEqual(strict.extract(html: Array(Pages.newsPage.utf8), baseURL: nil, httpCharset: nil).verdict, .tooShort)
    }
}
