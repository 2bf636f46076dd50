import ArticleExtraction
import XCTest

/// Title, date, author, canonical URL and language from head, JSON-LD and markup.
final class MetadataTests: XCTestCase {
    let extractor = ArticleExtractor()

    func extract(_ html: String, base: String? = nil) -> ExtractedPage {
        extractor.extract(html: Array(html.utf8), baseURL: base, httpCharset: nil)
    }

    func testJSONLDArticleInAGraph() throws {
        let page = extract(Pages.page(Pages.body, head: """
            <script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
              {"@type": "WebSite", "name": "The Daily Example"},
              {"@type": ["NewsArticle"], "headline": "Supply deal signed after months of talks",
               "datePublished": "2022-02-04T09:30:00+03:00", "inLanguage": "en-GB",
               "author": [{"@type": "Person", "name": "Jane Reporter"}, {"@type": "Person", "name": "Ivan Petrov"}]}]}
            </script>
            """))
        XCTAssertEqual(page.title, "Supply deal signed after months of talks")
        XCTAssertEqual(page.author, "Jane Reporter, Ivan Petrov")
        XCTAssertEqual(try XCTUnwrap(page.published).timeIntervalSince1970, 1_643_956_200)
        XCTAssertEqual(page.language, "en-gb")
    }

    func testOpenGraphMetaAndCanonicalResolvedAgainstTheBase() throws {
        let page = extract("""
            <html lang="en-US"><head><title>Talks stall in Ankara - The Daily Example</title>
            <meta property="og:title" content="Talks stall in Ankara">
            <meta property="article:published_time" content="2022-03-10T12:00:00Z">
            <meta name="author" content="By Jane Reporter">
            <link rel="canonical" href="/world/talks-stall">
            </head><body><article>\(Pages.body)</article></body></html>
            """, base: "https://news.example.com/amp/world/talks-stall?x=1")
        XCTAssertEqual(page.title, "Talks stall in Ankara")
        XCTAssertEqual(page.author, "Jane Reporter")
        XCTAssertEqual(page.canonicalURL, "https://news.example.com/world/talks-stall")
        XCTAssertEqual(page.language, "en-us")
        XCTAssertEqual(try XCTUnwrap(page.published).timeIntervalSince1970, 1_646_913_600)
    }

    func testTitleFallsBackToTitleElementWithoutTheSiteName() {
        let page = extract("""
            <html><head><title>Pipeline talks resume in Beijing | The Daily Example</title></head>
            <body><h1>One</h1><h1>Two</h1><div>\(Pages.body)</div></body></html>
            """)
        XCTAssertEqual(page.title, "Pipeline talks resume in Beijing")
    }

    func testTimeElementGivesTheDate() throws {
        let page = extract(Pages.page("<article><time datetime=\"2022-05-01T08:00:00Z\" pubdate>1 May</time>\(Pages.body)</article>"))
        XCTAssertEqual(try XCTUnwrap(page.published).timeIntervalSince1970, 1_651_392_000)
        XCTAssertFalse(page.text.contains("1 May"), page.text)
    }

    func testNoMetadataIsNil() {
        let page = extract("<html><body><div>\(Pages.body)</div></body></html>")
        XCTAssertNil(page.published)
        XCTAssertNil(page.author)
        XCTAssertNil(page.canonicalURL)
        XCTAssertNil(page.title)
    }
}
