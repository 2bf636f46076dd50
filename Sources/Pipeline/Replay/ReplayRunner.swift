import Foundation
import DyadConfig
import DyadCore
import FeedFetching
import FeedParsing
import FeedStorage
import Logging
import Trends
import Alerts

/// One saved feed document: `FEED_ID/YYYYMMDDTHHMMSSZ.xml`.
public struct ReplaySnapshot: Sendable, Equatable {
    public var feedID: String
    public var time: Date
    public var file: URL

    /// Every snapshot under `directory`, in global time order (ties: feed id). Files that do not
    /// look like `TIMESTAMP.xml` are ignored (and reported through `skipped`).
    public static func scan(_ directory: URL, skipped: inout [String]) throws -> [ReplaySnapshot] {
        let fm = FileManager.default
        var out: [ReplaySnapshot] = []
        for feed in try fm.contentsOfDirectory(atPath: directory.path).sorted() {
            let dir = directory.appendingPathComponent(feed)
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: dir.path, isDirectory: &isDir), isDir.boolValue, !feed.hasPrefix(".") else { continue }
            for name in try fm.contentsOfDirectory(atPath: dir.path).sorted() {
                guard name.hasSuffix(".xml"), let t = timestamp(String(name.dropLast(4))) else {
                    if !name.hasPrefix(".") { skipped.append(feed + "/" + name) }
                    continue
                }
                out.append(ReplaySnapshot(feedID: feed, time: t, file: dir.appendingPathComponent(name)))
            }
        }
        return out.sorted { ($0.time, $0.feedID) < ($1.time, $1.feedID) }
    }

    /// Parses `20220219T031829Z` (UTC).
    public static func timestamp(_ s: String) -> Date? {
        let u = Array(s.utf8)
        guard u.count == 16, u[8] == UInt8(ascii: "T"), u[15] == UInt8(ascii: "Z") else { return nil }
        func num(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r { guard u[i] >= 48 && u[i] <= 57 else { return nil }; v = v * 10 + Int(u[i] - 48) }
            return v
        }
        guard let y = num(0..<4), let mo = num(4..<6), let d = num(6..<8), let h = num(9..<11), let mi = num(11..<13),
              let se = num(13..<15), (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, se < 61 else { return nil }
        var c = DateComponents()
        c.year = y; c.month = mo; c.day = d; c.hour = h; c.minute = mi; c.second = se
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        return cal.date(from: c)
    }
}

/// Feeds saved snapshots through the same pipeline as live polling (parse → de-duplicate and store
/// → analyze → aggregate → detect → alerts and trend files) with a manual clock set to each
/// snapshot's time. Deterministic: outputs depend only on the snapshots and the configuration.
/// Same alerts as a live daemon polling the same documents at those times: at each snapshot
/// time, buckets that have closed are judged first (the daemon's maintenance round), then the
/// snapshot's entries are stored and analyzed (`LiveReplayAgreementTests`).
public struct ReplayRunner {
    /// Where the replay keeps its state and writes its outputs.
    public struct Layout: Sendable {
        public var root: URL
        public var stateDir: URL { root.appendingPathComponent("state") }
        public var logDir: URL { root.appendingPathComponent("logs") }
        public var trendsDir: URL { root.appendingPathComponent("trends") }
        public init(root: URL) { self.root = root }
    }

    /// What a replay did.
    public struct Summary: Sendable, Equatable {
        public var snapshots = 0
        public var newEntries = 0
        public var updatedEntries = 0
        public var analyzed = 0
        public var alerts = 0
        public var unknownFeeds: [String] = []
        /// Pages of `fulltext = true` feeds by outcome (with `--pages`).
        public var pages: [FulltextStatus: Int] = [:]
    }

    public var feedsDirectory: URL
    public var layout: Layout
    public var feeds: [FeedConfig]
    public var parameters: DetectorParameters
    public var analyze: AnalysisSink.Analyze
    public var logger: Logger
    /// Called after each snapshot: (index from 1, total, snapshot, running summary).
    public var progress: ((Int, Int, ReplaySnapshot, Summary) -> Void)?
    /// Opens the state the replay writes to; by default the SQLite file in `layout.stateDir`.
    public var openState: (Layout) throws -> StateStores = { try StateStores.sqlite(directory: $0.stateDir) }
    /// `[daemon] max_items`, for feeds without their own: the same bound per document as a live poll.
    public var maxItems = DaemonConfig.Defaults.maxItems
    /// Saved pages for the entries of `fulltext = true` feeds (`--pages`); nil = feed text only.
    public var pages: (any PageSource)?
    /// Extraction settings (`[fulltext]`): minimum text length, first-poll backlog, queue limit.
    public var fulltext = FulltextConfig()

