import Foundation
import DyadCore
import FeedFetching

/// One feed as the scheduler sees it: identity, where it lives and how often to poll it.
/// The full per-feed configuration stays with the backend; the scheduler needs only this.
public struct DaemonFeed: Sendable, Equatable {
    public var id: String
    public var url: String
    /// `host:port` of `url` (`HostSlots.key`): feeds of one server share the per-host limit and are spread out.
    public var host: String
    /// Configured polling interval (feed override or the daemon default), seconds.
    public var interval: TimeInterval
    public var enabled: Bool

    public init(id: String, url: String, interval: TimeInterval, enabled: Bool = true) {
        self.id = id; self.url = url; self.interval = interval; self.enabled = enabled
        self.host = DaemonFeed.host(of: url)
    }

    /// The per-host limit's key of a URL: the same as the fetcher's.
    static func host(of url: String) -> String { HostSlots.key(url) }
}

/// The daemon-level settings the service itself uses (the rest of `[daemon]` is the backend's).
public struct DaemonSettings: Sendable, Equatable {
    /// Most polls in flight at once.
    public var concurrency: Int
    /// Most polls in flight against one host.
    public var perHostConcurrency: Int
    public var logLevel: String
    /// Where alert/trend outputs and, for a local run, the operational log go.
    public var logDirectory: String?
    /// Whether to send `WATCHDOG=1` when systemd asks for it (`[daemon] watchdog`).
    public var watchdog: Bool

    public init(concurrency: Int = 8, perHostConcurrency: Int = 2, logLevel: String = "info",
                logDirectory: String? = nil, watchdog: Bool = true) {
        self.concurrency = concurrency; self.perHostConcurrency = perHostConcurrency
        self.logLevel = logLevel; self.logDirectory = logDirectory; self.watchdog = watchdog
    }
}

/// A validated configuration: what the service needs plus the backend's own full form of it.
public struct DaemonConfiguration: Sendable {
    public var settings: DaemonSettings
    public var feeds: [DaemonFeed]
    /// The loader's full configuration value, handed back untouched to the backend (immutable).
    public var source: any Sendable

    public init(settings: DaemonSettings, feeds: [DaemonFeed], source: any Sendable) {
        self.settings = settings; self.feeds = feeds; self.source = source
    }
}

/// Reads and validates a configuration file. Errors should say file, line and key; the service
/// logs `String(describing:)` of what is thrown and keeps running on the old configuration.
public protocol ConfigurationLoading: Sendable {
    func load(path: String) throws -> DaemonConfiguration
}

/// What the schedule of one feed looked like when the state database last saw it.
public struct StoredFeedSchedule: Sendable, Equatable {
    public var nextDue: Date?
    public var consecutiveFailures: Int
    public var disabledReason: String?
    public init(nextDue: Date?, consecutiveFailures: Int = 0, disabledReason: String? = nil) {
        self.nextDue = nextDue; self.consecutiveFailures = consecutiveFailures; self.disabledReason = disabledReason
    }
}

/// What one poll of one feed came to: enough to log it, and when to poll again as decided by
/// the one scheduling policy (`PollSchedule`): the scheduler never computes a due time itself.
public struct PollOutcome: Sendable, Equatable {
    public var feedID: String
    /// HTTP status, nil when no response arrived (DNS, connect, timeout).
    public var status: Int?
    public var newEntries: Int
    public var updatedEntries: Int
    public var bytes: Int
    /// Wall time the poll took, seconds.
    public var duration: TimeInterval
    /// Set when the poll failed; the feed is backed off.
    public var error: String?
    /// Fixed class of the failure (set with `error` or `disabledReason`).
    public var errorClass: FeedErrorClass?
    /// Set when the feed must not be polled again (410 Gone, …).
    public var disabledReason: String?
    /// Failures in a row including this one (0 after a success), as the state database counts them.
    public var consecutiveFailures: Int
    /// The URL the feed moved to (301/308), for the log.
    public var movedTo: String?
    /// When to poll next and why (`due == nil`: never, the feed leaves the schedule).
    public var schedule: ScheduleDecision
    /// The feed answers but its newest item is older than its `stale_after`.
    public var stale: Bool
    /// Problems that did not fail the poll (`truncated`, `too_many_items`, `duplicate_ids`).
    public var problems: [String]
    /// Set when this daemon did not poll the feed because another daemon sharing the database
    /// holds it or polled it meanwhile (`FeedLeasing`); `schedule` says when to ask again.
    public var skipped: String?

    public init(feedID: String, schedule: ScheduleDecision, status: Int? = nil, newEntries: Int = 0, updatedEntries: Int = 0,
                bytes: Int = 0, duration: TimeInterval = 0, error: String? = nil, errorClass: FeedErrorClass? = nil,
                disabledReason: String? = nil, consecutiveFailures: Int = 0, movedTo: String? = nil, stale: Bool = false,
                problems: [String] = [], skipped: String? = nil) {
        self.feedID = feedID; self.schedule = schedule; self.status = status; self.newEntries = newEntries
        self.updatedEntries = updatedEntries; self.bytes = bytes; self.duration = duration; self.error = error
        self.errorClass = errorClass; self.disabledReason = disabledReason
        self.consecutiveFailures = consecutiveFailures; self.movedTo = movedTo; self.stale = stale; self.problems = problems
        self.skipped = skipped
    }

    public var succeeded: Bool { error == nil && disabledReason == nil }
}

/// Totals shown in systemd's `STATUS=` line and the startup log.
public struct ServiceCounts: Sendable, Equatable {
    public var feeds: Int
    public var failingFeeds: Int
    public var entries: Int
    public var alerts: Int
    public init(feeds: Int = 0, failingFeeds: Int = 0, entries: Int = 0, alerts: Int = 0) {
        self.feeds = feeds; self.failingFeeds = failingFeeds; self.entries = entries; self.alerts = alerts
    }
}

/// The work behind the daemon: state, polling and outputs. `poll` runs on worker threads and may
/// block (network, disk, analysis); every other method is called from the service's control queue.
public protocol DaemonBackend: AnyObject, Sendable {
    /// Opens the state (database, migrations, pending outbox) and returns the stored schedule.
    func start(_ configuration: DaemonConfiguration) throws -> [String: StoredFeedSchedule]
    /// Switches to a new, already validated configuration without losing state.
    func reload(_ configuration: DaemonConfiguration) throws
    /// Polls one feed end to end: fetch → parse → store → analysis → trends → alerts.
    func poll(_ feed: DaemonFeed, now: Date) -> PollOutcome
    /// Periodic work that is not tied to a feed (flush the alert outbox, close buckets); may block.
    func maintenance(now: Date)
    func counts() -> ServiceCounts
    /// Reopens the files the backend appends to (alerts.log, alerts.jsonl) after logrotate.
    func reopenOutputs()
    /// Closes the state database. Called only when no poll is in flight.
    func shutdown()
}
