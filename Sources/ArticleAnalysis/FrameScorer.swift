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
        // Most headlines have no frame cue: skip the per-frame tables.
        guard scan.cues.contains(where: { if case .frame = scan.category($0) { return true } else { return false } }) else { return [] }
        let frames = Frame.allCases
        var sums = [Double](repeating: 0, count: frames.count)
        var seen = [Bool](repeating: false, count: frames.count)
        var evidence = [[Evidence]](repeating: [], count: frames.count)
        for cue in scan.cues {
            guard case .frame(let frame) = scan.category(cue) else { continue }
            let f = frameIndex(frame)
            let sentence = scan.sentences[cue.sentence]
            var w = scan.weight(cue) * (dyad.sentenceWeights[cue.sentence] > 0 ? 1 : otherSentenceFactor)
            if sentence.isLead { w *= titleFactor }
            sums[f] += w
            seen[f] = true
            if evidence[f].count < Limits.maxFrameEvidence {
                evidence[f].append(scan.evidence(start: cue.start, end: cue.end, cue: scan.cueInfo(cue).phrase, weight: w))
            }
        }
        return frames.indices.compactMap { f in
            guard seen[f] else { return nil }
            let s = 1 - exp(-sums[f])
            guard s >= threshold else { return nil }
            return FrameScore(id: frames[f], score: (s * 1000).rounded() / 1000, evidence: evidence[f])
        }
    }

    /// Position of a frame in `Frame.allCases` (a switch: no hashing on the hot path).
    static func frameIndex(_ f: Frame) -> Int {
        switch f {
        case .military: return 0
        case .economy: return 1
        case .energy: return 2
        case .diplomacy: return 3
        case .ukraineWar: return 4
        case .sanctions: return 5
        case .multipolarity: return 6
        case .technology: return 7
        case .territory: return 8
        case .other: return 9
        }
    }
}
