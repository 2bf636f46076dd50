import Alerts
import FeedStorage
import Foundation

/// The state every pipeline run works on, owned by the stages that own the tables: feeds and
/// entries (FeedStorage), trends and the alert outbox (Trends, Alerts). Either the embedded
/// SQLite file in the state directory, or a PostgreSQL database shared by several daemons
/// (`[storage] url`, opened by the PostgresStorage module).
public struct StateStores: Sendable {
    public let feeds: any FeedStoring
    public let analysis: any AnalysisStore
    /// Where the state lives, for log lines (`sqlite:/path`, `postgresql://user@host/db`, no password).
    public let location: String
    /// Set when several daemons share the state: feeds are claimed before each poll.
    public let leasing: (any FeedLeasing)?
    /// Releases connections (PostgreSQL) at shutdown.
    public let close: @Sendable () -> Void

    public init(feeds: any FeedStoring, analysis: any AnalysisStore, location: String, leasing: (any FeedLeasing)? = nil,
                close: @escaping @Sendable () -> Void = {}) {
        self.feeds = feeds; self.analysis = analysis; self.location = location; self.leasing = leasing; self.close = close
    }

    /// The SQLite file `dyadwatch.sqlite` in `directory` (created, migrated).
    public static func sqlite(directory: URL) throws -> StateStores {
        let store = try FeedStore(directory: directory)
        return StateStores(feeds: store, analysis: try SQLiteAnalysisStore(store.writer), location: "sqlite:" + store.path)
    }
}
