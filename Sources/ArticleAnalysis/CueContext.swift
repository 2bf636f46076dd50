/// The modifiers around one cue inside its sentence: negation, intensifiers, hedges, contrast,
/// quotation, denial/rebuttal/accusation. Shared by the stance and tone scorers.
struct CueContext {
    /// Furthest a negator may end before its cue, in bytes ("does not seek to deepen").
    static let negationWindowBytes = 24
    /// Most spaces (≈ words) allowed between negator and cue.
    static let negationWindowWords = 3
    /// Furthest an intensifier may end before its cue, in bytes.
    static let intensifierWindowBytes = 16
    /// Factor for cues before a contrast marker ("X, but Y": X counts less).
    static let beforeContrastFactor = 0.5
    /// Factor for cues after a contrast marker (Y counts more).
    static let afterContrastFactor = 1.3

    /// Factor for cues inside a concessive clause ("although X", "despite X").
    static let concessionFactor = 0.5
    /// Furthest a refusal may end before the cue it governs ("refuses to supply Russia with").
    static let refusalWindowBytes = 48
    static let refusalWindowWords = 6
    /// Damping of every cue of a question ("Is the partnership fraying?").
    static let questionFactor = 0.6
    /// Cue hits looked at on each side of a cue (bounds the work in huge unpunctuated "sentences").
    static let neighbourhood = 24
    /// Bytes looked back for an open quotation mark.
    static let quoteLookback = 160

    var negator: CueHit?
    /// A negator right after the cue, at most one word between ("Aggression never in our
    /// tradition", "Confrontation is not an option", "分歧不大", "разногласий нет"): the word is
    /// named to be denied.
    var negatedAfter = false
    /// A refusal governing the cue ("refuses to supply", "отказался поддержать", "拒绝支持").
    var refusal: CueHit?
    /// A denial or rejection governing the cue, like a refusal ("rejects US pressure to distance
    /// itself", "denies rift", "отвергает разговоры о расколе", "否认分歧"): a denied critical claim
    /// is a defence of the ties, a denied closeness is distancing.
    var denier: CueHit?
    /// An appraisal verb governing the cue ("praises China's neutral stance", "高度评价中方的客观公正
    /// 立场"): the cue is what is praised, not a verdict of its own.
    var appraiser: CueHit?
    /// The intensifier applied, if any (its span joins the evidence text).
    var intensifier: CueHit?
    var intensity = 1.0
    var hedge = 1.0
    var contrast = 1.0
    var concession = 1.0
    var quoted = false
    /// Only the cue itself is quoted ('threats'): distance from the word.
    var scareQuoted = false
    var denial = false
    var rebuttal = false
    var accusation = false
    var relation = false
    /// The cue is itself a rebuttal phrase ("drive a wedge", "sow discord", "挑拨离间"): it names the
    /// attack a defence answers, so denying or refusing it is still the defence ("rejects attempts
    /// to drive a wedge between them").
    var defence = false

    /// Context of `scan.cues[index]`; quotation is looked at only when `quotes` (stance needs it, tone not).
    init(scan: ArticleScan, index: Int, quotes: Bool = true) {
        let cue = scan.cues[index]
        let sentence = scan.sentences[cue.sentence]
        let f = scan.text.folded
        var lastContrast: CueHit?
        var concessionStart = -1
        let lo = max(sentence.cues.lowerBound, index - CueContext.neighbourhood)
        let hi = min(sentence.cues.upperBound, index + CueContext.neighbourhood + 1)
        for other in scan.cues[lo..<hi] {
            let weight = scan.weight(other)
            switch scan.category(other) {
            case .negator:
                if weight != 0 && other.end <= cue.start && cue.start - other.end <= CueContext.negationWindowBytes
                    && CueContext.spaces(f, other.end, cue.start) <= CueContext.negationWindowWords
                    && !CueContext.hasComma(f, other.end, cue.start) {
                    negator = other
                }
                if weight != 0 && other.start >= cue.end && other.start - cue.end <= CueContext.negationWindowBytes
                    && CueContext.spaces(f, cue.end, other.start) <= 2 && !CueContext.hasComma(f, cue.end, other.start) {
                    negatedAfter = true
                }
            case .intensifier:
                if other.end <= cue.start && cue.start - other.end <= CueContext.intensifierWindowBytes {
                    if weight > intensity { intensity = weight; intensifier = other }
                }
            case .refusal:
                if other.end <= cue.start && cue.start - other.end <= CueContext.refusalWindowBytes
                    && CueContext.spaces(f, other.end, cue.start) <= CueContext.refusalWindowWords
                    && !CueContext.hasComma(f, other.end, cue.start) {
                    refusal = other
                }
            case .appraisal:
                if other.end <= cue.start && cue.start - other.end <= CueContext.refusalWindowBytes
                    && CueContext.spaces(f, other.end, cue.start) <= CueContext.refusalWindowWords
                    && !CueContext.hasComma(f, other.end, cue.start) {
                    appraiser = other
                }
            case .hedge: hedge = min(hedge, weight)
            case .contrast: lastContrast = other
            case .concession:
                // Inside "despite X" the cue counts less; in the main clause after it, more
                // ("Despite the partnership, the bargaining will be hard": the point is the second half).
                if other.end <= cue.start {
                    concession = CueContext.hasComma(f, other.end, cue.start) ? CueContext.afterContrastFactor : CueContext.concessionFactor
                    concessionStart = other.start
                }
            case .denial:
                denial = true
                if other.end <= cue.start && cue.start - other.end <= CueContext.refusalWindowBytes
                    && CueContext.spaces(f, other.end, cue.start) <= CueContext.refusalWindowWords
                    && !CueContext.hasComma(f, other.end, cue.start) {
                    denier = other
                }
            case .rebuttal:
                rebuttal = true
                if other.start < cue.end && other.end > cue.start { defence = true }
            case .accusation: accusation = true
            case .relation: relation = true
            default: break
            }
        }
        if let c = lastContrast {
            // A contrast marker between negator and cue ends the negation's scope.
            if let n = negator, n.end <= c.start && c.start < cue.start { negator = nil }
            if let d = denier, d.end <= c.start && c.start < cue.start { denier = nil }
            if let a = appraiser, a.end <= c.start && c.start < cue.start { appraiser = nil }
            contrast = cue.start < c.start ? CueContext.beforeContrastFactor : CueContext.afterContrastFactor
            // "although X, but Y": the contrast decides. A contrast before the concession ("However,
            // despite X, Y" — it links to the previous sentence) leaves the concession in force.
            if concessionStart < 0 || c.start > concessionStart { concession = 1 }
        }
        if scan.isQuestion(cue.sentence) { hedge = min(hedge, CueContext.questionFactor) }
        guard quotes else { return }
        scareQuoted = CueContext.isScareQuoted(scan.text.original, cue.start, cue.end)
        quoted = CueContext.insideQuotes(scan.text.original, from: max(sentence.start, cue.start - CueContext.quoteLookback), to: cue.start)
    }

