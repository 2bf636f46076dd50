import XCTest
@testable import ArticleAnalysis

/// The compiled trie layout: packed edge search (1–15 children, several words, padding lanes),
/// dense tables (16+ children), deep depth-first chains and scalar offsets, each checked against
/// a brute-force search so layout changes cannot alter matches.
final class PatternTrieTests: XCTestCase {
    /// Patterns "x" + one byte for `fanout` different bytes, plus a long chain and words sharing prefixes.
    private func makeTrie(fanout: Int) -> (PatternTrie, [[UInt8]]) {
        var patterns: [[UInt8]] = []
        let bytes = Array(UInt8(ascii: "a")...UInt8(ascii: "z")) + Array(UInt8(ascii: "0")...UInt8(ascii: "9"))
        for b in bytes.prefix(fanout) { patterns.append([UInt8(ascii: "x"), b]) }
        patterns.append(Array("strategic partnership without limits".utf8))
        patterns.append(Array("strategic".utf8))
        patterns.append(Array("strait".utf8))
        var trie = PatternTrie()
        for (k, p) in patterns.enumerated() {
            trie.add(folded: p, pattern: PatternTrie.Pattern(payload: Int32(k), rightBoundary: true))
        }
        trie.finish()
        return (trie, patterns)
    }

    /// Matches a brute-force search finds: pattern at a word start, followed by a non-word byte or the end.
    private func bruteForce(_ text: [UInt8], _ patterns: [[UInt8]]) -> Set<[Int]> {
        func isWord(_ b: UInt8) -> Bool { ByteClass.isWordLead[Int(b)] || b & 0xC0 == 0x80 }
        var out = Set<[Int]>()
        for i in text.indices where i == 0 || !isWord(text[i - 1]) {
            for (k, p) in patterns.enumerated() where i + p.count <= text.count && Array(text[i..<(i + p.count)]) == p {
                if i + p.count == text.count || !isWord(text[i + p.count]) { out.insert([k, i, i + p.count]) }
            }
        }
        return out
    }

    func testEdgeSearchMatchesBruteForceAtEveryFanout() {
        let text = Array("x0 xa xb xz xq x9 x5 strategic partnership without limits; strait strategic xaa x".utf8)
        for fanout in [1, 3, 4, 5, 8, 9, 15, 16, 17, 36] {
            let (trie, patterns) = makeTrie(fanout: fanout)
            let hits = trie.scan(folded: text, original: text, limit: 1000)
            let found = Set(hits.map { [Int($0.pattern), Int($0.start), Int($0.end)] })
            XCTAssertEqual(found, bruteForce(text, patterns), "fanout \(fanout)")
            XCTAssertEqual(hits.count, found.count, "fanout \(fanout): duplicate hits")
            XCTAssertEqual(hits.map(\.start), hits.map(\.start).sorted(), "fanout \(fanout): hits ordered by start")
        }
    }

    func testScalarOffsetsAcrossBlocks() {
        let s = "Россия и 中国 — partners; " + String(repeating: "ab", count: 20) + "Китай"
        let bytes = Array(s.utf8)
        let index = ScalarOffsetIndex(bytes)
        for offset in 0...bytes.count where offset == bytes.count || bytes[offset] & 0xC0 != 0x80 {
            let expected = String(decoding: bytes[..<offset], as: UTF8.self).unicodeScalars.count
            XCTAssertEqual(index.scalarOffset(offset, in: bytes), expected, "offset \(offset)")
        }
    }
}
