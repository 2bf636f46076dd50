import Alerts
import FeedStorage
import Foundation
import Trends

/// Copies a whole state (in practice the SQLite file) into an empty PostgreSQL database, in one
/// transaction: feeds, entries (with their ids, so analyses and alert evidence still point at
/// them), analyses, contributions, aggregates, detector state and the outbox with its delivery
/// flags. The source is read through the stages' protocols, the target written by this module.
public enum StateImport {
    public struct Counts: Sendable, Equatable, CustomStringConvertible {
        public var feeds = 0, entries = 0, analyses = 0, contributions = 0, buckets = 0, stateKeys = 0, alerts = 0
        public var description: String {
            "\(feeds) feeds, \(entries) entries, \(analyses) analyses, \(contributions) contributions, \(buckets) buckets, "
                + "\(stateKeys) detector state keys, \(alerts) alerts"
        }
    }

    public enum ImportError: Error, CustomStringConvertible {
        case targetNotEmpty(String)
        case countMismatch(String, Counts, Counts)
        public var description: String {
            switch self {
            case .targetNotEmpty(let w): return "\(w) already holds a dyadwatch state; migrate only into an empty database"
            case .countMismatch(let w, let a, let b): return "copy check failed for \(w): source \(a), copied \(b)"
            }
        }
    }

    /// Copies `feeds` + `analysis` into `target` (migrated, empty); returns what was copied, after
    /// counting it again on both sides.
    public static func run(from feeds: any FeedStoring, _ analysis: any AnalysisStore, into target: PostgresState,
                           batch: Int = 1_000) throws -> Counts {
        let source = try count(feeds, analysis)
        let copied = try target.client.transaction { c -> Counts in
            let existing = try c.query("""
                SELECT (SELECT COUNT(*) FROM feeds) + (SELECT COUNT(*) FROM entries) + (SELECT COUNT(*) FROM alerts_outbox)
                     + (SELECT COUNT(*) FROM trends_state) AS n
                """)[0].get("n", as: Int64.self)
            guard existing == 0 else { throw ImportError.targetNotEmpty(target.client.location) }
            var n = Counts()
            for state in try feeds.states() {
                try PostgresFeedStore.write(state, c)
                n.feeds += 1
            }
            var after: Int64 = 0
            while true {
                let page = try feeds.entryRevisions(after: after, limit: batch)
                guard let last = page.last else { break }
                for e in try feeds.entries(ids: page.map(\.id)) { _ = try PostgresFeedStore.insertEntry(e, c); n.entries += 1 }
                after = last.id
            }
            // The analysis marks: every entry marked at its revision but those the source still
            // lists as candidates for analysis (unmarked here too).
            try c.execute("UPDATE entries SET analyzed_revision = revision")
            after = 0
            while true {
                let page = try feeds.unanalyzedEntries(after: after, limit: batch)
                guard let last = page.last else { break }
                try c.execute("UPDATE entries SET analyzed_revision = NULL WHERE id = ANY($1::bigint[])", [.intArray(page.map(\.id))])
                after = last.id
            }
            try c.execute("SELECT setval(pg_get_serial_sequence('entries', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM entries")
            let trends = PostgresTrendTables(c: c)
            let outbox = PostgresOutbox(c: c, delivery: nil)
            try analysis.read { src in
                try src.trends.forEachAnalysis { try trends.storeAnalysis($0); n.analyses += 1 }
                try src.trends.forEachContribution { try trends.saveContribution($0); n.contributions += 1 }
                try src.trends.forEachAggregate { k, a in try trends.saveAggregate(k, a); n.buckets += 1 }
                for key in try src.trends.stateKeys() {
                    if let v = try src.trends.stateValue(key) { try trends.setStateValue(key, v); n.stateKeys += 1 }
                }
                let rows = try src.outbox.all()
                try outbox.restore(rows)
                n.alerts = rows.count
            }
            return n
        }
        let check = try count(target.feeds, target.analysis)
        guard copied == source, check == source else { throw ImportError.countMismatch(target.client.location, source, check) }
        return check
    }

    /// What a state holds, counted through the protocols.
    static func count(_ feeds: any FeedStoring, _ analysis: any AnalysisStore) throws -> Counts {
        var n = Counts()
        n.feeds = try feeds.states().count
        n.entries = try feeds.entryCount()
        try analysis.read { db in
            try db.trends.forEachAnalysis { _ in n.analyses += 1 }
            try db.trends.forEachContribution { _ in n.contributions += 1 }
            try db.trends.forEachAggregate { _, _ in n.buckets += 1 }
            n.stateKeys = try db.trends.stateKeys().count
            n.alerts = try db.outbox.all().count
        }
        return n
    }
}
