import ArticleExtraction
import XCTest

/// Any bytes give a result, never a crash: empty, binary, huge, deeply nested, broken markup.
final class HostileInputTests: XCTestCase {
    let extractor = ArticleExtractor()

    func testEmptyAndWhitespaceAreEmpty() {
        XCTAssertEqual(extractor.extract(html: [], baseURL: nil, httpCharset: nil).verdict, .empty)
        XCTAssertEqual(extractor.extract(html: Array(" \n\t ".utf8), baseURL: nil, httpCharset: nil).verdict, .empty)
    }

    func testBinaryIsNotHTML() {
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 7, count: 100)
        let r = extractor.extract(html: png, baseURL: nil, httpCharset: nil)
        XCTAssertEqual(r.verdict, .notHTML)
        XCTAssertTrue(r.problems.contains { $0.contains("PNG") }, "\(r.problems)")
        XCTAssertEqual(extractor.extract(html: Array("{\"json\": true}".utf8), baseURL: nil, httpCharset: nil).verdict, .notHTML)
    }

    func testRandomBytesNeverCrash() {
        var rng = SystemRandomNumberGenerator()
        for length in [1, 2, 3, 17, 512, 4096, 70_000] {
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            _ = extractor.extract(html: bytes, baseURL: nil, httpCharset: nil)
            // The same bytes behind a markup prefix reach the parser.
            bytes = Array("<html><body><p>".utf8) + bytes
            _ = extractor.extract(html: bytes, baseURL: "not a url", httpCharset: "no-such-charset")
        }
    }

    func testDeeplyNestedPageIsBounded() {
        let depth = 100_000
        let html = String(repeating: "<div>", count: depth) + Pages.body + String(repeating: "</div>", count: depth)
        let r = extractor.extract(html: Array(html.utf8), baseURL: nil, httpCharset: nil)
        XCTAssertNotEqual(r.verdict, .notHTML)
        let inline = String(repeating: "<b><i>", count: 50_000) + "text"
        _ = extractor.extract(html: Array(("<p>" + inline).utf8), baseURL: nil, httpCharset: nil)
    }

    func testBrokenMarkupIsRecovered() {
        let html = "<html><body><article><p>\(Pages.body.replacingOccurrences(of: "</p>", with: ""))<div><span><table><tr><td>x</article></i></b>"
        let r = extractor.extract(html: Array(html.utf8), baseURL: nil, httpCharset: nil)
        XCTAssertTrue(r.text.contains("The two governments signed"), r.text)
        _ = extractor.extract(html: Array("<".utf8), baseURL: nil, httpCharset: nil)
        _ = extractor.extract(html: Array("<!--".utf8), baseURL: nil, httpCharset: nil)
        _ = extractor.extract(html: Array("<script>".utf8) + [UInt8](repeating: 0x41, count: 10_000), baseURL: nil, httpCharset: nil)
        _ = extractor.extract(html: Array("<p>a\0b</p><p>\u{0}</p>".utf8), baseURL: nil, httpCharset: nil)
    }

    func testHugePageIsCutToTheLimit() {
        let paragraph = Array("<p>Officials said the agreement, which covers deliveries, prices and a fund, would deepen ties.</p>\n".utf8)
        var bytes = Array("<html><body><article>".utf8)
        bytes.reserveCapacity(30 * 1024 * 1024 + 200)
        while bytes.count < 30 * 1024 * 1024 { bytes += paragraph }
        let small = ArticleExtractor(options: ExtractionOptions(maxInputBytes: 2 * 1024 * 1024))
        let r = small.extract(html: bytes, baseURL: nil, httpCharset: nil)
        XCTAssertEqual(r.verdict, .extracted)
        XCTAssertTrue(r.problems.contains { $0.contains("cut to its first") }, "\(r.problems)")
        XCTAssertLessThan(r.text.utf8.count, 2 * 1024 * 1024)
    }

    func testHostileJSONLDAndAttributes() {
        let nested = String(repeating: "[", count: 100_000)
        let html = """
            <html><head><script type="application/ld+json">\(nested)</script>
            <script type="application/ld+json">{"@type": "NewsArticle", "author": {"name": 5}, "datePublished": 12}</script>
            <meta property="og:title" content=""><link rel="canonical" href="javascript:alert(1)">
            </head><body class="\(String(repeating: "a-", count: 10_000))"><div>\(Pages.body)</div></body></html>
            """
        let r = extractor.extract(html: Array(html.utf8), baseURL: "https://example.com/", httpCharset: nil)
        XCTAssertEqual(r.verdict, .extracted)
        XCTAssertNil(r.published)
    }
}

/// The byte prefilter must not change what the extractor reads.
final class PrefilterTests: XCTestCase {
    func testQuotedGreaterThanCommentsAndScriptsDoNotLeakOrCut() {
        let html = """
            <html><head><script type="application/ld+json">{"@type": "NewsArticle", "author": {"name": "Jane Reporter"}}</script>
            <script>if (a < b && c > d) { document.write("<p>fake paragraph from a script, long enough to count as text</p>") }</script>
            <style>p > a { color: red }</style></head><body>
            <!-- <div class="comments"> a commented-out block with text that must not appear anywhere </div> -->
            <div data-x="a > b" class="story-body" onclick='x(">")'>\(Pages.body)</div>
            <p>3 < 4 and 5 > 2 are both true, as every pupil knows, and so it is written in many schoolbooks.</p>
            </body></html>
            """
        let page = ArticleExtractor().extract(html: Array(html.utf8), baseURL: nil, httpCharset: nil)
        XCTAssertEqual(page.author, "Jane Reporter")
        XCTAssertTrue(page.text.contains("The two governments signed"), page.text)
        XCTAssertTrue(page.text.contains("3 < 4 and 5 > 2"), page.text)
        for junk in ["fake paragraph", "color: red", "commented-out", "onclick"] {
            XCTAssertFalse(page.text.contains(junk), "\(junk) leaked into: \(page.text)")
        }
    }

    func testTruncatedTagsAndRawTextAreSafe() {
        let extractor = ArticleExtractor()
        for tail in ["<div class=\"unterminated", "<div class='x' data-a=\"", "<script>var a = 1;", "<!-- open comment", "<p a=", "<", "<a b c d e"] {
            let page = extractor.extract(html: Array("<html><body><article>\(Pages.body)</article>\(tail)".utf8), baseURL: nil, httpCharset: nil)
            XCTAssertTrue(page.text.contains("The two governments signed"), "\(tail): \(page.text)")
        }
    }
}

/// Inputs the fuzzer (scripts/fuzz.sh extractor) found, replayed: each must give a result.
final class FuzzRegressionTests: XCTestCase {
    func testRecordedFuzzFindingsExtractWithoutCrashing() throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let dir = repo.appendingPathComponent("Fuzz/Regressions/extractor")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path))?.filter { !$0.hasPrefix(".") } ?? []
        if files.isEmpty { throw XCTSkip("no fuzz findings recorded in Fuzz/Regressions/extractor") }
        let extractor = ArticleExtractor()
        for name in files.sorted() {
            let bytes = try Array(Data(contentsOf: dir.appendingPathComponent(name)))
            let page = extractor.extract(html: bytes, baseURL: "https://127.0.0.1/a", httpCharset: nil)
            XCTAssertEqual(page.text, page.paragraphs.joined(separator: "\n\n"), name)
        }
    }
}
