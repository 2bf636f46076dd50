import Foundation
import DyadCore
import FeedStorage

/// What `dyadwatch status` shows: each feed's health, today's counts and the last alerts, read
/// from the state database (the daemon need not be running).
public struct StatusReport: Sendable, Equatable {
    /// A feed's health at report time.
    public enum Health: String, Sendable, CaseIterable {
        /// Last poll succeeded and the feed has recent items.
        case ok
        /// The last poll(s) failed; backing off.
        case failing
        /// Disabled in feeds.conf or by the server (410 Gone).
        case disabled
        /// Answers, but its newest item is older than `stale_after`.
        case stale
        /// Never polled yet.
        case pending
    }

    public struct Feed: Sendable, Equatable {
        public var id: String
        public var url: String
        public var health: Health
        public var lastStatus: Int?
        public var lastSuccess: Date?
        public var lastError: String?
        public var consecutiveFailures: Int
        public var nextDue: Date?
        public var newestItem: Date?
        /// Fixed class of the last failure (`timeout`, `http_5xx`, … — see docs/errors.md).
        public var errorClass: String?
        /// Why the next poll is at `nextDue` (`interval`, `ttl`, `retry-after`, `backoff`, `gone`).
        public var nextDueReason: String?
        /// Problems of the last successful poll (`truncated`, `too_many_items`, `duplicate_ids`).
        public var problems: String?
        public init(id: String, url: String, health: Health, lastStatus: Int? = nil, lastSuccess: Date? = nil,
                    lastError: String? = nil, consecutiveFailures: Int = 0, nextDue: Date? = nil, newestItem: Date? = nil,
                    errorClass: String? = nil, nextDueReason: String? = nil, problems: String? = nil) {
            self.id = id; self.url = url; self.health = health; self.lastStatus = lastStatus; self.lastSuccess = lastSuccess
            self.lastError = lastError; self.consecutiveFailures = consecutiveFailures; self.nextDue = nextDue
            self.newestItem = newestItem; self.errorClass = errorClass; self.nextDueReason = nextDueReason; self.problems = problems
        }
    }

    public struct Alert: Sendable, Equatable {
        public var time: Date
        public var severity: String
        public var detector: String
        public var scope: String
        public var summary: String
        public init(time: Date, severity: String, detector: String, scope: String, summary: String) {
            self.time = time; self.severity = severity; self.detector = detector; self.scope = scope; self.summary = summary
        }
    }

    public var generatedAt: Date
    public var feeds: [Feed]
    /// Entries first seen since 00:00 UTC today.
    public var entriesToday: Int
    public var entriesTotal: Int
    /// Of today's entries, those the analyzer found to be about China and Russia together (nil when unknown).
    public var dyadToday: Int?
    public var alerts: [Alert]
    /// The daemons sharing a PostgreSQL state, their heartbeats and leases (empty on SQLite).
    public var nodes: [ClusterNode] = []
    /// Article pages of `fulltext = true` feeds by outcome; nil when no entry ever asked for one.
    public var fulltext: FulltextCounts?

    public init(generatedAt: Date, feeds: [Feed], entriesToday: Int, entriesTotal: Int, dyadToday: Int?, alerts: [Alert]) {
        self.generatedAt = generatedAt; self.feeds = feeds; self.entriesToday = entriesToday
        self.entriesTotal = entriesTotal; self.dyadToday = dyadToday; self.alerts = alerts
    }

    /// Decides a feed's health from its stored state.
    public static func health(enabled: Bool, disabledReason: String?, consecutiveFailures: Int, lastAttempt: Date?,
                              newestItem: Date?, staleAfter: TimeInterval, now: Date) -> Health {
        if !enabled || disabledReason != nil { return .disabled }
        if consecutiveFailures > 0 { return .failing }
        guard lastAttempt != nil else { return .pending }
        if let newestItem, now.timeIntervalSince(newestItem) > staleAfter { return .stale }
        return .ok
    }

