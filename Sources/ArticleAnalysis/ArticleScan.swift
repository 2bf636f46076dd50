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
    /// The entity's side and whether it is an actor (not a place), copied in for the scorers.
    var side: Side
    var isActor: Bool
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
    /// The sentence that states the item's point: the title's, or the first body sentence when the
    /// title is empty or names no actor (sentence-level items, snippets, "News in brief" titles).
    var isLead = false
    var cues: Range<Int> = 0..<0        // into ArticleScan.cues
    var entities: Range<Int> = 0..<0    // into ArticleScan.entityHits
}

/// One article after matching: entity and cue hits (non-overlapping within each layer) assigned to
/// sentences. The scorers only read it. A class, so passing it around never copies (and retains)
/// its arrays; reloadable, so a worker keeps one and every buffer's memory serves article after
/// article (`load`), instead of a dozen fresh arrays per headline.
final class ArticleScan {
    let data: AnalysisData
    private(set) var text = NormalizedText()
    private(set) var entityHits: [EntityHit] = []
    private(set) var cues: [CueHit] = []
    private(set) var sentences: [SentenceInfo] = []
    /// Sides mentioned anywhere as actors.
    private(set) var articleSides: SideSet = []
    // Scratch of the scan itself, kept for the next article.
    private var hits: [PatternTrie.Hit] = []
    private var resolved: [PatternTrie.Hit] = []
    private var ranges: [(start: Int, end: Int)] = []
    private var overlapGroup: [PatternTrie.Hit] = []
    /// The entities grouped for listing (`groupEntities`).
    private(set) var entityGroups = EntityGroups()

    /// The data's trie, held here so that a scan does not copy (and retain) its arrays per article.
    private let trie: PatternTrie
    /// The data's per-hit tables as pointers (`AnalysisTables`): read without reference counting.
    let tables: AnalysisTables

    /// An empty scan, to be filled by `load`.
    init(data: AnalysisData) {
        self.data = data
        trie = data.trie
        tables = data.tables
    }

    convenience init(text: NormalizedText, data: AnalysisData) {
        self.init(data: data)
        self.text = text
        scanText()
    }

    /// Scans a new article (UTF-8 title and text), reusing this scan's buffers.
    func load(title: UnsafeBufferPointer<UInt8>, text: UnsafeBufferPointer<UInt8>) {
        self.text.load(title: title, text: text)
        scanText()
    }

    func load(title: String, text: String) {
        var title = title, text = text
        title.withUTF8 { t in text.withUTF8 { load(title: t, text: $0) } }
    }

    private func scanText() {
        // Worked on in locals (moved out, so appends neither copy nor pay a class property's
        // access checks) and moved back at the end, by swapping (an assignment would retain the
        // local's buffer and release the property's, article after article).
        var hits = ArticleScan.take(&self.hits), resolved = ArticleScan.take(&self.resolved)
        var ranges = ArticleScan.take(&self.ranges), overlapGroup = ArticleScan.take(&self.overlapGroup)
        var sentences = ArticleScan.take(&self.sentences), cues = ArticleScan.take(&self.cues)
        var entityHits = ArticleScan.take(&self.entityHits)
        defer {
            swap(&self.hits, &hits); swap(&self.resolved, &resolved); swap(&self.ranges, &ranges)
            swap(&self.overlapGroup, &overlapGroup); swap(&self.sentences, &sentences); swap(&self.cues, &cues)
            swap(&self.entityHits, &entityHits)
        }
        let text = self.text
        let tables = self.tables
        trie.scan(folded: text.folded, original: text.original, limit: Limits.maxHits, into: &hits)
        ArticleScan.resolveOverlaps(hits, tables: tables, into: &resolved, group: &overlapGroup)
        text.original.withUnsafeBufferPointer { p in
            text.folded.withUnsafeBufferPointer { f in SentenceSegmenter.split(p, folded: f, into: &ranges) }
        }
        sentences.removeAllKeepingCapacity()
        for r in ranges { sentences.append(SentenceInfo(start: r.start, end: r.end, inTitle: r.start < text.titleEnd)) }
        cues.removeAllKeepingCapacity()
        entityHits.removeAllKeepingCapacity()
        // Assign hits to sentences with one forward pointer (both lists are ordered by start).
        // The data's tables in locals: read per hit without a class property access each.
        let patternTarget = tables.patternTarget, targetCue = tables.targetCue
        let targetEntityRange = tables.targetEntityRange, targetEntityList = tables.targetEntityList
        let entityIsCity = tables.entityIsCity, entitySide = tables.entitySide, entityIsActor = tables.entityIsActor
        var s = 0
        for h in resolved {
            let start = Int(h.start)
            while s < sentences.count && sentences[s].end <= start { s += 1 }
            let sentence = min(s, max(sentences.count - 1, 0))
            let t = Int(patternTarget[Int(h.pattern)])
            let cue = targetCue[t]
            if cue >= 0 {
                cues.append(CueHit(cue: Int(cue), start: start, end: Int(h.end), sentence: sentence))
            } else {
                for k in targetEntityRange[t] {
                    let e = targetEntityList[k]
                    if entityIsCity[e] && ArticleScan.isPlaceUse(start: start, end: Int(h.end), text: text, cues: cues, tables: tables) { continue }
                    if ArticleScan.isAbbreviationListItem(start: start, end: Int(h.end), text.original) { continue }
                    entityHits.append(EntityHit(entity: e, start: start, end: Int(h.end), sentence: sentence,
                                                side: entitySide[e], isActor: entityIsActor[e]))
                }
            }
        }
        // Sentence → hit ranges and side sets.
        var ci = 0, ei = 0
        var articleSides: SideSet = []
        for k in sentences.indices {
            let c0 = ci
            while ci < cues.count && cues[ci].sentence == k { ci += 1 }
            sentences[k].cues = c0..<ci
            let e0 = ei
            while ei < entityHits.count && entityHits[ei].sentence == k {
                if entityHits[ei].isActor { sentences[k].sides.insert(SideSet(entityHits[ei].side)) }
                ei += 1
            }
            sentences[k].entities = e0..<ei
            articleSides.formUnion(sentences[k].sides)
        }
        ArticleScan.markLead(&sentences)
        self.articleSides = articleSides
    }

