import Foundation

/// `[fulltext]`: how article pages of `fulltext = true` feeds are fetched and extracted. Page
/// fetching has its own queue and budget, so it never delays feed polling.
///
///     [fulltext]
///     concurrency = 4            # page transfers at once, over all hosts
///     host_delay = "5s"          # at least this long between two page requests to one host
///     timeout = "30s"            # one page, all redirect hops included
///     max_body = "5MiB"          # decoded size cap of one page
///     min_text_length = 200      # characters of extracted text below which a page is "too short"
///     first_poll_backlog = 5     # entries of a feed's first poll that get their page
///     robots_expiry = "24h"      # how long a host's robots.txt is trusted
///     queue_limit = 2000         # pages waiting at most; beyond, new entries keep their feed text
///     max_attempts = 6           # tries of a page that fails for a transient reason, the first included
///     retry_delay = "5m"         # wait after the first failed try; doubles with each further failure
///     retry_max_delay = "2h"     # ceiling of one wait (a server's Retry-After included)
///
/// The per-host limit is `[daemon] per_host_concurrency`, shared with feed polling: a page
/// transfer starts only while the host's feed polls and page transfers together are below it,
/// and a feed poll never waits for pages.
public struct FulltextConfig: ConfigSection, Equatable {
    public static let tableName = "fulltext"

    public enum Defaults {
        public static let concurrency = 4
        public static let hostDelay: TimeInterval = 5
        public static let timeout: TimeInterval = 30
        public static let maxBody: Int64 = 5 << 20
        public static let firstPollBacklog = 5
        public static let robotsExpiry: TimeInterval = 24 * 3_600
        public static let queueLimit = 2_000
        public static let maxAttempts = 6
        public static let retryDelay: TimeInterval = 300
        public static let retryMaxDelay: TimeInterval = 2 * 3_600
    }

    public enum Limits {
        public static let concurrency = 1...64
        public static let hostDelay: ClosedRange<TimeInterval> = 0...3_600
        public static let timeout: ClosedRange<TimeInterval> = 1...600
        public static let maxBody: ClosedRange<Int64> = 16_384...(256 << 20)
        public static let minTextLength = 0...100_000
        public static let firstPollBacklog = 0...10_000
        public static let robotsExpiry: ClosedRange<TimeInterval> = 60...(30 * 86_400)
        public static let queueLimit = 1...1_000_000
        public static let maxAttempts = 1...20
        public static let retryDelay: ClosedRange<TimeInterval> = 1...(24 * 3_600)
        public static let retryMaxDelay: ClosedRange<TimeInterval> = 1...(7 * 86_400)
    }

    public var concurrency: Int
    public var hostDelay: TimeInterval
    public var timeout: TimeInterval
    public var maxBody: Int64
    /// Nil when not set: the extractor's own default (`ExtractionOptions.defaultMinTextLength`).
    public var minTextLength: Int?
    public var firstPollBacklog: Int
    public var robotsExpiry: TimeInterval
    public var queueLimit: Int
    /// Attempts of a page failing for a transient reason (`PageRetryPolicy`), the first included.
    public var maxAttempts: Int
    public var retryDelay: TimeInterval
    public var retryMaxDelay: TimeInterval

    public init(from r: TableReader) {
        concurrency = r.int("concurrency", in: Limits.concurrency) ?? Defaults.concurrency
        hostDelay = r.duration("host_delay", in: Limits.hostDelay) ?? Defaults.hostDelay
        timeout = r.duration("timeout", in: Limits.timeout) ?? Defaults.timeout
        maxBody = r.size("max_body", in: Limits.maxBody) ?? Defaults.maxBody
        minTextLength = r.int("min_text_length", in: Limits.minTextLength)
        firstPollBacklog = r.int("first_poll_backlog", in: Limits.firstPollBacklog) ?? Defaults.firstPollBacklog
        robotsExpiry = r.duration("robots_expiry", in: Limits.robotsExpiry) ?? Defaults.robotsExpiry
        queueLimit = r.int("queue_limit", in: Limits.queueLimit) ?? Defaults.queueLimit
        maxAttempts = r.int("max_attempts", in: Limits.maxAttempts) ?? Defaults.maxAttempts
        let delay = r.duration("retry_delay", in: Limits.retryDelay)
        let maxDelay = r.duration("retry_max_delay", in: Limits.retryMaxDelay)
        retryDelay = delay ?? Defaults.retryDelay
        retryMaxDelay = maxDelay ?? max(Defaults.retryMaxDelay, retryDelay)
        if retryMaxDelay < retryDelay {
            r.error(maxDelay != nil ? "retry_max_delay" : "retry_delay",
                    "retry_max_delay (\(DurationSyntax.format(retryMaxDelay))) must not be shorter than retry_delay (\(DurationSyntax.format(retryDelay)))")
            retryMaxDelay = retryDelay
        }
    }

    /// The defaults, as an absent `[fulltext]` table gives them.
    public init() {
        concurrency = Defaults.concurrency; hostDelay = Defaults.hostDelay; timeout = Defaults.timeout
        maxBody = Defaults.maxBody; minTextLength = nil; firstPollBacklog = Defaults.firstPollBacklog
        robotsExpiry = Defaults.robotsExpiry; queueLimit = Defaults.queueLimit
        maxAttempts = Defaults.maxAttempts; retryDelay = Defaults.retryDelay; retryMaxDelay = Defaults.retryMaxDelay
    }
}
