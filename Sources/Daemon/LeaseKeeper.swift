import FeedStorage
import Foundation
import Logging
import Synchronization

/// This daemon's standing among the daemons sharing a database: its heartbeat, and the renewal of
/// its leases on the feeds it is polling right now. It runs on a timer and a queue of its own,
/// every third of a lease period, so neither a slow poll, nor analysis, nor the maintenance round
/// can make a live node's lease lapse; only a dead (or frozen) process loses its feeds.
final class LeaseKeeper: Sendable {
    private let leasing: any FeedLeasing
    private let inFlight = Mutex<Set<String>>([])
    private let polls = Atomic<Int>(0)
    private let queue = DispatchQueue(label: "dyadwatch.leases", qos: .userInitiated)
    private let stopped = Atomic<Bool>(false)
    private let logger: Logger
    /// Seconds between two rounds.
    let interval: TimeInterval

    /// Rounds at most this far apart whatever the lease (the heartbeat `status` shows).
    static let longestInterval: TimeInterval = 10

    init(leasing: any FeedLeasing, logger: Logger = Logger(label: "dyadwatch")) {
        self.leasing = leasing
        self.logger = logger
        interval = min(Self.longestInterval, max(1, leasing.leaseSeconds / 3))
    }

    func start() { queue.async { [self] in tick() } }

    private func tick() {
        guard !stopped.load(ordering: .relaxed) else { return }
        round()
        queue.asyncAfter(deadline: .now() + interval) { [weak self] in self?.tick() }
    }

    func stop() {
        stopped.store(true, ordering: .relaxed)
        queue.sync {}
    }

    /// A poll of `feedID` began under this node's lease.
    func claimed(_ feedID: String) {
        polls.add(1, ordering: .relaxed)
        inFlight.withLock { _ = $0.insert(feedID) }
    }

    /// Its outcome is stored (the lease was released with it) or the poll was abandoned.
    func finished(_ feedID: String) {
        inFlight.withLock { _ = $0.remove(feedID) }
    }

    /// Feeds being polled under this node's lease now.
    var polling: [String] { inFlight.withLock { $0.sorted() } }

    func round() {
        do { try leasing.heartbeat(polls: polls.load(ordering: .relaxed)) } catch {
            logger.error("cluster: heartbeat failed; will retry", metadata: ["error_class": "storage", "error": "\(error)"])
        }
        let feeds = polling
        guard !feeds.isEmpty else { return }
        do { try leasing.renew(feeds) } catch {
            logger.error("cluster: cannot renew the leases of feeds being polled; will retry",
                         metadata: ["error_class": "storage", "feeds": "\(feeds.count)", "error": "\(error)"])
        }
    }
}
