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
    private var nodeData: [Int32] = []
    private var edgeBytes: [UInt8] = []
    private var edgeTargets: [Int32] = []
    private var outputs: [Int32] = []
    private var patternFlags: [UInt8] = []
    private var denseTables: [Int32] = []
    // Build-time adjacency, discarded by `finish()`.
    private var building: [[(UInt8, Int32)]] = [[]]
    private var buildingOutputs: [[Int32]] = [[]]
    /// Longest pattern in bytes; bounds every walk.
    private(set) var maxLength = 0
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
        // Renumber nodes breadth-first so the shallow nodes every walk touches sit together in memory.
        var order: [Int32] = [0]
        var head = 0
        while head < order.count {
            for (_, t) in building[Int(order[head])].sorted(by: { $0.0 < $1.0 }) { order.append(t) }
            head += 1
        }
        var newID = [Int32](repeating: 0, count: building.count)
        for (k, old) in order.enumerated() { newID[Int(old)] = Int32(k) }
        building = order.map { old in building[Int(old)].map { ($0.0, newID[Int($0.1)]) } }
        buildingOutputs = order.map { buildingOutputs[Int($0)] }
        let n = building.count
        nodeData = [Int32](repeating: 0, count: n * PatternTrie.nodeFields)
        edgeBytes = []; edgeTargets = []; outputs = []; denseTables = []
        rootTable = [Int32](repeating: -1, count: 256)
        for (b, t) in building[0] { rootTable[Int(b)] = t }
        for node in 0..<n {
            let edges = building[node].sorted { $0.0 < $1.0 }
            let base = node * PatternTrie.nodeFields
            nodeData[base] = Int32(edgeBytes.count)
            nodeData[base + 1] = Int32(edges.count)
            for (b, t) in edges { edgeBytes.append(b); edgeTargets.append(t) }
            nodeData[base + 2] = Int32(outputs.count)
            nodeData[base + 3] = Int32(buildingOutputs[node].count)
            outputs.append(contentsOf: buildingOutputs[node])
            nodeData[base + 4] = edges.first(where: { $0.0 == PatternTrie.wildcard })?.1 ?? -1
            // Busy nodes get a dense 256-entry table instead of a linear edge search.
            if edges.count >= PatternTrie.denseThreshold {
                nodeData[base + 5] = Int32(denseTables.count / 256)
                var table = [Int32](repeating: -1, count: 256)
                for (b, t) in edges { table[Int(b)] = t }
                denseTables.append(contentsOf: table)
            } else {
                nodeData[base + 5] = -1
            }
        }
        patternFlags = patterns.map { p in
            (p.rightBoundary ? PatternTrie.flagRightBoundary : 0) | (p.stem ? PatternTrie.flagStem : 0) | (p.exact != nil ? PatternTrie.flagExact : 0)
        }
        building = []; buildingOutputs = []
    }

    /// Per node in `nodeData`: first edge, edge count, first output, output count, wildcard child,
    /// dense table index (or -1).
    static let nodeFields = 6
    /// Nodes with at least this many children get a dense table (≈ 1 KiB each; a few hundred nodes).
    static let denseThreshold = 16
    /// Rough bytes of news text per hit, to size the hit array once.
    static let bytesPerHitEstimate = 12
    static let flagRightBoundary: UInt8 = 1, flagStem: UInt8 = 2, flagExact: UInt8 = 4

    /// All matches in `text`, ordered by start position (ends in no particular order within one
    /// start). `original` is the unfolded text of the same length, used for case-sensitive patterns.
    /// `limit` caps the number of hits kept. The hot loop works on raw buffers: no ARC, no copies.
    func scan(folded text: [UInt8], original: [UInt8], limit: Int) -> [Hit] {
        var hits: [Hit] = []
        hits.reserveCapacity(min(limit, text.count / PatternTrie.bytesPerHitEstimate + 8))
        // Pending walks (node, next byte) created by wildcard edges; reused across starts.
        var pending: [(Int32, Int)] = []
        pending.reserveCapacity(8)
        let wordLead = ByteClass.isWordLead
        text.withUnsafeBufferPointer { p in
        rootTable.withUnsafeBufferPointer { root in
        nodeData.withUnsafeBufferPointer { nd in
        edgeBytes.withUnsafeBufferPointer { eb in
        edgeTargets.withUnsafeBufferPointer { et in
        outputs.withUnsafeBufferPointer { outs in
        patternFlags.withUnsafeBufferPointer { flags in
        wordLead.withUnsafeBufferPointer { isWord in
        denseTables.withUnsafeBufferPointer { dense in
            @inline(__always) func isWordByte(_ b: UInt8) -> Bool { isWord[Int(b)] || b & 0xC0 == 0x80 }
            @inline(__always) func wordEnd(_ j: Int) -> Int {
                var e = j
                while e < p.count && isWordByte(p[e]) { e += 1 }
                return e
            }
            @inline(__always) func child(_ node: Int32, _ b: UInt8) -> Int32 {
                let base = Int(node) * PatternTrie.nodeFields
                let d = nd[base + 5]
                if d >= 0 { return dense[Int(d) * 256 + Int(b)] }
                var k = Int(nd[base])
                let end = k + Int(nd[base + 1])
                while k < end {
                    let e = eb[k]
                    if e == b { return et[k] }
                    if e > b { return -1 }
                    k += 1
                }
                return -1
            }
            let n = p.count
            var prevIsWord = false      // is the scalar before position i a word character?
            var i = 0
            while i < n {
                let b = p[i]
                if b & 0xC0 == 0x80 { i += 1; continue }       // continuation byte: never a start
                let bIsWord = isWord[Int(b)]
                if bIsWord && prevIsWord { i += 1; continue }       // inside a word: not a start
                prevIsWord = bIsWord
                let node0 = root[Int(b)]
                if node0 >= 0 {
                    var walk: (Int32, Int)? = (node0, i + 1)   // the direct walk; wildcards queue more
                    while let (first, firstJ) = walk ?? pending.popLast() {
                        walk = nil
                        var node = first
                        var j = firstJ
                        while node >= 0 {
                            let base = Int(node) * PatternTrie.nodeFields
                            let oc = Int(nd[base + 3])
                            if oc > 0 {
                                let os = Int(nd[base + 2])
                                for k in os..<(os + oc) {
                                    let idx = outs[k]
                                    let f = flags[Int(idx)]
                                    if f & PatternTrie.flagRightBoundary != 0 && j < n && isWord[Int(p[j])] { continue }
                                    if f & PatternTrie.flagExact != 0 && !exactMatches(Int(idx), original, i, j) { continue }
                                    let end = f & PatternTrie.flagStem != 0 ? wordEnd(j) : j
                                    if hits.count < limit { hits.append(Hit(pattern: idx, start: Int32(i), end: Int32(end))) }
                                }
                            }
                            let w = nd[base + 4]
                            if w >= 0 { pending.append((w, wordEnd(j))) }
                            if j >= n { break }
                            node = child(node, p[j])
                            j += 1
                        }
                    }
                }
                i += 1
            }
        }}}}}}}}}
        return hits
    }

    /// Case-sensitive check of pattern `idx` against the original bytes `start..<end` (rare path).
    private func exactMatches(_ idx: Int, _ original: [UInt8], _ start: Int, _ end: Int) -> Bool {
        guard let exact = patterns[idx].exact, exact.count == end - start else { return false }
        for k in 0..<exact.count where original[start + k] != exact[k] { return false }
        return true
    }
}
