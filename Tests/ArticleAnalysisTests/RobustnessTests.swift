import Foundation
import XCTest
import DyadCore
@testable import ArticleAnalysis

/// Bad input gives a result, never a crash; output stays bounded; JSON matches the eval schema.
final class RobustnessTests: XCTestCase {
    func testEmptyInput() {
        let r = Shared.analyze("", "")
        XCTAssertTrue(r.entities.isEmpty)
        XCTAssertFalse(r.dyad.isDyad)
        XCTAssertEqual(r.stance.label, .neutral)
        XCTAssertEqual(r.language, "und")
        XCTAssertEqual(Shared.analyzer.analyze(Article(id: "x", title: "", text: "", language: "ru")).language, "ru")
    }

    func testBinaryAndInvalidUTF8() {
        var bytes = [UInt8](repeating: 0, count: 4096)
        for i in bytes.indices { bytes[i] = UInt8(truncatingIfNeeded: i &* 7919 &+ 13) }
        bytes += Array("China and Russia \u{0}\u{1} hold talks".utf8) + [0xFF, 0xFE, 0xC3, 0x28, 0xE2, 0x82]
        guard case .article(let a) = ArticleInput.items(from: bytes, name: "blob.bin").first else { return XCTFail() }
        let r = Shared.analyzer.analyze(a)
        XCTAssertTrue(r.mentions(.china))
        assertOffsetsConsistent(r, a.title, a.text)
        XCTAssertNoThrow(try DyadJSON.encoder().encode(r))
    }

    func testMixedScripts() {
        let title = "Путин и 习近平 meet: China–Russia 友谊 🇨🇳🇷🇺 deepens"
        let r = Shared.analyze(title, "Москва 和 Beijing agreed.\u{200B}Ещё один абзац.")
        XCTAssertNotNil(r.entity("vladimir_putin"))
        XCTAssertNotNil(r.entity("xi_jinping"))
        XCTAssertTrue(r.dyad.isDyad)
        assertOffsetsConsistent(r, title, "Москва 和 Beijing agreed.\u{200B}Ещё один абзац.")
    }

    func testLargeSingleLineIsBounded() {
        let unit = "China and Russia deepen their comprehensive strategic partnership amid US sanctions; "
        let text = String(repeating: unit, count: 5_000)   // ~430 KB on one line
        let r = Shared.analyze("Big", text)
        XCTAssertTrue(r.dyad.isDyad)
        XCTAssertLessThanOrEqual(r.entity("china")?.mentions.count ?? 0, Limits.maxMentionsPerEntity)
        XCTAssertLessThanOrEqual(r.stance.evidence.count, Limits.maxStanceEvidence)
        XCTAssertLessThanOrEqual(r.dyad.sentences.count, Limits.maxDyadSentences)
        for f in r.frames { XCTAssertLessThanOrEqual(f.evidence.count, Limits.maxFrameEvidence) }
    }

    func testJSONSchema() throws {
        let r = Shared.analyze("China, Russia hold talks on Ukraine war and sanctions")
        let data = try DyadJSON.encoder().encode(r)
        let o = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(Set(o.keys), ["id", "language", "entities", "dyad", "stance", "tone", "frames"])
        let stance = try XCTUnwrap(o["stance"] as? [String: Any])
        XCTAssertEqual(Set(stance.keys), ["label", "score", "confidence", "evidence"])
        let frames = try XCTUnwrap(o["frames"] as? [[String: Any]])
        XCTAssertTrue(frames.contains { $0["id"] as? String == "ukraine_war" })
        let dyad = try XCTUnwrap(o["dyad"] as? [String: Any])
        XCTAssertEqual(Set(dyad.keys), ["isDyad", "relevance", "sentences"])
        let e = try XCTUnwrap((o["entities"] as? [[String: Any]])?.first)
        XCTAssertEqual(Set(e.keys), ["id", "name", "side", "type", "mentions"])
        // Non-dyad articles still carry a stance object.
        let other = try JSONSerialization.jsonObject(with: try DyadJSON.encoder().encode(Shared.analyze("Weather today"))) as? [String: Any]
        XCTAssertNotNil(other?["stance"] as? [String: Any])
    }

    func testConcurrentUseGivesSameResults() {
        let titles = ["China and Russia deepen ties", "Путин и Си Цзиньпин провели переговоры", "中俄举行联合演习", "US sanctions Russia"]
        let expected = titles.map { Shared.analyze($0) }
        DispatchQueue.concurrentPerform(iterations: 64) { i in
            let k = i % titles.count
            XCTAssertEqual(Shared.analyze(titles[k]), expected[k])
        }
    }
}
