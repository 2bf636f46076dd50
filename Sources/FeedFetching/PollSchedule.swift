import Foundation

/// Why a feed's next poll is when it is: what `reason=` says in the log and `feeds.next_due_reason` stores.
public enum ScheduleReason: String, Sendable, CaseIterable {
    /// The feed's configured interval (plus jitter).
    case interval
    /// The feed's own floor, RSS `<ttl>` or Cache-Control `max-age`, was longer than the interval.
    case ttl
    /// A 429/503 `Retry-After` (seconds or HTTP date) asked for longer than our backoff.
    case retryAfter = "retry-after"
    /// Exponential backoff after failures in a row.
    case backoff
    /// 410 Gone: never again until the feed's URL changes in feeds.conf.
    case gone

    /// Waits the server or a failure imposed: a manual `poll --once --all` honours them too
    /// (only `--force` overrides); `interval` and `ttl` are ours to shorten.
    public var holdsManualPolls: Bool { self == .retryAfter || self == .backoff || self == .gone }
}

/// When the next poll is and why; `due == nil` means never (`gone`).
public struct ScheduleDecision: Sendable, Equatable {
    public var due: Date?
    public var reason: ScheduleReason
    public init(due: Date?, reason: ScheduleReason) { self.due = due; self.reason = reason }
}

/// What a poll came to, as far as scheduling cares.
public enum ScheduleInput: Sendable, Equatable {
    /// 200/304. `ttlFloor`: the larger of RSS `<ttl>` and Cache-Control max-age, seconds.
    case success(ttlFloor: TimeInterval?)
    /// Any failure; `failures` counts this one (1 = first in a row). `retryAfter`: the server's
    /// delay from a 429/503, seconds, when it sent one.
    case failure(failures: Int, retryAfter: TimeInterval?)
    /// 410 Gone.
    case gone
}

/// The one scheduling policy of dyadwatch (`poll`, `run` and the tests' fake backends all call
/// it): a pure function of the outcome, the clock's `now` and a random draw in 0…1, in the
/// manner of miniflux's `Feed.ScheduleNextCheck`.
///
/// - success: `max(interval, ttl floor)` (floor capped at `maxBackoff`) plus up to `jitter/2`;
/// - failure: `interval × 2^(failures−1)`, capped at `maxBackoff`, minus up to `jitter` of it,
///   never below `minimumDelay` — repeated 429/503 without Retry-After grow like any failure;
/// - a 429/503 `Retry-After` is a lower bound on that wait (clamped to `minimumDelay…maxBackoff`):
///   the wait is the larger of it and the backoff, so a failing feed is never polled more often
///   than a healthy one and never before the server allowed;
/// - 410: never.
public struct PollSchedule: Sendable, Equatable {
    /// The feed's configured interval.
    public var interval: TimeInterval
    /// Ceiling of the failure backoff (and of any server-requested delay or TTL floor).
    public var maxBackoff: TimeInterval
    /// Fraction of a delay randomised so feeds that failed together do not retry together.
    public var jitter: Double

    /// Default jitter: up to 20% off a backoff delay, up to 10% added to a regular interval.
    public static let defaultJitter = 0.2
    /// Shortest wait ever scheduled, whatever `Retry-After: 0` or a tiny interval say.
    public static let minimumDelay: TimeInterval = 60

    public init(interval: TimeInterval, maxBackoff: TimeInterval, jitter: Double = PollSchedule.defaultJitter) {
        self.interval = interval; self.maxBackoff = max(maxBackoff, interval); self.jitter = jitter
    }

    /// The next poll after `input`, decided at `now` with the draw `random` (0…1).
    public func next(after input: ScheduleInput, now: Date, random: Double) -> ScheduleDecision {
        switch input {
        case .gone:
            return ScheduleDecision(due: nil, reason: .gone)
        case .success(let ttlFloor):
            let floor = min(ttlFloor ?? 0, maxBackoff)
            let base = max(Self.minimumDelay, interval, floor)
            return ScheduleDecision(due: now.addingTimeInterval(base * (1 + jitter / 2 * clamp01(random))),
                                    reason: floor > interval ? .ttl : .interval)
        case .failure(let failures, let retryAfter):
            let wait = backoff(failures: failures, random: random)
            if let retryAfter {
                let asked = min(maxBackoff, max(Self.minimumDelay, retryAfter))
                if asked >= wait { return ScheduleDecision(due: now.addingTimeInterval(asked), reason: .retryAfter) }
            }
            return ScheduleDecision(due: now.addingTimeInterval(wait), reason: .backoff)
        }
    }

    /// Backoff before retry `failures` (1 = first failure): interval × 2^(failures−1), capped,
    /// minus up to `jitter` of it, never below `minimumDelay`.
    public func backoff(failures: Int, random: Double) -> TimeInterval {
        let exponent = Double(max(0, min(failures - 1, 30)))  // 2^30 × any interval passes any cap
        let raw = min(maxBackoff, interval * pow(2, exponent))
        return max(Self.minimumDelay, raw * (1 - jitter * clamp01(random)))
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