    public init(feedsDirectory: URL, layout: Layout, feeds: [FeedConfig], parameters: DetectorParameters,
                analyze: @escaping AnalysisSink.Analyze, logger: Logger = Logger(label: "dyadwatch.replay"),
                progress: ((Int, Int, ReplaySnapshot, Summary) -> Void)? = nil) {
        self.feedsDirectory = feedsDirectory; self.layout = layout; self.feeds = feeds; self.parameters = parameters
        self.analyze = analyze; self.logger = logger; self.progress = progress
    }

    public func run() throws -> Summary {
        var skipped: [String] = []
        let snapshots = try ReplaySnapshot.scan(feedsDirectory, skipped: &skipped)
        for s in skipped where !s.hasSuffix(".json") { logger.warning("replay: ignoring \(s): not a FEED_ID/YYYYMMDDTHHMMSSZ.xml snapshot") }
        var summary = Summary()
        guard let first = snapshots.first else {
            logger.warning("replay: no snapshots under \(feedsDirectory.path)")
            return summary
        }
        let byID = Dictionary(feeds.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var identities: [String: FeedIdentity] = [:]
        for id in Set(snapshots.map(\.feedID)).sorted() {
            if let f = byID[id] { identities[id] = FeedIdentity(f, fulltext: pages == nil ? nil : fulltext) } else {
                logger.warning("replay: folder \(id) matches no [[feed]] id in the configuration; replaying it as outlet \"\(id)\", group \"other\"")
                identities[id] = FeedIdentity(id: id, outlet: id, group: "other", language: nil, dedupRule: nil)
                summary.unknownFeeds.append(id)
            }
        }

        let clock = ManualClock(first.time)
        let state = try openState(layout)
        let store = state.feeds
        // Entries reference their feed's row: register every replayed feed (unknown ones under a
        // placeholder URL that is never fetched).
        try store.register(identities.keys.sorted().map { id in
            byID[id] ?? FeedConfig(id: id, name: id, url: "https://example.invalid/replay/\(id)", outlet: id, group: "other")
        })
        let sink = AnalysisSink(store: state.analysis, engine: TrendEngine(params: parameters), analyze: analyze,
                                    delivery: AlertDelivery(logDirectory: layout.logDir, hook: nil, logger: logger),
                                    trendFiles: TrendFiles(directory: layout.trendsDir), policy: .onFlush, logger: logger)
        // A previous replay killed midway may have stored entries it never analyzed.
        try sink.recoverUnanalyzed(from: store, identity: { identities[$0] }, at: clock.now())
        // Pages go through the live code path (extract → store → re-analyze), one at a time in
        // entry order right after their snapshot, so the output does not depend on timing.
        let frozen = identities
        let pageProcessor = pages.map {
            FulltextProcessor(store: store, source: $0, settings: fulltext, sink: sink, identity: { frozen[$0] },
                              clock: clock, logger: logger)
        }
        func drainPages() throws {
            guard let pageProcessor else { return }
            summary.pages.merge(try pageProcessor.drain(), uniquingKeysWith: +)
        }
        // Pages left pending by a replay killed midway.
        try drainPages()
        let parser = FeedParser()
        for (i, snap) in snapshots.enumerated() {
            clock.set(snap.time)
            // Buckets that closed before this snapshot are judged on what earlier snapshots
            // stored, as a live daemon's maintenance round judges them when they close, before
            // its next poll: entries first seen in this snapshot are late for them (they update
            // the aggregates and trend files, but the judgement is not redone).
            summary.alerts += try sink.tick(at: snap.time)
            let data = try Data(contentsOf: snap.file)
            let parsed = parser.parse(data, documentURL: snap.file.absoluteString)
            if !parsed.wellFormed {
                logger.warning("replay: \(snap.feedID)/\(snap.file.lastPathComponent) is not well-formed (\(parsed.problems.prefix(2).joined(separator: "; "))); using what was recovered")
            }
            let feed = identities[snap.feedID]!
            let limit = byID[snap.feedID]?.maxItems ?? maxItems
            let entries = ItemCap.newest(parsed.entries, limit: limit)
            if entries.count < parsed.entries.count {
                logger.warning("replay: \(snap.feedID)/\(snap.file.lastPathComponent) has \(parsed.entries.count) items; kept the newest \(limit) (max_items)")
            }
            let result = try store.ingest(feed, entries: entries, now: clock.now())
            let outcome = try sink.process(result.accepted, at: clock.now())
            try drainPages()
            summary.snapshots += 1
            summary.newEntries += result.newCount
            summary.updatedEntries += result.updatedCount
            summary.analyzed += outcome.analyzed
            summary.alerts += outcome.alerts
            progress?(i + 1, snapshots.count, snap, summary)
        }
        sink.flush(at: clock.now())
        return summary
    }
}
