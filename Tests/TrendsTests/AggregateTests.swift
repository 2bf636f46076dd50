import XCTest
@testable import Trends

/// Aggregates add and remove entries exactly, and give the documented metrics.
final class AggregateTests: XCTestCase {
    func testMetricsAndRemoval() {
        var a = Aggregate()
        let c1 = Make.contribution(1, day: 0, dyad: true, stance: 0.6, frames: ["military"], actors: ["NATO"])
        let c2 = Make.contribution(2, day: 0, dyad: true, stance: -0.2, frames: ["military", "economy"])
        let c3 = Make.contribution(3, day: 0, russia: true)
        for c in [c1, c2, c3] { a.apply(c, sign: 1) }
        XCTAssertEqual(a.entries, 3); XCTAssertEqual(a.dyad, 2); XCTAssertEqual(a.russia, 3); XCTAssertEqual(a.china, 2)
        XCTAssertEqual(a.dyadShare, 2.0 / 3.0, accuracy: 1e-12)
        XCTAssertEqual(a.meanStance!, 0.2, accuracy: 1e-12)      // equal weights
        XCTAssertEqual(a.stanceSpread!, 0.4, accuracy: 1e-12)
        XCTAssertEqual(a.frames, ["military": 2, "economy": 1])
        XCTAssertEqual(a.supportive, 1); XCTAssertEqual(a.neutral, 1)
        XCTAssertEqual(a.topActors(5).map(\.name), ["NATO"])
        a.apply(c1, sign: -1)
        XCTAssertEqual(a.meanStance!, -0.2, accuracy: 1e-12)
        XCTAssertEqual(a.frames, ["military": 1, "economy": 1])
        XCTAssertTrue(a.actors.isEmpty)
        a.apply(c2, sign: -1); a.apply(c3, sign: -1)
        a.clearResidue()
        XCTAssertEqual(a, Aggregate())
    }

    /// A changed entry's delta (old removed, new added) keeps the new stance even though the
    /// delta's own dyad count passes through zero.
    func testUpdateDeltaKeepsTheNewStance() {
        var row = Aggregate()
        let old = Make.contribution(1, day: 0, dyad: true, stance: 0.5)
        var new = old; new.stance = -0.5; new.stanceLabel = .critical
        row.apply(old, sign: 1)
        var delta = Aggregate()
        delta.apply(old, sign: -1); delta.apply(new, sign: 1)
        row.merge(delta); row.clearResidue()
        XCTAssertEqual(row.meanStance!, -0.5, accuracy: 1e-12)
        XCTAssertEqual(row.critical, 1); XCTAssertEqual(row.neutral + row.supportive, 0)
    }

    func testMergeEqualsApplyingEachEntry() {
        var one = Aggregate(), merged = Aggregate(), part = Aggregate()
        let cs = (0..<6).map { Make.contribution(Int64($0), day: 0, dyad: $0 % 2 == 0, stance: Double($0) / 10, frames: ["energy"]) }
        for c in cs { one.apply(c, sign: 1) }
        for c in cs.prefix(3) { merged.apply(c, sign: 1) }
        for c in cs.suffix(3) { part.apply(c, sign: 1) }
        merged.merge(part)
        XCTAssertEqual(merged.entries, one.entries)
        XCTAssertEqual(merged.meanStance!, one.meanStance!, accuracy: 1e-12)
        XCTAssertEqual(merged.frames, one.frames)
    }

    func testLateEntriesLandInTheirOwnBucket() {
        let seen = Make.date(day: 10, hour: 3)
        XCTAssertEqual(Contribution.bucketTime(published: Make.date(day: 2), firstSeen: seen), Make.date(day: 2))
        // A publication time far in the future is not trusted.
        XCTAssertEqual(Contribution.bucketTime(published: Make.date(day: 12), firstSeen: seen), seen)
        XCTAssertEqual(Contribution.bucketTime(published: nil, firstSeen: seen), seen)
    }
}
