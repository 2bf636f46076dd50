import Foundation
import DyadCore

/// Stance toward the China–Russia relationship from the stance and aid cues of the sentences that
/// speak about it (dyad sentences fully, relation-only sentences partly), with modifiers applied.
enum StanceScorer {
    /// Extra weight of the headline (it states the article's point).
    static let titleFactor = 1.5
    /// Negated cue: sign flips and the cue weakens ("not a threat" is weaker than "a partner").
    static let negationFactor = 0.8
    /// Cue inside quotation marks without a rebuttal: reported speech, partly endorsed.
    static let quoteFactor = 0.8
    /// A critical cue in a sentence that dismisses critics (smear, hype) defends the relationship at
    /// this strength; at full strength when the sentence names "the ties" being defended.
    static let rebuttalFlipFactor = 0.4
    /// An aid claim that is denied, rebuffed or condemned signals distancing/threat at this strength.
    static let contestedAidFactor = 1.2
    /// Uncontested support of one partner for the other named as its object: a stance of its own.
    static let partnerSupportWeight = 0.8
    /// A sentence's cue sum is mapped to its score by tanh(sum / sentenceScale): one sentence,
    /// however many cues it stacks, moves the article by at most its relevance weight.
    static let sentenceScale = 1.0
    /// Relevance mass added to the denominator of the article mean: a single weakly evaluative
    /// sentence does not reach the full score of its cue (a prior toward neutral).
    static let priorMass = 0.5
    /// |score| at or above which the label is supportive/critical.
    static let labelThreshold = 0.3
    /// Confidence = base + share × margin from the decision boundary + share × agreement between
    /// the evaluative sentences × how much of the article evaluates the pair.
    static let confidenceBase = 0.3
    static let confidenceMarginShare = 0.35
    static let confidenceAgreementShare = 0.35
    /// Relevance mass of evaluative sentences at which the coverage part of confidence is full.
    static let massForFullCoverage = 2.0
    /// Evidence collected before the strongest are kept (bounds memory on huge input).
    static let maxCollected = 10_000

