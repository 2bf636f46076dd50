import DyadConfig
import DyadCore
import FeedStorage
import Foundation
import StorageConformance
import Synchronization
@testable import PostgresStorage
import XCTest

/// The page queue shared by several daemons: a page is claimed by one node at a time, other nodes
/// do not list it while the claim lives, recording the outcome or leaving ends it, and the claim of
/// a node that died is taken over when it expires.
final class PageClaimTests: ClusterTestCase {
    let feed = FeedConfig(id: "herald", name: "Herald", url: "https://example.invalid/herald", outlet: "Herald", group: "western")

    /// Two pending pages, stored by node `a`.
    func queue(_ a: PostgresState) throws -> [PageJob] {
        var identity = FeedIdentity(feed)
        identity.pages = PageRequestLimits(firstPollBacklog: 10, queueLimit: 10)
        let state = try XCTUnwrap(try a.feeds.register([feed]).first)
        let entries = (1...2).map { FeedEntry(id: "s\($0)", title: "Story \($0)", link: "https://example.invalid/s\($0)", text: "t") }
        _ = try a.feeds.commitPoll(identity, state: state, entries: entries, now: t0)
        let jobs = try a.feeds.pendingPages(limit: 10)
        XCTAssertEqual(jobs.count, 2)
        return jobs
    }

    func expireClaims(_ s: PostgresState) throws {
        _ = try s.client.withConnection { c in
            try c.execute("UPDATE entries SET page_lease_until = now() - interval '1 second' WHERE page_lease_until IS NOT NULL")
        }
    }

    func testAClaimedPageIsNeitherListedNorClaimedByAnotherNode() throws {
        let (a, b) = try twoNodes()
        let jobs = try queue(a)
        XCTAssertTrue(try a.feeds.claimPage(jobs[0], seconds: 60))
        XCTAssertTrue(try a.feeds.claimPage(jobs[0], seconds: 60), "a renews its own claim")
        XCTAssertFalse(try b.feeds.claimPage(jobs[0], seconds: 60))
        XCTAssertEqual(try b.feeds.pendingPages(limit: 10), [jobs[1]], "b does not list a's page")
        XCTAssertEqual(try a.feeds.pendingPages(limit: 10), jobs, "a still does")
        try a.feeds.heartbeat(polls: 0)
        XCTAssertEqual(try b.feeds.nodes().first { $0.node == "a" }?.pageClaims, 1, "status shows a's claim")

        // a records the outcome: the page is decided for everyone; b's late record changes nothing.
        XCTAssertNotNil(try a.feeds.recordPage(jobs[0], status: .extracted, text: "body", feed: FeedIdentity(feed), now: t0))
        XCTAssertNil(try b.feeds.recordPage(jobs[0], status: .timeout, text: nil, feed: FeedIdentity(feed), now: t0))
        XCTAssertFalse(try b.feeds.claimPage(jobs[0], seconds: 60), "no longer pending")
        XCTAssertEqual(try a.feeds.fulltextCounts().byStatus, [.extracted: 1, .pending: 1])
    }

    func testADeadNodesClaimExpiresAndALeavingNodesEndsAtOnce() throws {
        let (a, b) = try twoNodes()
        let jobs = try queue(a)
        XCTAssertTrue(try a.feeds.claimPage(jobs[0], seconds: 60))
        XCTAssertTrue(try a.feeds.claimPage(jobs[1], seconds: 60))
        XCTAssertEqual(try b.feeds.pendingPages(limit: 10), [])
        // a dies: once its claims expire, b lists and claims the page.
        try expireClaims(a)
        XCTAssertEqual(try b.feeds.pendingPages(limit: 10), jobs)
        XCTAssertTrue(try b.feeds.claimPage(jobs[0], seconds: 60))
        XCTAssertFalse(try a.feeds.claimPage(jobs[0], seconds: 60), "b holds it now")
        // b leaves cleanly: its claim ends without waiting for the expiry.
        try b.feeds.leave()
        XCTAssertTrue(try a.feeds.claimPage(jobs[0], seconds: 60))
    }

    func testConcurrentClaimsGiveAPageToExactlyOneNode() throws {
        let database = try XCTUnwrap(db)
        let nodes = try (0..<6).map { try database.open(node: "n\($0)") }
        let jobs = try queue(nodes[0])
        let wins = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: nodes.count) { i in
            if (try? nodes[i].feeds.claimPage(jobs[0], seconds: 60)) == true { wins.withLock { $0 += 1 } }
        }
        XCTAssertEqual(wins.withLock { $0 }, 1)
    }
}
