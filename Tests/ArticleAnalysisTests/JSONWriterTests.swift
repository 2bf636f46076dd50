import Foundation
import XCTest
import DyadCore
@testable import ArticleAnalysis

/// `JSONWriter` (the storage path's encoder) writes an analysis result byte for byte as
/// `DyadJSON.encoder()` does, so stored results read back alike whichever wrote them.
final class JSONWriterTests: XCTestCase {
    private let encoder = DyadJSON.encoder()

    private func assertSameAsEncoder(_ r: ArticleAnalysisResult, file: StaticString = #filePath, line: UInt = #line) throws {
        let expected = String(decoding: try encoder.encode(r), as: UTF8.self)
        let written = try XCTUnwrap(JSONWriter.string(r), file: file, line: line)
        XCTAssertEqual(written, expected, file: file, line: line)
        XCTAssertEqual(try DyadJSON.decoder().decode(ArticleAnalysisResult.self, from: Data(written.utf8)), r, file: file, line: line)
    }

    func testAnalyzerOutputOnTheSeedExcerptAndHeadlines() throws {
        try assertSameAsEncoder(Shared.analyze(SeedArticleTests.excerptTitle, SeedArticleTests.excerptText, id: "seed"))
        for (i, title) in ["Xi, Putin hail \"no limits\" partnership as Moscow faces sanctions",
                           "Россия и Китай: стратегическое партнёрство", "中俄关系处于历史最好时期",
                           "Beijing rejects US claims on Russia arms; NATO 'hypocritical', says spokesperson"].enumerated() {
            try assertSameAsEncoder(Shared.analyze(title, id: "h\(i)"))
        }
    }

    func testHeadlinesOfThe2022History() throws {
        guard let root = Shared.sharedRoot else { throw XCTSkip("../shared is absent: 2022 headlines not available") }
        let lines = try String(contentsOf: root.appendingPathComponent("corpus/headlines-2022/headlines.jsonl"), encoding: .utf8)
            .split(separator: "\n").prefix(2_000)
        struct Row: Decodable { var id: String; var title: String }
        for line in lines {
            let row = try JSONDecoder().decode(Row.self, from: Data(line.utf8))
            try assertSameAsEncoder(Shared.analyze(row.title, id: row.id))
        }
    }

    func testEscapesNumbersAndMissingOptionals() throws {
        let tricky = "quote \" backslash \\ slash / controls \u{0}\u{1}\u{8}\u{9}\u{A}\u{C}\u{D}\u{1F} del \u{7F} \u{2028} é 😀"
        let ev = [Evidence(text: tricky, cue: "c", weight: -1e-05, start: 0, end: 7, sentence: tricky),
                  Evidence(text: "t", cue: "", weight: 1.0, start: 12, end: 100_000)]
        let r = ArticleAnalysisResult(
            id: tricky, language: "", entities: [EntityMatch(id: "x", name: "N", side: .ukraine, type: .event,
                                                             mentions: [Mention(start: 3, end: 9, text: "")])],
            dyad: DyadResult(isDyad: false, relevance: 0.30000000000000004, sentences: [tricky, ""]),
            stance: StanceResult(label: .critical, score: -0.0, confidence: 1e+20, evidence: ev),
            tone: ToneResult(china: nil, russia: -1, us: 2.5e-07),
            frames: [FrameScore(id: .ukraineWar, score: 123456789012345680000.0, evidence: ev), FrameScore(id: .other, score: 0, evidence: [])])
        try assertSameAsEncoder(r)
        try assertSameAsEncoder(ArticleAnalysisResult(id: "", language: "en", entities: [], dyad: DyadResult(isDyad: true, relevance: 1, sentences: []),
                                                      stance: StanceResult(label: .neutral, score: 0, confidence: 0, evidence: []),
                                                      tone: ToneResult(), frames: []))
    }

    func testNonFiniteNumbersAreRefusedLikeTheEncoder() {
        let r = ArticleAnalysisResult(id: "n", language: "en", entities: [], dyad: DyadResult(isDyad: true, relevance: .nan, sentences: []),
                                      stance: StanceResult(label: .neutral, score: 0, confidence: 0, evidence: []), tone: ToneResult(), frames: [])
        XCTAssertNil(JSONWriter.string(r))
        XCTAssertThrowsError(try encoder.encode(r))
    }
}