    static func score(_ scan: ArticleScan, dyad: DyadDetector.Outcome) -> StanceResult {
        guard dyad.result.isDyad else {
            return StanceResult(label: .neutral, score: 0, confidence: 0, evidence: [])
        }
        var weightedSum = 0.0      // Σ relevance × sentence score
        var absoluteSum = 0.0      // Σ relevance × |sentence score|
        var mass = 0.0             // Σ relevance of evaluative sentences
        var evidence: [Evidence] = []
        for (k, sentence) in scan.sentences.enumerated() {
            let sentenceWeight = dyad.weight(of: k) * (sentence.isLead ? titleFactor : 1)
            if sentenceWeight == 0 { continue }
            var sentenceSum = 0.0
            let evidenceStart = evidence.count
            let reproachEnd = thirdPartyReproachEnd(scan, sentence)
            let cues = scan.cues[sentence.cues]
            let hasStanceCue = cues.prefix(CueContext.neighbourhood * 4).contains {
                let c = scan.category($0); return ((c == .stance || c == .appraisal) && scan.weight($0) != 0) || c == .aid || c == .arms || c == .refusal
            }
            // End of the clause of a partner's critical verb aimed at a third party ("China slams US
            // sanctions … as bullying"): the critical words up to it describe that party.
            var counterEnd = -1
            for index in sentence.cues {
                let cue = scan.cues[index]
                let category = scan.category(cue)
                guard category == .stance || category == .appraisal || category == .aid || category == .arms || category == .rebuttal
                        || category == .refusal || category == .reproach else { continue }
                let info = scan.cueInfo(cue)
                var w: Double
                var start = cue.start
                let ctx = CueContext(scan: scan, index: index)
                switch category {
                case .stance, .appraisal:
                    guard scan.pairActorInClause(cue), !scan.followsThirdPartyClause(cue) else { continue }
                    if info.weight < 0 {
                        if scan.aimedAtThirdParty(cue) || scan.isMeasureOnOnePartner(cue) || cue.start < counterEnd { continue }
                        if ctx.appraiser != nil { continue }     // what is praised: "praises China's neutral stance"
                        if ctx.negatedAfter { continue }          // "Aggression never in our tradition"
                        if scan.isAimedAtThirdPartyObject(cue) {
                            // A partner's criticism of a third party in a sentence about the pair
                            // ("China slams US sanctions on its firms over Russia ties") defends the
                            // ties; anyone else's is that party's affair. Either way its clause is.
                            counterEnd = scan.clauseBounds(cue).end
                            let holder = scan.holderSides(of: cue)
                            guard !holder.isEmpty, holder.isSubset(of: [.china, .russia]) else { continue }
                            w = abs(info.weight) * (ctx.relation ? 1 : rebuttalFlipFactor)
                            break
                        }
                    }
                    // Holder: a relationship word whose subject joins a partner with a third party
                    // ("China, U.S. need to cooperate") is about that other pair; praise held by a
                    // third party alone ("praise from the Philippine FM") is that party's view.
                    // (A third party alone may hold a defence: "US sows discord between China, Russia".)
                    let holder = scan.holderSides(of: cue)
                    if category == .appraisal ? ArticleScan.isOtherAppraiser(holder)
                        : ArticleScan.isMixedHolder(holder) && !scan.namesOtherPartnerWith(cue, holder: holder) { continue }
                    w = info.weight
                    // A growth verb or the relationship's name next to a critical word is about
                    // that word: "asymmetry deepens", "the limits of the partnership". When that
                    // word is itself negated ("no-limits friendship"), the negation is its own.
                    var negator = ctx.negator
                    if w > 0 && category == .stance, let critical = scan.criticalWordAbout(index) {
                        if let n = negator, n.end <= critical.start { negator = nil } else { w = -w }
                    }
                    if ctx.defence && w > 0 { /* "rejects attempts to drive a wedge": still the defence */ }
                    else if let n = negator { w = -w * negationFactor; start = n.start }
                    else if let r = ctx.refusal { w = -w * negationFactor; start = r.start }   // "refuses to condemn"
                    else if let d = ctx.denier { w = -w * negationFactor; start = d.start }    // "denies rift", "rejects pressure to distance"
                    // What a third party warns of is portrayed as a threat: "US warns of deepening
                    // China–Russia coordination" is critical of the coordination.
                    if w > 0, let end = reproachEnd, cue.start >= end { w = -w }
                    if w < 0 && ctx.rebuttal { w = abs(w) * (ctx.relation ? 1 : rebuttalFlipFactor) }
                case .aid:
                    w = info.weight
                    if ctx.denial || ctx.rebuttal || ctx.accusation || ctx.negator != nil || ctx.refusal != nil {
                        w = -abs(w) * contestedAidFactor
                        if let n = ctx.negator ?? ctx.refusal { start = n.start }
                    } else if scan.isSupportForThePartner(cue) {
                        w = max(w, partnerSupportWeight)      // "Russia backs China's position on Taiwan"
                    }
                case .arms:
                    guard ctx.denial || ctx.rebuttal || ctx.accusation || ctx.negator != nil || ctx.refusal != nil else { continue }
                    w = -abs(info.weight) * contestedAidFactor
                    if let n = ctx.negator ?? ctx.refusal { start = n.start }
                case .refusal:
                    // "Beijing refuses Moscow's request", "отказался", "拒绝": distancing, unless the
                    // refusal governs another cue (then that cue carries it, flipped).
                    guard scan.pairActorInClause(cue), !governsCue(scan, index, in: sentence) else { continue }
                    // Who refuses: a third party's refusal ("Modi refuses to toe the US line on
                    // Russia, China") is no distancing between the partners.
                    let holder = scan.holderSides(of: cue)
                    if !holder.isEmpty && holder.isDisjoint(with: [.china, .russia]) { continue }
                    let aimsAtThirdParty = scan.refusalAimsAtThirdParty(cue) || scan.refusesSanctions(cue)
                    // Both partners refusing together ("China and Russia refuse to bow to pressure")
                    // are not refusing each other.
                    if holder.isSuperset(of: [.china, .russia]) && !aimsAtThirdParty { continue }
                    w = info.weight
                    // Refusing a third party's line or measure about the other partner ("refuses to
                    // join Western sanctions against Moscow") is standing by the partner.
                    if aimsAtThirdParty { w = abs(w) * negationFactor }
                case .reproach:
                    // Attribution: a third party warning, accusing or condemning in a sentence about the
                    // pair, with no evaluative cue of its own ("US officials warn of Beijing–Moscow
                    // coordination", "Запад критикует…", "美方指责…"), portrays the ties as a threat.
                    guard !hasStanceCue, reproachEnd == cue.end else { continue }
                    // A reproach the sentence dismisses ("irresponsible remarks after X warns…") is
                    // not endorsed: no verdict on the ties.
                    if ctx.rebuttal { continue }
                    w = info.weight
                case .rebuttal:
                    // Critics of "the ties" dismissed, with no stance cue of its own: a defence.
                    guard ctx.relation && !hasStanceCue else { continue }
                    w = info.weight
                default:
                    continue
                }
                if let i = ctx.intensifier { start = min(start, i.start) }
                w *= ctx.intensity * ctx.hedge * ctx.contrast * ctx.concession
                if w > 0 && CueContext.opensQuote(scan.text.original, cue.start) && hasCriticalCue(scan, sentence) {
                    // A supportive slogan quoted against a critical word ("the 'no limits' friendship
                    // has limits", "дружба «без пределов» оказалась с пределами") is not endorsed.
                    continue
                } else if ctx.scareQuoted && w < 0 && info.category != .aid {
                    // 'threats' in scare quotes: the claim is not endorsed. (A scare-quoted “supporting”
                    // stays critical: the outlet disputes that support is given.)
                    w = abs(w) * rebuttalFlipFactor
                } else if ctx.quoted && !ctx.rebuttal {
                    w *= quoteFactor
                }
                sentenceSum += w
                if evidence.count < maxCollected {
                    evidence.append(scan.evidence(start: start, end: cue.end, cue: info.phrase, weight: w * sentenceWeight, sentence: k))
                }
            }
            guard evidence.count > evidenceStart else { continue }
            let sentenceScore = tanh(sentenceSum / sentenceScale)
            weightedSum += sentenceWeight * sentenceScore
            absoluteSum += sentenceWeight * abs(sentenceScore)
            mass += sentenceWeight
        }
        let score = mass > 0 ? weightedSum / (mass + priorMass) : 0
        let label: StanceLabel = score >= labelThreshold ? .supportive : score <= -labelThreshold ? .critical : .neutral
        // Confidence: distance from the nearest decision boundary, plus agreement between the
        // evaluative sentences (1 when all point the same way) scaled by how much of the article evaluates.
        let margin = label == .neutral ? (labelThreshold - abs(score)) / labelThreshold : (abs(score) - labelThreshold) / (1 - labelThreshold)
        let agreement = absoluteSum > 0 ? abs(weightedSum) / absoluteSum : (label == .neutral ? 1 : 0)
        let coverage = min(1, mass / massForFullCoverage)
        let confidence = min(1, confidenceBase + confidenceMarginShare * margin + confidenceAgreementShare * agreement * max(coverage, label == .neutral && mass == 0 ? 0.5 : 0))
        evidence.sort { abs($0.weight) > abs($1.weight) }
        if evidence.count > Limits.maxStanceEvidence { evidence.removeLast(evidence.count - Limits.maxStanceEvidence) }
        evidence.sort { $0.start < $1.start }
        return StanceResult(label: label, score: (score * 1000).rounded() / 1000,
                            confidence: (confidence * 1000).rounded() / 1000, evidence: evidence)
    }

