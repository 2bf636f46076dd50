import DyadCore

/// Decides whether an article is about China and Russia together. A sentence is a dyad sentence
/// when it names a China-side and a Russia-side actor, unless both appear only inside a list of
/// three or more countries with nothing relating them (a round-up, not a relationship).
enum DyadDetector {
    /// Support a title dyad sentence gives (headlines are where the topic is stated).
    static let titleSentenceWeight = 1.0
    /// Support each body dyad sentence gives.
    static let bodySentenceWeight = 1.0
    /// Support a body sentence gives that talks about "the two countries" etc. when both sides are named elsewhere.
    static let relationSentenceWeight = 0.25
    /// Support needed to call the article a dyad.
    static let threshold = 1.0
    /// Share of relevance a dyad headline gives on its own.
    static let headlineRelevance = 0.5
    /// Share of dyad sentences at which the body part of relevance is full.
    static let saturatingShare = 0.5
    /// How much a relation-only sentence's stance cues count, against 1 for a dyad sentence.
    static let relationStanceWeight = 0.6
    /// Sentences looked back (besides its own) for the two sides a relation-only sentence refers to.
    static let relationWindow = 2
    /// A list this long is a roll of countries even when the sentence has a relationship cue.
    static let longListLength = 5
    /// Shortest list of countries that counts as an enumeration ("China, Japan, Russia").
    static let minimumListLength = 3

    struct Outcome {
        var result: DyadResult
        /// Sentence index → how much that sentence speaks about the relationship (0 = not at all);
        /// empty when no sentence does (read through `weight(of:)`).
        var sentenceWeights: [Double]

        func weight(of sentence: Int) -> Double { sentence < sentenceWeights.count ? sentenceWeights[sentence] : 0 }
    }

    static func detect(_ scan: ArticleScan) -> Outcome {
        // Without a China-side and a Russia-side actor in the article no sentence can be about
        // the pair (most items): nothing to weigh.
        guard scan.articleSides.contains(.china) && scan.articleSides.contains(.russia) else {
            return Outcome(result: DyadResult(isDyad: false, relevance: 0, sentences: []), sentenceWeights: [])
        }
        var weights = [Double](repeating: 0, count: scan.sentences.count)
        var support = 0.0
        var listed: [Int] = []
        for (k, s) in scan.sentences.enumerated() {
            // "The two countries" / "两国" speaks of the pair only when both were named just before.
            var recent: SideSet = []
            for j in max(0, k - relationWindow)...k { recent.formUnion(scan.sentences[j].sides) }
            let bothSides = recent.contains(.china) && recent.contains(.russia)
            if s.sides.contains(.china) && s.sides.contains(.russia) && !isListOnly(scan, k) && !isBackdropOnly(scan, k)
                && !isPostingOrWarNameOnly(scan, k) {
                let w = s.isLead ? titleSentenceWeight : bodySentenceWeight
                weights[k] = 1
                support += w
                if listed.count < Limits.maxDyadSentences && !listed.contains(where: { scan.sameText($0, k) }) {
                    listed.append(k)
                }
            } else if bothSides && speaksOfARelationship(scan, k) {
                weights[k] = relationStanceWeight
                support += relationSentenceWeight
            }
        }
        let isDyad = support >= threshold
        var dyadCount = 0
        for w in weights where w >= 1 { dyadCount += 1 }
        let fraction = scan.sentences.isEmpty ? 0 : Double(dyadCount) / Double(scan.sentences.count)
        let titleDyad = scan.sentences.indices.contains { scan.sentences[$0].isLead && weights[$0] >= 1 }
        // Relevance: part from a dyad headline, the rest from the share of dyad sentences (saturating).
        var relevance = (titleDyad ? headlineRelevance : 0) + (1 - headlineRelevance) * min(1, fraction / saturatingShare)
        if !isDyad { relevance = min(relevance, 0.49 * min(1, support / threshold)) }
        relevance = (relevance * 1000).rounded() / 1000
        if !isDyad { for k in weights.indices { weights[k] = 0 } }
        return Outcome(result: DyadResult(isDyad: isDyad, relevance: relevance,
                                          sentences: isDyad ? listed.map { scan.sentenceText($0) } : []),
                       sentenceWeights: weights)
    }