    public func count(_ health: Health) -> Int { feeds.filter { $0.health == health }.count }

    /// Start of the UTC day containing `date`.
    public static func startOfDayUTC(_ date: Date) -> Date {
        let secondsPerDay: TimeInterval = 86_400
        return Date(timeIntervalSince1970: (date.timeIntervalSince1970 / secondsPerDay).rounded(.down) * secondsPerDay)
    }

    /// The plain-text report: a summary, one line per feed (problems first), the last alerts.
    public func render() -> String {
        var out = "dyadwatch status at \(ISO8601.string(generatedAt))\n"
        let counts = Health.allCases.map { "\(count($0)) \($0.rawValue)" }.joined(separator: ", ")
        out += "feeds:   \(feeds.count) (\(counts))\n"
        out += "entries: \(entriesToday) today (UTC), \(entriesTotal) in total"
        if let dyadToday { out += "; \(dyadToday) China–Russia (dyad) articles today" }
        if let f = fulltext {
            out += "\nfull text: \(f.fetched) fetched, \(f[.extracted]) extracted, \(f[.tooShort]) too short, "
                + "\(f[.robots]) blocked by robots, \(f.failed) failed, \(f[.pending]) pending"
            if f.retrying > 0 { out += " (\(f.retrying) waiting to retry)" }
        }
        out += "\n\n"
        let order: [Health] = [.failing, .disabled, .stale, .pending, .ok]
        let sorted = feeds.sorted { (order.firstIndex(of: $0.health)!, $0.id) < (order.firstIndex(of: $1.health)!, $1.id) }
        let idWidth = max(4, sorted.map(\.id.count).max() ?? 4)
        out += pad("FEED", idWidth) + "  " + pad("HEALTH", 8) + "  " + pad("LAST SUCCESS", 20) + "  " + pad("NEXT DUE (REASON)", 32) + "  LAST ERROR\n"
        for feed in sorted {
            var error = feed.lastError.map { message in feed.errorClass.map { "\($0): \(message)" } ?? message } ?? ""
            if feed.consecutiveFailures > 1 { error += " (\(feed.consecutiveFailures) failures in a row)" }
            if error.isEmpty, let problems = feed.problems { error = "problems: \(problems)" }
            var due = feed.health == .disabled ? "-" : (feed.nextDue.map(ISO8601.string) ?? "now")
            if feed.health != .disabled, feed.nextDue != nil, let reason = feed.nextDueReason { due += " \(reason)" }
            out += pad(feed.id, idWidth) + "  " + pad(feed.health.rawValue, 8) + "  "
                + pad(feed.lastSuccess.map(ISO8601.string) ?? "never", 20) + "  "
                + pad(due, 32) + "  "
                + (error.isEmpty ? "-" : error) + "\n"
        }
        if !nodes.isEmpty {
            out += "\ndaemons (shared state):\n"
            for n in nodes {
                let held = n.leasedFeeds.isEmpty ? "no feed leases" : "polling \(n.leasedFeeds.joined(separator: ", "))"
                let extra = n.leases.isEmpty ? "" : "; holds \(n.leases.joined(separator: ", "))"
                let pages = n.pageClaims == 0 ? "" : "; fetching \(n.pageClaims) page\(n.pageClaims == 1 ? "" : "s")"
                out += "  \(n.node)  pid \(n.pid) on \(n.host)  heartbeat \(Int(n.heartbeatAge.rounded()))s ago  "
                    + "\(n.polls) polls  \(held)\(pages)\(extra)\n"
            }
        }
        out += "\nlast alerts:\n"
        if alerts.isEmpty { out += "  (none)\n" }
        for alert in alerts {
            out += "  \(ISO8601.string(alert.time))  \(alert.severity)  \(alert.detector)  \(alert.scope)  \(alert.summary)\n"
        }
        return out
    }

    private func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }
}
