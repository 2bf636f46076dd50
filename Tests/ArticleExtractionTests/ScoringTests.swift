import ArticleExtraction
import XCTest

/// The scoring rules on small hand-made pages.
final class ScoringTests: XCTestCase {
    let extractor = ArticleExtractor()

    func extract(_ html: String, base: String? = nil, charset: String? = nil) -> ExtractedPage {
        extractor.extract(html: Array(html.utf8), baseURL: base, httpCharset: charset)
    }

    func testNavigationCommentsAndRelatedAreRemoved() {
        let page = extract(Pages.newsPage)
        XCTAssertEqual(page.verdict, .extracted)
        XCTAssertTrue(page.text.contains("The two governments signed"), page.text)
        XCTAssertTrue(page.text.contains("Analysts said the agreement"), page.text)
        for junk in ["Home", "World news", "Great article", "Related stories", "We use cookies", "Share on Facebook", "Other story one"] {
            XCTAssertFalse(page.text.contains(junk), "\(junk) leaked into: \(page.text)")
        }
    }
}
