import Foundation
import DyadCore

/// What one analyzed entry adds to the aggregates of its bucket. Stored per entry so that a changed
/// entry can be taken out again and re-added, and so that processing is idempotent per entry id.
public struct Contribution: Codable, Sendable, Equatable {
    public var entryID: Int64
    public var feedID: String
    public var outlet: String
    public var group: String
    public var title: String
    public var link: String?
    /// The time the entry is bucketed by (publication time, or first-seen time; see `bucketTime`).
    public var time: Date
    public var china: Bool
    public var russia: Bool
    public var dyad: Bool
    public var relevance: Double
    public var stance: Double
    public var stanceLabel: StanceLabel
    /// Frames the analyzer found with a positive score.
    public var frames: [String]
    public var toneChina: Double?
    public var toneRussia: Double?
    public var toneUS: Double?
    /// Names of third-party actors (neither China- nor Russia-side) co-mentioned in a dyad article, sorted.
    public var actors: [String]
    /// Cue phrases of the stance and frame evidence, strongest first (at most `maxCues`).
    public var cues: [String]
    /// Body sentences that carried the stance, strongest cue first (at most `maxQuotes`; nil in
    /// contributions stored before quotes existed).
    public var quotes: [StanceQuote]?
    /// Weight in the stance mean, fixed when the entry is aggregated (`TrendEngine.ingest`, from
    /// `stanceWeightFloor`) so that removing the entry later subtracts exactly what was added; nil
    /// in contributions stored before weights were recorded (they used the 0.1.0 rule).
    public var weight: Double?

    /// Evidence cues kept per entry: enough to explain an alert, small enough to store per entry.
    public static let maxCues = 4
    /// A publication time later than first sight by more than this is not trusted (clock skew at the
    /// outlet); the entry is bucketed by when it was first seen instead.
    public static let maxFutureSkew: TimeInterval = 3_600
    /// Quotes kept per entry.
    public static let maxQuotes = 3
    /// The 0.1.0 weight rule, max(relevance, 0.1), for contributions stored without a weight.
    public static let legacyStanceWeightFloor = 0.1

    /// The time an entry belongs to: its publication time when plausible, else when it was first seen.
    /// Late arrivals (published long before they were seen) thus land in their own, earlier bucket.
    public static func bucketTime(published: Date?, firstSeen: Date) -> Date {
        if let p = published, p <= firstSeen.addingTimeInterval(maxFutureSkew) { return p }
        return firstSeen
    }

    /// The frames an article counts for (scored, `other` excluded), sorted.
    public static func frames(of a: ArticleAnalysisResult) -> [String] {
        a.frames.filter { $0.score > 0 && $0.id != .other }.map { $0.id.rawValue }.sorted()
    }

    public init(entry: AcceptedEntry, analysis a: ArticleAnalysisResult) {
        entryID = entry.entryID; feedID = entry.feedID; outlet = entry.outlet; group = entry.group
        title = entry.title; link = entry.link
        time = Contribution.bucketTime(published: entry.published, firstSeen: entry.firstSeen)
        china = a.mentions(.china); russia = a.mentions(.russia)
        dyad = a.dyad.isDyad
        relevance = a.dyad.relevance
        stance = a.stance.score; stanceLabel = a.stance.label
        frames = Contribution.frames(of: a)
        toneChina = a.tone.china; toneRussia = a.tone.russia; toneUS = a.tone.us
        if a.dyad.isDyad {
            // Third parties only: the dyad's own actors (China- and Russia-side) are always there.
            let anchors: Set<Side> = [.china, .russia]
            let names = a.entities.filter { e in e.type != .place && !anchors.contains(e.side) }.map(\.name)
            actors = Array(Set(names)).sorted()
        } else {
            actors = []
        }
        var ev = a.stance.evidence + a.frames.flatMap(\.evidence)
        ev.sort { abs($0.weight) != abs($1.weight) ? abs($0.weight) > abs($1.weight) : $0.cue < $1.cue }
        var seen = Set<String>()
        cues = ev.compactMap { e in seen.insert(e.cue).inserted ? e.cue : nil }.prefix(Contribution.maxCues).map { $0 }
        quotes = a.dyad.isDyad ? StanceQuote.strongest(a.stance.evidence, limit: Contribution.maxQuotes) : []
    }

    /// Weight of this entry in the stance mean: the recorded weight, or the 0.1.0 rule.
    public var stanceWeight: Double { weight ?? max(relevance, Contribution.legacyStanceWeightFloor) }

    /// Weight of a dyad article of this relevance: its relevance, floored (so that an article in
    /// which the pair is a side topic still counts, without its weight collapsing the effective n).
    public static func stanceWeight(relevance: Double, floor: Double) -> Double { max(relevance, floor) }
}

/// One sentence of an article body that carried its stance: what an alert quotes.
public struct StanceQuote: Codable, Sendable, Equatable {
    /// The sentence, as the analyzer read it (capped by the analyzer).
    public var sentence: String
    /// The cue phrase in it and its signed weight (+ supportive, − critical).
    public var cue: String
    public var weight: Double

    public init(sentence: String, cue: String, weight: Double) { self.sentence = sentence; self.cue = cue; self.weight = weight }

    /// The body sentences of the strongest stance cues, one quote per sentence, strongest first
    /// (ties: earlier in the text). Headline cues carry no sentence and are left out: the headline
    /// is shown anyway.
    static func strongest(_ evidence: [Evidence], limit: Int) -> [StanceQuote] {
        let ranked = evidence.filter { $0.sentence != nil }
            .sorted { abs($0.weight) != abs($1.weight) ? abs($0.weight) > abs($1.weight) : $0.start < $1.start }
        var seen = Set<String>()
        var out: [StanceQuote] = []
        for e in ranked where out.count < limit {
            guard let s = e.sentence, seen.insert(s).inserted else { continue }
            out.append(StanceQuote(sentence: s, cue: e.cue, weight: e.weight))
        }
        return out
    }
}
