import FeedFetching
import Synchronization
import XCTest

/// `HostActivity` applies `HostSlots`' per-host rule to feed polls and pages together.
final class HostActivityTests: XCTestCase {
    /// A settable monotonic clock.
    private final class Ticker: Sendable {
        private let seconds = Mutex<TimeInterval>(1_000)
        func now() -> TimeInterval { seconds.withLock { $0 } }
        func advance(_ s: TimeInterval) { seconds.withLock { $0 += s } }
    }

    func testTheLimitCountsEveryTransferToTheHost() {
        let ticker = Ticker()
        let hosts = HostActivity(slowAfter: 5, now: { ticker.now() })
        let a = hosts.enter("news.example:443")
        XCTAssertTrue(hosts.canStart("news.example:443", perHost: 2))
        let b = hosts.enter("news.example:443")
        XCTAssertFalse(hosts.canStart("news.example:443", perHost: 2))
        XCTAssertTrue(hosts.canStart("other.example:443", perHost: 2), "hosts are counted apart")
        XCTAssertEqual(hosts.count("news.example:443"), 2)
        hosts.leave("news.example:443", token: a)
        XCTAssertTrue(hosts.canStart("news.example:443", perHost: 2))
        hosts.leave("news.example:443", token: b)
        XCTAssertEqual(hosts.count("news.example:443"), 0)
    }

    /// The same rule as the fetcher's: a transfer running past `slowAfter` stops holding its
    /// slot, so a stalled feed poll does not keep the host's pages waiting for its whole timeout.
    func testASlowTransferStopsHoldingItsSlot() {
        let ticker = Ticker()
        let hosts = HostActivity(slowAfter: 5, now: { ticker.now() })
        _ = hosts.enter("news.example:80")
        XCTAssertFalse(hosts.canStart("news.example:80", perHost: 1))
        ticker.advance(5)
        XCTAssertTrue(hosts.canStart("news.example:80", perHost: 1))
        var slots = HostSlots(perHost: 1, slowAfter: 5)
        _ = slots.start("news.example:80", now: 1_000)
        XCTAssertEqual(slots.canStart("news.example:80", now: 1_005), hosts.canStart("news.example:80", perHost: 1))
    }
}
