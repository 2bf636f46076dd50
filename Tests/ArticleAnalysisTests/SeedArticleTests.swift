import Foundation
import XCTest
import DyadCore
@testable import ArticleAnalysis

/// The seed article (Global Times, 2017) must come out as the issue describes: actors, places,
/// dyad, supportive stance with its key phrases, negative tone toward the US, four frames.
final class SeedArticleTests: XCTestCase {
    /// A short excerpt of the seed article (three paragraphs condensed), so the check also runs
    /// without ../shared.
    static let excerptTitle = "China Russia strategic ties: The end of US hegemony and Unipolar World era"
    static let excerptText = """
    The number of locations where China and Russia have held joint military exercises is on the rise, stretching from the East China Sea, the Sea of Japan and the South China Sea to the Baltic Sea. The joint drills indicate China and Russia's comprehensive strategic partnership of coordination is moving forward. Beijing and Moscow have been firmly supporting each other in high-level political issues.
    The Belt and Road initiative is dovetailed with the Eurasian Economic Union. Russian President Vladimir Putin attended the Belt and Road Forum in Beijing. The Shanghai Cooperation Organization has expanded its membership, and the BRICS mechanism is undergoing sound growth. Chinese President Xi Jinping paid a state visit to Russia just before attending the G20 summit.
    China-Russia military drills come as the US and NATO are championing power politics and a Cold War mentality. The US is also suppressing and challenging China and Russia. The two countries serve as a ballast stone for world peace and stability, and show their tough stance on hegemony.
    """

    func testExcerpt() {
        check(title: Self.excerptTitle, text: Self.excerptText)
    }

    func testFullSeedArticle() throws {
        guard let root = Shared.sharedRoot else { throw XCTSkip("../shared is absent: seed article not available") }
        let url = root.appendingPathComponent("corpus/seed/global-times-2017-china-russia.txt")
        let data = try Data(contentsOf: url)
        guard case .article(let article) = ArticleInput.items(from: [UInt8](data), name: url.path).first else {
            return XCTFail("seed article did not parse")
        }
        check(title: article.title, text: article.text)
        let report = AnalysisReport.render(Shared.analyzer.analyze(article), article: article, color: false)
        for name in ["China", "Russia", "United States", "NATO", "BRICS", "Shanghai Cooperation Organization",
                     "Belt and Road Initiative", "Eurasian Economic Union", "G20", "Xi Jinping", "Vladimir Putin",
                     "East China Sea [place]", "South China Sea [place]", "dyad: yes", "stance: supportive",
                     "[[comprehensive strategic partnership", "ballast stone]]"] {
            XCTAssertTrue(report.contains(name), "report lacks \(name)\n\(report)")
        }
    }

    private func check(title: String, text: String, file: StaticString = #filePath, line: UInt = #line) {
        let r = Shared.analyzer.analyze(Article(id: "seed", title: title, text: text))
        for id in ["china", "russia", "us", "nato", "brics", "sco", "belt_and_road", "eaeu", "g20", "xi_jinping", "vladimir_putin"] {
            XCTAssertNotNil(r.entity(id), "missing entity \(id)", file: file, line: line)
        }
        for id in ["east_china_sea", "south_china_sea"] {
            XCTAssertEqual(r.entity(id)?.type, .place, file: file, line: line)
            XCTAssertEqual(r.entity(id)?.side, .other, file: file, line: line)
        }
        // "China" inside "East China Sea" is not a China mention.
        let seaSpans = (r.entity("east_china_sea")?.mentions ?? []) + (r.entity("south_china_sea")?.mentions ?? [])
        for m in r.entity("china")?.mentions ?? [] {
            XCTAssertFalse(seaSpans.contains { $0.start <= m.start && m.end <= $0.end }, "China matched inside a sea name", file: file, line: line)
        }
        XCTAssertTrue(r.dyad.isDyad, file: file, line: line)
        XCTAssertGreaterThan(r.dyad.relevance, 0.5, file: file, line: line)
        XCTAssertEqual(r.stance.label, .supportive, file: file, line: line)
        let evidence = r.stance.evidence.map { $0.text.lowercased() }
        for phrase in ["comprehensive strategic partnership", "firmly supporting each other", "ballast stone"] {
            XCTAssertTrue(evidence.contains { $0.contains(phrase) }, "stance evidence lacks '\(phrase)': \(evidence)", file: file, line: line)
        }
        XCTAssertLessThan(r.tone.us ?? 0, 0, "tone toward the US should be negative", file: file, line: line)
        let frames = Set(r.frames.map(\.id))
        for f in [Frame.military, .economy, .diplomacy, .multipolarity] {
            XCTAssertTrue(frames.contains(f), "missing frame \(f)", file: file, line: line)
        }
        assertOffsetsConsistent(r, title, text, file: file, line: line)
    }
}
