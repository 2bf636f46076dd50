import XCTest
import GRDB
@testable import Trends
import Alerts

/// Aggregation and detection on a real SQLite file: idempotence, updates, bucket closing, and
/// debounce that survives a restart.
final class TrendEngineTests: XCTestCase {
    var db: TestDatabase!
    override func setUpWithError() throws { db = try TestDatabase() }
    override func tearDown() { db.remove() }

    var params: DetectorParameters { var p = DetectorParameters(); p.warmupBuckets = 5; return p }

    func testIngestIsIdempotentAndUpdatesReplaceTheOldContribution() throws {
        let pool = try db.open()
        let engine = TrendEngine(params: params)
        let c = Make.contribution(7, day: 1, dyad: true, stance: 0.5)
        try pool.write { d in
            XCTAssertEqual(try engine.ingest(d, [c]), 1)
            XCTAssertEqual(try engine.ingest(d, [c]), 0)
        }
        var changed = c
        changed.stance = -0.5; changed.time = Make.date(day: 2, hour: 5)
        try pool.write { d in XCTAssertEqual(try engine.ingest(d, [changed]), 1) }
        try pool.read { d in
            let day1 = try TrendRows.aggregates(d, granularity: .day, start: Make.monday + 86_400)
            XCTAssertTrue(day1.isEmpty, "the old bucket lost the entry")
            let day2 = try TrendRows.aggregates(d, granularity: .day, start: Make.monday + 2 * 86_400)
            XCTAssertEqual(day2[.all]?.entries, 1)
            XCTAssertEqual(day2[.outlet("Global Times")]?.meanStance, -0.5)
            XCTAssertEqual(day2[.group("cn-state")]?.dyad, 1)
            XCTAssertEqual(try TrendRows.aggregates(d, granularity: .hour, start: Make.monday + 2 * 86_400 + 5 * 3_600)[.all]?.entries, 1)
        }
    }

    /// Ten quiet days, then a surge of Russia-side coverage: one alert with evidence, judged when
    /// the bucket closes; the same surge is not raised again after a restart, and the cooldown
    /// holds across the restart too.
    func testSurgeAlertsOnceAcrossRestarts() throws {
        var id: Int64 = 0
        func day(_ d: Int, russia: Int, other: Int = 5) -> [Contribution] {
            (0..<(russia + other)).map { i in
                id += 1
                return Make.contribution(id, day: d, hour: i % 24, russia: i < russia, title: i < russia ? "Russia story \(id)" : "Other \(id)")
            }
        }
        var pool: DatabasePool? = try db.open()
        let engine = TrendEngine(params: params)
        var all: [AlertRecord] = []
        for d in 0..<10 {
            try pool!.write { x in
                try engine.ingest(x, day(d, russia: 1 + d % 2))
                let r = try engine.close(x, now: Make.date(day: d + 1, hour: 2))
                all += r.alerts
                try AlertOutbox.enqueue(x, r.alerts)
            }
        }
        XCTAssertEqual(all.count, 0, "no alert on a quiet stream: \(all.map(\.summary))")
        // Day 10: the surge. Its bucket closes at day 11 01:00 (close delay 1 h): not yet at 00:30.
        try pool!.write { x in
            try engine.ingest(x, day(10, russia: 20))
            XCTAssertTrue(try engine.close(x, now: Make.date(day: 10, hour: 23)).alerts.isEmpty)
        }
        let surge = try pool!.write { x -> [AlertRecord] in
            let r = try engine.close(x, now: Make.date(day: 11, hour: 2))
            try AlertOutbox.enqueue(x, r.alerts)
            return r.alerts
        }
        XCTAssertEqual(surge.map(\.detector), [VolumeSurgeDetector.name])
        let alert = try XCTUnwrap(surge.first)
        XCTAssertEqual(alert.scope, "all")
        XCTAssertEqual(alert.metric, "count:russia")
        XCTAssertEqual(alert.current, 20)
        XCTAssertEqual(alert.evidence.count, 3)
        XCTAssertTrue(alert.evidence.allSatisfy { $0.title.hasPrefix("Russia story") })

        // Restart: a new process opens the same file; judging the same time again is a no-op.
        pool = nil
        pool = try db.open()
        try pool!.write { x in
            XCTAssertTrue(try engine.close(x, now: Make.date(day: 11, hour: 3)).alerts.isEmpty)
            // Re-queuing the same alert (same id) is ignored.
            XCTAssertEqual(try AlertOutbox.enqueue(x, surge), 0)
        }
        // Day 11: a second, bigger surge inside the 72 h cooldown is debounced (state came from disk).
        let second = try pool!.write { x -> [AlertRecord] in
            try engine.ingest(x, day(11, russia: 60))
            return try engine.close(x, now: Make.date(day: 12, hour: 2)).alerts
        }
        XCTAssertTrue(second.filter { $0.scope == "all" && $0.detector == VolumeSurgeDetector.name }.isEmpty)
        try pool!.read { x in XCTAssertEqual(try AlertOutbox.count(x), 1) }
    }

