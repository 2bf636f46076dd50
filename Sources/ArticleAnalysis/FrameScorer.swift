import Foundation
import DyadCore

/// Frames from frame cues: dyad sentences count fully, the headline more, other sentences half.
/// Score = 1 − exp(−sum), a frame is listed when its score reaches `threshold`.
enum FrameScorer {
    static let titleFactor = 1.5
    /// Weight of cues outside dyad sentences (the frame of the relationship story is what matters).
    static let otherSentenceFactor = 0.5
    /// Lowest score for a frame to be listed (≈ one clear cue in a dyad sentence).
    static let threshold = 0.35

    static func score(_ scan: ArticleScan, dyad: DyadDetector.Outcome) -> [FrameScore] {
        var sums: [Frame: Double] = [:]
        var evidence: [Frame: [Evidence]] = [:]
        for cue in scan.cues {
            guard case .frame(let frame) = scan.category(cue) else { continue }
            let sentence = scan.sentences[cue.sentence]
            var w = scan.weight(cue) * (dyad.sentenceWeights[cue.sentence] > 0 ? 1 : otherSentenceFactor)
            if sentence.inTitle { w *= titleFactor }
            sums[frame, default: 0] += w
            if evidence[frame, default: []].count < Limits.maxFrameEvidence {
                evidence[frame, default: []].append(scan.evidence(start: cue.start, end: cue.end, cue: scan.cueInfo(cue).phrase, weight: w))
            }
        }
        return Frame.allCases.compactMap { f in
            guard let sum = sums[f] else { return nil }
            let s = 1 - exp(-sum)
            guard s >= threshold else { return nil }
            return FrameScore(id: f, score: (s * 1000).rounded() / 1000, evidence: evidence[f] ?? [])
        }
    }
}
