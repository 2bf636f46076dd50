import Foundation
import XCTest
import DyadCore
@testable import ArticleAnalysis

/// Input formats of `analyze`, HTML stripping, sentence splitting and offsets.
final class InputAndTextTests: XCTestCase {
    func testJSONLinesKeepOrderAndReportBadLines() {
        let input = """
        {"id": "a", "title": "China and Russia", "text": "", "outlet": "X", "published": "2022-02-11T15:51:00Z"}

        not json
        {"id": 7, "title": "Second"}
        ["array"]
        """
        let items = ArticleInput.items(from: Array(input.utf8), name: "in.jsonl")
        XCTAssertEqual(items.count, 4)
        guard case .article(let a) = items[0] else { return XCTFail() }
        XCTAssertEqual(a.id, "a"); XCTAssertEqual(a.outlet, "X"); XCTAssertNotNil(a.published)
        guard case .failure(let m) = items[1] else { return XCTFail() }
        XCTAssertTrue(m.hasPrefix("in.jsonl:3:"), m)
        guard case .article(let b) = items[2] else { return XCTFail() }
        XCTAssertEqual(b.id, "7")
        guard case .failure = items[3] else { return XCTFail() }
    }

    func testHTMLIsStripped() {
        let html = "<!DOCTYPE html><html><head><title>Xi meets Putin</title><style>p{}</style><script>var china=1</script></head><body><p>China &amp; Russia <b>deepen</b> ties.</p><!-- Russia --></body></html>"
        guard case .article(let a) = ArticleInput.items(from: Array(html.utf8), name: "page.html").first else { return XCTFail() }
        XCTAssertEqual(a.title, "Xi meets Putin")
        XCTAssertTrue(a.text.contains("China & Russia deepen ties."), a.text)
        XCTAssertFalse(a.text.contains("var china"))
        XCTAssertFalse(a.text.contains("<"))
    }

    func testPlainTextTitleIsFirstLine() {
        guard case .article(let a) = ArticleInput.items(from: Array("\n\nHeadline here\nBody one.\nBody two.".utf8), name: "/x/y.txt").first else { return XCTFail() }
        XCTAssertEqual(a.id, "y.txt"); XCTAssertEqual(a.title, "Headline here"); XCTAssertEqual(a.text, "Body one.\nBody two.")
    }

    func testSentenceSplitting() {
        func split(_ s: String) -> [String] {
            let t = NormalizedText(title: s, text: "")
            let ranges = t.original.withUnsafeBufferPointer { p in t.folded.withUnsafeBufferPointer { f in SentenceSegmenter.split(p, folded: f) } }
            return ranges.map { t.string($0.start, $0.end) }
        }
        XCTAssertEqual(split("The U.S. and China met. Russia was absent."), ["The U.S. and China met.", "Russia was absent."])
        XCTAssertEqual(split("Mr. Putin spoke. Then Xi replied!"), ["Mr. Putin spoke.", "Then Xi replied!"])
        XCTAssertEqual(split("中俄会谈。双方同意合作！好"), ["中俄会谈。", "双方同意合作！", "好"])
        XCTAssertEqual(split("Growth was 3.5 percent. Next"), ["Growth was 3.5 percent.", "Next"])
    }

    func testFoldingKeepsLengthAndLowersCyrillic() {
        let s = "ЁЛКА Россия CHINA Sino-Russian"
        let folded = NormalizedText.fold(Array(s.utf8))
        XCTAssertEqual(folded.count, s.utf8.count)
        XCTAssertEqual(String(decoding: folded, as: UTF8.self), "елка россия china sino russian")
    }

    func testScalarOffsets() {
        let s = String(repeating: "中", count: 100) + "China"
        let bytes = Array(s.utf8)
        let idx = ScalarOffsetIndex(bytes)
        XCTAssertEqual(idx.scalarOffset(300, in: bytes), 100)
        XCTAssertEqual(idx.scalarOffset(305, in: bytes), 105)
        XCTAssertEqual(idx.scalarOffset(0, in: bytes), 0)
    }

    func testReportHighlightsEvidence() {
        let article = Article(id: "r", title: "China and Russia deepen their strategic partnership", text: "")
        let report = AnalysisReport.render(Shared.analyzer.analyze(article), article: article, color: false)
        XCTAssertTrue(report.contains("[[strategic partnership]]"), report)
        XCTAssertTrue(report.contains("stance: supportive"), report)
    }
}
