import Foundation
import DyadCore

/// Tone toward China, Russia and the US/West: each tone cue goes to the nearest actor before it
/// (within `window` bytes, across sentences — the subject usually precedes), else to the first
/// actor after it in the same sentence. Relationship (stance) cues count for both China and Russia.
enum ToneScorer {
    /// How far back (bytes) a cue looks for its actor.
    static let window = 400
    /// Weight of stance cues as tone toward both partners.
    static let stanceAsToneFactor = 0.5
    /// Negated tone cue: sign flips, weakened.
    static let negationFactor = 0.8
    /// Sum of weights mapped by tanh(sum / scale).
    static let scale = 2.0

    /// The cue categories that weigh in tone (arms: none — a transaction says nothing on its own).
    /// One predicate for the scoring loop and the early exit, so the two cannot disagree.
    @inline(__always)
    static func countsForTone(_ c: CueCategory) -> Bool {
        switch c {
        case .tone, .stance, .appraisal, .aid: return true
        default: return false
        }
    }

    /// Tone sums per slot (china, russia, us+west) of the article's tone-bearing cues.
    static func toneSums(_ scan: ArticleScan, actors: UnsafeBufferPointer<(start: Int, end: Int, slot: Int)>) -> SIMD3<Double> {
        let categories = scan.tables.cueCategory, weights = scan.tables.cueWeight
        let cues = scan.cues, sentences = scan.sentences
        let folded = scan.text.folded, original = scan.text.original
        var sums = SIMD3<Double>(repeating: 0)     // china, russia, us+west: no heap array per article
        var a = 0   // first actor starting at or after the current cue
        for index in cues.indices {
            let cue = cues[index]
            let category = categories[cue.cue]
            guard countsForTone(category) else { continue }
            // A relationship cue counts for both partners, unless its clause names neither of them.
            var isStance = true
            if case .tone = category { isStance = false }
            isStance = isStance && scan.pairActorInClause(cue)
            while a < actors.count && actors[a].start < cue.start { a += 1 }
            let ctx = CueContext(scan: scan, index: index, quotes: false)
            var w = weights[cue.cue] * ctx.intensity * ctx.hedge * ctx.contrast * ctx.concession
            if ctx.negator != nil { w = -w * negationFactor }
            if isStance {
                sums[0] += w * stanceAsToneFactor
                sums[1] += w * stanceAsToneFactor
                continue
            }
            // Nearest preceding actor that is not part of the cue itself, with the actors
            // coordinated with it ("China and Russia promote peace" goes to both).
            var b = a - 1
            while b >= 0 && actors[b].end > cue.start { b -= 1 }
            var slots: UInt8 = 0        // bit per slot: each slot counts once per cue
            if b >= 0 && cue.start - actors[b].end <= window {
                slots |= 1 << actors[b].slot
                var c = b
                while c > 0 && DyadDetector.isListSeparator(folded, original, actors[c - 1].end, actors[c].start) {
                    c -= 1
                    slots |= 1 << actors[c].slot
                }
            } else if a < actors.count && actors[a].start < sentences[cue.sentence].end {
                slots |= 1 << actors[a].slot
            }
            for s in 0..<sums.scalarCount where slots & (1 << s) != 0 { sums[s] += w }
        }
        return sums
    }

    static func score(_ scan: ArticleScan) -> ToneResult {
        let sides = scan.articleSides
        // No side to report, or no cue to weigh (most headlines): every reported tone is 0.
        guard sides.contains(.china) || sides.contains(.russia) || sides.contains(.us) || sides.contains(.west) else { return ToneResult() }
        let categories = scan.tables.cueCategory
        guard scan.cues.contains(where: { countsForTone(categories[$0.cue]) }) else {
            return ToneResult(china: sides.contains(.china) ? 0 : nil, russia: sides.contains(.russia) ? 0 : nil,
                              us: (sides.contains(.us) || sides.contains(.west)) ? 0 : nil)
        }
        // Actor mentions of the three tracked sides, in order: (start, end, slot 0 china / 1 russia / 2 us+west),
        // in a stack buffer (no heap array per article).
        let entityHits = scan.entityHits
        let sums = withUnsafeTemporaryAllocation(of: (start: Int, end: Int, slot: Int).self, capacity: entityHits.count) { buffer -> SIMD3<Double> in
            var count = 0
            for h in entityHits where h.isActor {
                let slot: Int
                switch h.side {
                case .china: slot = 0
                case .russia: slot = 1
                case .us, .west: slot = 2
                default: continue
                }
                buffer.initializeElement(at: count, to: (h.start, h.end, slot))
                count += 1
            }
            defer { buffer.baseAddress?.deinitialize(count: count) }
            return toneSums(scan, actors: UnsafeBufferPointer(rebasing: buffer[0..<count]))
        }
        func value(_ s: Int) -> Double { (tanh(sums[s] / scale) * 1000).rounded() / 1000 }
        return ToneResult(china: sides.contains(.china) ? value(0) : nil,
                          russia: sides.contains(.russia) ? value(1) : nil,
                          us: (sides.contains(.us) || sides.contains(.west)) ? value(2) : nil)
    }
}
