import DyadCore
import FeedFetching
import Foundation

/// A feed a manual `poll --once --all` left alone because the server or a failure set its next
/// poll (Retry-After, backoff, 410), or polled anyway because of `--force`.
public struct HeldFeed: Sendable, Equatable {
    public var feedID: String
    public var reason: ScheduleReason
    /// When the hold ends; nil for a feed gone (410) until its URL changes.
    public var until: Date?
    /// The failure that set the hold, e.g. `http_5xx: HTTP 503`.
    public var lastError: String?

    public init(feedID: String, reason: ScheduleReason, until: Date?, lastError: String?) {
        self.feedID = feedID; self.reason = reason; self.until = until; self.lastError = lastError
    }

    /// `skipped  tass-en  retry-after until 2026-12-06T22:10:00Z (rate_limited: HTTP 429); --force polls it now`
    public func line(forced: Bool, idWidth: Int = 0) -> String {
        let id = feedID.padding(toLength: max(idWidth, feedID.count), withPad: " ", startingAt: 0)
        let when = until.map { "until \(ISO8601.string($0))" } ?? "until its url changes in feeds.conf"
        let why = lastError.map { " (\($0))" } ?? ""
        if forced { return "forced   \(id)  polled despite \(reason.rawValue) \(when)\(why)" }
        let hint = reason == .gone ? "" : "; --force polls it now"
        return "skipped  \(id)  \(reason.rawValue) \(when)\(why)\(hint)"
    }
}