    /// A sentence without both actors that still speaks of their relationship: "the two countries",
    /// "ties", "两国", "стороны". Evaluative words alone ("warm", "strong") do not make it one.
    static func speaksOfARelationship(_ scan: ArticleScan, _ k: Int) -> Bool {
        scan.cues[scan.sentences[k].cues].contains { scan.category($0) == .relation }
    }

    static func hasRelationCue(_ scan: ArticleScan, _ k: Int) -> Bool {
        scan.cues[scan.sentences[k].cues].contains {
            let c = scan.category($0)
            return c == .relation || c == .stance || c == .appraisal || c == .aid || c == .arms
        }
    }

    /// True when China or Russia is named only inside a background clause ("… amid the
    /// Russia-Ukraine conflict"): the clause runs from the marker to the next comma or colon.
    /// One sweep over the sentence, so linear even for a huge unpunctuated "sentence".
    static func isBackdropOnly(_ scan: ArticleScan, _ k: Int) -> Bool {
        let s = scan.sentences[k]
        let markers = scan.cues[s.cues].filter { scan.category($0) == .backdrop }
        guard !markers.isEmpty else { return false }
        let f = scan.text.folded
        var sides: SideSet = []
        var pos = s.start
        var lastBreak = -1
        var m = 0
        var lastMarkerEnd = -1
        for h in scan.entityHits[s.entities] {
            while pos < h.start {
                if f[pos] == UInt8(ascii: ",") || f[pos] == UInt8(ascii: ":")
                    || (f[pos] == 0xEF && pos + 2 < f.count && f[pos + 1] == 0xBC && (f[pos + 2] == 0x8C || f[pos + 2] == 0x9A)) {
                    lastBreak = pos
                }
                pos += 1
            }
            while m < markers.count && markers[m].end <= h.start { lastMarkerEnd = markers[m].end; m += 1 }
            guard h.isActor else { continue }
            if !(lastMarkerEnd > lastBreak) { sides.insert(SideSet(h.side)) }
        }
        return !(sides.contains(.china) && sides.contains(.russia))
    }

    /// True when a partner is named in the sentence only as an envoy's posting ("Chinese ambassador
    /// to Russia attends…", "посол КНР в России", "中国驻俄罗斯大使出席…") or inside the name of the war
    /// ("Chinese expert: Russia-Ukraine conflict exposes…", "俄乌冲突", "российско-украинский кризис"),
    /// and nothing in the sentence makes it about the pair: a relationship word ("ties", "两国") for a
    /// posting; for the war's name also an evaluative or support word ("China supports Russia-Ukraine
    /// talks", "cooperate on the Russia-Ukraine conflict": a partner's position on the other's war).
    static func isPostingOrWarNameOnly(_ scan: ArticleScan, _ k: Int) -> Bool {
        let s = scan.sentences[k]
        var hasPosting = false
        for c in scan.cues[s.cues] where scan.category(c) == .posting { hasPosting = true; break }
        guard hasPosting || s.sides.contains(.ukraine) else { return false }
        var sides: SideSet = []
        var posted = false, warName = false
        for i in s.entities {
            let h = scan.entityHits[i]
            guard h.isActor else { continue }
            if h.side == .china || h.side == .russia {
                if hasPosting && isPosting(scan, h) { posted = true; continue }
                if h.side == .russia && isInWarName(scan, i) { warName = true; continue }
            }
            sides.insert(SideSet(h.side))
        }
        if sides.contains(.china) && sides.contains(.russia) { return false }
        guard posted || warName else { return false }
        for c in scan.cues[s.cues] {
            switch scan.category(c) {
            case .relation: return false
            case .stance, .appraisal, .aid, .arms, .rebuttal:     // weight 0 too: "supports Russia-Ukraine peace talks"
                if !posted { return false }
            default: continue
            }
        }
        return true
    }

    /// Whether a posting cue ends right before the mention ("ambassador to (the) Russia", "посол КНР
    /// в России") or the mention begins with it (驻俄, 驻华: the alias includes 驻); a mention inside
    /// the cue ("посол России в") is the envoy's own country.
    static func isPosting(_ scan: ArticleScan, _ h: EntityHit) -> Bool {
        let f = scan.text.folded
        for c in scan.cues[scan.sentences[h.sentence].cues] where scan.category(c) == .posting {
            if c.start > h.start { break }
            if h.start == c.start { return true }          // 驻俄: the alias begins with the cue
            if h.start < c.end { continue }                // "посол России в": the envoy's own country
            var i = c.end
            while i < h.start && f[i] == 0x20 { i += 1 }
            if i + 4 <= h.start && f[i..<(i + 4)].elementsEqual(ArticleScan.definiteArticle) { i += 4 }
            if i == h.start { return true }
        }
        return false
    }

