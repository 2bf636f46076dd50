import DyadCore

/// Bit per side, for quick per-sentence side sets.
struct SideSet: OptionSet, Sendable {
    let rawValue: UInt8
    static let china = SideSet(rawValue: 1), russia = SideSet(rawValue: 2), us = SideSet(rawValue: 4)
    static let west = SideSet(rawValue: 8), ukraine = SideSet(rawValue: 16), other = SideSet(rawValue: 32)
    init(rawValue: UInt8) { self.rawValue = rawValue }
    init(_ side: Side) {
        switch side {
        case .china: self = .china
        case .russia: self = .russia
        case .us: self = .us
        case .west: self = .west
        case .ukraine: self = .ukraine
        case .other: self = .other
        }
    }
}

/// An entity mention (byte range) after overlap resolution.
struct EntityHit {
    var entity: Int
    var start: Int
    var end: Int
    var sentence: Int
}

/// A cue occurrence (byte range) after overlap resolution.
struct CueHit {
    var cue: Int
    var start: Int
    var end: Int
    var sentence: Int
}

/// Per-sentence facts used by every scorer.
struct SentenceInfo {
    var start: Int
    var end: Int
    /// Sides of actors (entities that are not places) mentioned.
    var sides: SideSet = []
    var inTitle: Bool
    var cues: Range<Int> = 0..<0        // into ArticleScan.cues
    var entities: Range<Int> = 0..<0    // into ArticleScan.entityHits
}

/// One article after matching: entity and cue hits (non-overlapping within each layer) assigned to
/// sentences. Built once per article; the scorers only read it.
struct ArticleScan {
    let text: NormalizedText
    let data: AnalysisData
    private(set) var entityHits: [EntityHit] = []
    private(set) var cues: [CueHit] = []
    private(set) var sentences: [SentenceInfo] = []
    /// Sides mentioned anywhere as actors.
    private(set) var articleSides: SideSet = []

    init(text: NormalizedText, data: AnalysisData) {
        self.text = text
        self.data = data
        let hits = data.trie.scan(folded: text.folded, original: text.original, limit: Limits.maxHits)
        let resolved = ArticleScan.resolveOverlaps(hits, data: data)
        let ranges = text.original.withUnsafeBufferPointer { p in
            text.folded.withUnsafeBufferPointer { f in SentenceSegmenter.split(p, folded: f) }
        }
        sentences = ranges.map { SentenceInfo(start: $0.start, end: $0.end, inTitle: $0.start < text.titleEnd) }
        // Assign hits to sentences with one forward pointer (both lists are ordered by start).
        var s = 0
        for h in resolved {
            let start = Int(h.start)
            while s < sentences.count && sentences[s].end <= start { s += 1 }
            let sentence = min(s, max(sentences.count - 1, 0))
            let target = data.targets[Int(data.trie.patterns[Int(h.pattern)].payload)]
            if let cue = target.cue {
                cues.append(CueHit(cue: cue, start: start, end: Int(h.end), sentence: sentence))
            } else {
                for e in target.entities {
                    entityHits.append(EntityHit(entity: e, start: start, end: Int(h.end), sentence: sentence))
                }
            }
        }
        // Sentence → hit ranges and side sets.
        var ci = 0, ei = 0
        for k in sentences.indices {
            let c0 = ci
            while ci < cues.count && cues[ci].sentence == k { ci += 1 }
            sentences[k].cues = c0..<ci
            let e0 = ei
            while ei < entityHits.count && entityHits[ei].sentence == k {
                let info = data.entities[entityHits[ei].entity]
                if info.type != .place { sentences[k].sides.insert(SideSet(info.side)) }
                ei += 1
            }
            sentences[k].entities = e0..<ei
            articleSides.formUnion(sentences[k].sides)
        }
    }

    /// Overlap layers: a longer hit hides shorter ones it overlaps in the same layer only, so
    /// "East China Sea" hides "China" but a stance cue and an entity may share words.
    private static func layer(_ target: PatternTarget, _ data: AnalysisData) -> Int {
        guard let cue = target.cue else { return 0 }
        switch data.cues[cue].category {
        case .stance, .aid: return 1
        case .tone: return 2
        case .frame(let f): return 3 + (Frame.allCases.firstIndex(of: f) ?? 0)
        case .negator: return 13
        case .intensifier: return 14
        case .hedge: return 15
        case .contrast: return 16
        case .denial: return 17
        case .rebuttal: return 18
        case .relation: return 19
        case .accusation: return 20
        case .concession: return 21
        case .backdrop: return 22
        }
    }
    static let layerCount = 23

    /// Leftmost-longest selection per layer. Hits arrive ordered by start; each equal-start group
    /// is visited longest first.
    static func resolveOverlaps(_ hits: [PatternTrie.Hit], data: AnalysisData) -> [PatternTrie.Hit] {
        var out: [PatternTrie.Hit] = []
        out.reserveCapacity(hits.count)
        var lastEnd = [Int32](repeating: -1, count: layerCount)
        var group: [PatternTrie.Hit] = []
        var i = 0
        while i < hits.count {
            var j = i
            while j < hits.count && hits[j].start == hits[i].start { j += 1 }
            group.removeAll(keepingCapacity: true)
            group.append(contentsOf: hits[i..<j])
            group.sort { $0.end > $1.end }
            for h in group {
                let l = layer(data.targets[Int(data.trie.patterns[Int(h.pattern)].payload)], data)
                if h.start >= lastEnd[l] {
                    out.append(h)
                    lastEnd[l] = h.end
                }
            }
            i = j
        }
        return out
    }

    func cueInfo(_ hit: CueHit) -> CueInfo { data.cues[hit.cue] }

    /// Sentence text as a String, shortened to `Limits.maxSentenceScalars`.
    func sentenceText(_ k: Int) -> String {
        let s = text.string(sentences[k].start, sentences[k].end)
        if s.unicodeScalars.count <= Limits.maxSentenceScalars { return s }
        return String(String.UnicodeScalarView(s.unicodeScalars.prefix(Limits.maxSentenceScalars))) + "…"
    }

    /// Evidence for a byte range, with scalar offsets.
    func evidence(start: Int, end: Int, cue: String, weight: Double) -> Evidence {
        Evidence(text: text.string(start, end), cue: cue, weight: (weight * 1000).rounded() / 1000,
                 start: text.scalars.scalarOffset(start), end: text.scalars.scalarOffset(end))
    }

    /// Entities in order of first mention, each with capped mentions.
    func entityMatches() -> [EntityMatch] {
        var order: [Int] = []
        var mentions: [Int: [Mention]] = [:]
        for h in entityHits {
            if mentions[h.entity] == nil { order.append(h.entity); mentions[h.entity] = [] }
            if mentions[h.entity]!.count < Limits.maxMentionsPerEntity {
                mentions[h.entity]!.append(Mention(start: text.scalars.scalarOffset(h.start),
                                                   end: text.scalars.scalarOffset(h.end),
                                                   text: text.string(h.start, h.end)))
            }
        }
        return order.map { e in
            let info = data.entities[e]
            return EntityMatch(id: info.id, name: info.name, side: info.side, type: info.type, mentions: mentions[e] ?? [])
        }
    }
}
