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
    /// Per output: the pattern index, its flags (`flagRightBoundary`…) in the top byte, so an
    /// output check reads one word.
    private var outputs: [UInt32] = []
    /// `ByteClass.isWordLead`, held here so a scan reads it without a global's access.
    private let isWordLead = ByteClass.isWordLead
    private var denseTables: [UInt32] = []
    /// The start filter, so most starts are rejected without touching the node records. A walk
    /// can only find something if its first `startDepth` bytes are a path of the trie, or if a
    /// node on the way (depth 2 to `startDepth - 1`) has an output or a wildcard edge ("opens" a
    /// match). Two hashed keys per start: `startKey(prefix, startDepth)` of the full-depth paths,
    /// and `startKey(prefix, 3)` of the first three bytes of the opening nodes (of every third
    /// byte for those at depth 2). A set of bits, so a few useless walks pass; none useful is
    /// lost. 32 KiB.
    private var startKeys: [UInt64] = []
    /// First bytes whose node has an output or a wildcard edge: always walked.
    private var startAlways: [Bool] = []
    /// Build-time trie, discarded by `finish()`: per node the byte of the edge into it, its parent,
    /// its first child and next sibling (a child list, newest first); the root's children in a
    /// table; per pattern the node where it ends. Flat arrays, so adding a pattern allocates nothing
    /// per node and finding a child of the root (the widest node) is one load.
    private var buildByte: [UInt8] = [0]
    private var buildParent: [Int32] = [-1]
    private var buildFirstChild: [Int32] = [-1]
    private var buildNextSibling: [Int32] = [-1]
    private var buildRootChild = [Int32](repeating: -1, count: 256)
    private var patternEnd: [Int32] = []
    /// Longest pattern in bytes; bounds every walk.
    private(set) var maxLength = 0
    /// The folded byte that stands for "the rest of this word" (never occurs in UTF-8).
    static let wildcard: UInt8 = 0xFF

    init() {}

    /// Adds a folded pattern; `exact` holds the original-case bytes for case-sensitive patterns.
    mutating func add(folded: [UInt8], pattern: Pattern) {
        guard !folded.isEmpty else { return }
        patterns.append(pattern)
        var node: Int32 = 0
        for b in folded {
            var next = node == 0 ? buildRootChild[Int(b)] : buildFirstChild[Int(node)]
            if node != 0 {
                while next >= 0 && buildByte[Int(next)] != b { next = buildNextSibling[Int(next)] }
            }
            if next < 0 {
                next = Int32(buildByte.count)
                buildByte.append(b)
                buildParent.append(node)
                buildFirstChild.append(-1)
                if node == 0 {
                    buildNextSibling.append(-1)
                    buildRootChild[Int(b)] = next
                } else {
                    buildNextSibling.append(buildFirstChild[Int(node)])
                    buildFirstChild[Int(node)] = next
                }
            }
            node = next
        }
        patternEnd.append(node)
        maxLength = max(maxLength, folded.count)
    }

    /// Freezes the trie into one flat array of records for scanning. Most nodes (four in five with
    /// the bundled data) are *chain* nodes: one child, no output, no wildcard — the tail of a pattern.
    /// A record therefore stands for a run of chain nodes followed by one ordinary node: the run's
    /// bytes (`skip`, compared in place) and then the node itself. The walk over a run is the same as
    /// node by node (no output can occur inside it) but reads a few bytes instead of a record per
    /// byte, and the whole trie is about a third of the memory, so deep walks miss the cache less.
    ///
    /// A record is a header word (edge count | has-wildcard flag | skip length << 10 | output count
    /// << 16), the skip bytes packed four to a word, the first output's index when there are
    /// outputs, then either the start of the node's dense table (16+ children) or its edge bytes
    /// packed four to a word followed by one target word per edge. Targets are record offsets;
    /// `noNode` marks none in dense tables.
    mutating func finish() {
        let n = buildByte.count
        // Every node's children sorted by byte, as ranges of one array (`kids(v)`): the nodes
        // bucketed by byte, then placed by parent in that order (two stable counting passes); and
        // every node's outputs in pattern order, likewise.
        var childStart = [Int](repeating: 0, count: n + 1)
        var children = [Int32](repeating: 0, count: n - 1)
        var outStart = [Int](repeating: 0, count: n + 1)
        var outList = [Int32](repeating: 0, count: patternEnd.count)
        do {
            var byByte = [Int](repeating: 0, count: 257)
            for v in 1..<n { byByte[Int(buildByte[v]) + 1] += 1 }
            for b in 0..<256 { byByte[b + 1] += byByte[b] }
            var byteOrder = [Int32](repeating: 0, count: n - 1)
            for v in 1..<n {
                byteOrder[byByte[Int(buildByte[v])]] = Int32(v)
                byByte[Int(buildByte[v])] += 1
            }
            for v in 1..<n { childStart[Int(buildParent[v]) + 1] += 1 }
            for v in 0..<n { childStart[v + 1] += childStart[v] }
            var cursor = childStart
            for v in byteOrder {
                let p = Int(buildParent[Int(v)])
                children[cursor[p]] = v
                cursor[p] += 1
            }
            for e in patternEnd { outStart[Int(e) + 1] += 1 }
            for v in 0..<n { outStart[v + 1] += outStart[v] }
            cursor = outStart
            for (k, e) in patternEnd.enumerated() {
                outList[cursor[Int(e)]] = Int32(k)
                cursor[Int(e)] += 1
            }
        }
        func kids(_ v: Int) -> Range<Int> { childStart[v]..<childStart[v + 1] }
        func outputCount(_ v: Int) -> Int { outStart[v + 1] - outStart[v] }
        // Layout order: breadth-first down to `hotDepth`, so the shallow nodes every walk touches
        // sit together, then each deeper subtree depth-first, so a pattern's tail is contiguous in
        // memory and a walk along it stays in a few cache lines.
        var order: [Int32] = [0]
        order.reserveCapacity(n)
        var head = 0
        var frontier: [Int32] = []      // nodes at depth `hotDepth`, in breadth-first order
        var depth = [Int](repeating: 0, count: n)
        while head < order.count {
            let node = Int(order[head])
            for k in kids(node) {
                let t = Int(children[k])
                depth[t] = depth[node] + 1
                if depth[t] < PatternTrie.hotDepth { order.append(Int32(t)) } else { frontier.append(Int32(t)) }
            }
            head += 1
        }
        var stack: [Int32] = []
        for top in frontier {
            stack.append(top)
            while let node = stack.popLast() {
                order.append(node)
                for k in kids(Int(node)).reversed() { stack.append(children[k]) }   // smallest byte first out
            }
        }
        func isChain(_ node: Int) -> Bool {
            node != 0 && kids(node).count == 1 && buildByte[Int(children[childStart[node]])] != PatternTrie.wildcard
                && outputCount(node) == 0
        }
        // Records: one per node entered by an edge from an ordinary node (or from a record whose
        // skip reached `maxSkip`); it covers the chain run from there to the next ordinary node.
        var skipOf = [Int](repeating: 0, count: n)          // per entry node: the run's length
        var bodyOf = [Int](repeating: -1, count: n)        // per entry node: the node after the run
        var isEntry = [Bool](repeating: false, count: n)
        for k in kids(0) { isEntry[Int(children[k])] = true }
        for e in order.dropFirst() where isEntry[Int(e)] {  // parents precede children in `order`
            let entry = Int(e)
            var node = entry
            var skip = 0
            while isChain(node) && skip < PatternTrie.maxSkip {
                node = Int(children[childStart[node]])
                skip += 1
            }
            skipOf[entry] = skip
            bodyOf[entry] = node
            for k in kids(node) { isEntry[Int(children[k])] = true }
        }
        // Record offsets, in layout order.
        var offset = [UInt32](repeating: PatternTrie.noNode, count: n)
        var size = 0
        for e in order.dropFirst() where isEntry[Int(e)] {
            let entry = Int(e)
            offset[entry] = UInt32(size)
            let body = bodyOf[entry]
            let ec = kids(body).count
            size += 1 + (skipOf[entry] + 3) / 4 + (outputCount(body) == 0 ? 0 : 1)
                + (ec >= PatternTrie.denseThreshold ? 1 : (ec + 3) / 4 + ec)
        }
        precondition(size < Int(Int32.max), "pattern trie too large")
        precondition(patterns.count < 1 << Int(PatternTrie.flagShift), "too many patterns")
        cells = [UInt32](repeating: 0, count: size)
        outputs = []; denseTables = []
        outputs.reserveCapacity(patternEnd.count)
        rootTable = [Int32](repeating: -1, count: 256)
        for k in kids(0) {
            let t = Int(children[k])
            rootTable[Int(buildByte[t])] = Int32(offset[t])
        }
        for e in order.dropFirst() where isEntry[Int(e)] {
            let entry = Int(e)
            let node = bodyOf[entry], skip = skipOf[entry]
            let edges = kids(node)
            var o = Int(offset[entry])
            let oc = outputCount(node)
            precondition(oc <= Int(UInt16.max) && edges.count <= 256, "pattern trie node too wide")
            // Children are sorted by byte, so a wildcard edge (0xFF) is the last one.
            let hasWildcard = !edges.isEmpty && buildByte[Int(children[edges.upperBound - 1])] == PatternTrie.wildcard
            cells[o] = UInt32(edges.count) | (hasWildcard ? PatternTrie.wildcardFlag : 0)
                | UInt32(skip) << PatternTrie.skipShift | UInt32(oc) << 16
            o += 1
            var v = entry
            for k in 0..<skip {
                v = Int(children[childStart[v]])
                cells[o + k / 4] |= UInt32(buildByte[v]) << (8 * UInt32(k % 4))
            }
            o += (skip + 3) / 4
            if oc > 0 { cells[o] = UInt32(outputs.count); o += 1 }
            for k in outStart[node]..<outStart[node + 1] {
                let idx = Int(outList[k]), p = patterns[idx]
                let flags = (p.rightBoundary ? PatternTrie.flagRightBoundary : 0) | (p.stem ? PatternTrie.flagStem : 0)
                    | (p.exact != nil ? PatternTrie.flagExact : 0)
                outputs.append(UInt32(idx) | UInt32(flags) << PatternTrie.flagShift)
            }
            if edges.count >= PatternTrie.denseThreshold {
                // Busy nodes get a dense 256-entry table instead of an edge search.
                cells[o] = UInt32(denseTables.count)
                let base = denseTables.count
                denseTables.append(contentsOf: repeatElement(PatternTrie.noNode, count: 256))
                for k in edges {
                    let t = Int(children[k])
                    denseTables[base + Int(buildByte[t])] = offset[t]
                }
            } else {
                let words = (edges.count + 3) / 4
                for (k, c) in edges.enumerated() {
                    let t = Int(children[c])
                    cells[o + k / 4] |= UInt32(buildByte[t]) << (8 * UInt32(k % 4))
                    cells[o + words + k] = offset[t]
                }
            }
        }
        startKeys = [UInt64](repeating: 0, count: PatternTrie.startKeyCount / 64)
        startAlways = [Bool](repeating: false, count: 256)
        func opensMatch(_ node: Int) -> Bool {
            outputCount(node) > 0 || (!kids(node).isEmpty && buildByte[Int(children[childStart[node + 1] - 1])] == PatternTrie.wildcard)
        }
        // Depth-first down to `startDepth`, the prefix so far little-endian in `prefix`; an
        // opening node ends its branch (its key lets every walk through it pass).
        var pending: [(node: Int32, depth: Int, prefix: UInt64)] = []
        for k in kids(0) {
            let t = Int(children[k])
            if opensMatch(t) { startAlways[Int(buildByte[t])] = true } else { pending.append((Int32(t), 1, UInt64(buildByte[t]))) }
        }
        while let (node, d, prefix) = pending.popLast() {
            for k in kids(Int(node)) {
                let t = Int(children[k])
                let extended = prefix | UInt64(buildByte[t]) << (8 * UInt64(d))
                if d + 1 == PatternTrie.startDepth {
                    setStartKey(extended, depth: PatternTrie.startDepth)
                } else if opensMatch(t) {
                    // Every walk through this node is taken: one key for its first three bytes.
                    if d + 1 == 2 {
                        for b2 in 0...255 { setStartKey(extended | UInt64(b2) << 16, depth: 3) }
                    } else {
                        setStartKey(extended, depth: 3)
                    }
                } else {
                    pending.append((Int32(t), d + 1, extended))
                }
            }
        }
        buildByte = []; buildParent = []; buildFirstChild = []; buildNextSibling = []; buildRootChild = []; patternEnd = []
    }

    private mutating func setStartKey(_ prefix: UInt64, depth: Int) {
        let key = PatternTrie.startKey(prefix, depth: depth)
        startKeys[key >> 6] |= 1 << UInt64(key & 63)
    }

    /// Bits in `startKeys` (a power of two).
    static let startKeyCount = 1 << 18
    /// Bytes of a walk's prefix the start filter looks at (2…7).
    static let startDepth = 6
    /// The hashed key of a walk's first `depth` bytes, given little-endian in `prefix` (bytes past
    /// `depth` ignored): multiplicative hashing of the prefix tagged with its length.
    @inline(__always)
    static func startKey(_ prefix: UInt64, depth: Int) -> Int {
        let x = (prefix & ((1 << (8 * UInt64(depth))) &- 1)) | UInt64(depth) << 56
        return Int(truncatingIfNeeded: (x &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - startKeyCount.trailingZeroBitCount))
    }

    /// Depth above which nodes are laid out breadth-first (depth ≥ this: depth-first per subtree).
    static let hotDepth = 3
    /// Header bits: edge count (up to 256), the flag for a wildcard edge (found by searching byte
    /// `wildcard`) and the skip length (bits 10–15).
    static let edgeCountMask: UInt32 = 0x1FF, wildcardFlag: UInt32 = 0x200
    static let skipShift: UInt32 = 10, skipMask: UInt32 = 0x3F
    /// Longest chain run one record skips over (a longer run continues in the next record).
    static let maxSkip = 63
    /// "No such node" in records and dense tables.
    static let noNode = UInt32.max
    /// Nodes with at least this many children get a dense table (≈ 1 KiB each; a few hundred nodes).
    static let denseThreshold = 16
    /// Rough bytes of news text per hit, to size the hit array once.
    static let bytesPerHitEstimate = 12
    static let flagRightBoundary: UInt8 = 1, flagStem: UInt8 = 2, flagExact: UInt8 = 4
    /// Where the flags sit in an `outputs` word (below: the pattern index).
    static let flagShift: UInt32 = 24
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
        hits.removeAllKeepingCapacity()
        hits.reserveCapacity(min(limit, text.count / PatternTrie.bytesPerHitEstimate + 8))
        // Pending walks (node, next byte) created by wildcard edges; reused across starts.
        var pending: [(Int32, Int)] = []
        text.withUnsafeBufferPointer { p in
        rootTable.withUnsafeBufferPointer { root in
        cells.withUnsafeBufferPointer { c in
        outputs.withUnsafeBufferPointer { outs in
        isWordLead.withUnsafeBufferPointer { isWord in
        denseTables.withUnsafeBufferPointer { dense in
        startKeys.withUnsafeBufferPointer { keys in
        startAlways.withUnsafeBufferPointer { always in
            // Whether a walk from position i (first byte b, a child of the root) can find
            // anything: the start filter's two keys, from one 8-byte load (near the end, bytes
            // past it read as zero: a full-depth key then cannot pass, a walk that fits still
            // meets an opening node whose key passes).
            @inline(__always) func worthWalking(_ i: Int, _ b: UInt8) -> Bool {
                if always[Int(b)] { return true }
                var x: UInt64
                if i + 8 <= p.count {
                    x = UInt64(littleEndian: UnsafeRawBufferPointer(p).loadUnaligned(fromByteOffset: i, as: UInt64.self))
                } else {
                    x = 0
                    for k in 0..<(p.count - i) { x |= UInt64(p[i + k]) << (8 * UInt64(k)) }
                }
                let opening = PatternTrie.startKey(x, depth: 3), path = PatternTrie.startKey(x, depth: PatternTrie.startDepth)
                return (keys[opening >> 6] >> UInt64(opening & 63) | keys[path >> 6] >> UInt64(path & 63)) & 1 != 0
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
                            var body = node + 1
                            let skip = Int((header >> PatternTrie.skipShift) & PatternTrie.skipMask)
                            if skip > 0 {
                                // The record's chain run: no output inside it, so a mismatch or the
                                // end of the text just ends this walk.
                                guard j + skip <= n && skipMatches(c, body, skip, p, j) else { break }
                                j += skip
                                body += (skip + 3) >> 2
                            }
                            let oc = Int(header >> 16)
                            if oc > 0 {
                                let os = Int(c[body])
                                body += 1
                                for k in os..<(os + oc) {
                                    let o = outs[k]
                                    let idx = Int32(bitPattern: o & (1 << PatternTrie.flagShift - 1))
                                    let f = UInt8(truncatingIfNeeded: o >> PatternTrie.flagShift)
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
                if bIsWord {
                    // The ASCII letters and digits that follow are no starts: skipped 8 at a time.
                    while i + 8 <= n {
                        let x = UInt64(littleEndian: UnsafeRawBufferPointer(p).loadUnaligned(fromByteOffset: i, as: UInt64.self))
                        let stop = PatternTrie.notASCIIWordLanes(x)
                        if stop != 0 { i += stop.trailingZeroBitCount >> 3; break }
                        i += 8
                    }
                }
            }
        }}}}}}}}
    }

    /// The high bit of every byte lane of `x` that is not an ASCII letter or digit.
    @inline(__always)
    static func notASCIIWordLanes(_ x: UInt64) -> UInt64 {
        let highs: UInt64 = 0x8080_8080_8080_8080, ones: UInt64 = 0x0101_0101_0101_0101
        let low = (x & ~highs) | highs
        // Lane high bit set where the lane's low seven bits are ≥ `bound` (no borrow crosses lanes).
        @inline(__always) func atLeast(_ bound: UInt64) -> UInt64 { (low &- bound &* ones) & highs }
        let digit = atLeast(0x30) & ~atLeast(0x3A)
        let upper = atLeast(0x41) & ~atLeast(0x5B)
        let lower = atLeast(0x61) & ~atLeast(0x7B)
        return ~((digit | upper | lower) & ~x) & highs
    }

    /// Whether the `count` skip bytes packed from `cells[at]` on equal `text[j..<(j + count)]`
    /// (the caller checked that the text is long enough): four bytes at a time, since the packing
    /// puts byte k in bits 8k of its word, which is how a little-endian load lays them out.
    @inline(__always)
    private func skipMatches(_ cells: UnsafeBufferPointer<UInt32>, _ at: Int, _ count: Int,
                             _ text: UnsafeBufferPointer<UInt8>, _ j: Int) -> Bool {
        let raw = UnsafeRawBufferPointer(text)
        var k = 0
        while k + 4 <= count {
            // In bounds: j + k + 4 <= j + count <= text.count.
            let word = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: j + k, as: UInt32.self))
            if word != cells[at + (k >> 2)] { return false }
            k += 4
        }
        while k < count {
            let packed = cells[at + (k >> 2)]
            if UInt8(truncatingIfNeeded: packed >> (8 * UInt32(k & 3))) != text[j + k] { return false }
            k += 1
        }
        return true
    }

    /// Case-sensitive check of pattern `idx` against the original bytes `start..<end` (rare path).
    private func exactMatches(_ idx: Int, _ original: [UInt8], _ start: Int, _ end: Int) -> Bool {
        guard let exact = patterns[idx].exact, exact.count == end - start else { return false }
        for k in 0..<exact.count where original[start + k] != exact[k] { return false }
        return true
    }
}