    /// Whether the sentence has a critical stance word of its own.
    static func hasCriticalCue(_ scan: ArticleScan, _ sentence: SentenceInfo) -> Bool {
        scan.cues[sentence.cues].contains { scan.category($0) == .stance && scan.weight($0) < 0 }
    }

    /// Whether a refusal cue is followed, within its reach, by a stance/aid/arms cue it governs
    /// (or overlaps one: "refuses to support" is itself a critical stance cue).
    static func governsCue(_ scan: ArticleScan, _ index: Int, in sentence: SentenceInfo) -> Bool {
        let r = scan.cues[index]
        let f = scan.text.folded
        for other in scan.cues[sentence.cues] where other.start < r.end + CueContext.refusalWindowBytes {
            let c = scan.category(other)
            guard c == .stance || c == .appraisal || c == .aid || c == .arms else { continue }
            if other.end > r.start && other.start < r.end { return true }
            if other.start >= r.end && CueContext.spaces(f, r.end, other.start) <= CueContext.refusalWindowWords
                && !CueContext.hasComma(f, r.end, other.start) { return true }
        }
        return false
    }

    /// End of the first reproach verb of the sentence whose speaker is a third party (attribution),
    /// or nil: "US officials warn …", "НАТО критикует …", "美国官员警告 …".
    static func thirdPartyReproachEnd(_ scan: ArticleScan, _ sentence: SentenceInfo) -> Int? {
        for c in scan.cues[sentence.cues] where scan.category(c) == .reproach {
            if let speaker = scan.speakerSide(of: c), speaker != .china && speaker != .russia { return c.end }
        }
        return nil
    }
}
