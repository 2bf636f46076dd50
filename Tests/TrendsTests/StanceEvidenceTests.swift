import XCTest
import DyadCore
@testable import Trends
import Alerts

/// Stance alerts on article streams: thin buckets pooled, the group that turned named, and the
/// body sentences that carried the stance quoted.
final class StanceEvidenceTests: XCTestCase {
    var db: TestDatabase!
    override func setUpWithError() throws { db = try TestDatabase() }
    override func tearDown() { db.remove() }

    func article(_ id: Int64, day: Int, hour: Int, group: String, stance: Double) -> Contribution {
        var c = Make.contribution(id, day: day, hour: hour, outlet: group == "western" ? "Ledger" : "Herald", group: group,
                                  dyad: true, stance: stance, title: "Headline \(id)")
        c.relevance = hour % 2 == 0 ? 0.9 : 0.2
        c.quotes = [StanceQuote(sentence: "Body sentence \(id) \(stance < 0 ? "critical" : "supportive").", cue: stance < 0 ? "strain" : "deepen",
                                weight: stance < 0 ? -1 : 0.8)]
        return c
    }

    func testGroupTurnWithFewArticlesIsNamedAndQuoted() throws {
        let pool = try db.open()
        let engine = TrendEngine(params: DetectorParameters())
        var alerts: [AlertRecord] = []
        var id: Int64 = 0
        for d in 0..<20 {
            var cs: [Contribution] = []
            // Western: 3 a day (2 on even days, pooled), turning critical on day 14; eastern: 3 a day, steady.
            for i in 0..<(d % 2 == 0 ? 2 : 3) {
                id += 1
                let s = (d < 14 ? 0.3 : -0.5) + Double(i % 3 - 1) * 0.15
                cs.append(article(id, day: d, hour: 8 + i, group: "western", stance: s))
            }
            for i in 0..<3 {
                id += 1
                cs.append(article(id, day: d, hour: 12 + i, group: "cn-state", stance: 0.6 + Double(i % 3 - 1) * 0.1))
            }
            try pool.write { x in
                try engine.ingest(x, cs)
                alerts += try engine.close(x, now: Make.date(day: d + 1, hour: 2)).alerts
            }
        }
        let stance = alerts.filter { $0.detector == StanceShiftDetector.name }
        XCTAssertEqual(stance.map(\.scope), ["group:western"], "\(alerts.map(AlertLine.format))")
        let a = try XCTUnwrap(stance.first)
        let day = Int((a.bucket.timeIntervalSince1970 - Double(Make.monday)) / 86_400)
        XCTAssertTrue((14...15).contains(day), "alert on day \(day)")
        XCTAssertFalse(alerts.contains { $0.bucket < Make.date(day: 14) }, "\(alerts.map(AlertLine.format))")
        // Evidence: western articles of the critical side, each quoting its critical sentence.
        XCTAssertFalse(a.evidence.isEmpty)
        for e in a.evidence {
            XCTAssertEqual(e.group, "western")
            XCTAssertEqual(e.quotes?.first?.sentence, "Body sentence \(e.entryID) critical.")
        }
        XCTAssertTrue(AlertLine.format(a).contains("quote: \"Body sentence"), AlertLine.format(a))
    }

    func testQuotesAreBodySentencesStrongestFirst() {
        let evidence = [
            Evidence(text: "closer", cue: "closer", weight: 0.8, start: 5, end: 11, sentence: nil),
            Evidence(text: "strained", cue: "strain*", weight: -1, start: 40, end: 48, sentence: "Ties have strained."),
            Evidence(text: "rift", cue: "rift", weight: -1, start: 50, end: 54, sentence: "Ties have strained."),
            Evidence(text: "deepen", cue: "deepen*", weight: 0.8, start: 70, end: 76, sentence: "Trade may deepen."),
        ]
        let q = StanceQuote.strongest(evidence, limit: 3)
        XCTAssertEqual(q.map(\.sentence), ["Ties have strained.", "Trade may deepen."])
        XCTAssertEqual(q.first?.cue, "strain*")
    }

    func testWeightIsRecordedOnceAndRemovedExactly() throws {
        let pool = try db.open()
        var p = DetectorParameters(); p.stanceWeightFloor = 0.5
        let engine = TrendEngine(params: p)
        var c = Make.contribution(1, day: 0, dyad: true, stance: -0.4)
        c.relevance = 0.2
        try pool.write { x in try engine.ingest(x, [c]) }
        // The floor changes (a new configuration), then the entry changes: the old contribution is
        // removed with the weight it was added with.
        var later = DetectorParameters(); later.stanceWeightFloor = 1
        c.stance = 0.4
        try pool.write { x in try TrendEngine(params: later).ingest(x, [c]) }
        try pool.read { x in
            let a = try XCTUnwrap(try TrendRows.aggregate(x, BucketKey(granularity: .day, start: Make.monday, scope: .all)))
            XCTAssertEqual(a.stanceW, 1, accuracy: 1e-12)
            XCTAssertEqual(a.meanStance ?? 0, 0.4, accuracy: 1e-12)
        }
    }
}

/// Detector state saved by 0.1.0 (per-scope `spreads`, no pools, no re-arm counter) still loads.
final class DetectorStateCompatibilityTests: XCTestCase {
    func testStateOfRelease010Decodes() throws {
        let old = """
        {"stance":{"cusums":{"all":{"baseline":0.2,"tau2":0.01,"upper":1.5,"lower":0,"observations":30}},
                   "spreads":{"all":{"value":0.3,"count":30}}},
         "divergence":{"cusums":{},"spreads":{}},
         "frame":{"models":{"all|military":{"frameArticles":{"value":2,"count":30},"dyadArticles":{"value":10,"count":30},"previous":[2,10]}}},
         "volume":{"models":{}},"newActor":{"rates":{}},"observed":{"all":30},"scopes":["all"],"lastAlert":{}}
        """
        let suite = try JSONDecoder().decode(DetectorSuite.self, from: Data(old.utf8))
        XCTAssertEqual(suite.stance.cusums["all"]?.baseline, 0.2)
        XCTAssertEqual(suite.stance.cusums["all"]?.upper, 1.5)
        XCTAssertNil(suite.stance.cusums["all"]?.sinceAlarm)
        XCTAssertTrue(suite.stance.variances.isEmpty)
        XCTAssertEqual(suite.frame.models["all|military"]?.share, 0.2)
        // And it keeps working.
        var s = suite
        var a = Aggregate()
        var c = SyntheticEvaluation.contribution(id: 1)
        c.stance = 0.2; c.weight = 1
        for _ in 0..<4 { a.apply(c, sign: 1) }
        _ = s.run(bucketStart: SyntheticEvaluation.dayStart, granularity: .day, aggregates: [.all: a], params: DetectorParameters())
        XCTAssertNotNil(s.stance.variances["all"])
    }
}
