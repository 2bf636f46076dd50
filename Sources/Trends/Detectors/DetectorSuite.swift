import Foundation

/// All detectors with their learned state, run bucket by bucket in time order. The whole value is
/// persisted (JSON) in the same transaction as the bucket watermark and the alert outbox, so a
/// restart resumes exactly where it stopped.
public struct DetectorSuite: Codable, Sendable, Equatable {
    public var volume = VolumeSurgeDetector()
    public var stance = StanceShiftDetector()
    public var frame = FrameShiftDetector()
    public var divergence = GroupDivergenceDetector()
    public var newActor = NewActorDetector()
    /// Buckets each scope has been observed in (for warm-up).
    public var observed: [String: Int] = [:]
    /// Scopes seen so far: a scope with no entries in a bucket is observed with zero counts.
    public var scopes: [Scope] = []
    /// (detector|scope) → bucket start of the last alert: the debounce table.
    public var lastAlert: [String: Int64] = [:]

    public init() {}

    /// Makes `scope` part of every later bucket (zero counts when it has no entries).
    public mutating func register(_ scope: Scope) {
        if !scopes.contains(scope) { scopes.append(scope); scopes.sort() }
    }

    /// Judges one closed bucket: every detector sees every known scope. Returns the findings that
    /// survive scope-collapsing and debounce, in a stable order.
    public mutating func run(bucketStart: Int64, granularity: Granularity, aggregates input: [Scope: Aggregate],
                             params p: DetectorParameters) -> [Finding] {
        var aggregates: [Scope: Aggregate] = [:]
        for s in scopes { aggregates[s] = input[s] ?? Aggregate() }
        let seen = observed
        let armed: (Scope) -> Bool = { (seen[$0.key] ?? 0) >= p.warmupBuckets }
        var findings: [Finding] = []
        if p.volumeEnabled {
            findings += volume.evaluate(slot: granularity.slotOfWeek(bucketStart), slots: granularity.bucketsPerWeek,
                                        aggregates: aggregates, armed: armed, params: p)
        }
        if p.stanceEnabled { findings += stance.evaluate(aggregates: aggregates, armed: armed, params: p) }
        if p.frameEnabled { findings += frame.evaluate(aggregates: aggregates, armed: armed, params: p) }
        if p.divergenceEnabled { findings += divergence.evaluate(aggregates: aggregates, armed: armed, params: p) }
        if p.newActorEnabled { findings += newActor.evaluate(aggregates: aggregates, armed: armed, params: p) }
        for s in scopes { observed[s.key, default: 0] += 1 }
        return debounce(DetectorSuite.collapse(findings, groups: scopes.filter(\.isGroup).count), bucketStart: bucketStart,
                        cooldown: p.cooldown)
    }

    /// Keeps, for each (detector, metric), only the broadest scope that fired (all > group > outlet):
    /// one story, one alert. One exception: when the overall stance moved together with exactly one
    /// of several groups' (`groups` known), that group is the story (the overall mean mixes groups of
    /// opposite leanings, and an analyst needs to know whose coverage turned). Order: detector,
    /// metric, scope.
    static func collapse(_ findings: [Finding], groups: Int = 0) -> [Finding] {
        func breadth(_ s: Scope) -> Int { s == .all ? 0 : s.isGroup ? 1 : s.key.hasPrefix("groups:") ? 1 : 2 }
        let stanceGroups = findings.filter { $0.detector == StanceShiftDetector.name && $0.scope.isGroup }
        let oneGroupTurned = groups > 1 && stanceGroups.count == 1
        let findings = oneGroupTurned ? findings.filter { !($0.detector == StanceShiftDetector.name && $0.scope == .all) } : findings
        var best: [String: Finding] = [:]
        for f in findings {
            let key = f.detector + "|" + f.metric
            if let b = best[key], (breadth(b.scope), b.scope) <= (breadth(f.scope), f.scope) { continue }
            best[key] = f
        }
        // Divergence findings are per pair: keep them all.
        var out = Array(best.values.filter { $0.detector != GroupDivergenceDetector.name })
        out += findings.filter { $0.detector == GroupDivergenceDetector.name }
        return out.sorted { ($0.detector, $0.metric, $0.scope.key) < ($1.detector, $1.metric, $1.scope.key) }
    }

    /// One alert per (detector, scope) per cooldown, measured in bucket time so that replays and
    /// restarts give the same answer.
    mutating func debounce(_ findings: [Finding], bucketStart: Int64, cooldown: TimeInterval) -> [Finding] {
        var out: [Finding] = []
        // Strongest first, so that when one (detector, scope) fires on several metrics at once the
        // strongest is the one reported.
        let ranked = findings.sorted { $0.score != $1.score ? $0.score > $1.score : ($0.metric, $0.scope.key) < ($1.metric, $1.scope.key) }
        func recent(_ key: String, _ table: [String: Int64]) -> Bool { table[key].map { Double(bucketStart - $0) < cooldown } ?? false }
        for f in ranked {
            let key = f.detector + "|" + f.scope.key
            if recent(key, lastAlert) { continue }
            // The overall stance following a group's turn is the same story, already told.
            if f.detector == StanceShiftDetector.name && f.scope == .all
                && lastAlert.keys.contains(where: { $0.hasPrefix(StanceShiftDetector.name + "|group:") && recent($0, lastAlert) }) { continue }
            lastAlert[key] = bucketStart
            out.append(f)
        }
        return out.sorted { ($0.detector, $0.metric, $0.scope.key) < ($1.detector, $1.metric, $1.scope.key) }
    }
}
