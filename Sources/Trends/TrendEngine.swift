import Foundation
import DyadCore

/// What closing buckets produced: alerts to put in the outbox, and whether an hour boundary
/// passed (trend files are rewritten at each bucket close).
public struct CloseResult: Sendable {
    public var alerts: [AlertRecord] = []
    public var bucketsJudged = 0
    public var hourClosed = false
}

/// Aggregation and detection on the state database. Stateless in memory: every call reads and
/// writes its state inside the caller's transaction, so a crash or restart resumes exactly where
/// the last committed transaction left off (no alert is lost or raised twice).
public struct TrendEngine: Sendable {
    public var params: DetectorParameters
    public init(params: DetectorParameters = DetectorParameters()) { self.params = params }

    static let suiteKey = "detectors.suite"
    static let nextBucketKey = "detectors.next_bucket"
    static let hourKey = "files.current_hour"
    /// Evidence ranking for count alerts: dyad articles first, then those naming both sides, then
    /// by relevance (0…1).
    static let dyadEvidenceBonus = 1.0
    static let bothSidesEvidenceBonus = 0.5

    // MARK: analyses

    public func hasAnalysis(_ db: any TrendTables, entryID: Int64) throws -> Bool {
        try db.hasAnalysis(entryID: entryID)
    }

    /// Stores an entry's analysis with the revision and first sight it was made from.
    public func storeAnalysis(_ db: any TrendTables, entry: AcceptedEntry, _ result: ArticleAnalysisResult) throws {
        try db.storeAnalysis(StoredAnalysis(entryID: entry.entryID, revision: entry.revision, firstSeen: entry.firstSeen, result: result))
    }

    public func analysis(_ db: any TrendTables, entryID: Int64) throws -> ArticleAnalysisResult? {
        try db.analysis(entryID: entryID)
    }

    /// The stored analyses of these entries (those analyzed), by entry id.
    public func analyses(_ db: any TrendTables, entryIDs: [Int64]) throws -> [Int64: ArticleAnalysisResult] {
        try db.analyses(entryIDs: entryIDs)
    }

    // MARK: aggregation

    /// Adds entries to their hour and day buckets in every scope. A contribution already stored
    /// unchanged is skipped (idempotent); a changed one replaces the old one. Returns how many changed.
    @discardableResult
    public func ingest(_ db: any TrendTables, _ contributions: [Contribution]) throws -> Int {
        var deltas: [BucketKey: Aggregate] = [:]
        var changed = 0
        for var c in contributions {
            if c.weight == nil { c.weight = Contribution.stanceWeight(relevance: c.relevance, floor: params.stanceWeightFloor) }
            let old = try db.contribution(entryID: c.entryID)
            if old == c { continue }
            if let old { add(old, sign: -1, to: &deltas) }
            add(c, sign: 1, to: &deltas)
            try db.saveContribution(c)
            changed += 1
        }
        for key in deltas.keys.sorted() {
            var a = try db.aggregate(key) ?? Aggregate()
            a.merge(deltas[key]!)
            a.clearResidue()
            try db.saveAggregate(key, a)
        }
        return changed
    }

    private func add(_ c: Contribution, sign: Int, to deltas: inout [BucketKey: Aggregate]) {
        for g in Granularity.allCases {
            let start = g.bucketStart(c.time)
            for scope in Scope.scopes(outlet: c.outlet, group: c.group) {
                deltas[BucketKey(granularity: g, start: start, scope: scope), default: Aggregate()].apply(c, sign: sign)
            }
        }
    }

    // MARK: detection

    /// Judges every bucket that closed by `now` (end + `closeDelay`), in time order, and returns
    /// the alerts. Entries arriving later for an already judged bucket still update its aggregates
    /// and the trend files, but are not judged again.
    public func close(_ db: any TrendTables, now: Date) throws -> CloseResult {
        var result = CloseResult()
        let g = params.granularity
        var next = try db.state(Self.nextBucketKey, as: Int64.self)
        if next == nil {
            next = try db.earliestBucket(granularity: g, from: g.bucketStart(now.addingTimeInterval(-params.lookback)))
        }
        if let first = next, Double(first + g.seconds) + params.closeDelay <= now.timeIntervalSince1970 {
            var suite = try db.state(Self.suiteKey, as: DetectorSuite.self) ?? DetectorSuite()
            var b = first
            while Double(b + g.seconds) + params.closeDelay <= now.timeIntervalSince1970 {
                let aggregates = try db.aggregates(granularity: g, start: b)
                for s in aggregates.keys { suite.register(s) }
                for f in suite.run(bucketStart: b, granularity: g, aggregates: aggregates, params: params) {
                    result.alerts.append(try alert(db, f, bucket: b, now: now))
                }
                result.bucketsJudged += 1
                b += g.seconds
            }
            try db.setState(Self.suiteKey, suite)
            next = b
        }
        if let next { try db.setState(Self.nextBucketKey, next) }
        let hour = Granularity.hour.bucketStart(now)
        if let last = try db.state(Self.hourKey, as: Int64.self), last >= hour {
            result.hourClosed = false
        } else {
            result.hourClosed = true
            try db.setState(Self.hourKey, hour)
        }
        return result
    }

