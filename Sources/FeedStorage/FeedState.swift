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
    /// Fixed class of the last failure (`FeedErrorClass` raw value: `timeout`, `http_5xx`, …); nil after a success.
    public var lastErrorClass: String?
    /// Why `nextDue` is what it is (`ScheduleReason` raw value: `interval`, `ttl`, `retry-after`, `backoff`, `gone`).
    public var nextDueReason: String?
    /// Problems of the last successful poll that did not fail it (`truncated`, `too_many_items`,
    /// `duplicate_ids`), comma-separated; nil when there were none.
    public var lastProblems: String?

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case id, configuredURL = "configured_url", url, etag, lastModified = "last_modified"
        case lastStatus = "last_status", lastError = "last_error", lastAttempt = "last_attempt"
        case lastSuccess = "last_success", consecutiveFailures = "consecutive_failures", nextDue = "next_due"
        case disabledReason = "disabled_reason", newestItem = "newest_item", ttlFloor = "ttl_floor"
        case lastBytes = "last_bytes", lastDurationMs = "last_duration_ms"
        case lastErrorClass = "last_error_class", nextDueReason = "next_due_reason", lastProblems = "last_problems"
    }

    /// Decodes a `feeds` row by column (faster than the Codable path; a poll cycle reads every feed).
    public init(row: Row) throws {
        id = row[CodingKeys.id]; configuredURL = row[CodingKeys.configuredURL]; url = row[CodingKeys.url]
        etag = row[CodingKeys.etag]; lastModified = row[CodingKeys.lastModified]; lastStatus = row[CodingKeys.lastStatus]
        lastError = row[CodingKeys.lastError]; lastAttempt = row[CodingKeys.lastAttempt]; lastSuccess = row[CodingKeys.lastSuccess]
        consecutiveFailures = row[CodingKeys.consecutiveFailures]; nextDue = row[CodingKeys.nextDue]
        disabledReason = row[CodingKeys.disabledReason]; newestItem = row[CodingKeys.newestItem]; ttlFloor = row[CodingKeys.ttlFloor]
        lastBytes = row[CodingKeys.lastBytes]; lastDurationMs = row[CodingKeys.lastDurationMs]
        lastErrorClass = row[CodingKeys.lastErrorClass]; nextDueReason = row[CodingKeys.nextDueReason]
        lastProblems = row[CodingKeys.lastProblems]
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container[CodingKeys.id] = id; container[CodingKeys.configuredURL] = configuredURL; container[CodingKeys.url] = url
        container[CodingKeys.etag] = etag; container[CodingKeys.lastModified] = lastModified
        container[CodingKeys.lastStatus] = lastStatus; container[CodingKeys.lastError] = lastError
        container[CodingKeys.lastAttempt] = lastAttempt; container[CodingKeys.lastSuccess] = lastSuccess
        container[CodingKeys.consecutiveFailures] = consecutiveFailures; container[CodingKeys.nextDue] = nextDue
        container[CodingKeys.disabledReason] = disabledReason; container[CodingKeys.newestItem] = newestItem
        container[CodingKeys.ttlFloor] = ttlFloor; container[CodingKeys.lastBytes] = lastBytes
        container[CodingKeys.lastDurationMs] = lastDurationMs
        container[CodingKeys.lastErrorClass] = lastErrorClass; container[CodingKeys.nextDueReason] = nextDueReason
        container[CodingKeys.lastProblems] = lastProblems
    }

    /// Writes this state over its existing row with one cached statement; false when there is no row.
    func updateRow(_ db: Database) throws -> Bool {
        try db.cachedStatement(sql: """
            UPDATE feeds SET configured_url = ?, url = ?, etag = ?, last_modified = ?, last_status = ?, last_error = ?,
            last_attempt = ?, last_success = ?, consecutive_failures = ?, next_due = ?, disabled_reason = ?,
            newest_item = ?, ttl_floor = ?, last_bytes = ?, last_duration_ms = ?, last_error_class = ?,
            next_due_reason = ?, last_problems = ? WHERE id = ?
            """).execute(arguments: [configuredURL, url, etag, lastModified, lastStatus, lastError, lastAttempt, lastSuccess,
                                     consecutiveFailures, nextDue, disabledReason, newestItem, ttlFloor, lastBytes,
                                     lastDurationMs, lastErrorClass, nextDueReason, lastProblems, id])
        return db.changesCount > 0
    }

    /// Updates the row, inserting it when missing.
    func write(_ db: Database) throws {
        if try !updateRow(db) { try insert(db) }
    }

    /// The state a configured feed starts a run with, given what is stored (`register`): a new feed
    /// starts unpolled; one whose configured URL changed starts over (URL, validators, failures and
    /// disabled reason reset; the newest item date is kept). `changed` says whether to write it.
    public static func registered(_ url: String, id: String, stored: FeedState?) -> (state: FeedState, changed: Bool) {
        guard var state = stored else { return (FeedState(id: id, url: url), true) }
        guard state.configuredURL != url else { return (state, false) }
        let newestItem = state.newestItem
        state = FeedState(id: id, url: url)
        state.newestItem = newestItem
        return (state, true)
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
