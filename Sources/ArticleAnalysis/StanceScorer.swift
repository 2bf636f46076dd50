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
    /// Sum of weights mapped to a score by tanh(sum / scale).
    static let scale = 2.0
    /// |score| at or above which the label is supportive/critical.
    static let labelThreshold = 0.3
    /// Confidence = base + share × margin from the decision boundary + share × amount of evidence.
    static let confidenceBase = 0.4
    static let confidenceMarginShare = 0.4
    static let confidenceSupportShare = 0.2
    /// Evidence items at which the evidence part of confidence is full.
    static let evidenceForFullSupport = 5.0
    /// Evidence collected before the strongest are kept (bounds memory on huge input).
    static let maxCollected = 10_000

    static func score(_ scan: ArticleScan, dyad: DyadDetector.Outcome) -> StanceResult {
        guard dyad.result.isDyad else {
            return StanceResult(label: .neutral, score: 0, confidence: 0, evidence: [])
        }
        var total = 0.0
        var evidence: [Evidence] = []
        for (k, sentence) in scan.sentences.enumerated() {
            let sentenceWeight = dyad.sentenceWeights[k] * (sentence.inTitle ? titleFactor : 1)
            if sentenceWeight == 0 { continue }
            let cues = scan.cues[sentence.cues]
            let hasStanceCue = cues.prefix(CueContext.neighbourhood * 4).contains { let c = scan.category($0); return c == .stance || c == .aid || c == .arms }
            for index in sentence.cues {
                let cue = scan.cues[index]
                let category = scan.category(cue)
                guard category == .stance || category == .aid || category == .arms || category == .rebuttal else { continue }
                let info = scan.cueInfo(cue)
                var w: Double
                var start = cue.start
                let ctx = CueContext(scan: scan, index: index)
                switch category {
                case .stance:
                    guard scan.pairActorInClause(cue) else { continue }
                    if info.weight < 0 && scan.aimedAtThirdParty(cue) { continue }
                    w = info.weight
                    if let n = ctx.negator { w = -w * negationFactor; start = n.start }
                    if w < 0 && ctx.rebuttal { w = abs(w) * (ctx.relation ? 1 : rebuttalFlipFactor) }
                case .aid:
                    w = info.weight
                    if ctx.denial || ctx.rebuttal || ctx.accusation || ctx.negator != nil {
                        w = -abs(w) * contestedAidFactor
                        if let n = ctx.negator { start = n.start }
                    }
                case .arms:
                    guard ctx.denial || ctx.rebuttal || ctx.accusation || ctx.negator != nil else { continue }
                    w = -abs(info.weight) * contestedAidFactor
                    if let n = ctx.negator { start = n.start }
                case .rebuttal:
                    // Critics of "the ties" dismissed, with no stance cue of its own: a defence.
                    guard ctx.relation && !hasStanceCue else { continue }
                    w = info.weight
                default:
                    continue
                }
                if let i = ctx.intensifier { start = min(start, i.start) }
                w *= ctx.intensity * ctx.hedge * ctx.contrast * ctx.concession
                if ctx.scareQuoted && w < 0 && info.category != .aid {
                    // 'threats' in scare quotes: the claim is not endorsed. (A scare-quoted “supporting”
                    // stays critical: the outlet disputes that support is given.)
                    w = abs(w) * rebuttalFlipFactor
                } else if ctx.quoted && !ctx.rebuttal {
                    w *= quoteFactor
                }
                w *= sentenceWeight
                total += w
                if evidence.count < maxCollected {
                    evidence.append(scan.evidence(start: start, end: cue.end, cue: info.phrase, weight: w, sentence: k))
                }
            }
        }
        let score = tanh(total / scale)
        let label: StanceLabel = score >= labelThreshold ? .supportive : score <= -labelThreshold ? .critical : .neutral
        // Confidence: distance from the nearest decision boundary, plus support from the amount of evidence.
        let margin = label == .neutral ? (labelThreshold - abs(score)) / labelThreshold : (abs(score) - labelThreshold) / (1 - labelThreshold)
        let support = min(1, Double(evidence.count) / evidenceForFullSupport)
        let confidence = min(1, confidenceBase + confidenceMarginShare * margin + confidenceSupportShare * support)
        evidence.sort { abs($0.weight) > abs($1.weight) }
        if evidence.count > Limits.maxStanceEvidence { evidence.removeLast(evidence.count - Limits.maxStanceEvidence) }
        evidence.sort { $0.start < $1.start }
        return StanceResult(label: label, score: (score * 1000).rounded() / 1000,
                            confidence: (confidence * 1000).rounded() / 1000, evidence: evidence)
    }
}