    /// The array moved out of `a` (left empty): unique, so appends to it do not copy.
    @inline(__always)
    static func take<T>(_ a: inout [T]) -> [T] {
        var out: [T] = []
        swap(&out, &a)
        return out
    }

    /// Most cues looked back at for a locative word before a city.
    static let locativeLookback = 3

    /// Whether a city mention is used as a place, not as its government: right after a locative
    /// cue ("в Москве", "из Москвы", "在莫斯科"), or as a dateline ("МОСКВА, 10 авг", "Moscow. 31
    /// January", "BEIJING, March 3", "莫斯科3月1日电").
    static func isPlaceUse(start: Int, end: Int, text: NormalizedText, cues: [CueHit], tables: AnalysisTables) -> Bool {
        for c in cues.suffix(locativeLookback).reversed() where tables.cueCategory[c.cue] == .locative {
            if c.end == start || (c.end + 1 == start && text.folded[c.end] == 0x20) {
                return !isDestination(preposition: c, end: end, text.folded)
            }
        }
        let p = text.original
        var i = end
        if i < p.count && p[i] >= 0x30 && p[i] <= 0x39 { return true }                 // 莫斯科3月1日电
        if isWeatherEntry(p, from: end) { return true }                                  // 北京多云转阴15℃, Moscow 14°C
        guard i < p.count, p[i] == UInt8(ascii: ",") || p[i] == UInt8(ascii: ".") else { return false }
        i += 1
        while i < p.count && p[i] == 0x20 { i += 1 }
        if i < p.count && p[i] >= 0x30 && p[i] <= 0x39 { return true }                 // "Москва, 31 янв"
        return isUpperCase(p, start, end)
    }

    /// Russian "в/во" + accusative is a destination, not a location: "прибыл в Москву", "визит в
    /// Пекин" (a visit is an interaction with the government), against "в Москве", "в Пекине".
    /// The accusative of these names ends in -у/-ю (Москву) or is the bare stem (Пекин).
    static func isDestination(preposition c: CueHit, end: Int, _ f: [UInt8]) -> Bool {
        let word = f[c.start..<c.end]
        guard word.elementsEqual([0xD0, 0xB2]) || word.elementsEqual([0xD0, 0xB2, 0xD0, 0xBE]) else { return false }  // в, во
        guard end >= 2, f[end - 2] == 0xD0 || f[end - 2] == 0xD1 else { return false }
        // An adjective ("в пекинском аэропорту", "в московскую область") is a place: its last two
        // letters are an adjective ending.
        if end - c.end >= 4 {
            let ending = f[(end - 4)..<end]
            if ArticleScan.adjectiveEndingBytes.contains(where: { ending.elementsEqual($0) }) { return false }
        }
        let last = (UInt16(f[end - 2]) << 8) | UInt16(f[end - 1])
        switch last {
        case 0xD183, 0xD18E: return true                                    // у ю
        case 0xD0B0, 0xD0B5, 0xD0B8, 0xD0BE, 0xD18B, 0xD18D, 0xD18F,        // а е и о ы э я
             0xD18C, 0xD0B9, 0xD191: return false                           // ь й ё
        default: return true                                                // a consonant: the bare stem
        }
    }

