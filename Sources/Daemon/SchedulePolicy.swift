import Foundation

/// Decides when a feed is polled next from the outcome of its last poll: the interval (never
/// below the feed's own TTL/max-age floor), Retry-After after 429/503, exponential backoff with
/// jitter after other failures — the same rules as the pipeline's `PollSchedule`, whose stored
/// next-due time the scheduler takes when the backend reports one. Pure apart from the injected
/// random source, so tests can pin it.
public struct SchedulePolicy: Sendable {
    /// Longest backoff, however many failures in a row (`[daemon] max_backoff`).
    public var backoffCap: TimeInterval
    /// Longest Retry-After honoured; a server asking for more is polled after this.
    public var retryAfterCap: TimeInterval
    /// Fraction of a delay added or removed at random so polls of many feeds do not synchronise.
    public var jitterFraction: Double
    /// Shortest delay ever scheduled, so a misbehaving feed can never spin the scheduler.
    public var minimumDelay: TimeInterval

    /// Defaults: backoff up to 1 day, Retry-After up to 1 day, ±10 % jitter, at least 1 s.
    public init(backoffCap: TimeInterval = 24 * 3600, retryAfterCap: TimeInterval = 24 * 3600,
                jitterFraction: Double = 0.1, minimumDelay: TimeInterval = 1) {
        self.backoffCap = backoffCap; self.retryAfterCap = retryAfterCap
        self.jitterFraction = jitterFraction; self.minimumDelay = minimumDelay
    }

    /// Why a delay was chosen; logged with each poll so users can see the backoff.
    public enum Reason: String, Sendable { case interval, ttl, retryAfter = "retry-after", backoff }

    /// The delay until the next poll and why. `random` returns a value in 0..<1.
    public func nextDelay(feed: DaemonFeed, outcome: PollOutcome, random: () -> Double) -> (delay: TimeInterval, reason: Reason) {
        let jitter = 1 + jitterFraction * (2 * random() - 1)
        if outcome.succeeded {
            let floor = outcome.minimumInterval ?? 0
            let base = max(feed.interval, floor)
            return (max(minimumDelay, base * jitter), floor > feed.interval ? .ttl : .interval)
        }
        if let retryAfter = outcome.retryAfter, retryAfter > 0 {
            // The server said when: honour it exactly, only capped; jitter only ever adds.
            let delay = min(retryAfter, retryAfterCap)
            return (max(minimumDelay, delay * (1 + jitterFraction * random())), .retryAfter)
        }
        return (max(minimumDelay, backoff(interval: feed.interval, failures: outcome.consecutiveFailures) * jitter), .backoff)
    }

    /// `interval · 2^(failures-1)`, capped at `backoffCap`: a failing feed is never polled more
    /// often than a healthy one.
    public func backoff(interval: TimeInterval, failures: Int) -> TimeInterval {
        let exponent = Double(max(0, min(failures - 1, 30)))  // 2^30 already exceeds any cap
        return min(max(backoffCap, interval), interval * pow(2, exponent))
    }
}