    /// Whether a quotation mark opens right before the position (the cue starts a quoted phrase).
    static func opensQuote(_ p: [UInt8], _ start: Int) -> Bool {
        if start >= 1 && (p[start - 1] == 0x22 || p[start - 1] == 0x27) { return true }
        if start >= 3 && p[start - 3] == 0xE2 && p[start - 2] == 0x80 && (p[start - 1] == 0x9C || p[start - 1] == 0x98) { return true }
        return start >= 2 && p[start - 2] == 0xC2 && p[start - 1] == 0xAB
    }

    /// Whether a quotation mark sits right before and right after the range.
    static func isScareQuoted(_ p: [UInt8], _ start: Int, _ end: Int) -> Bool {
        func quoteEnds(at i: Int) -> Bool {        // a quote mark ending at byte i
            if i >= 1 && (p[i - 1] == 0x22 || p[i - 1] == 0x27) { return true }
            if i >= 3 && p[i - 3] == 0xE2 && p[i - 2] == 0x80 && (p[i - 1] == 0x9C || p[i - 1] == 0x98) { return true }
            if i >= 2 && p[i - 2] == 0xC2 && p[i - 1] == 0xAB { return true }
            return false
        }
        func quoteStarts(at i: Int) -> Bool {
            if i < p.count && (p[i] == 0x22 || p[i] == 0x27) { return true }
            if i + 2 < p.count && p[i] == 0xE2 && p[i + 1] == 0x80 && (p[i + 2] == 0x9D || p[i + 2] == 0x99) { return true }
            if i + 1 < p.count && p[i] == 0xC2 && p[i + 1] == 0xBB { return true }
            return false
        }
        return quoteEnds(at: start) && quoteStarts(at: end)
    }

    /// Whether a comma (ASCII or full-width) separates the two positions: the end of a clause.
    static func hasComma(_ f: [UInt8], _ from: Int, _ to: Int) -> Bool {
        var i = from
        while i < to {
            if f[i] == UInt8(ascii: ",") { return true }
            if f[i] == 0xEF && i + 2 < to && f[i + 1] == 0xBC && f[i + 2] == 0x8C { return true }
            i += 1
        }
        return false
    }

    static func spaces(_ f: [UInt8], _ from: Int, _ to: Int) -> Int {
        var n = 0
        for i in from..<to where f[i] == 0x20 { n += 1 }
        return n
    }

    /// Whether an odd number of quotation marks (" “ ” « » 「 」 ‘) precede the position in its sentence.
    /// Closing marks ” » 」 ’ are counted only as closers, so apostrophes do not confuse it.
    static func insideQuotes(_ p: [UInt8], from: Int, to: Int) -> Bool {
        var depth = 0
        var straight = false
        var i = from
        while i < to {
            let b = p[i]
            if b == 0x22 { straight.toggle() }
            else if b == 0xE2 && i + 2 < p.count && p[i + 1] == 0x80 {
                switch p[i + 2] {
                case 0x9C, 0x98: depth += 1                 // “ ‘
                case 0x9D: depth = max(0, depth - 1)        // ”
                case 0x99:                                  // ’ closes only an open ‘ and only before a non-letter
                    if depth > 0 && !(i + 3 < p.count && ByteClass.isWordLead[Int(p[i + 3])]) { depth -= 1 }
                default: break
                }
            } else if b == 0xC2 && i + 1 < p.count {
                if p[i + 1] == 0xAB { depth += 1 } else if p[i + 1] == 0xBB { depth = max(0, depth - 1) }
            } else if b == 0xE3 && i + 2 < p.count && p[i + 1] == 0x80 {
                if p[i + 2] == 0x8C || p[i + 2] == 0x8E { depth += 1 }
                else if p[i + 2] == 0x8D || p[i + 2] == 0x8F { depth = max(0, depth - 1) }
            }
            i += 1
        }
        return depth > 0 || straight
    }
}
