import DyadConfig
import DyadCore
import FeedStorage
import Foundation
import GRDB
import Trends

/// What was stored and what the analyzer made of it, one row per entry: the data of
/// `dyadwatch articles`. Entries come from storage, analyses from trends (each module's own
/// query); this only joins them and applies the filters.
public struct ArticleListing: Sendable {
    public struct Filter: Sendable {
        public var from: Date
        public var to: Date
        public var feedID: String?
        /// Only articles about China and Russia together.
        public var dyadOnly = false
        public var stance: StanceLabel?
        public var limit = 1_000
        public init(from: Date, to: Date, feedID: String? = nil) { self.from = from; self.to = to; self.feedID = feedID }
    }

    /// One article (the `--jsonl` object).
    public struct Row: Codable, Sendable, Equatable {
        public var time: Date
        public var feedID: String
        public var outlet: String
        public var group: String
        public var title: String
        public var link: String?
        /// nil when the entry has not been analyzed yet.
        public var dyad: Bool?
        public var relevance: Double?
        public var stance: StanceLabel?
        public var stanceScore: Double?
        /// The cue that weighed most in the stance, and its weight.
        public var topCue: String?
        public var topCueWeight: Double?
        public var frames: [String]
    }

    public let feeds: [String: FeedConfig]
    public init(configuration: DyadConfig.Configuration) {
        feeds = Dictionary(configuration.feeds.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func rows(_ db: Database, _ filter: Filter) throws -> [Row] {
        guard try db.tableExists(StoredEntry.databaseTableName) else { return [] }
        // With content filters, read more entries than asked and keep the matching ones.
        let needsAnalysis = filter.dyadOnly || filter.stance != nil
        let entries = try StoredEntry.fetch(db, from: filter.from, to: filter.to, feedID: filter.feedID,
                                            limit: needsAnalysis ? Int.max : filter.limit)
        let analyses = try db.tableExists("trends_analysis") ? try TrendEngine().analyses(db, entryIDs: entries.compactMap(\.id)) : [:]
        var out: [Row] = []
        for e in entries {
            let a = e.id.flatMap { analyses[$0] }
            if filter.dyadOnly && a?.dyad.isDyad != true { continue }
            if let s = filter.stance, a?.dyad.isDyad != true || a?.stance.label != s { continue }
            out.append(row(e, a))
            if out.count >= filter.limit { break }
        }
        return out
    }

    func row(_ e: StoredEntry, _ a: ArticleAnalysisResult?) -> Row {
        let feed = feeds[e.feedID]
        let cue = a?.stance.evidence.max { abs($0.weight) < abs($1.weight) }
        return Row(time: Contribution.bucketTime(published: e.published, firstSeen: e.firstSeen), feedID: e.feedID, outlet: feed?.outlet ?? e.feedID, group: feed?.group ?? "other",
                   title: e.title, link: e.link, dyad: a?.dyad.isDyad, relevance: a?.dyad.relevance, stance: a?.stance.label,
                   stanceScore: a?.stance.score, topCue: cue?.text, topCueWeight: cue?.weight,
                   frames: a.map { Contribution.frames(of: $0) } ?? [])
    }
}