    static let adjectiveEndings: Set<String> = ["ий", "ый", "ой", "ая", "яя", "ое", "ее", "ую", "юю", "ом", "ем", "им",
                                                 "ым", "их", "ых", "ей", "го", "му", "ми"]
    /// `adjectiveEndings` as UTF-8 (two Cyrillic letters, four bytes each), compared in place.
    static let adjectiveEndingBytes: [[UInt8]] = adjectiveEndings.map { Array($0.utf8) }

    /// A one-character abbreviation in a 、-list ("以中、英、法、俄等8个语种", "法、俄、阿、西文版"):
    /// such lists name languages or a roll of countries, not an actor.
    static func isAbbreviationListItem(start: Int, end: Int, _ p: [UInt8]) -> Bool {
        guard end - start == 3 else { return false }
        func isEnumerationComma(_ i: Int) -> Bool { i >= 0 && i + 2 < p.count && p[i] == 0xE3 && p[i + 1] == 0x80 && p[i + 2] == 0x81 }
        return isEnumerationComma(start - 3) || isEnumerationComma(end)
    }

    /// Bytes looked ahead of a city for a temperature that makes it a weather-table entry.
    static let weatherLookahead = 24

    /// A temperature (℃, °) shortly after the city, before any punctuation: a weather listing.
    static func isWeatherEntry(_ p: [UInt8], from: Int) -> Bool {
        var i = from
        let end = min(p.count, from + weatherLookahead)
        while i < end {
            let b = p[i]
            if b == 0xE2 && i + 2 < p.count && p[i + 1] == 0x84 && p[i + 2] == 0x83 { return true }   // ℃
            if b == 0xC2 && i + 1 < p.count && p[i + 1] == 0xB0 { return true }                       // °
            if b == UInt8(ascii: ".") || b == UInt8(ascii: ",") || b == 0x0A { return false }
            if b == 0xEF && i + 2 < p.count && p[i + 1] == 0xBC && p[i + 2] == 0x8C { return false }    // ，
            if b == 0xE3 && i + 2 < p.count && p[i + 1] == 0x80 && (p[i + 2] == 0x82 || p[i + 2] == 0x81) { return false } // 。、
            i += 1
        }
        return false
    }

    /// Whether a mention is written in capitals (Latin or Cyrillic): "MOSCOW", "МОСКВА".
    static func isUpperCase(_ p: [UInt8], _ start: Int, _ end: Int) -> Bool {
        var letters = 0
        var i = start
        while i < end {
            let b = p[i]
            if b >= 0x41 && b <= 0x5A { letters += 1; i += 1; continue }
            if b >= 0x61 && b <= 0x7A { return false }
            if b == 0xD0 && i + 1 < end {                                     // А..Я (0xD0 0x90–0xAF), Ё
                let c = p[i + 1]
                if (c >= 0x90 && c <= 0xAF) || c == 0x81 { letters += 1; i += 2; continue }
                return false
            }
            if b == 0xD1 { return false }                                     // р..я, ё
            i += 1
        }
        return letters >= 2
    }

    /// Title sentences are the lead; when no title sentence names an actor, the first body sentence is.
    static func markLead(_ sentences: inout [SentenceInfo]) {
        var titleNamesActor = false
        for k in sentences.indices where sentences[k].inTitle {
            sentences[k].isLead = true
            if !sentences[k].sides.isEmpty { titleNamesActor = true }
        }
        guard !titleNamesActor else { return }
        for k in sentences.indices where sentences[k].inTitle { sentences[k].isLead = false }
        if let first = sentences.firstIndex(where: { !$0.inTitle }) { sentences[first].isLead = true }
    }

    /// Overlap layers: a longer hit hides shorter ones it overlaps in the same layer only, so
    /// "East China Sea" hides "China" but a stance cue and an entity may share words.
    static func layer(_ target: PatternTarget, _ data: AnalysisData) -> Int {
        guard let cue = target.cue else { return 0 }
        switch data.cues[cue].category {
        case .stance, .appraisal, .aid, .arms: return 1
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
        case .locative: return 23
        case .refusal: return 24
        case .reproach: return 25
        case .posting: return 26
        }
    }
    static let layerCount = 27

