import XCTest
@testable import ArticleAnalysis

/// `PatternTrie.scan` against a plain node-by-node reference walk (a dictionary trie, the matcher's
/// semantics written out without any layout): same hits in the same order, on generated pattern
/// sets and texts that stress chain runs (long tails, runs longer than one record's skip), word
/// boundaries, stems, wildcards inside phrases, case-sensitive patterns, CJK, UTF-8 continuation
/// bytes and texts cut in the middle of a pattern or a scalar.
final class PatternTrieReferenceTests: XCTestCase {
    /// The reference: the trie as nested dictionaries, walked from every start position.
    private struct Reference {
        var children: [[UInt8: Int]] = [[:]]
        var outputs: [[Int32]] = [[]]
        var patterns: [PatternTrie.Pattern] = []

        mutating func add(_ folded: [UInt8], _ pattern: PatternTrie.Pattern) {
            guard !folded.isEmpty else { return }
            let index = Int32(patterns.count)
            patterns.append(pattern)
            var node = 0
            for b in folded {
                if let next = children[node][b] { node = next; continue }
                children.append([:]); outputs.append([])
                children[node][b] = children.count - 1
                node = children.count - 1
            }
            outputs[node].append(index)
        }

        func scan(_ text: [UInt8], _ original: [UInt8]) -> [PatternTrie.Hit] {
            func isWordByte(_ b: UInt8) -> Bool { ByteClass.isWordLead[Int(b)] || b & 0xC0 == 0x80 }
            func wordEnd(_ j: Int) -> Int { var e = j; while e < text.count && isWordByte(text[e]) { e += 1 }; return e }
            var hits: [PatternTrie.Hit] = []
            var prevIsWord = false
            for i in text.indices {
                let b = text[i]
                if b & 0xC0 == 0x80 { continue }
                let isWord = ByteClass.isWordLead[Int(b)]
                if isWord && prevIsWord { continue }
                prevIsWord = isWord
                guard let first = children[0][b] else { continue }
                var pending: [(Int, Int)] = [(first, i + 1)]
                while let (start, startJ) = pending.popLast() {
                    var node: Int? = start
                    var j = startJ
                    while let current = node {
                        for idx in outputs[current] {
                            let p = patterns[Int(idx)]
                            if p.rightBoundary && j < text.count && ByteClass.isWordLead[Int(text[j])] { continue }
                            if let exact = p.exact, exact != Array(original[i..<j]) { continue }
                            hits.append(PatternTrie.Hit(pattern: idx, start: Int32(i), end: Int32(p.stem ? wordEnd(j) : j)))
                        }
                        if let w = children[current][PatternTrie.wildcard] { pending.append((w, wordEnd(j))) }
                        guard j < text.count else { break }
                        node = children[current][text[j]]
                        j += 1
                    }
                }
            }
            return hits
        }
    }

    /// A deterministic generator (the tests must not depend on the run).
    private struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    /// Words the patterns and texts are made of: shared prefixes, Cyrillic, CJK, a long run.
    private static let words = ["deep", "deepen", "deepens", "ties", "tie", "china", "chinese", "russia", "no", "limits",
                                "россия", "китай", "сближение", "中俄", "中国", "俄罗斯", "关系", "深化",
                                "strategic partnership without limits and beyond all expectations of the west",
                                "x", "xi", "ab", "ç", "é"]

    private func makePattern(_ g: inout Generator) -> ([UInt8], PatternTrie.Pattern) {
        var text = ""
        for k in 0..<(1 + g.next(3)) {
            if k > 0 { text += g.next(5) == 0 ? "\u{FF} " : " " }     // a wildcard word inside the phrase
            text += Self.words[g.next(Self.words.count)]
        }
        let folded = Self.replaceMarker(Array(text.utf8))
        let stem = g.next(4) == 0
        let lastIsWord = folded.last.map { ByteClass.isWordLead[Int($0)] || $0 & 0xC0 == 0x80 } ?? false
        let exact: [UInt8]? = g.next(6) == 0 ? folded : nil
        return (folded, PatternTrie.Pattern(payload: 0, rightBoundary: !stem && lastIsWord, stem: stem && lastIsWord, exact: exact))
    }

    private func makeText(_ g: inout Generator) -> [UInt8] {
        var text = ""
        for _ in 0..<(1 + g.next(12)) {
            text += Self.words[g.next(Self.words.count)]
            text += [" ", " ", ", ", "-", "", "。"][g.next(6)]
        }
        var bytes = Array(NormalizedText.fold(Array(text.utf8)))
        if g.next(3) == 0 && !bytes.isEmpty { bytes.removeLast(g.next(min(bytes.count, 4)) + 1) }   // cut anywhere, even mid-scalar
        return bytes
    }

