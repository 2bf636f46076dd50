import Foundation

/// `[daemon]`: where state lives and how politely and defensively feeds are fetched.
public struct DaemonConfig: ConfigSection, Equatable {
    public static let tableName = "daemon"

    /// Defaults (used when a key is absent).
    public enum Defaults {
        public static let stateDir = "state"
        public static let logDir = "logs"
        public static let trendsDir = "trends"
        public static let interval: TimeInterval = 30 * 60
        /// Transfers in flight at once over all hosts.
        public static let concurrency = 16
        /// Transfers in flight at once to one host: outlets serve several feeds from one host.
        public static let perHostConcurrency = 2
        public static let connectTimeout: TimeInterval = 15
        public static let timeout: TimeInterval = 60
        /// A transfer slower than `lowSpeedLimit` bytes/s for `lowSpeedTime` is a stall.
        public static let lowSpeedLimit: Int64 = 100
        public static let lowSpeedTime: TimeInterval = 30
        public static let maxBody: Int64 = 10 << 20
        public static let maxRedirects = 5
        /// Ceiling of the exponential backoff after repeated failures.
        public static let maxBackoff: TimeInterval = 24 * 3_600
        /// A feed whose newest item is older than this is flagged STALE.
        public static let staleAfter: TimeInterval = 14 * 86_400
        /// Items taken from one feed in one poll (the newest by date; the rest are dropped and logged).
        public static let maxItems = 1_000
        public static let logLevel = "info"
    }

    /// Hard limits: values outside are rejected as impossible or abusive.
    public enum Limits {
        public static let interval: ClosedRange<TimeInterval> = 60...(30 * 86_400)
        public static let concurrency = 1...512
        public static let perHostConcurrency = 1...64
        public static let connectTimeout: ClosedRange<TimeInterval> = 1...600
        public static let timeout: ClosedRange<TimeInterval> = 1...3_600
        public static let lowSpeedLimit: ClosedRange<Int64> = 1...(1 << 30)
        public static let lowSpeedTime: ClosedRange<TimeInterval> = 1...3_600
        public static let maxBody: ClosedRange<Int64> = 1_024...(1 << 30)
        public static let maxRedirects = 0...5
        public static let maxBackoff: ClosedRange<TimeInterval> = 60...(90 * 86_400)
        public static let staleAfter: ClosedRange<TimeInterval> = 3_600...(365 * 86_400)
        public static let maxItems = 1...50_000
    }

    public static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    public var stateDir: URL
    public var logDir: URL
    public var trendsDir: URL
    public var interval: TimeInterval
    public var concurrency: Int
    public var perHostConcurrency: Int
    public var connectTimeout: TimeInterval
    public var timeout: TimeInterval
    public var lowSpeedLimit: Int64
    public var lowSpeedTime: TimeInterval
    public var maxBody: Int64
    public var maxRedirects: Int
    public var maxBackoff: TimeInterval
    public var userAgent: String
    public var staleAfter: TimeInterval
    /// Most items stored from one feed per poll (`[[feed]] max_items` overrides).
    public var maxItems: Int
    public var logLevel: String
    /// Ping systemd's watchdog (when the unit sets `WatchdogSec=`).
    public var watchdog: Bool

    public init(from r: TableReader) {
        stateDir = r.path("state_dir") ?? r.context.resolvePath(Defaults.stateDir)
        logDir = r.path("log_dir") ?? r.context.resolvePath(Defaults.logDir)
        trendsDir = r.path("trends_dir") ?? r.context.resolvePath(Defaults.trendsDir)
        interval = r.duration("interval", in: Limits.interval) ?? Defaults.interval
        concurrency = r.int("concurrency", in: Limits.concurrency) ?? Defaults.concurrency
        perHostConcurrency = r.int("per_host_concurrency", in: Limits.perHostConcurrency) ?? Defaults.perHostConcurrency
        connectTimeout = r.duration("connect_timeout", in: Limits.connectTimeout) ?? Defaults.connectTimeout
        timeout = r.duration("timeout", in: Limits.timeout) ?? Defaults.timeout
        lowSpeedLimit = r.size("low_speed_limit", in: Limits.lowSpeedLimit) ?? Defaults.lowSpeedLimit
        lowSpeedTime = r.duration("low_speed_time", in: Limits.lowSpeedTime) ?? Defaults.lowSpeedTime
        maxBody = r.size("max_body", in: Limits.maxBody) ?? Defaults.maxBody
        maxRedirects = r.int("max_redirects", in: Limits.maxRedirects) ?? Defaults.maxRedirects
        maxBackoff = r.duration("max_backoff", in: Limits.maxBackoff) ?? Defaults.maxBackoff
        userAgent = r.string("user_agent") ?? ProductInfo.defaultUserAgent
        staleAfter = r.duration("stale_after", in: Limits.staleAfter) ?? Defaults.staleAfter
        maxItems = r.int("max_items", in: Limits.maxItems) ?? Defaults.maxItems
        logLevel = r.string("log_level") ?? Defaults.logLevel
        watchdog = r.bool("watchdog") ?? true

        if !DaemonConfig.logLevels.contains(logLevel) {
            r.error("log_level", "unknown level \"\(logLevel)\"; one of \(DaemonConfig.logLevels.joined(separator: ", "))")
            logLevel = Defaults.logLevel
        }
        if userAgent.trimmingCharacters(in: .whitespaces).isEmpty || userAgent.contains(where: { $0.isNewline }) {
            r.error("user_agent", "must be one non-empty line")
            userAgent = ProductInfo.defaultUserAgent
        }
        if perHostConcurrency > concurrency {
            r.error("per_host_concurrency", "\(perHostConcurrency) exceeds concurrency (\(concurrency))")
        }
        if connectTimeout > timeout {
            r.error("connect_timeout", "\(DurationSyntax.format(connectTimeout)) exceeds timeout (\(DurationSyntax.format(timeout)))")
        }
        if lowSpeedTime >= timeout {
            r.warning("low_speed_time", "\(DurationSyntax.format(lowSpeedTime)) is not below timeout (\(DurationSyntax.format(timeout))): stalls are only cut by the total timeout")
        }
        if maxBackoff < interval {
            r.error("max_backoff", "\(DurationSyntax.format(maxBackoff)) is shorter than interval (\(DurationSyntax.format(interval))): failing feeds would be polled more often than healthy ones")
        }
        if staleAfter <= interval {
            r.error("stale_after", "\(DurationSyntax.format(staleAfter)) must exceed interval (\(DurationSyntax.format(interval)))")
        }
    }
}