    /// Leftmost-longest selection per layer. Hits arrive ordered by start; each equal-start group
    /// is visited longest first (sorted in `group`, a reused scratch array).
    static func resolveOverlaps(_ hits: [PatternTrie.Hit], tables: AnalysisTables, into out: inout [PatternTrie.Hit],
                                group: inout [PatternTrie.Hit]) {
        out.removeAllKeepingCapacity()
        let layers = tables.patternLayer
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: layerCount) { lastEnd in
        lastEnd.initialize(repeating: -1)
        hits.withUnsafeBufferPointer { hits in
        var i = 0
        while i < hits.count {
            let h = hits[i]
            var j = i + 1
            while j < hits.count && hits[j].start == h.start { j += 1 }
            if j == i + 1 {                                   // the common case: one hit at this start
                let l = Int(layers[Int(h.pattern)])
                if h.start >= lastEnd[l] { out.append(h); lastEnd[l] = h.end }
                i = j
                continue
            }
            group.removeAllKeepingCapacity()
            group.append(contentsOf: UnsafeBufferPointer(rebasing: hits[i..<j]))
            // Longest first; on a tie a blocker (a pattern that names nothing) wins, so
            // "русскоязычн*" hides "русск*" although both stems run to the end of the word.
            group.sort { $0.end != $1.end ? $0.end > $1.end : isBlocker($0, tables) && !isBlocker($1, tables) }
            for h in group {
                let l = Int(layers[Int(h.pattern)])
                if h.start >= lastEnd[l] {
                    out.append(h)
                    lastEnd[l] = h.end
                }
            }
            i = j
        }
        }}
    }

    static func isBlocker(_ h: PatternTrie.Hit, _ tables: AnalysisTables) -> Bool {
        let t = Int(tables.patternTarget[Int(h.pattern)])
        return tables.targetCue[t] < 0 && tables.targetEntityRange[t].isEmpty
    }

    func cueInfo(_ hit: CueHit) -> CueInfo { data.cues[hit.cue] }
    @inline(__always) func category(_ hit: CueHit) -> CueCategory { tables.cueCategory[hit.cue] }
    @inline(__always) func weight(_ hit: CueHit) -> Double { tables.cueWeight[hit.cue] }

    /// Bytes scanned each way from a cue for the edges of its clause.
    static let clauseScanLimit = 300

    /// Whether the clause around a cue (up to commas, colons, semicolons or the sentence edge)
    /// belongs to the pair: it does unless it names a third-party actor and neither partner. A
    /// relationship cue in "the US bullies others, while China and Russia …" is about the US.
    func pairActorInClause(_ cue: CueHit) -> Bool {
        let s = sentences[cue.sentence]
        let (a, b) = clauseBounds(cue)
        var i = firstEntity(atOrAfter: a, in: s)
        var thirdParty = false
        while i < s.entities.upperBound && entityHits[i].start < b {
            let h = entityHits[i]
            if h.isActor {
                if h.side == .china || h.side == .russia { return true }
                thirdParty = true
            }
            i += 1
        }
        return !thirdParty
    }

    /// Furthest the speaker's name may end before its verb ("US officials warn", "Washington's envoy slams").
    static let speakerWindowBytes = 40

    /// Who holds what a cue says (attribution): the side of the actor named just before the verb in
    /// the same clause ("US officials warn…" → us, "Москва отрицает…" → russia), nil when none is.
    func speakerSide(of cue: CueHit) -> Side? {
        let s = sentences[cue.sentence]
        var i = firstEntity(atOrAfter: cue.start, in: s) - 1
        while i >= s.entities.lowerBound {
            let h = entityHits[i]
            if cue.start - h.end > ArticleScan.speakerWindowBytes || CueContext.hasComma(text.folded, h.end, cue.start) { return nil }
            if h.isActor { return h.side }
            i -= 1
        }
        return nil
    }

    /// Whether the sentence is a question (ends in `?` or `？`, closing quotes aside).
    func isQuestion(_ k: Int) -> Bool {
        let s = sentences[k]
        let p = text.original
        var e = s.end
        while e > s.start && (p[e - 1] == 0x22 || p[e - 1] == 0x27 || p[e - 1] == 0x20) { e -= 1 }
        if e > s.start && p[e - 1] == UInt8(ascii: "?") { return true }
        return e - 3 >= s.start && p[e - 3] == 0xEF && p[e - 2] == 0xBC && p[e - 1] == 0x9F
    }

    /// Index of the first entity hit of sentence `s` starting at or after byte `position`.
    func firstEntity(atOrAfter position: Int, in s: SentenceInfo) -> Int {
        var lo = s.entities.lowerBound, hi = s.entities.upperBound
        while lo < hi {
            let mid = (lo + hi) / 2
            if entityHits[mid].start < position { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// A comma between two entity mentions ("China, Russia, Mongolia") joins a list; it does not end a clause.
    func isListComma(_ i: Int, in s: SentenceInfo) -> Bool {
        let next = firstEntity(atOrAfter: i + 1, in: s)
        guard next < s.entities.upperBound, entityHits[next].start <= i + 2, next > s.entities.lowerBound else { return false }
        return entityHits[next - 1].end == i
    }

    /// Whether a critical cue is aimed at a third party named right after it ("criticism of
    /// Pelosi", "sanctions against the US"): then it says nothing about the pair.
    func aimedAtThirdParty(_ cue: CueHit) -> Bool {
        let s = sentences[cue.sentence]
        let f = text.folded
        var i = cue.end
        while i < s.end && f[i] == 0x20 { i += 1 }
        guard let p = ArticleScan.targetPrepositions.first(where: { i + $0.count <= s.end && f[i..<(i + $0.count)].elementsEqual($0) }) else { return false }
        i += p.count
        if i + 4 <= s.end && f[i..<(i + 4)].elementsEqual(ArticleScan.definiteArticle) { i += 4 }
        let k = firstEntity(atOrAfter: i, in: s)
        guard k < s.entities.upperBound, entityHits[k].start == i else { return false }
        let h = entityHits[k]
        return h.isActor && h.side != .china && h.side != .russia
    }

    /// Prepositions that aim a critical cue at what follows ("criticism of", "sanctions against").
    static let targetPrepositions: [[UInt8]] = ["of ", "against ", "toward ", "towards ", "at "].map { Array($0.utf8) }
    /// "the " (folded), skipped between the preposition and the target.
    static let definiteArticle: [UInt8] = Array("the ".utf8)

    /// Whether two sentences have the same bytes (the title is often repeated in the body).
    func sameText(_ a: Int, _ b: Int) -> Bool {
        let x = sentences[a], y = sentences[b]
        guard x.end - x.start == y.end - y.start else { return false }
        return text.original[x.start..<x.end].elementsEqual(text.original[y.start..<y.end])
    }

    /// Sentence text as a String, shortened to `Limits.maxSentenceScalars`.
    func sentenceText(_ k: Int) -> String {
        let s = text.string(sentences[k].start, sentences[k].end)
        if s.unicodeScalars.count <= Limits.maxSentenceScalars { return s }
        return String(String.UnicodeScalarView(s.unicodeScalars.prefix(Limits.maxSentenceScalars))) + "…"
    }

    /// Evidence for a byte range, with scalar offsets; with `sentence`, the text of that sentence
    /// when it is a body sentence (what alerts quote).
    func evidence(start: Int, end: Int, cue: String, weight: Double, sentence: Int? = nil) -> Evidence {
        let quote = sentence.flatMap { sentences.indices.contains($0) && !sentences[$0].inTitle ? sentenceText($0) : nil }
        let offsets = text.scalarRange(start, end)
        return Evidence(text: text.string(start, end), cue: cue, weight: (weight * 1000).rounded() / 1000,
                        start: offsets.start, end: offsets.end, sentence: quote)
    }

    /// Entities in order of first mention, each with capped mentions.
    func entityMatches() -> [EntityMatch] {
        groupEntities()
        return entityGroups.groups.map { g in
            let info = data.entities[g.entity]
            var mentions: [Mention] = []
            mentions.reserveCapacity(g.count)
            entityGroups.forEachMention(of: g) { i in
                let h = entityHits[i]
                mentions.append(Mention(start: text.scalarOffset(h.start), end: text.scalarOffset(h.end), text: text.string(h.start, h.end)))
            }
            return EntityMatch(id: info.id, name: info.name, side: info.side, type: info.type, mentions: mentions)
        }
    }

    /// Fills `entityGroups` for the current article.
    func groupEntities() {
        entityGroups.build(entityHits, entityCount: tables.entitySide.count)   // one side per entity
    }
}
