import ArticleExtraction
import DyadConfig
import DyadCore
import FeedFetching
import XCTest
@testable import Pipeline

/// `[fulltext] min_text_length` has one default, the extractor's own (`ExtractionOptions`).
final class FulltextSettingsTests: XCTestCase {
    var harness: PollHarness!

    override func setUpWithError() throws { harness = try PollHarness() }
    override func tearDown() { harness = nil }

    private func processor(_ fulltextTable: String) throws -> FulltextProcessor {
        try harness.configure([("news", "/feed.xml", "fulltext = true")], daemon: fulltextTable)
        let settings = harness.configuration.section(FulltextConfig.self)
        let source = HTTPPageSource(policy: PageQueue.fetchPolicy(harness.configuration), robotsExpiry: 60, clock: harness.clock)
        return FulltextProcessor(store: harness.store, source: source, settings: settings, sink: nil,
                                 identity: { _ in nil }, clock: harness.clock)
    }

    func testUnsetMinTextLengthIsTheExtractorsDefault() throws {
        let p = try processor("")
        XCTAssertEqual(p.extractor.options.minTextLength, ExtractionOptions.defaultMinTextLength)
        XCTAssertEqual(p.extractor.options.minTextLength, ArticleExtractor().options.minTextLength, "daemon and `extract` agree")
    }

    func testConfiguredMinTextLengthIsUsed() throws {
        let p = try processor("\n[fulltext]\nmin_text_length = 450\n")
        XCTAssertEqual(p.extractor.options.minTextLength, 450)
    }
}