    /// Whether a Russia mention is one half of the war's name: the same span as a Ukraine mention
    /// (俄乌) or joined to one by a hyphen, dash or slash only ("Russia-Ukraine", "Ukraine–Russia",
    /// "российско-украинский").
    static func isInWarName(_ scan: ArticleScan, _ i: Int) -> Bool {
        let s = scan.sentences[scan.entityHits[i].sentence]
        let h = scan.entityHits[i]
        let p = scan.text.original
        func dashOnly(_ from: Int, _ to: Int) -> Bool {
            guard to >= from, to - from <= 5 else { return false }
            var dash = false
            var j = from
            while j < to {
                if p[j] == UInt8(ascii: "-") || p[j] == UInt8(ascii: "/") { dash = true; j += 1 }
                else if p[j] == 0x20 { j += 1 }
                else if p[j] == 0xE2 && j + 2 < to && p[j + 1] == 0x80 && (p[j + 2] == 0x93 || p[j + 2] == 0x94) { dash = true; j += 3 }
                else { return false }
            }
            return dash
        }
        for j in stride(from: i - 1, through: i + 1, by: 2) where j >= s.entities.lowerBound && j < s.entities.upperBound {
            let o = scan.entityHits[j]
            guard o.side == .ukraine else { continue }
            if (o.start == h.start && o.end == h.end) || (j < i ? dashOnly(o.end, h.start) : dashOnly(h.end, o.start)) {
                return !namesTalks(scan, after: max(o.end, h.end), in: s)
            }
        }
        return false
    }

    /// Whether talks are named right after a compound ("Russia-Ukraine (peace) talks", "俄乌和谈",
    /// "российско-украинские переговоры"): talks between them, on which a partner takes a position
    /// as one party to another ("China welcomes Russia-Ukraine talks"), not the war's name.
    static func namesTalks(_ scan: ArticleScan, after end: Int, in s: SentenceInfo) -> Bool {
        let f = scan.text.folded
        for c in scan.cues[s.cues] where c.start >= end {
            if c.start - end > 32 { break }
            if scan.category(c) == .frame(.diplomacy) && CueContext.spaces(f, end, c.start) <= 2 { return true }
        }
        return false
    }

    /// True when the two partners are not a pair in this sentence: named as alternatives ("Russia
    /// or China"), or one of them only as an item of a list of at least `minimumListLength`
    /// countries joined by commas/"and" (`longListLength` when a relationship cue is present).
    static func isListOnly(_ scan: ArticleScan, _ k: Int) -> Bool {
        let s = scan.sentences[k]
        let hits = Array(scan.entityHits[s.entities])
        if isAlternativeOnly(scan, hits) { return true }
        if isEnumerationItemOnly(scan, k, hits) { return true }
        guard hits.count >= minimumListLength else { return false }
        let hasCue = hasRelationCue(scan, k)
        // Runs of consecutive mentions separated by list separators; each mention gets its run's length.
        var runLength = [Int](repeating: 1, count: hits.count)
        let folded = scan.text.folded, original = scan.text.original
        var runStart = 0
        for i in 1...hits.count where i == hits.count || !isListSeparator(folded, original, hits[i - 1].end, hits[i].start) {
            for m in runStart..<i { runLength[m] = i - runStart }
            runStart = i
        }
        // One partner named only as an item of a list ("visa-free entry for Russia, Brazil, the UK
        // and 51 more") is not in a relationship with the other.
        // A relationship cue keeps a short list a pair ("China's ties with Russia, Iran and Syria");
        // in a long one (a roll of countries) the partner is one of many.
        var outsideList: SideSet = []
        for (i, h) in hits.enumerated() where (h.side == .china || h.side == .russia) && h.isActor {
            if runLength[i] < minimumListLength || (hasCue && runLength[i] < longListLength) { outsideList.insert(SideSet(h.side)) }
        }
        return !(outsideList.contains(.china) && outsideList.contains(.russia))
    }

