import DyadConfig
import DyadCore
import FeedStorage
import Foundation
import StorageConformance
import Synchronization
@testable import PostgresStorage
import XCTest

/// Several daemons on one database: a feed is claimed by one node at a time, storing the outcome
/// releases it, an expired lease (a dead node) is taken over, and one node delivers alerts.
final class ClusterLeaseTests: ClusterTestCase {
    let feed = FeedConfig(id: "alpha", name: "Alpha", url: "https://example.invalid/alpha", outlet: "Alpha", group: "western")

    /// Moves a lease's end into the past, as if its node died a lease period ago.
    func expireLeases(_ s: PostgresState) throws {
        try s.client.withConnection { c in
            try c.execute("UPDATE feeds SET lease_until = now() - interval '1 second' WHERE lease_until IS NOT NULL")
            try c.execute("UPDATE cluster_leases SET until = now() - interval '1 second'")
        }
    }

    func testOneNodeAtATimeAndReleaseOnCommit() throws {
        let (a, b) = try twoNodes()
        var state = try XCTUnwrap(try a.feeds.register([feed]).first)
        XCTAssertEqual(try a.feeds.claim("alpha", now: t0), .claimed)
        guard case .leased(let owner, let retry) = try b.feeds.claim("alpha", now: t0) else { return XCTFail("b must not get it") }
        XCTAssertEqual(owner, "a")
        XCTAssertGreaterThan(retry, 1)
        XCTAssertEqual(try a.feeds.nodes().count, 0, "no heartbeat yet")
        try a.feeds.heartbeat(polls: 1)
        XCTAssertEqual(try b.feeds.nodes().first?.leasedFeeds, ["alpha"])

        // a stores its poll: the lease ends, the next due time is what b sees.
        state.lastStatus = 200; state.nextDue = t0.addingTimeInterval(600)
        _ = try a.feeds.commitPoll(FeedIdentity(feed), state: state, entries: [FeedEntry(id: "1", title: "x", text: "x")], now: t0)
        XCTAssertEqual(try b.feeds.claim("alpha", now: t0.addingTimeInterval(5)), .notDue(nextDue: t0.addingTimeInterval(600)))
        XCTAssertEqual(try b.feeds.claim("alpha", now: t0.addingTimeInterval(600)), .claimed, "due again: whoever asks first")
        XCTAssertEqual(try a.feeds.nodes().first?.leasedFeeds, [])
    }

    func testADeadNodesLeaseIsTakenOverWhenItExpires() throws {
        let (a, b) = try twoNodes()
        _ = try a.feeds.register([feed])
        XCTAssertEqual(try a.feeds.claim("alpha", now: t0), .claimed)
        // a dies here (no commit). Until its lease ends b cannot have the feed; afterwards it can.
        if case .claimed = try b.feeds.claim("alpha", now: t0) { XCTFail("a's lease is live") }
        try expireLeases(a)
        XCTAssertEqual(try b.feeds.claim("alpha", now: t0), .claimed)
    }

    /// Seconds left on a feed's lease, by the database's clock.
    func leaseLeft(_ s: PostgresState, _ id: String) throws -> Double? {
        try s.client.withConnection { c in
            try c.query("SELECT EXTRACT(EPOCH FROM lease_until - now())::float8 AS left FROM feeds WHERE id = $1", [.text(id)])
                .first?.get("left", as: Double?.self)
        }
    }

    func testRenewalKeepsTheLeaseOfAPollInFlightAndOnlyItsOwn() throws {
        let (a, b) = try twoNodes()
        _ = try a.feeds.register([feed, FeedConfig(id: "beta", name: "Beta", url: "https://example.invalid/beta", outlet: "Beta", group: "western")])
        XCTAssertEqual(try a.feeds.claim("alpha", now: t0), .claimed)
        // The lease is about to end (a slow poll): a renewal gives it a whole period again.
        _ = try a.client.withConnection { c in try c.execute("UPDATE feeds SET lease_until = now() + interval '2 seconds' WHERE id = 'alpha'") }
        try a.feeds.renew(["alpha"])
        XCTAssertGreaterThan(try XCTUnwrap(try leaseLeft(a, "alpha")), a.feeds.leaseSeconds - 5)
        if case .claimed = try b.feeds.claim("alpha", now: t0) { XCTFail("a's renewed lease is live") }
        // A lease that expired and was taken by b is b's: a's renewal does not touch it.
        try expireLeases(a)
        XCTAssertEqual(try b.feeds.claim("alpha", now: t0), .claimed)
        try a.feeds.renew(["alpha", "beta"])
        XCTAssertEqual(try b.feeds.nodes().isEmpty, true)
        try b.feeds.heartbeat(polls: 1)
        XCTAssertEqual(try b.feeds.nodes().first { $0.node == "b" }?.leasedFeeds, ["alpha"])
        XCTAssertNil(try leaseLeft(a, "beta"), "renewal claims nothing new")
    }

