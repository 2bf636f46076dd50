import DyadCore
import FeedFetching
import Foundation

/// What happened to one feed in one poll: the `poll --once` line and the daemon's log line.
public struct FeedPollReport: Sendable, Equatable {
    public enum Result: String, Sendable {
        /// 200 with a feed document.
        case fetched = "ok"
        /// 304: unchanged, nothing parsed.
        case notModified = "304"
        /// Fetch, HTTP or document failure; backing off.
        case failed = "FAIL"
        /// 410 Gone: disabled until its URL changes in feeds.conf.
        case disabled = "GONE"

        /// The `result` label of the polls metric.
        public var metricLabel: String {
            switch self {
            case .fetched: return "ok"
            case .notModified: return "not_modified"
            case .failed: return "failed"
            case .disabled: return "gone"
            }
        }
    }

    public var feedID: String
    public var result: Result
    public var status: Int?
    public var newCount: Int
    public var updatedCount: Int
    public var bytes: Int64
    public var durationMs: Int
    public var error: String?
    /// The newest item is older than the feed's `stale_after`.
    public var stale: Bool
    /// Set when a 301/308 chain moved the feed to a new URL in this poll.
    public var movedTo: String?
    public var nextDue: Date?
    public var consecutiveFailures: Int
    /// Fixed class of the failure (nil unless `failed`/`disabled`).
    public var errorClass: FeedErrorClass? = nil
    /// Why `nextDue` is what it is (the single policy's answer).
    public var scheduleReason: ScheduleReason = .interval
    /// Problems that did not fail the poll: `truncated`, `too_many_items`, `duplicate_ids`.
    public var problems: [String] = []

    /// `tass-en  ok  200  new 12  upd 0  48213 B  153 ms` plus error/STALE/moved notes.
    public func line(idWidth: Int = 0) -> String {
        var parts = [feedID.padding(toLength: max(idWidth, feedID.count), withPad: " ", startingAt: 0),
                     result.rawValue.padding(toLength: 4, withPad: " ", startingAt: 0),
                     (status.map(String.init) ?? "---").padding(toLength: 3, withPad: " ", startingAt: 0),
                     "new \(newCount)", "upd \(updatedCount)", "\(bytes) B", "\(durationMs) ms"]
        if stale { parts.append("STALE") }
        if let movedTo { parts.append("moved to \(movedTo)") }
        if !problems.isEmpty { parts.append("problems: \(problems.joined(separator: ","))") }
        if let error { parts.append("error[\(errorClass?.rawValue ?? "-")]: \(error)") }
        return parts.joined(separator: "  ")
    }
}

/// One poll cycle over several feeds.
public struct PollCycleReport: Sendable, Equatable {
    public var feeds: [FeedPollReport]
    /// Wall time of the whole cycle (monotonic), milliseconds.
    public var durationMs: Int
    /// Feeds a manual `--all` poll left alone (Retry-After, backoff, 410).
    public var held: [HeldFeed] = []
    /// Held feeds polled anyway (`--force`).
    public var forced: [HeldFeed] = []
    /// Feeds left alone because another daemon sharing the database holds them (PostgreSQL).
    public var claimedElsewhere: [ClaimedElsewhere] = []

    public var newCount: Int { feeds.reduce(0) { $0 + $1.newCount } }
    public var updatedCount: Int { feeds.reduce(0) { $0 + $1.updatedCount } }
    public var bytes: Int64 { feeds.reduce(0) { $0 + $1.bytes } }
    public var failedCount: Int { feeds.filter { $0.result == .failed || $0.result == .disabled }.count }
    public var staleCount: Int { feeds.filter(\.stale).count }
    public var notModifiedCount: Int { feeds.filter { $0.result == .notModified }.count }

    public var totalLine: String {
        "total: \(feeds.count) feeds polled, \(feeds.count - failedCount) ok (\(notModifiedCount) unchanged), \(failedCount) failed, \(staleCount) stale; new \(newCount), updated \(updatedCount); \(bytes) B in \(durationMs) ms"
    }
}
