import DyadConfig
import DyadCore
import FeedStorage
import Foundation
import Logging

/// A feed a manual poll left alone because another daemon sharing the database holds it or
/// polled it meanwhile (`poll --once` on PostgreSQL takes the same feed leases the daemons do).
public struct ClaimedElsewhere: Sendable, Equatable {
    public var feedID: String
    public var claim: FeedClaim

    public init(feedID: String, claim: FeedClaim) { self.feedID = feedID; self.claim = claim }

    /// `skipped  tass-en  being polled by host-b (its lease ends in 95 s); not polled twice`
    public func line(idWidth: Int = 0) -> String {
        let id = feedID.padding(toLength: max(idWidth, feedID.count), withPad: " ", startingAt: 0)
        switch claim {
        case .leased(let owner, let retryIn):
            return "skipped  \(id)  being polled by \(owner) (its lease ends in \(Int(retryIn.rounded(.up))) s); not polled twice"
        case .notDue(let next):
            return "skipped  \(id)  polled by another daemon meanwhile; next due \(next.map(ISO8601.string) ?? "-")"
        case .disabled(let reason):
            return "skipped  \(id)  disabled in the shared state (\(reason))"
        case .claimed:
            return "polled   \(id)"
        }
    }
}

/// The feed leases of one manual poll cycle: each selected feed is claimed as a daemon claims it
/// (any time, for `--all`/`--feed`, which poll feeds before they are due); storing a poll's
/// outcome releases its lease, and while the cycle runs the leases of the feeds still being
/// polled are renewed every third of a lease period, so a slow poll is not repeated by a daemon.
struct PollClaims {
    let leasing: any FeedLeasing
    /// Renewal and release failures are logged, never dropped: a lapsed lease lets a daemon poll
    /// the same feed (the daemon's `LeaseKeeper` logs the same failures the same way).
    let logger: Logger

    /// Splits `feeds` into those this process now holds and those it must leave alone. A storage
    /// error releases the claims already taken and is thrown.
    func claim(_ feeds: [(FeedConfig, FeedState)], now: Date, anyTime: Bool) throws
        -> (claimed: [(FeedConfig, FeedState)], elsewhere: [ClaimedElsewhere]) {
        var claimed: [(FeedConfig, FeedState)] = []
        var elsewhere: [ClaimedElsewhere] = []
        do {
            for (feed, state) in feeds {
                let claim = anyTime ? try leasing.claimNow(feed.id, now: now) : try leasing.claim(feed.id, now: now)
                if claim == .claimed { claimed.append((feed, state)) } else { elsewhere.append(ClaimedElsewhere(feedID: feed.id, claim: claim)) }
            }
        } catch {
            release()
            throw error
        }
        return (claimed, elsewhere)
    }

    /// Runs `body` while renewing the leases on `feedIDs` (a renewal touches only the leases this
    /// node still holds: those of feeds whose outcome is not stored yet); then releases whatever
    /// is left (a cycle that stopped on a storage error).
    func holding<T>(_ feedIDs: [String], _ body: () throws -> T) rethrows -> T {
        guard !feedIDs.isEmpty else { return try body() }
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "dyadwatch.poll.leases"))
        let every = max(1, leasing.leaseSeconds / 3)
        let leasing = self.leasing, logger = self.logger
        timer.schedule(deadline: .now() + every, repeating: every)
        timer.setEventHandler {
            do { try leasing.renew(feedIDs) } catch {
                logger.error("cluster: cannot renew the leases of feeds being polled; will retry",
                             metadata: ["error_class": "storage", "feeds": "\(feedIDs.count)", "error": "\(error)"])
            }
        }
        timer.resume()
        defer {
            timer.cancel()
            release()
        }
        return try body()
    }

    /// Releases every lease this process still holds (they would otherwise lapse at their expiry).
    private func release() {
        do { try leasing.leave() } catch {
            logger.error("cluster: cannot release this poll's feed leases; they lapse at their expiry",
                         metadata: ["error_class": "storage", "error": "\(error)"])
        }
    }
}
