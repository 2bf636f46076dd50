import DyadCore
import Foundation

/// The one rule for a page that could not be had: which failures are worth asking again (the
/// server or the network may recover) and which are final, and how long to wait before the next
/// attempt. Fetching owns it because it owns the failure classes (`FetchFailure.errorClass`, the
/// page statuses `HTTPPageSource` and the extractor give); the page processor and its tests call
/// it, nothing else decides.
///
/// - transient: `timeout`, `stalled`, `connect` (refused, reset, closed early), `dns`, `http_5xx`,
///   `rate_limited` (429), `robots_unreachable` (the site's robots.txt did not answer);
/// - everything else is permanent (`http_4xx`, `gone`, `not_html`, `too_large`, `encoding_error`,
///   `too_short`, `empty`, `robots`, `redirect_loop`, `too_many_redirects`, `bad_scheme`, `tls`,
///   `absent`, `queue_full`): the status is final at once;
/// - wait before attempt n+1 (n = attempts made): `baseDelay × 2^(n−1)`, capped at `maxDelay`,
///   minus up to `jitter` of it (a draw in 0…1, injected by tests), never under a second; a
///   `Retry-After` (seconds or HTTP date) is a lower bound on it, itself capped at `maxDelay`;
/// - after `maxAttempts` attempts the last transient class is final: the page is given up.
public struct PageRetryPolicy: Sendable, Equatable {
    /// Attempts in all, the first included (1: never retry).
    public var maxAttempts: Int
    /// Wait after the first failed attempt.
    public var baseDelay: TimeInterval
    /// Ceiling of one wait (the backoff's and a server's `Retry-After`).
    public var maxDelay: TimeInterval
    /// Fraction of a wait taken off at random, so pages of one failing host spread out.
    public var jitter: Double

    public static let defaultJitter = 0.2
    /// Shortest wait ever scheduled.
    public static let minimumDelay: TimeInterval = 1

    public init(maxAttempts: Int, baseDelay: TimeInterval, maxDelay: TimeInterval, jitter: Double = PageRetryPolicy.defaultJitter) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = max(Self.minimumDelay, baseDelay)
        self.maxDelay = max(self.baseDelay, maxDelay)
        self.jitter = min(1, max(0, jitter))
    }

    /// What to do after a failed attempt.
    public enum Decision: Sendable, Equatable {
        /// A permanent class: record it, never ask again.
        case final
        /// Ask again in `wait` seconds; `retryAfter` says whether the server's wait decided it.
        case retry(wait: TimeInterval, retryAfter: Bool)
        /// A transient class, but `maxAttempts` are spent: record it as final.
        case givenUp
    }

    /// Whether a page that failed with `status` may succeed if asked again later.
    public static func isTransient(_ status: FulltextStatus) -> Bool {
        switch status {
        case .timeout, .stalled, .connect, .dns, .http5xx, .rateLimited, .robotsUnreachable: return true
        default: return false
        }
    }

    /// The decision after attempt number `attempt` (1 = the first) failed with `status`;
    /// `retryAfter`: the server's `Retry-After` in seconds when it sent one; `random` in 0…1.
    public func decide(_ status: FulltextStatus, attempt: Int, retryAfter: TimeInterval?, random: Double) -> Decision {
        guard Self.isTransient(status) else { return .final }
        guard attempt < maxAttempts else { return .givenUp }
        let wait = backoff(attempt: attempt, random: random)
        if let retryAfter {
            let asked = min(maxDelay, max(Self.minimumDelay, retryAfter))
            if asked > wait { return .retry(wait: asked, retryAfter: true) }
        }
        return .retry(wait: wait, retryAfter: false)
    }

    /// The backoff after `attempt` failed attempts: `baseDelay × 2^(attempt−1)`, capped, less up to `jitter`.
    public func backoff(attempt: Int, random: Double) -> TimeInterval {
        let exponent = Double(max(0, min(attempt - 1, 40)))
        let raw = min(maxDelay, baseDelay * pow(2, exponent))
        return max(Self.minimumDelay, raw * (1 - jitter * min(1, max(0, random))))
    }
}
