import Foundation

/// New actor: an actor co-mentioned with the dyad in at least `newActorMinCount` dyad articles of a
/// bucket whose baseline rate (EWMA of per-bucket mentions, weight `newActorAlpha`) was at most
/// `newActorMaxBaselineRate`, i.e. it was near-absent before. The statistic is the Poisson tail of
/// the count given that baseline rate.
public struct NewActorDetector: Codable, Sendable, Equatable {
    public static let name = "new_actor"
    /// Scope key → actor → baseline rate. Rates that decay below `forgetRate` are dropped, which is
    /// the same as never having seen the actor (keeps the state small).
    public var rates: [String: [String: Double]] = [:]
    static let forgetRate = 1e-3
    /// Rate assumed for an unseen actor when computing the tail.
    static let floorRate = 0.02
    public init() {}

    public mutating func evaluate(aggregates: [Scope: Aggregate], armed: (Scope) -> Bool, params p: DetectorParameters) -> [Finding] {
        var out: [Finding] = []
        for scope in aggregates.keys.sorted() {
            let agg = aggregates[scope]!
            var table = rates[scope.key] ?? [:]
            let isArmed = armed(scope)
            for (actor, count) in agg.actors.sorted(by: { $0.key < $1.key }) where count >= p.newActorMinCount {
                let r = table[actor] ?? 0
                guard isArmed, r <= p.newActorMaxBaselineRate else { continue }
                let tail = CountTail.upper(count, mean: max(r, Self.floorRate), dispersion: 0)
                out.append(Finding(detector: Self.name, scope: scope, metric: "actor:" + actor, baseline: r, current: Double(count),
                                   statisticName: "p", statistic: tail, score: Num.score(tail),
                                   severity: Double(count) >= Severity.strongMultiple * Double(p.newActorMinCount) ? .warning : .info,
                                   selector: .actor(actor),
                                   summary: "new actor \"\(actor)\" in \(count) dyad articles (baseline \(Num.fmt(r)) per bucket)"))
            }
            // Decay every known actor, then add this bucket's counts.
            for (actor, r) in table {
                let next = r * (1 - p.newActorAlpha)
                table[actor] = next < Self.forgetRate ? nil : next
            }
            for (actor, count) in agg.actors where count > 0 {
                table[actor, default: 0] += p.newActorAlpha * Double(count)
            }
            rates[scope.key] = table.isEmpty ? nil : table
        }
        return out
    }
}
