import DyadConfig
import DyadCore
import FeedStorage
import Foundation
import Trends
import Alerts

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

    /// Entries are read a page at a time (newest first), each page with its analyses, until
    /// `limit` rows pass the filters: a narrow filter over a wide window never holds the window in
    /// memory, and no read lasts longer than one page. Either backend (`StateStores`).
    public func rows(_ state: StateStores, _ filter: Filter, batchSize: Int = 500) throws -> [Row] {
        let window = EntryWindow(from: filter.from, to: filter.to, feedID: filter.feedID)
        var out: [Row] = []
        var after: EntryPosition? = nil
        repeat {
            let page = try state.feeds.entries(in: window, after: after, limit: max(1, batchSize))
            let ids = page.entries.compactMap(\.id)
            let analyses = ids.isEmpty ? [:] : try state.analysis.read { try TrendEngine().analyses($0.trends, entryIDs: ids) }
            for e in page.entries where out.count < filter.limit {
                let a = e.id.flatMap { analyses[$0] }
                if filter.dyadOnly && a?.dyad.isDyad != true { continue }
                if let s = filter.stance, a?.dyad.isDyad != true || a?.stance.label != s { continue }
                out.append(row(e, a))
            }
            after = page.next
        } while after != nil && out.count < filter.limit
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