    private func alert(_ db: any TrendTables, _ f: Finding, bucket: Int64, now: Date) throws -> AlertRecord {
        let g = params.granularity
        let evidence = try pickEvidence(db, f, bucket: bucket)
        return AlertRecord(id: AlertRecord.makeID(detector: f.detector, scope: f.scope.key, metric: f.metric, granularity: g, bucket: bucket),
                           detectedAt: now, detector: f.detector, scope: f.scope.key, granularity: g,
                           bucket: Date(timeIntervalSince1970: Double(bucket)),
                           bucketEnd: Date(timeIntervalSince1970: Double(bucket + g.seconds)),
                           metric: f.metric, baseline: f.baseline, current: f.current, statistic: f.statisticName,
                           statisticValue: f.statistic, score: f.score, severity: f.severity, summary: f.summary,
                           evidence: evidence)
    }

    /// The headlines of the bucket (of every bucket a pooled observation spans) that best show a
    /// finding, strongest first (ties: oldest entry); stance and divergence evidence quotes the body
    /// sentences that carried the stance in the alert's direction.
    func pickEvidence(_ db: any TrendTables, _ f: Finding, bucket: Int64) throws -> [AlertEvidence] {
        let g = params.granularity
        var all: [Contribution] = []
        for k in stride(from: max(f.buckets, 1) - 1, through: 0, by: -1) {
            all += try db.contributions(granularity: g, start: bucket - Int64(k) * g.seconds)
        }
        let inScope = all.filter { c in
            let k = f.scope.key
            if k == Scope.all.key { return true }
            if k.hasPrefix("groups:") {
                let pair = k.dropFirst("groups:".count).split(separator: "~").map(String.init)
                return pair.contains(Scope.slug(c.group))
            }
            return Scope.scopes(outlet: c.outlet, group: c.group).contains(f.scope)
        }
        var ranked: [(Double, Contribution)]
        switch f.selector {
        case .metric(let m):
            ranked = inScope.filter { c in
                switch m { case .entries: return true; case .china: return c.china; case .russia: return c.russia; case .dyad: return c.dyad }
            }.map { ($0.relevance + ($0.dyad ? Self.dyadEvidenceBonus : 0) + ($0.china && $0.russia ? Self.bothSidesEvidenceBonus : 0), $0) }
        case .stance(let d):
            ranked = inScope.filter(\.dyad).map { (Double(d) * $0.stance * $0.stanceWeight, $0) }
        case .frame(let fr):
            ranked = inScope.filter { $0.dyad && $0.frames.contains(fr) }.map { ($0.relevance, $0) }
        case .actor(let a):
            ranked = inScope.filter { $0.actors.contains(a) }.map { ($0.relevance, $0) }
        case .groups(let a, _, let d):
            // The gap is a − b: a rise comes from group a turning supportive or b critical.
            ranked = inScope.filter(\.dyad).map { c in
                let sign = Scope.slug(c.group) == a ? 1.0 : -1.0
                return (Double(d) * sign * c.stance * c.stanceWeight, c)
            }
        }
        ranked.sort { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1.entryID < $1.1.entryID }
        return ranked.prefix(params.evidenceCount).map { _, c in
            AlertEvidence(entryID: c.entryID, feedID: c.feedID, outlet: c.outlet, group: c.group, title: c.title, link: c.link,
                          time: c.time, stance: c.dyad ? c.stance : nil, frames: c.frames, cues: c.cues,
                          quotes: Self.quotes(c, f.selector))
        }
    }

    /// The entry's quotes whose cue points the way the finding moved (a critical turn quotes
    /// critical sentences); nil for findings that are not about stance.
    static func quotes(_ c: Contribution, _ selector: EvidenceSelector) -> [StanceQuote]? {
        let direction: Double
        switch selector {
        case .stance(let d): direction = Double(d)
        case .groups(let a, _, let d): direction = Double(d) * (Scope.slug(c.group) == a ? 1 : -1)
        default: return nil
        }
        let q = (c.quotes ?? []).filter { $0.weight * direction > 0 }
        return q.isEmpty ? nil : q
    }

