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
    // Node storage: one flat array of node records (see `finish()`), addressed by offset, so a walk
    // step reads one record (header, packed edge bytes, targets) instead of three scattered arrays.
    private var rootTable = [Int32](repeating: -1, count: 256)
    private var cells: [UInt32] = []
    private var outputs: [Int32] = []
    private var patternFlags: [UInt8] = []
    private var denseTables: [UInt32] = []
    /// Bit (first byte << 8 | second byte): whether a walk starting with these two bytes can find
    /// anything — the first node has an output or a wildcard edge, or an edge on the second byte.
    /// 8 KiB that stay in L1, so most word starts are rejected without touching the node records
    /// (whose loads, cache misses, were a quarter of the scan).
    private var startPairs: [UInt64] = []
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

    /// Freezes the trie into one flat array of node records for scanning. A record is a header
    /// word (edge count | has-wildcard flag | output count << 16), the first output's index when
    /// there are outputs, then either the start of the node's dense table (16+ children) or its
    /// edge bytes packed four to a word followed by one target word per edge. Children are record
    /// offsets; `noNode` marks none in dense tables. A chain node (one edge, no output) is 3 words.
    mutating func finish() {
        // Renumber nodes: breadth-first down to `hotDepth`, so the shallow nodes every walk touches
        // sit together, then each deeper subtree depth-first, so a chain of single-child nodes
        // (the tail of most patterns) is contiguous in memory and a walk along it stays in a few
        // cache lines instead of one miss per byte.
        var order: [Int32] = [0]
        var head = 0
        var frontier: [Int32] = []      // nodes at depth `hotDepth`, in breadth-first order
        var depth = [Int](repeating: 0, count: building.count)
        while head < order.count {
            let node = order[head]
            for (_, t) in building[Int(node)].sorted(by: { $0.0 < $1.0 }) {
                depth[Int(t)] = depth[Int(node)] + 1
                if depth[Int(t)] < PatternTrie.hotDepth { order.append(t) } else { frontier.append(t) }
            }
            head += 1
        }
        for top in frontier {
            var stack: [Int32] = [top]
            while let node = stack.popLast() {
                order.append(node)
                for (_, t) in building[Int(node)].sorted(by: { $0.0 > $1.0 }) { stack.append(t) }  // smallest byte first out
            }
        }
        var newID = [Int32](repeating: 0, count: building.count)
        for (k, old) in order.enumerated() { newID[Int(old)] = Int32(k) }
        building = order.map { old in building[Int(old)].map { ($0.0, newID[Int($0.1)]) } }
        buildingOutputs = order.map { buildingOutputs[Int($0)] }
        let n = building.count
        // Record offsets (breadth-first order kept).
        var offset = [UInt32](repeating: 0, count: n)
        var size = 0
        for node in 0..<n {
            offset[node] = UInt32(size)
            let ec = building[node].count
            size += 1 + (buildingOutputs[node].isEmpty ? 0 : 1) + (ec >= PatternTrie.denseThreshold ? 1 : (ec + 3) / 4 + ec)
        }
        precondition(size < Int(Int32.max), "pattern trie too large")
        cells = [UInt32](repeating: 0, count: size)
        outputs = []; denseTables = []
        rootTable = [Int32](repeating: -1, count: 256)
        for (b, t) in building[0] { rootTable[Int(b)] = Int32(offset[Int(t)]) }
        for node in 0..<n {
            let edges = building[node].sorted { $0.0 < $1.0 }
            let o = Int(offset[node])
            let oc = buildingOutputs[node].count
            precondition(oc <= Int(UInt16.max) && edges.count <= 256, "pattern trie node too wide")
            let hasWildcard = edges.contains { $0.0 == PatternTrie.wildcard }
            cells[o] = UInt32(edges.count) | (hasWildcard ? PatternTrie.wildcardFlag : 0) | UInt32(oc) << 16
            if oc > 0 { cells[o + 1] = UInt32(outputs.count) }
            outputs.append(contentsOf: buildingOutputs[node])
            let body = o + 1 + (oc > 0 ? 1 : 0)
            if edges.count >= PatternTrie.denseThreshold {
                // Busy nodes get a dense 256-entry table instead of an edge search.
                cells[body] = UInt32(denseTables.count)
                var table = [UInt32](repeating: PatternTrie.noNode, count: 256)
                for (b, t) in edges { table[Int(b)] = offset[Int(t)] }
                denseTables.append(contentsOf: table)
            } else {
                let words = (edges.count + 3) / 4
                for (k, (b, t)) in edges.enumerated() {
                    cells[body + k / 4] |= UInt32(b) << (8 * UInt32(k % 4))
                    cells[body + words + k] = offset[Int(t)]
                }
            }
        }
        startPairs = [UInt64](repeating: 0, count: 256 * 256 / 64)
        func set(_ k: Int) { startPairs[k >> 6] |= 1 << UInt64(k & 63) }
        for (b0, t0) in building[0] {
            let first = Int(b0) << 8
            if !buildingOutputs[Int(t0)].isEmpty || building[Int(t0)].contains(where: { $0.0 == PatternTrie.wildcard }) {
                for b1 in 0..<256 { set(first | b1) }
            } else {
                for (b1, _) in building[Int(t0)] { set(first | Int(b1)) }
            }
        }
        patternFlags = patterns.map { p in
            (p.rightBoundary ? PatternTrie.flagRightBoundary : 0) | (p.stem ? PatternTrie.flagStem : 0) | (p.exact != nil ? PatternTrie.flagExact : 0)
        }
        building = []; buildingOutputs = []
    }

    /// Depth above which nodes are laid out breadth-first (depth ≥ this: depth-first per subtree).
    static let hotDepth = 3
    /// Header bits: edge count (up to 256) and the flag for a wildcard edge (found by searching byte `wildcard`).
    static let edgeCountMask: UInt32 = 0x1FF, wildcardFlag: UInt32 = 0x200
    /// "No such node" in records and dense tables.
    static let noNode = UInt32.max
    /// Nodes with at least this many children get a dense table (≈ 1 KiB each; a few hundred nodes).
    static let denseThreshold = 16
    /// Rough bytes of news text per hit, to size the hit array once.
    static let bytesPerHitEstimate = 12
    static let flagRightBoundary: UInt8 = 1, flagStem: UInt8 = 2, flagExact: UInt8 = 4
    /// SWAR constants: a byte repeated in each lane, and the lanes' high bits.
    static let laneOnes: UInt32 = 0x0101_0101, laneHighs: UInt32 = 0x8080_8080

    /// All matches in `text`, ordered by start position (ends in no particular order within one
    /// start). `original` is the unfolded text of the same length, used for case-sensitive patterns.
    /// `limit` caps the number of hits kept. The hot loop works on raw buffers: no ARC, no copies.
    func scan(folded text: [UInt8], original: [UInt8], limit: Int) -> [Hit] {
        var hits: [Hit] = []
        scan(folded: text, original: original, limit: limit, into: &hits)
        return hits
    }

    /// `scan` into a reused array (emptied first).
    func scan(folded text: [UInt8], original: [UInt8], limit: Int, into hits: inout [Hit]) {
        hits.removeAll(keepingCapacity: true)
        hits.reserveCapacity(min(limit, text.count / PatternTrie.bytesPerHitEstimate + 8))
        // Pending walks (node, next byte) created by wildcard edges; reused across starts.
        var pending: [(Int32, Int)] = []
        let wordLead = ByteClass.isWordLead
        text.withUnsafeBufferPointer { p in
        rootTable.withUnsafeBufferPointer { root in
        cells.withUnsafeBufferPointer { c in
        outputs.withUnsafeBufferPointer { outs in
        patternFlags.withUnsafeBufferPointer { flags in
        wordLead.withUnsafeBufferPointer { isWord in
        denseTables.withUnsafeBufferPointer { dense in
        startPairs.withUnsafeBufferPointer { pairs in
            // Whether a walk from position i (first byte b, a child of the root) can find anything.
            @inline(__always) func worthWalking(_ i: Int, _ b: UInt8) -> Bool {
                guard i + 1 < p.count else { return true }
                let pair = Int(b) << 8 | Int(p[i + 1])
                return pairs[pair >> 6] & (1 << UInt64(pair & 63)) != 0
            }
            @inline(__always) func isWordByte(_ b: UInt8) -> Bool { isWord[Int(b)] || b & 0xC0 == 0x80 }
            @inline(__always) func wordEnd(_ j: Int) -> Int {
                var e = j
                while e < p.count && isWordByte(p[e]) { e += 1 }
                return e
            }
            // Child on byte `b` of the node whose header word is `header` and whose edges start at
            // offset `body`, or -1.
            @inline(__always) func child(_ body: Int, _ header: UInt32, _ b: UInt8) -> Int {
                let ec = Int(header & PatternTrie.edgeCountMask)
                if ec >= PatternTrie.denseThreshold {
                    let t = dense[Int(c[body]) + Int(b)]
                    return t == PatternTrie.noNode ? -1 : Int(t)
                }
                let words = (ec + 3) >> 2
                let key = UInt32(b) &* PatternTrie.laneOnes
                var w = 0
                while w < words {
                    // The lowest zero lane of (packed ^ key) is the first edge byte equal to b.
                    let x = c[body + w] ^ key
                    let z = (x &- PatternTrie.laneOnes) & ~x & PatternTrie.laneHighs
                    if z != 0 {
                        let k = w * 4 + (z.trailingZeroBitCount >> 3)
                        return k < ec ? Int(c[body + words + k]) : -1   // else: padding
                    }
                    w += 1
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
                if node0 >= 0 && worthWalking(i, b) {
                    // The direct walk first; wildcard edges queue more walks, taken last-in first-out.
                    var node = Int(node0)
                    var j = i + 1
                    while true {
                        while node >= 0 {
                            let header = c[node]
                            let oc = Int(header >> 16)
                            let body = node + (oc > 0 ? 2 : 1)
                            if oc > 0 {
                                let os = Int(c[node + 1])
                                for k in os..<(os + oc) {
                                    let idx = outs[k]
                                    let f = flags[Int(idx)]
                                    if f & PatternTrie.flagRightBoundary != 0 && j < n && isWord[Int(p[j])] { continue }
                                    if f & PatternTrie.flagExact != 0 && !exactMatches(Int(idx), original, i, j) { continue }
                                    let end = f & PatternTrie.flagStem != 0 ? wordEnd(j) : j
                                    if hits.count < limit { hits.append(Hit(pattern: idx, start: Int32(i), end: Int32(end))) }
                                }
                            }
                            if header & PatternTrie.wildcardFlag != 0 {
                                pending.append((Int32(child(body, header, PatternTrie.wildcard)), wordEnd(j)))
                            }
                            if j >= n { break }
                            node = child(body, header, p[j])
                            j += 1
                        }
                        guard let (next, nextJ) = pending.popLast() else { break }
                        node = Int(next)
                        j = nextJ
                    }
                }
                i += 1
            }
        }}}}}}}}
    }

    /// Case-sensitive check of pattern `idx` against the original bytes `start..<end` (rare path).
    private func exactMatches(_ idx: Int, _ original: [UInt8], _ start: Int, _ end: Int) -> Bool {
        guard let exact = patterns[idx].exact, exact.count == end - start else { return false }
        for k in 0..<exact.count where original[start + k] != exact[k] { return false }
        return true
    }
}