    /// "\u{FF}" (UTF-8 C3 BF) in a generated phrase stands for the wildcard byte 0xFF ("deepen* ties").
    private static func replaceMarker(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0xC3 && i + 1 < bytes.count && bytes[i + 1] == 0xBF { out.append(PatternTrie.wildcard); i += 2; continue }
            out.append(bytes[i]); i += 1
        }
        return out
    }

    func testMatchesReferenceWalkOnGeneratedInputs() {
        var g = Generator(state: 2022)
        var total = 0, stemmed = 0
        for round in 0..<60 {
            var trie = PatternTrie()
            var reference = Reference()
            for _ in 0..<(1 + g.next(40)) {
                let (folded, pattern) = makePattern(&g)
                trie.add(folded: folded, pattern: pattern)
                reference.add(folded, pattern)
            }
            trie.finish()
            for _ in 0..<40 {
                let text = makeText(&g)
                // The original differs from the folded text in case only where a pattern is exact:
                // an upper-case copy makes exact patterns fail, the text itself makes them match.
                let original = g.next(2) == 0 ? text : Array(String(decoding: text, as: UTF8.self).uppercased().utf8)
                guard original.count == text.count else { continue }
                let got = trie.scan(folded: text, original: original, limit: 10_000)
                let want = reference.scan(text, original)
                total += want.count
                stemmed += want.filter { trie.patterns[Int($0.pattern)].stem }.count
                XCTAssertEqual(got.map { [$0.pattern, $0.start, $0.end] }, want.map { [$0.pattern, $0.start, $0.end] },
                               "round \(round): \(String(decoding: text, as: UTF8.self))")
            }
        }
        // The generated cases do exercise the matcher (hits, stems among them).
        XCTAssertGreaterThan(total, 500)
        XCTAssertGreaterThan(stemmed, 20)
    }

    /// A run longer than one record's skip (`maxSkip`) continues in the next record; texts that
    /// stop inside the run, differ in its last byte or go past it all behave as byte by byte.
    func testChainRunsLongerThanOneRecord() {
        let long = Array(String(repeating: "ab", count: PatternTrie.maxSkip + 5).utf8)
        var trie = PatternTrie()
        var reference = Reference()
        for (k, p) in [long, Array(long.prefix(PatternTrie.maxSkip + 1)), Array("ab".utf8)].enumerated() {
            let pattern = PatternTrie.Pattern(payload: Int32(k), rightBoundary: true)
            trie.add(folded: p, pattern: pattern)
            reference.add(p, pattern)
        }
        trie.finish()
        var mismatch = long
        mismatch[mismatch.count - 1] = UInt8(ascii: "x")
        for text in [long, long + Array(" tail".utf8), Array(long.dropLast()), mismatch,
                     Array(long.prefix(PatternTrie.maxSkip + 1)) + [0x20], Array("ab ab".utf8)] {
            let got = trie.scan(folded: text, original: text, limit: 100)
            XCTAssertEqual(got.map { [$0.pattern, $0.start, $0.end] }, reference.scan(text, text).map { [$0.pattern, $0.start, $0.end] })
        }
        XCTAssertEqual(trie.scan(folded: long, original: long, limit: 100).map(\.pattern), [0])
    }

    /// The start filter looks at the first `startDepth` bytes of a walk: patterns shorter and
    /// longer than that, outputs and wildcard edges at every depth below it, and every short text
    /// over the same letters (so walks run into the end of the text at every depth) match as the
    /// reference walk does.
    func testStartFilterAtEveryDepthAndTextEnd() {
        var g = Generator(state: 7)
        let letters: [UInt8] = [UInt8(ascii: "a"), UInt8(ascii: "b")]
        var trie = PatternTrie()
        var reference = Reference()
        for _ in 0..<40 {
            var folded = (0..<(1 + g.next(PatternTrie.startDepth + 3))).map { _ in letters[g.next(2)] }
            if g.next(5) == 0 && folded.count > 1 && folded.count < 7 { folded += [PatternTrie.wildcard, 0x20, letters[g.next(2)]] }
            let stem = g.next(4) == 0
            let pattern = PatternTrie.Pattern(payload: 0, rightBoundary: !stem, stem: stem)
            trie.add(folded: folded, pattern: pattern)
            reference.add(folded, pattern)
        }
        trie.finish()
        var texts: [[UInt8]] = [[]]
        var level: [[UInt8]] = [[]]
        for _ in 0..<(PatternTrie.startDepth + 2) {
            level = level.flatMap { t in (letters + [0x20]).map { t + [$0] } }
            texts += level
        }
        var total = 0
        for text in texts {
            let want = reference.scan(text, text)
            total += want.count
            XCTAssertEqual(trie.scan(folded: text, original: text, limit: 10_000).map { [$0.pattern, $0.start, $0.end] },
                           want.map { [$0.pattern, $0.start, $0.end] }, String(decoding: text, as: UTF8.self))
        }
        XCTAssertGreaterThan(total, 1000)
    }
}
