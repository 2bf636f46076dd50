/// What an evaluative cue is aimed at, read from the words right after it and around it: a third
/// party's line or measure, one partner alone, or another evaluative word.
///
/// - A critical verb whose direct object is a third party ("denounces Pelosi's visit", "slams US
///   sanctions") is that party's affair unless the pair itself holds it ("China-Russia axis
///   threatens the West" stays critical).
/// - A measure aimed at one partner by someone else ("resolution to suspend Russia", "move to
///   isolate Russia") is critical of the ties only when the other partner carries it out or is
///   named after it as its reason ("sanctions China over Russia ties").
/// - A refusal whose object is a third party's line or measure concerning the other partner
///   ("refuses to join Western sanctions against Moscow") stands by the partner; held by a third
///   party ("Modi refuses to toe the US line on Russia, China") it says nothing about the pair.
/// - A positive word next to a critical one takes its sign: "asymmetry deepens", "deepening
///   mistrust", "the limits of the partnership", "dependence rather than partnership" — the
///   growth verb or the named relationship is what the critical word is about.
extension ArticleScan {
    /// The actor right after a cue (spaces and "the" aside): its direct object. Index into `entityHits`.
    func directObject(of cue: CueHit) -> Int? {
        let s = sentences[cue.sentence]
        let f = text.folded
        var i = cue.end
        while i < s.end && f[i] == 0x20 { i += 1 }
        if i + 4 <= s.end && f[i..<(i + 4)].elementsEqual(ArticleScan.definiteArticle) { i += 4 }
        let k = firstEntity(atOrAfter: i, in: s)
        guard k < s.entities.upperBound, entityHits[k].start == i, entityHits[k].isActor else { return nil }
        return k
    }

    /// Sides of the object group of a cue: the actors named inside it ("supports Russia") or right
    /// after it, with those joined to them ("backs Russia and Belarus"). Nil when there is none.
    func objectSides(of cue: CueHit) -> SideSet? {
        let s = sentences[cue.sentence]
        var k = firstEntity(atOrAfter: cue.start, in: s)
        while k < s.entities.upperBound && entityHits[k].end <= cue.end && !entityHits[k].isActor { k += 1 }
        if !(k < s.entities.upperBound && entityHits[k].end <= cue.end && entityHits[k].start > cue.start) {
            guard let d = directObject(of: cue) else { return nil }
            k = d
        }
        var sides = SideSet(entityHits[k].side)
        while k + 1 < s.entities.upperBound && entityHits[k + 1].isActor && joined(entityHits[k], entityHits[k + 1]) {
            k += 1
            sides.insert(SideSet(entityHits[k].side))
        }
        return sides
    }

    /// Support one partner gives the other by name ("Russia backs China's position", "Китай
    /// поддерживает Россию", "俄方支持中方"): its holder group holds one partner and its object is
    /// the other alone — a statement of one about the other, supportive of the ties.
    func isSupportForThePartner(_ cue: CueHit) -> Bool {
        let holder = holderSides(of: cue).intersection([.china, .russia])
        guard holder == .china || holder == .russia, let object = objectSides(of: cue) else { return false }
        return object == (holder == .china ? .russia : .china)
    }

    /// A critical verb aimed straight at a third party ("denounces Pelosi's visit") whose holder
    /// is not the pair: a partner's (or someone's) quarrel with that party.
    func isAimedAtThirdPartyObject(_ cue: CueHit) -> Bool {
        guard let k = directObject(of: cue) else { return false }
        let side = entityHits[k].side
        guard side != .china && side != .russia else { return false }
        return !holderSides(of: cue).isSuperset(of: [.china, .russia])
    }

    /// A critical measure whose direct object is one partner ("suspend Russia", "isolate Russia")
    /// when the other partner neither holds it nor is named after it in its clause.
    func isMeasureOnOnePartner(_ cue: CueHit) -> Bool {
        guard let k = directObject(of: cue) else { return false }
        let target = entityHits[k].side
        guard target == .china || target == .russia else { return false }
        let other: SideSet = target == .china ? .russia : .china
        if holderSides(of: cue).contains(other) { return false }
        let s = sentences[cue.sentence]
        let clause = clauseBounds(cue)
        var i = k + 1
        while i < s.entities.upperBound && entityHits[i].start < clause.end {
            if entityHits[i].isActor && SideSet(entityHits[i].side) == other { return false }
            i += 1
        }
        return true
    }

