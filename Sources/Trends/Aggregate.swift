import Foundation
import DyadCore

/// Sums over the entries of one bucket and scope. Everything is additive (and subtractable), so an
/// entry's contribution can be added on arrival and removed when the entry changes.
public struct Aggregate: Codable, Sendable, Equatable {
    public var entries = 0
    public var china = 0
    public var russia = 0
    public var dyad = 0
    /// Stance sums over dyad articles, weighted by relevance: Σw, Σw·s, Σw·s², Σw².
    public var stanceW = 0.0
    public var stanceWS = 0.0
    public var stanceWSS = 0.0
    public var stanceWW = 0.0
    /// Stance label counts over dyad articles.
    public var supportive = 0
    public var neutral = 0
    public var critical = 0
    /// Frame → number of dyad articles with that frame.
    public var frames: [String: Int] = [:]
    public var toneChinaSum = 0.0, toneChinaN = 0
    public var toneRussiaSum = 0.0, toneRussiaN = 0
    public var toneUSSum = 0.0, toneUSN = 0
    /// Actor name → number of dyad articles co-mentioning it.
    public var actors: [String: Int] = [:]

    public init() {}

    /// Adds (`sign` = 1) or removes (`sign` = -1) one entry's contribution.
    public mutating func apply(_ c: Contribution, sign: Int) {
        let s = Double(sign)
        entries += sign
        if c.china { china += sign }
        if c.russia { russia += sign }
        if let t = c.toneChina { toneChinaSum += s * t; toneChinaN += sign }
        if let t = c.toneRussia { toneRussiaSum += s * t; toneRussiaN += sign }
        if let t = c.toneUS { toneUSSum += s * t; toneUSN += sign }
        guard c.dyad else { return }
        dyad += sign
        let w = c.stanceWeight
        stanceW += s * w; stanceWS += s * w * c.stance; stanceWSS += s * w * c.stance * c.stance; stanceWW += s * w * w
        switch c.stanceLabel {
        case .supportive: supportive += sign
        case .neutral: neutral += sign
        case .critical: critical += sign
        }
        for f in c.frames { frames[f, default: 0] += sign; if frames[f] == 0 { frames[f] = nil } }
        for a in c.actors { actors[a, default: 0] += sign; if actors[a] == 0 { actors[a] = nil } }
    }

    /// Clears floating-point residue left by removals once no entry contributes to a sum any
    /// more. Only for a final aggregate: a delta (old removed, new added) may pass through zero.
    public mutating func clearResidue() {
        if dyad == 0 { stanceW = 0; stanceWS = 0; stanceWSS = 0; stanceWW = 0 }
        if toneChinaN == 0 { toneChinaSum = 0 }
        if toneRussiaN == 0 { toneRussiaSum = 0 }
        if toneUSN == 0 { toneUSSum = 0 }
    }

    /// Share of entries that are about the China–Russia dyad.
    public var dyadShare: Double { entries > 0 ? Double(dyad) / Double(entries) : 0 }
    /// Relevance-weighted mean stance of dyad articles, nil without any.
    public var meanStance: Double? { dyad > 0 && stanceW > 0 ? stanceWS / stanceW : nil }
    /// Weighted standard deviation of stance (the spread), nil without any dyad article.
    public var stanceSpread: Double? {
        guard let m = meanStance else { return nil }
        return (max(0, stanceWSS / stanceW - m * m)).squareRoot()
    }
    /// Kish effective sample size of the weighted stance mean.
    public var stanceEffectiveN: Double { stanceWW > 0 ? stanceW * stanceW / stanceWW : 0 }
    public var toneChina: Double? { toneChinaN > 0 ? toneChinaSum / Double(toneChinaN) : nil }
    public var toneRussia: Double? { toneRussiaN > 0 ? toneRussiaSum / Double(toneRussiaN) : nil }
    public var toneUS: Double? { toneUSN > 0 ? toneUSSum / Double(toneUSN) : nil }

    /// The `n` most co-mentioned actors, most frequent first (ties by name).
    public func topActors(_ n: Int) -> [(name: String, count: Int)] {
        actors.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(n).map { ($0.key, $0.value) }
    }

    /// Value of a count metric by name (`entries`, `china`, `russia`, `dyad`), used by the volume detector.
    public func count(_ metric: VolumeMetric) -> Int {
        switch metric {
        case .entries: return entries
        case .china: return china
        case .russia: return russia
        case .dyad: return dyad
        }
    }
}

/// Counts the volume detector can watch.
public enum VolumeMetric: String, Codable, Sendable, CaseIterable {
    /// All entries.
    case entries
    /// Entries mentioning a China-side actor.
    case china
    /// Entries mentioning a Russia-side actor (in Chinese outlets, the proxy for their Russia coverage).
    case russia
    /// Entries about China and Russia together.
    case dyad
}

extension Aggregate {
    /// Adds another aggregate's sums (bucket deltas are built in memory, then merged into the row;
    /// call `clearResidue` on the result).
    public mutating func merge(_ o: Aggregate) {
        entries += o.entries; china += o.china; russia += o.russia; dyad += o.dyad
        stanceW += o.stanceW; stanceWS += o.stanceWS; stanceWSS += o.stanceWSS; stanceWW += o.stanceWW
        supportive += o.supportive; neutral += o.neutral; critical += o.critical
        for (k, v) in o.frames { frames[k, default: 0] += v; if frames[k] == 0 { frames[k] = nil } }
        for (k, v) in o.actors { actors[k, default: 0] += v; if actors[k] == 0 { actors[k] = nil } }
        toneChinaSum += o.toneChinaSum; toneChinaN += o.toneChinaN
        toneRussiaSum += o.toneRussiaSum; toneRussiaN += o.toneRussiaN
        toneUSSum += o.toneUSSum; toneUSN += o.toneUSN
    }
}