    func testConcurrentClaimsGiveTheFeedToExactlyOneNode() throws {
        let database = try XCTUnwrap(db)
        let nodes = try (0..<6).map { try database.open(node: "n\($0)") }
        _ = try nodes[0].feeds.register([feed])
        let results = Mutex<[FeedClaim]>([])
        let now = t0
        DispatchQueue.concurrentPerform(iterations: nodes.count) { i in
            let r = (try? nodes[i].feeds.claim("alpha", now: now)) ?? .notDue(nextDue: nil)
            results.withLock { $0.append(r) }
        }
        XCTAssertEqual(results.withLock { $0 }.filter { $0 == .claimed }.count, 1)
    }

    func testOneNodeDeliversAlertsUntilItsLeaseExpires() throws {
        let (a, b) = try twoNodes()
        _ = try a.analysis.write { try $0.outbox.enqueue([StorageConformance.alert(1)]) }
        XCTAssertEqual(try a.analysis.readOutbox { try $0.pending() }.count, 1)
        XCTAssertEqual(try b.analysis.readOutbox { try $0.pending() }.count, 0, "a holds the delivery lease")
        XCTAssertEqual(try a.analysis.readOutbox { try $0.pending() }.count, 1, "and renews it")
        try expireLeases(a)
        XCTAssertEqual(try b.analysis.readOutbox { try $0.pending() }.count, 1, "b takes over when a's lease ends")
        XCTAssertEqual(try a.analysis.readOutbox { try $0.pending() }.count, 0)
    }
}

extension ClusterLeaseTests {
    /// Sets `node`'s last heartbeat `seconds` ago, by the database's clock.
    func setHeartbeatAge(_ s: PostgresState, _ node: String, _ seconds: Double) throws {
        _ = try s.client.withConnection { c in
            try c.execute("UPDATE cluster_nodes SET heartbeat = now() - make_interval(secs => $2) WHERE node = $1",
                          [.text(node), .double(seconds)])
        }
    }

    func testANodeSilentForManyLeasePeriodsIsForgottenByTheOthers() throws {
        let (a, b) = try twoNodes()
        try a.feeds.heartbeat(polls: 1)
        try b.feeds.heartbeat(polls: 1)
        let limit = b.feeds.leaseSeconds * Double(ClusterMembership.forgetAfterLeases)
        // Silent for a little less than the limit: still listed (status shows a dead node for a while).
        try setHeartbeatAge(b, "a", limit - 60)
        try b.feeds.heartbeat(polls: 2)
        XCTAssertEqual(try b.feeds.nodes().map(\.node), ["a", "b"])
        // Past it: b's next heartbeat removes a's row.
        try setHeartbeatAge(b, "a", limit + 1)
        try b.feeds.heartbeat(polls: 3)
        XCTAssertEqual(try b.feeds.nodes().map(\.node), ["b"])
        // A node never forgets itself, and one that comes back is listed again.
        try setHeartbeatAge(b, "b", limit + 1)
        try b.feeds.heartbeat(polls: 4)
        try a.feeds.heartbeat(polls: 5)
        XCTAssertEqual(try a.feeds.nodes().map(\.node), ["a", "b"])
        XCTAssertEqual(try a.feeds.nodes().map(\.polls), [5, 4])
    }

    /// A manual poll (`poll --once --all`) claims a feed before it is due, but never one a live
    /// daemon holds.
    func testClaimNowIgnoresTheScheduleButNotALiveLease() throws {
        let (a, b) = try twoNodes()
        var state = try XCTUnwrap(try a.feeds.register([feed]).first)
        state.lastStatus = 200; state.nextDue = t0.addingTimeInterval(600)
        _ = try a.feeds.commitPoll(FeedIdentity(feed), state: state, entries: [FeedEntry(id: "1", title: "x", text: "x")], now: t0)
        XCTAssertEqual(try b.feeds.claim("alpha", now: t0), .notDue(nextDue: t0.addingTimeInterval(600)))
        XCTAssertEqual(try b.feeds.claimNow("alpha", now: t0), .claimed)
        guard case .leased(let owner, _) = try a.feeds.claimNow("alpha", now: t0) else { return XCTFail("b holds a live lease") }
        XCTAssertEqual(owner, "b")
    }
}
