import DyadCore

/// Who holds a cue and whom it is aimed at, read from the actors around it in its clause.
///
/// The *holder* of an evaluative word is its subject: the group of actors named last before it in
/// its clause, joined by a comma, a hyphen, "and"/"и"/"和"/"、" ("China, U.S. need to cooperate",
/// "Xi-Johnson talks stress cooperation", "中美需要合作"), or the agent after "from"/"by"
/// ("receives praise from the Philippine FM"). A relationship word whose holder group joins one
/// partner with a third party speaks of another relationship (China–US cooperation); praise held
/// by third parties alone is their own view of something else (praise for a girl's essay) —
/// neither says anything about the China–Russia ties.
extension ArticleScan {
    /// Clause around a byte range: up to commas (not those of a list of actors), colons, semicolons
    /// (ASCII or full-width) or the sentence edge, at most `clauseScanLimit` bytes each way.
    func clauseBounds(_ cue: CueHit) -> (start: Int, end: Int) {
        let s = sentences[cue.sentence]
        let f = text.folded
        func isBreak(_ i: Int) -> Bool {
            let b = f[i]
            if b == UInt8(ascii: ",") { return !isListComma(i, in: s) }
            if b == UInt8(ascii: ":") || b == UInt8(ascii: ";") { return true }
            return b == 0xEF && i + 2 < f.count && f[i + 1] == 0xBC && (f[i + 2] == 0x8C || f[i + 2] == 0x9A || f[i + 2] == 0x9B)
        }
        var a = cue.start
        while a > s.start && cue.start - a < ArticleScan.clauseScanLimit && !isBreak(a - 1) { a -= 1 }
        var b = cue.end
        while b < s.end && b - cue.end < ArticleScan.clauseScanLimit && !isBreak(b) { b += 1 }
        return (a, b)
    }

    /// Words that join two actors into one group (besides commas, hyphens and slashes).
    static let actorJoiners: [[UInt8]] = ["and", "&", "и", "和", "与", "同", "、", "及"].map { Array($0.utf8) }

    /// Whether two actor mentions, in this order, form one group: the same span (中俄 names both),
    /// adjacent CJK names (中美), or only joiners between them ("China, U.S.", "Xi-Johnson",
    /// "Russia and Iran") — a bare space ("tells Biden China will…") does not join.
    func joined(_ a: EntityHit, _ b: EntityHit) -> Bool {
        if b.start <= a.end { return true }
        guard b.start - a.end <= 8 else { return false }
        let p = text.original, f = text.folded
        var i = a.end
        var sawJoiner = false
        while i < b.start {
            let c = p[i]
            if c == 0x20 { i += 1; continue }
            if c == UInt8(ascii: ",") || c == UInt8(ascii: "-") || c == UInt8(ascii: "/") { sawJoiner = true; i += 1; continue }
            if c == 0xE2 && i + 2 < b.start && p[i + 1] == 0x80 && (p[i + 2] == 0x93 || p[i + 2] == 0x94) { sawJoiner = true; i += 3; continue } // – —
            if c == 0xEF && i + 2 < b.start && p[i + 1] == 0xBC && p[i + 2] == 0x8C { sawJoiner = true; i += 3; continue }              // ，
            guard let w = ArticleScan.actorJoiners.first(where: { i + $0.count <= b.start && f[i..<(i + $0.count)].elementsEqual($0) }) else { return false }
            sawJoiner = true
            i += w.count
        }
        return sawJoiner
    }

    /// Sides of the holder group of a cue: the agent after "from"/"by" when there is one, else
    /// the actors named last before the cue in its clause with those joined to them. Empty when
    /// the clause names no actor before the cue.
    func holderSides(of cue: CueHit) -> SideSet {
        if let agent = agentAfter(cue) { return agent }
        let s = sentences[cue.sentence]
        let clause = clauseBounds(cue)
        var i = firstEntity(atOrAfter: cue.start, in: s) - 1
        while i >= s.entities.lowerBound && (!entityHits[i].isActor || entityHits[i].end > cue.start) {
            if entityHits[i].start < clause.start { return [] }
            i -= 1
        }
        guard i >= s.entities.lowerBound, entityHits[i].start >= clause.start else { return [] }
        var sides = SideSet(entityHits[i].side)
        var last = entityHits[i]
        var j = i - 1
        while j >= s.entities.lowerBound && entityHits[j].start >= clause.start {
            let h = entityHits[j]
            j -= 1
            guard h.isActor else { continue }
            guard joined(h, last) else { break }
            sides.insert(SideSet(h.side))
            last = h
        }
        return sides
    }

