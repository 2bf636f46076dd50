import Foundation
import DyadConfig

/// Loads feeds.conf through DyadConfig (every problem with file, line and key) and reduces it to
/// what the service schedules; the full `Configuration` travels along as `source`.
public struct FeedsConfLoader: ConfigurationLoading {
    /// Where the file is parsed and validated: the daemon passes a `ChildProcessConfigurationLoader`,
    /// so a reload can neither crash it nor grow its memory; nil loads in this process (tests).
    public var childProcess: ChildProcessConfigurationLoader?

    public init(childProcess: ChildProcessConfigurationLoader? = nil) { self.childProcess = childProcess }

    public func load(path: String) throws -> DaemonConfiguration {
        DaemonConfiguration(try childProcess?.load(path: path) ?? ConfigurationLoader.load(path: path))
    }
}

extension DaemonConfiguration {
    /// The scheduler's view of a validated configuration.
    public init(_ configuration: Configuration) {
        let daemon = configuration.daemon
        self.init(
            settings: DaemonSettings(concurrency: daemon.concurrency, perHostConcurrency: daemon.perHostConcurrency,
                                     logLevel: daemon.logLevel, logDirectory: daemon.logDir.path, watchdog: daemon.watchdog),
            feeds: configuration.feeds.map {
                DaemonFeed(id: $0.id, url: $0.url, interval: $0.effectiveInterval(daemon), enabled: $0.enabled)
            },
            source: configuration)
    }

    /// The DyadConfig configuration this was made from.
    public var feedsConf: Configuration? { source as? Configuration }
}
