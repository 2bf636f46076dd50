import Foundation
import GRDB

/// What dyadwatch remembers about one feed between polls: where it lives now, the HTTP
/// validators for conditional GET, health, and when to poll it next. Row of table `feeds`.
public struct FeedState: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "feeds"

    /// `id` of the `[[feed]]`.
    public var id: String
    /// The URL in feeds.conf; when it changes, the stored URL and validators are reset.
    public var configuredURL: String
    /// The URL polled: the configured one, or where a 301/308 chain moved it.
    public var url: String
    public var etag: String?
    public var lastModified: String?
    /// HTTP status of the last response (nil when no response arrived).
    public var lastStatus: Int?
    /// Last failure, readable; nil after a success.
    public var lastError: String?
    public var lastAttempt: Date?
    public var lastSuccess: Date?
    public var consecutiveFailures: Int
    /// When the feed should be polled next; nil = as soon as possible.
    public var nextDue: Date?
    /// Why the feed is no longer polled (410 Gone); nil while active.
    public var disabledReason: String?
    /// Publication date of the newest entry ever seen: the basis of the STALE flag.
    public var newestItem: Date?
    /// Polite lower bound on the interval from the feed's `<ttl>` / Cache-Control max-age, seconds.
    public var ttlFloor: Double?
    /// Decompressed bytes of the last response body.
    public var lastBytes: Int64?
    public var lastDurationMs: Int?

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case id, configuredURL = "configured_url", url, etag, lastModified = "last_modified"
        case lastStatus = "last_status", lastError = "last_error", lastAttempt = "last_attempt"
        case lastSuccess = "last_success", consecutiveFailures = "consecutive_failures", nextDue = "next_due"
        case disabledReason = "disabled_reason", newestItem = "newest_item", ttlFloor = "ttl_floor"
        case lastBytes = "last_bytes", lastDurationMs = "last_duration_ms"
    }

    /// A feed never polled.
    public init(id: String, url: String) {
        self.id = id; configuredURL = url; self.url = url; consecutiveFailures = 0
    }

    /// True when the newest item is older than `staleAfter` at `now` (false when unknown).
    public func isStale(now: Date, staleAfter: TimeInterval) -> Bool {
        guard let newestItem else { return false }
        return now.timeIntervalSince(newestItem) > staleAfter
    }

    public func isDue(at now: Date) -> Bool {
        disabledReason == nil && (nextDue.map { $0 <= now } ?? true)
    }
}
