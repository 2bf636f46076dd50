import Foundation

/// When to poll a feed next: pure functions of the outcome, the clock's `now` and a random
/// source, so the daemon, `poll` and tests share one policy and tests can pin it down.
public struct PollSchedule: Sendable, Equatable {
    /// The feed's configured interval.
    public var interval: TimeInterval
    /// Ceiling of the failure backoff (and of any server-requested delay or TTL floor).
    public var maxBackoff: TimeInterval
    /// Fraction of a delay randomised so feeds that failed together do not retry together.
    public var jitter: Double

    /// Default jitter: up to 20% of a backoff delay, up to 10% of a regular interval.
    public static let defaultJitter = 0.2
    /// Shortest wait honoured from a `Retry-After: 0` or a tiny max-age (a server bug, not a request to hammer it).
    public static let minimumDelay: TimeInterval = 60

    public init(interval: TimeInterval, maxBackoff: TimeInterval, jitter: Double = PollSchedule.defaultJitter) {
        self.interval = interval; self.maxBackoff = max(maxBackoff, interval); self.jitter = jitter
    }

    /// After a 200 or 304: the interval, raised to the feed's TTL / max-age floor (never above
    /// the backoff ceiling), spread by up to half the jitter so a thousand feeds do not align.
    public func nextAfterSuccess(now: Date, ttlFloor: TimeInterval?, random: Double) -> Date {
        let floor = min(ttlFloor ?? 0, maxBackoff)
        let base = max(interval, floor)
        return now.addingTimeInterval(base * (1 + jitter / 2 * clamp01(random)))
    }

    /// Backoff before retry `failures` (1 = first failure): interval × 2^(failures−1), capped,
    /// minus up to `jitter` of it. A failing feed is never polled more often than a healthy one.
    public func backoff(failures: Int, random: Double) -> TimeInterval {
        let exponent = Double(max(0, min(failures - 1, 30)))  // 2^30 × any interval passes any cap
        let raw = min(maxBackoff, interval * pow(2, exponent))
        return max(Self.minimumDelay, raw * (1 - jitter * clamp01(random)))
    }

    /// After a failure. `retryAfter` (429/503) is honoured when given: at least that long, capped.
    public func nextAfterFailure(now: Date, failures: Int, retryAfter: TimeInterval?, random: Double) -> Date {
        if let retryAfter {
            let wait = min(maxBackoff, max(Self.minimumDelay, retryAfter))
            return now.addingTimeInterval(wait)
        }
        return now.addingTimeInterval(backoff(failures: failures, random: random))
    }

    /// The floor a feed asks for: its RSS `<ttl>` (minutes) or Cache-Control max-age, whichever is larger.
    public static func ttlFloor(ttlMinutes: Int?, maxAge: TimeInterval?) -> TimeInterval? {
        let ttl = ttlMinutes.map { TimeInterval(max(0, $0)) * 60 }
        switch (ttl, maxAge) {
        case (nil, nil): return nil
        case let (a?, nil): return a
        case let (nil, b?): return b
        case let (a?, b?): return max(a, b)
        }
    }

    private func clamp01(_ x: Double) -> Double { min(1, max(0, x)) }
}