    // MARK: trend files

    /// Aggregate rows for the trend files: hours from `hoursFrom`, days from `daysFrom`, plus the
    /// detectors' current baselines.
    /// Materializes every row in memory: meant for tests and small windows; the daemon streams
    /// with `status` and `forEachRow` instead, so memory does not grow with the window.
    public func snapshot(_ db: any TrendTables, now: Date, hoursFrom: Int64, daysFrom: Int64) throws -> TrendSnapshot {
        let st = try status(db)
        return TrendSnapshot(now: now, hourly: try db.rows(granularity: .hour, from: hoursFrom),
                             daily: try db.rows(granularity: .day, from: daysFrom),
                             baselines: st.baselines, judgedUntil: st.judgedUntil, params: params)
    }

    /// The detectors' baselines and judging watermark, without any aggregate rows.
    public func status(_ db: any TrendTables) throws -> (baselines: Baselines, judgedUntil: Date?) {
        let suite = try db.state(Self.suiteKey, as: DetectorSuite.self) ?? DetectorSuite()
        let next = try db.state(Self.nextBucketKey, as: Int64.self)
        return (Baselines(suite: suite, params: params, nextBucket: next), next.map { Date(timeIntervalSince1970: Double($0)) })
    }

    /// Calls `body` for each aggregate row of one granularity with start ≥ `from`, ordered by start
    /// then scope, one row at a time (a database cursor): memory stays bounded by one row.
    public func forEachRow(_ db: any TrendTables, granularity: Granularity, from: Int64, _ body: (BucketKey, Aggregate) throws -> Void) throws {
        try db.forEachRow(granularity: granularity, from: from, body)
    }

    /// The rows of one scope (and, with `groups`, of every `group:` scope), same order.
    public func forEachRow(_ db: any TrendTables, granularity: Granularity, from: Int64, scope: String, groups: Bool,
                           _ body: (BucketKey, Aggregate) throws -> Void) throws {
        try db.forEachRow(granularity: granularity, from: from, scope: scope, groups: groups, body)
    }
}

/// Everything the trend files are written from.
public struct TrendSnapshot: Sendable {
    public var now: Date
    public var hourly: [(BucketKey, Aggregate)]
    public var daily: [(BucketKey, Aggregate)]
    public var baselines: Baselines
    /// Buckets before this time have been judged by the detectors.
    public var judgedUntil: Date?
    public var params: DetectorParameters
}

/// The detectors' current expectations per scope (for `latest.json`).
public struct Baselines: Codable, Sendable, Equatable {
    public struct ScopeBaseline: Codable, Sendable, Equatable {
        /// Expected count of the next bucket per volume metric.
        public var expected: [String: Double] = [:]
        public var dispersion: [String: Double] = [:]
        public var meanStance: Double?
        public var stanceCUSUM: [Double]?
        public var frameShares: [String: Double] = [:]
        public var bucketsObserved = 0
    }
    public var scopes: [String: ScopeBaseline] = [:]
    public var stanceGaps: [String: Double] = [:]
    public var lastAlertBucket: [String: Date] = [:]

    init(suite: DetectorSuite, params: DetectorParameters, nextBucket: Int64?) {
        let g = params.granularity
        let slot = nextBucket.map { g.slotOfWeek($0) }
        for scope in suite.scopes {
            var b = ScopeBaseline()
            b.bucketsObserved = suite.observed[scope.key] ?? 0
            for m in params.volumeMetrics {
                if let model = suite.volume.models[scope.key + "|" + m.rawValue], let level = model.level, let slot {
                    b.expected[m.rawValue] = level * model.factor(slot)
                    b.dispersion[m.rawValue] = max(model.dispersion, params.volumeMinDispersion)
                }
            }
            if let c = suite.stance.cusums[scope.key] { b.meanStance = c.baseline; b.stanceCUSUM = [c.upper, c.lower] }
            for f in FrameShiftDetector.frames {
                if let s = suite.frame.models[scope.key + "|" + f]?.share { b.frameShares[f] = s }
            }
            scopes[scope.key] = b
        }
        for (k, c) in suite.divergence.cusums { if let base = c.baseline { stanceGaps[k] = base } }
        for (k, v) in suite.lastAlert { lastAlertBucket[k] = Date(timeIntervalSince1970: Double(v)) }
    }
}