    /// The first actor governed by a refusal (within its word window, before a comma), when it is a
    /// third party and the other partner is named after it in the sentence: the refused thing is
    /// that party's line or measure about the partner. Returns nil when the refusal aims elsewhere.
    func refusalAimsAtThirdParty(_ cue: CueHit) -> Bool {
        let s = sentences[cue.sentence]
        let f = text.folded
        var i = firstEntity(atOrAfter: cue.end, in: s)
        while i < s.entities.upperBound && !entityHits[i].isActor { i += 1 }
        guard i < s.entities.upperBound else { return false }
        let h = entityHits[i]
        guard h.start - cue.end <= 2 * CueContext.refusalWindowBytes,     // Cyrillic: two bytes a letter
              CueContext.spaces(f, cue.end, h.start) <= CueContext.refusalWindowWords,
              !CueContext.hasComma(f, cue.end, h.start),
              h.side != .china && h.side != .russia else { return false }
        var j = i + 1
        while j < s.entities.upperBound {
            if entityHits[j].isActor && (entityHits[j].side == .china || entityHits[j].side == .russia) { return true }
            j += 1
        }
        return false
    }

    /// Words allowed between a refusal and the sanctions it refuses ("refuses to impose sanctions").
    static let sanctionsReachWords = 2

    /// A refusal of sanctions ("refuses to impose sanctions on Russia", "отказался вводить санкции",
    /// "拒绝对俄实施单边制裁"): a `frame.sanctions` word at most two words after it, before a comma —
    /// a measure against the partner refused, standing by it.
    func refusesSanctions(_ cue: CueHit) -> Bool {
        let f = text.folded
        for c in cues[sentences[cue.sentence].cues] where c.start >= cue.end && c.start - cue.end <= CueContext.refusalWindowBytes {
            guard category(c) == .frame(.sanctions) else { continue }
            return CueContext.spaces(f, cue.end, c.start) <= ArticleScan.sanctionsReachWords && !CueContext.hasComma(f, cue.end, c.start)
        }
        return false
    }

    /// A clause that names no actor at all ("'stupid, dangerous gambling'") continues the clause
    /// before it: when that one names a third party and neither partner, the cue is about the third party.
    func followsThirdPartyClause(_ cue: CueHit) -> Bool {
        let s = sentences[cue.sentence]
        let clause = clauseBounds(cue)
        var i = firstEntity(atOrAfter: clause.start, in: s)
        while i < s.entities.upperBound && entityHits[i].start < clause.end {
            if entityHits[i].isActor { return false }          // the clause has its own actors
            i += 1
        }
        guard clause.start > s.start else { return false }
        let previous = clauseBounds(CueHit(cue: cue.cue, start: clause.start - 1, end: clause.start - 1, sentence: cue.sentence))
        var thirdParty = false
        i = firstEntity(atOrAfter: previous.start, in: s)
        while i < s.entities.upperBound && entityHits[i].start < clause.start {
            let h = entityHits[i]
            if h.isActor {
                if h.side == .china || h.side == .russia { return false }
                thirdParty = true
            }
            i += 1
        }
        return thirdParty
    }

    /// Words (outside actor names) allowed between a positive cue and the critical cue it is about.
    static let adjacencyWords = 1

    /// The critical stance cue a positive stance cue stands next to a critical stance cue in its clause (at most
    /// one other word between, not counting actor names; no comma, contrast, concession or
    /// backdrop between): "asymmetry deepens", "deepening mistrust", "limits of the partnership".
    func criticalWordAbout(_ index: Int) -> CueHit? {
        let cue = cues[index]
        let s = sentences[cue.sentence]
        let lo = max(s.cues.lowerBound, index - CueContext.neighbourhood)
        let hi = min(s.cues.upperBound, index + CueContext.neighbourhood + 1)
        for j in lo..<hi where j != index {
            let other = cues[j]
            guard category(other) == .stance, weight(other) < 0,
                  !aimedAtThirdParty(other), !isAimedAtThirdPartyObject(other) else { continue }
            let (a, b) = other.end <= cue.start ? (other.end, cue.start) : (cue.end, other.start)
            guard a <= b, b - a <= 40, !CueContext.hasComma(text.folded, a, b) else { continue }
            if cues[lo..<hi].contains(where: {
                let c = category($0)
                return (c == .contrast || c == .concession || c == .backdrop) && $0.start >= a && $0.end <= b
            }) { continue }
            if wordsOutsideActors(a, b, in: s) <= ArticleScan.adjacencyWords { return other }
        }
        return nil
    }

    /// Words between two positions that are not part of an actor's name.
    func wordsOutsideActors(_ a: Int, _ b: Int, in s: SentenceInfo) -> Int {
        let f = text.folded
        var words = 0
        var inWord = false
        var k = firstEntity(atOrAfter: a, in: s)
        var i = a
        while i < b {
            if k < s.entities.upperBound && entityHits[k].start == i {
                i = max(i + 1, entityHits[k].end); k += 1; inWord = false; continue
            }
            if k < s.entities.upperBound && entityHits[k].start < i { k += 1; continue }
            if f[i] >= 0xE3 && f[i] <= 0xE9 {                     // a CJK character is a word of its own
                words += 1; inWord = false; i += 3; continue
            }
            let isSpace = f[i] == 0x20
            if !isSpace && !inWord { words += 1 }
            inWord = !isSpace
            i += 1
        }
        return words
    }
}
