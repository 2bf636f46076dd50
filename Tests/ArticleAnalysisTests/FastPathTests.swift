import XCTest
@testable import ArticleAnalysis

/// The word-at-a-time shortcuts of text preparation against plain byte-by-byte definitions:
/// scalar offsets (ASCII prefix, samples, ranges) and sentence marks in every lane of a block.
final class FastPathTests: XCTestCase {
    /// Scalars before byte `offset`, counted one byte at a time.
    private func plainScalarOffset(_ bytes: [UInt8], _ offset: Int) -> Int {
        bytes.prefix(offset).filter { $0 & 0xC0 != 0x80 }.count
    }

    func testScalarOffsetsMatchPlainCount() {
        let pieces = ["China", " ", "中俄", "Россия", "’", "x", "Sino-Russian ties", "«", "é"]
        var state: UInt64 = 7
        var text = NormalizedText()       // one text reloaded, as a worker does: buffers grow and shrink
        for round in 0..<200 {
            var s = ""
            // Some texts ASCII throughout, some long enough to keep samples (> 256 bytes).
            let length = round % 5 == 0 ? 120 : Int(state % 60)
            for _ in 0..<length {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                let piece = pieces[Int(state >> 40) % pieces.count]
                s += round % 3 == 0 && piece.utf8.contains(where: { $0 >= 0x80 }) ? "ab" : piece
            }
            let title = Array(s.utf8)
            title.withUnsafeBufferPointer { t in [UInt8]().withUnsafeBufferPointer { text.load(title: t, text: $0) } }
            let bytes = text.original
            XCTAssertEqual(bytes, title + [0x0A])
            XCTAssertEqual(text.folded, NormalizedText.fold(bytes))
            for offset in 0...bytes.count {
                XCTAssertEqual(text.scalarOffset(offset), plainScalarOffset(bytes, offset), "offset \(offset) of \(s)")
            }
            for start in Swift.stride(from: 0, through: bytes.count, by: 3) {
                let end = min(bytes.count, start + Int(state % 23))
                let range = text.scalarRange(start, end)
                XCTAssertEqual(range.start, plainScalarOffset(bytes, start))
                XCTAssertEqual(range.end, plainScalarOffset(bytes, end))
            }
        }
    }

    func testFoldFindsTheASCIIPrefix() {
        for s in ["", "plain", "Россия", "China’s ties", String(repeating: "ab", count: 40) + "é", "x\u{7F}y", "Sino-Russian 中俄"] {
            var out: [UInt8] = []
            let bytes = Array(s.utf8)
            let folded = NormalizedText.foldCountingPrefix(bytes, into: &out, counting: LanguageGuess.sampleBytes)
            XCTAssertEqual(folded.asciiPrefix, ScalarOffsetIndex.asciiPrefixLength(bytes), s)
            XCTAssertEqual(folded.asciiPrefix, bytes.firstIndex(where: { $0 >= 0x80 }) ?? bytes.count, s)
        }
    }

    func testASCIIPrefixLength() {
        XCTAssertEqual(ScalarOffsetIndex.asciiPrefixLength([]), 0)
        XCTAssertEqual(ScalarOffsetIndex.asciiPrefixLength(Array("plain ascii text here".utf8)), 21)
        for shift in 0..<20 {
            XCTAssertEqual(ScalarOffsetIndex.asciiPrefixLength(Array((String(repeating: "a", count: shift) + "ё and more").utf8)), shift)
        }
    }

    /// Groups built in a reused `EntityGroups` (more groups, then fewer, then none) equal fresh ones.
    func testReusedEntityGroupsMatchFreshOnes() {
        func hit(_ entity: Int, _ start: Int) -> EntityHit {
            EntityHit(entity: entity, start: start, end: start + 1, sentence: 0, side: .other, isActor: true)
        }
        func listing(_ g: EntityGroups) -> [[Int]] {
            g.groups.map { group in var m: [Int] = []; g.forEachMention(of: group) { m.append($0) }; return [group.entity] + m }
        }
        let articles: [[EntityHit]] = [
            [hit(3, 0), hit(1, 2), hit(3, 4), hit(2, 6), hit(1, 8)],
            [hit(2, 0)],
            [hit(0, 0), hit(0, 1), hit(4, 2)],
            [],
            [hit(4, 0), hit(3, 1), hit(2, 2), hit(1, 3), hit(0, 4), hit(4, 5)],
        ]
        var reused = EntityGroups()
        for hits in articles {
            reused.build(hits, entityCount: 5)
            var fresh = EntityGroups()
            fresh.build(hits, entityCount: 5)
            XCTAssertEqual(listing(reused), listing(fresh))
            XCTAssertEqual(reused.groups.count, Set(hits.map(\.entity)).count)
        }
    }

    func testSentenceMarksInEveryLane() {
        func split(_ s: String) -> [String] {
            let t = NormalizedText(title: s, text: "")
            let ranges = t.original.withUnsafeBufferPointer { p in t.folded.withUnsafeBufferPointer { f in SentenceSegmenter.split(p, folded: f) } }
            return ranges.map { t.string($0.start, $0.end) }
        }
        // One ranges array reused from text to text (more sentences, then fewer) gives fresh results.
        var reused: [(start: Int, end: Int)] = []
        for s in ["One. Two. Three. Four.", "Alone", "A b. C d!", "", "x. y. z? w; v"] {
            let t = NormalizedText(title: s, text: "")
            t.original.withUnsafeBufferPointer { p in t.folded.withUnsafeBufferPointer { f in SentenceSegmenter.split(p, folded: f, into: &reused) } }
            let fresh = t.original.withUnsafeBufferPointer { p in t.folded.withUnsafeBufferPointer { f in SentenceSegmenter.split(p, folded: f) } }
            XCTAssertEqual(reused.map(\.start), fresh.map(\.start), s)
            XCTAssertEqual(reused.map(\.end), fresh.map(\.end), s)
        }
        XCTAssertEqual(split("One. Two. Three. Four."), ["One.", "Two.", "Three.", "Four."])
        XCTAssertEqual(split("Alone"), ["Alone"])
        for shift in 0..<9 {
            let pad = String(repeating: "w", count: shift)
            XCTAssertEqual(split(pad + "Alpha rises. Beta falls! Gamma? Delta; epsilon\nZeta\rEta"),
                           [pad + "Alpha rises.", "Beta falls!", "Gamma?", "Delta;", "epsilon", "Zeta", "Eta"])
            XCTAssertEqual(split(pad + "Россия. Китай! 中俄会谈。双方同意合作！Ok"),
                           [pad + "Россия.", "Китай!", "中俄会谈。", "双方同意合作！", "Ok"])
            XCTAssertEqual(split(pad + "The U.S. and China met. Growth was 3.5 percent."),
                           [pad + "The U.S. and China met.", "Growth was 3.5 percent."])
        }
    }
}
