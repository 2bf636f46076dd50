import DyadConfig
import DyadCore
import FeedFetching
import FeedStorage
import Foundation
import Logging

/// The page queue as the daemon runs it, built from feeds.conf: `[fulltext]` limits over
/// `[daemon]`'s fetch rules (user agent, redirects, connect timeout, low-speed limit).
extension PageQueue {
    /// Feed fetching's policy with the page timeout and `max_body`.
    public static func fetchPolicy(_ configuration: Configuration) -> FetchPolicy {
        let fulltext = configuration.section(FulltextConfig.self)
        var policy = FeedPoller.fetchPolicy(configuration.daemon)
        policy.timeout = fulltext.timeout
        policy.connectTimeout = min(policy.connectTimeout, fulltext.timeout)
        policy.lowSpeedTime = min(policy.lowSpeedTime, fulltext.timeout)
        policy.maxBody = fulltext.maxBody
        return policy
    }

    /// Concurrency, host delay and the per-host limit shared with feed polling.
    public static func settings(_ configuration: Configuration) -> Settings {
        let fulltext = configuration.section(FulltextConfig.self)
        return Settings(concurrency: fulltext.concurrency, hostDelay: fulltext.hostDelay,
                        perHostLimit: configuration.daemon.perHostConcurrency, bufferLimit: fulltext.queueLimit)
    }

    /// A queue fetching pages from the web (robots.txt honoured) into `store`, re-analyzing through `sink`.
    public static func live(_ configuration: Configuration, store: any PageQueueStoring, sink: (any EntrySink)?,
                            identity: @escaping @Sendable (String) -> FeedIdentity?, clock: any WallClock,
                            hosts: HostActivity, logger: Logger = Logger(label: "dyadwatch.fulltext")) -> PageQueue {
        let fulltext = configuration.section(FulltextConfig.self)
        let source = HTTPPageSource(policy: fetchPolicy(configuration), robotsExpiry: fulltext.robotsExpiry,
                                    clock: clock, logger: logger)
        let processor = FulltextProcessor(store: store, source: source, settings: fulltext, sink: sink,
                                          identity: identity, clock: clock, logger: logger)
        return PageQueue(processor: processor, settings: settings(configuration), hosts: hosts, logger: logger)
    }
}
