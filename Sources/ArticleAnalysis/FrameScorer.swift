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
    /// `Frame.allCases`, built once (the property makes a new array on every call); at most 64 (a bit set).
    static let frames = Frame.allCases

    static func score(_ scan: ArticleScan, dyad: DyadDetector.Outcome) -> [FrameScore] {
        let categories = scan.tables.cueCategory
        return scan.cues.withUnsafeBufferPointer { cues in
            // Most headlines have no frame cue: one look at each cue's category, nothing more.
            var seenBits: UInt64 = 0
            for cue in cues {
                if case .frame(let frame) = categories[cue.cue] { seenBits |= 1 << UInt64(frameIndex(frame)) }
            }
            guard seenBits != 0 else { return [] }
            // Pass 1: sums per frame (in a stack buffer); pass 2, for the listed frames only: evidence.
            return withUnsafeTemporaryAllocation(of: Double.self, capacity: frames.count) { sums in
                sums.initialize(repeating: 0)
                for cue in cues {
                    guard case .frame(let frame) = categories[cue.cue] else { continue }
                    sums[frameIndex(frame)] += weight(scan, cue, dyad)
                }
                var out: [FrameScore] = []
                for f in frames.indices where seenBits & (1 << UInt64(f)) != 0 {
                    let s = 1 - exp(-sums[f])
                    guard s >= threshold else { continue }
                    var evidence: [Evidence] = []
                    for cue in cues where evidence.count < Limits.maxFrameEvidence {
                        guard case .frame(let frame) = categories[cue.cue], frameIndex(frame) == f else { continue }
                        evidence.append(scan.evidence(start: cue.start, end: cue.end, cue: scan.data.cues[cue.cue].phrase,
                                                      weight: weight(scan, cue, dyad)))
                    }
                    out.append(FrameScore(id: frames[f], score: (s * 1000).rounded() / 1000, evidence: evidence))
                }
                return out
            }
        }
    }

    /// A frame cue's weight: its own, halved outside sentences about the pair, ×1.5 in the lead.
    static func weight(_ scan: ArticleScan, _ cue: CueHit, _ dyad: DyadDetector.Outcome) -> Double {
        var w = scan.weight(cue) * (dyad.weight(of: cue.sentence) > 0 ? 1 : otherSentenceFactor)
        if scan.sentences[cue.sentence].isLead { w *= titleFactor }
        return w
    }

    /// Position of a frame in `Frame.allCases` (a switch: no hashing on the hot path).
    @inline(__always)
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