    func testNewActorAndStanceShiftWithEvidence() throws {
        let pool = try db.open()
        var p = params
        p.cooldown = 0
        let engine = TrendEngine(params: p)
        var id: Int64 = 0
        var alerts: [AlertRecord] = []
        for d in 0..<14 {
            let stance = d < 12 ? 0.4 : -0.5
            var cs: [Contribution] = []
            for i in 0..<12 {
                id += 1
                let actors = d >= 12 && i < 4 ? ["Arctic Council"] : ["United States"]
                cs.append(Make.contribution(id, day: d, hour: i, dyad: true, stance: stance + Double(i % 3 - 1) * 0.05,
                                            frames: ["diplomacy"], actors: actors, title: "Dyad \(d)-\(i)"))
            }
            try pool.write { x in
                try engine.ingest(x, cs)
                alerts += try engine.close(x, now: Make.date(day: d + 1, hour: 2)).alerts
            }
        }
        let stance = try XCTUnwrap(alerts.first { $0.detector == StanceShiftDetector.name })
        XCTAssertEqual(stance.scope, "all")
        XCTAssertLessThan(stance.current, stance.baseline)
        XCTAssertTrue(stance.evidence.allSatisfy { ($0.stance ?? 0) < 0 })
        let actor = try XCTUnwrap(alerts.first { $0.detector == NewActorDetector.name })
        XCTAssertEqual(actor.metric, "actor:Arctic Council")
        XCTAssertEqual(actor.evidence.count, 3)
        XCTAssertEqual(AlertLine.format(actor).components(separatedBy: "\n").count, 1)
    }

    func testDivergenceBetweenGroups() throws {
        var suite = DetectorSuite()
        var p = params
        p.cooldown = 0
        var found: [Finding] = []
        for d in 0..<20 {
            var cn = Aggregate(), west = Aggregate()
            for i in 0..<10 {
                cn.apply(Make.contribution(Int64(d * 100 + i), day: d, group: "cn-state", dyad: true, stance: 0.5 + Double(i % 3 - 1) * 0.1), sign: 1)
                let w = d < 15 ? 0.3 : -0.4
                west.apply(Make.contribution(Int64(d * 100 + 50 + i), day: d, outlet: "BBC", group: "western", dyad: true,
                                             stance: w + Double(i % 3 - 1) * 0.1), sign: 1)
            }
            var aggs: [Scope: Aggregate] = [.group("cn-state"): cn, .group("western"): west]
            var all = cn; all.merge(west); aggs[.all] = all
            for s in aggs.keys { suite.register(s) }
            found += suite.run(bucketStart: Make.monday + Int64(d) * 86_400, granularity: .day, aggregates: aggs, params: p)
        }
        let div = try XCTUnwrap(found.first { $0.detector == GroupDivergenceDetector.name })
        XCTAssertEqual(div.scope.key, "groups:cn-state~western")
        XCTAssertGreaterThan(div.current, div.baseline, "the gap cn-state − western opened")
    }

    func testDetectorStateRoundTripsThroughJSON() throws {
        var suite = DetectorSuite()
        suite.register(.all)
        var a = Aggregate(); a.russia = 4; a.entries = 9
        _ = suite.run(bucketStart: Make.monday, granularity: .day, aggregates: [.all: a], params: params)
        let data = try TrendRows.encoder.encode(suite)
        XCTAssertEqual(try TrendRows.decoder.decode(DetectorSuite.self, from: data), suite)
    }
}

/// Hourly judging: the hour-of-week rhythm (busy days, quiet nights) is learned, and a surge in
/// one hour is caught when that hour closes.
final class HourlyDetectionTests: XCTestCase {
    func testHourlySurgeAgainstTheHourOfWeekRhythm() throws {
        var p = DetectorParameters()
        p.granularity = .hour
        p.warmupBuckets = 168
        p.cooldown = 0
        var suite = DetectorSuite()
        suite.register(.all)
        var rng = SeededRNG(seed: 42)
        var alerts: [Int] = []
        let weeks = 4
        let surgeHour = 3 * 168 + 24 * 2 + 3 // a Wednesday at 03:00 UTC, normally quiet
        for h in 0..<(weeks * 168) {
            let hourOfDay = h % 24
            var mean = hourOfDay >= 6 && hourOfDay < 20 ? 4.0 : 0.5
            if h == surgeHour { mean = 12 }
            var a = Aggregate()
            a.russia = rng.poisson(mean); a.entries = a.russia
            let found = suite.run(bucketStart: Make.monday + Int64(h) * 3_600, granularity: .hour, aggregates: [.all: a], params: p)
            if !found.isEmpty { alerts.append(h) }
        }
        XCTAssertTrue(alerts.contains(surgeHour), "alerts at \(alerts)")
        XCTAssertLessThanOrEqual(alerts.count, 2, "at most one false alert in \(weeks * 168 - 168) judged hours: \(alerts)")
        let model = try XCTUnwrap(suite.volume.models["all|russia"])
        XCTAssertGreaterThan(model.factor(12), 3 * model.factor(2), "daytime hours are expected busier than nights")
    }
}
