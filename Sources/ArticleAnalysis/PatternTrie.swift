/// A byte trie over case-folded patterns, walked from every candidate start position: word starts
/// for Latin/Cyrillic text and every scalar of non-word text (CJK). Each walk is bounded by the
/// longest pattern, so a scan is linear in input size. Matches honour word boundaries per pattern.
struct PatternTrie: Sendable {
    /// One compiled pattern: what it stands for (`payload`, an index into the owner's tables) and
    /// how it must sit in the text.
    struct Pattern: Sendable {
        var payload: Int32
        /// Require a non-word character (or the end) right after the match.
        var rightBoundary: Bool
        /// A stem (`deepen*`): the match extends to the end of the word it starts.
        var stem: Bool = false
        /// For case-sensitive patterns: the exact original bytes that must be present.
        var exact: [UInt8]?
    }

    /// A match: pattern index and byte range.
    struct Hit: Sendable {
        var pattern: Int32
        var start: Int32
        var end: Int32
    }

    private(set) var patterns: [Pattern] = []
    // Node storage: root has a dense table; other nodes keep sorted edge lists.
    private var rootTable = [Int32](repeating: -1, count: 256)
    private var edgeStart: [Int32] = [0]      // per node: first edge index (after build)
    private var edgeCount: [Int32] = [0]
    private var edgeBytes: [UInt8] = []
    private var edgeTargets: [Int32] = []
    private var outputStart: [Int32] = [0]
    private var outputCount: [Int32] = [0]
    private var outputs: [Int32] = []
    // Build-time adjacency, discarded by `finish()`.
    private var building: [[(UInt8, Int32)]] = [[]]
    private var buildingOutputs: [[Int32]] = [[]]
    /// Longest pattern in bytes; bounds every walk.
    private(set) var maxLength = 0
    /// Per node: the child reached by the wildcard edge (a `word*` inside a phrase), or -1.
    private var wildcardChild: [Int32] = [-1]
    /// The folded byte that stands for "the rest of this word" (never occurs in UTF-8).
    static let wildcard: UInt8 = 0xFF

    init() {}

    /// Adds a folded pattern; `exact` holds the original-case bytes for case-sensitive patterns.
    mutating func add(folded: [UInt8], pattern: Pattern) {
        guard !folded.isEmpty else { return }
        let index = Int32(patterns.count)
        patterns.append(pattern)
        var node: Int32 = 0
        for b in folded {
            if let next = building[Int(node)].first(where: { $0.0 == b })?.1 {
                node = next
            } else {
                let next = Int32(building.count)
                building.append([])
                buildingOutputs.append([])
                building[Int(node)].append((b, next))
                node = next
            }
        }
        buildingOutputs[Int(node)].append(index)
        maxLength = max(maxLength, folded.count)
    }

    /// Freezes the trie into flat arrays for scanning.
    mutating func finish() {
        let n = building.count
        edgeStart = [Int32](repeating: 0, count: n)
        edgeCount = [Int32](repeating: 0, count: n)
        outputStart = [Int32](repeating: 0, count: n)
        outputCount = [Int32](repeating: 0, count: n)
        edgeBytes = []; edgeTargets = []; outputs = []
        rootTable = [Int32](repeating: -1, count: 256)
        for (b, t) in building[0] { rootTable[Int(b)] = t }
        wildcardChild = building.map { edges in edges.first(where: { $0.0 == PatternTrie.wildcard })?.1 ?? -1 }
        for node in 0..<n {
            let edges = building[node].sorted { $0.0 < $1.0 }
            edgeStart[node] = Int32(edgeBytes.count)
            edgeCount[node] = Int32(edges.count)
            for (b, t) in edges { edgeBytes.append(b); edgeTargets.append(t) }
            outputStart[node] = Int32(outputs.count)
            outputCount[node] = Int32(buildingOutputs[node].count)
            outputs.append(contentsOf: buildingOutputs[node])
        }
        building = []; buildingOutputs = []
    }

    /// All matches in `text`, ordered by start position (ends in no particular order within one
    /// start). `original` is the unfolded text of the same length, used for case-sensitive patterns.
    /// `limit` caps the number of hits kept.
    func scan(folded text: [UInt8], original: [UInt8], limit: Int) -> [Hit] {
        var hits: [Hit] = []
        // Pending walks (node, next byte) created by wildcard edges; reused across starts.
        var pending: [(Int32, Int)] = []
        pending.reserveCapacity(8)
        text.withUnsafeBufferPointer { p in
            original.withUnsafeBufferPointer { o in
                let n = p.count
                var i = 0
                while i < n {
                    let b = p[i]
                    // Candidate start: a continuation byte never is; a word character only at a word start.
                    if b & 0xC0 != 0x80, rootTable[Int(b)] >= 0, !(ByteClass.isWordLead[Int(b)] && ByteClass.previousIsWord(p, i)) {
                        pending.append((rootTable[Int(b)], i + 1))
                        while let (first, firstJ) = pending.popLast() {
                            var node = first
                            var j = firstJ
                            while node >= 0 {
                                let oc = outputCount[Int(node)]
                                if oc > 0 {
                                    let os = Int(outputStart[Int(node)])
                                    for k in os..<(os + Int(oc)) {
                                        let idx = outputs[k]
                                        let pattern = patterns[Int(idx)]
                                        if accepts(pattern, p, o, i, j) {
                                            var end = j
                                            if pattern.stem { end = PatternTrie.wordEnd(p, j) }
                                            if hits.count < limit { hits.append(Hit(pattern: idx, start: Int32(i), end: Int32(end))) }
                                        }
                                    }
                                }
                                let w = wildcardChild[Int(node)]
                                if w >= 0 { pending.append((w, PatternTrie.wordEnd(p, j))) }
                                if j >= n { break }
                                node = child(node, p[j])
                                j += 1
                            }
                        }
                    }
                    i += 1
                }
            }
        }
        return hits
    }

    /// First byte at or after `j` that does not continue the current word.
    @inline(__always)
    static func wordEnd(_ p: UnsafeBufferPointer<UInt8>, _ j: Int) -> Int {
        var end = j
        while end < p.count && (ByteClass.isWordLead[Int(p[end])] || p[end] & 0xC0 == 0x80) { end += 1 }
        return end
    }

    @inline(__always)
    private func child(_ node: Int32, _ b: UInt8) -> Int32 {
        let s = Int(edgeStart[Int(node)]), c = Int(edgeCount[Int(node)])
        var k = s
        while k < s + c {
            let e = edgeBytes[k]
            if e == b { return edgeTargets[k] }
            if e > b { return -1 }
            k += 1
        }
        return -1
    }

    @inline(__always)
    private func accepts(_ pattern: Pattern, _ p: UnsafeBufferPointer<UInt8>, _ o: UnsafeBufferPointer<UInt8>,
                         _ start: Int, _ end: Int) -> Bool {
        if pattern.rightBoundary && ByteClass.nextIsWord(p, end) { return false }
        if let exact = pattern.exact {
            if exact.count != end - start { return false }
            for k in 0..<exact.count where o[start + k] != exact[k] { return false }
        }
        return true
    }
}