    /// "from"/"by" (and "the") right after a cue, then an actor: the agent of a nominal or passive
    /// evaluation ("praise from the US", "hailed by Moscow"). Returns the agent group's sides.
    func agentAfter(_ cue: CueHit) -> SideSet? {
        let s = sentences[cue.sentence]
        let f = text.folded
        var i = cue.end
        while i < s.end && f[i] == 0x20 { i += 1 }
        guard let p = ArticleScan.agentPrepositions.first(where: { i + $0.count <= s.end && f[i..<(i + $0.count)].elementsEqual($0) }) else { return nil }
        i += p.count
        if i + 4 <= s.end && f[i..<(i + 4)].elementsEqual(ArticleScan.definiteArticle) { i += 4 }
        var k = firstEntity(atOrAfter: i, in: s)
        guard k < s.entities.upperBound, entityHits[k].start == i, entityHits[k].isActor else { return nil }
        var sides = SideSet(entityHits[k].side)
        while k + 1 < s.entities.upperBound && joined(entityHits[k], entityHits[k + 1]) {
            k += 1
            if entityHits[k].isActor { sides.insert(SideSet(entityHits[k].side)) }
        }
        return sides
    }

    /// Whether the partner missing from a mixed holder group is named after the cue in its clause
    /// as the one it is done with ("Russia, Belarus deepen ties with China", "Россия и Белоруссия
    /// укрепляют связи с Китаем"): then the relationship word does concern the pair.
    func namesOtherPartnerWith(_ cue: CueHit, holder: SideSet) -> Bool {
        let other: Side = holder.contains(.china) ? .russia : .china
        let s = sentences[cue.sentence]
        let clause = clauseBounds(cue)
        let f = text.folded
        var i = firstEntity(atOrAfter: cue.end, in: s)
        while i < s.entities.upperBound && entityHits[i].start < clause.end {
            let h = entityHits[i]
            i += 1
            guard h.isActor && h.side == other else { continue }
            var a = h.start
            if a >= 4 && f[(a - 4)..<a].elementsEqual(ArticleScan.definiteArticle) { a -= 4 }
            if ArticleScan.withPrepositions.contains(where: { a >= $0.count && f[(a - $0.count)..<a].elementsEqual($0) }) { return true }
        }
        return false
    }

    /// "with", "с", "со" followed by a space, folded.
    static let withPrepositions: [[UInt8]] = [" with ", " с ", " со "].map { Array($0.utf8) }

    static let agentPrepositions: [[UInt8]] = ["from ", "by "].map { Array($0.utf8) }

    /// Whether praise or support is someone else's: held by third parties alone ("praise from the
    /// Philippine FM"), or by a partner speaking together with its adversary in the war ("Both
    /// Russia, Ukraine praise China's fair stance": the warring sides on a mediator). A partner
    /// listed among other supporters ("countries including Russia and Iran voice support") holds it.
    static func isOtherAppraiser(_ sides: SideSet) -> Bool {
        if sides.isEmpty { return false }
        if sides.isDisjoint(with: [.china, .russia]) { return true }
        return sides.contains(.ukraine) && !sides.isSuperset(of: [.china, .russia])
    }

    /// Whether a holder group joins one partner with a third party ("China, US", "Moscow and
    /// Kyiv"): what they do together is that pair's affair, friendly or not.
    static func isMixedHolder(_ sides: SideSet) -> Bool {
        let partners = sides.intersection([.china, .russia])
        return partners.rawValue.nonzeroBitCount == 1 && !sides.subtracting([.china, .russia]).isEmpty
    }
}