    /// "Russia or China", "России или Китая", "中国或俄罗斯": the two as alternatives (parallel
    /// cases), not as a pair — when every China and Russia mention of the sentence is joined so.
    static func isAlternativeOnly(_ scan: ArticleScan, _ hits: [EntityHit]) -> Bool {
        var joined = false
        for i in 1..<max(1, hits.count) {
            let a = hits[i - 1], b = hits[i]
            let pair = (a.side == .china && b.side == .russia) || (a.side == .russia && b.side == .china)
            if pair && isDisjunction(scan.text.folded, a.end, b.start) { joined = true; continue }
            if pair { return false }
        }
        return joined
    }

    /// 、 (the enumeration comma) a sentence needs to be read as a roll ("致贺的还有：挪威国王…、东帝汶总统…、…").
    static let minimumEnumerationCommas = 4

    /// One partner named only inside items of a long 、-enumeration (a roll of congratulators,
    /// countries, delegations) is one of many, not in a relationship with the other.
    static func isEnumerationItemOnly(_ scan: ArticleScan, _ k: Int, _ hits: [EntityHit]) -> Bool {
        let s = scan.sentences[k]
        let p = scan.text.original
        func isMark(_ i: Int, _ third: UInt8) -> Bool { p[i] == 0xE3 && p[i + 1] == 0x80 && p[i + 2] == third }
        var commas = 0
        var i = s.start
        while i + 2 < s.end { if isMark(i, 0x81) { commas += 1; i += 3 } else { i += 1 } }
        guard commas >= minimumEnumerationCommas else { return false }
        // Whether the segment holding the mention touches a 、 on either side.
        func inItem(_ h: EntityHit) -> Bool {
            func boundary(_ j: Int) -> UInt8? {     // 、 → 1, other clause punctuation → 0
                if j + 2 < p.count && isMark(j, 0x81) { return 1 }
                if j + 2 < p.count && (isMark(j, 0x82) || (p[j] == 0xEF && p[j + 1] == 0xBC && (p[j + 2] == 0x8C || p[j + 2] == 0x9A))) { return 0 }
                return nil
            }
            var a = h.start - 1
            while a >= s.start && h.start - a < 120 { if let b = boundary(a) { if b == 1 { return true }; break }; a -= 1 }
            var b = h.end
            while b < s.end && b - h.end < 120 { if let c = boundary(b) { return c == 1 }; b += 1 }
            return false
        }
        var outside: SideSet = []
        for h in hits where (h.side == .china || h.side == .russia) && h.isActor && !inItem(h) { outside.insert(SideSet(h.side)) }
        return !(outside.contains(.china) && outside.contains(.russia))
    }

    static let disjunctions: [[UInt8]] = ["or", "или", "либо", "或", "或者"].map { Array($0.utf8) }

    /// Whether the bytes between two mentions are only a disjunction (spaces and commas aside).
    static func isDisjunction(_ f: [UInt8], _ from: Int, _ to: Int) -> Bool {
        guard to > from, to - from <= 16 else { return false }
        var a = from, b = to
        while a < b && (f[a] == 0x20 || f[a] == UInt8(ascii: ",")) { a += 1 }
        while b > a && (f[b - 1] == 0x20 || f[b - 1] == UInt8(ascii: ",")) { b -= 1 }
        return disjunctions.contains { $0.count == b - a && f[a..<b].elementsEqual($0) }
    }

    /// Separator bytes allowed between list items: commas, spaces, "and"/"и"/"和"/"、".
    static let separatorWords: [[UInt8]] = ["and", "и", "和", "、", "及", "or"].map { Array($0.utf8) }

    static func isListSeparator(_ f: [UInt8], _ original: [UInt8], _ from: Int, _ to: Int) -> Bool {
        guard to >= from, to - from <= 8 else { return false }
        var i = from
        while i < to {
            let b = f[i]
            if original[i] == UInt8(ascii: "-") || original[i] == UInt8(ascii: "/") { return false }   // "China-U.S.-Russia": a compound
            if b == 0x20 || b == UInt8(ascii: ",") { i += 1; continue }
            if i + 2 < to + 1, f[i] == 0xEF, f[i + 1] == 0xBC, f[i + 2] == 0x8C { i += 3; continue } // ，
            guard let w = separatorWords.first(where: { i + $0.count <= to && f[i..<(i + $0.count)].elementsEqual($0) }) else { return false }
            i += w.count
        }
        return true
    }
}
