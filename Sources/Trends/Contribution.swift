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

    /// Evidence cues kept per entry: enough to explain an alert, small enough to store per entry.
    public static let maxCues = 4
    /// A publication time later than first sight by more than this is not trusted (clock skew at the
    /// outlet); the entry is bucketed by when it was first seen instead.
    public static let maxFutureSkew: TimeInterval = 3_600
    /// Floor for the stance weight, so that a dyad article with a tiny relevance still counts a bit.
    public static let minStanceWeight = 0.1

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
    }

    /// Weight of this entry in the stance mean: its dyad relevance, floored.
    public var stanceWeight: Double { max(relevance, Contribution.minStanceWeight) }
}
