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

    public init(feeds: any FeedStoring, analysis: any AnalysisStore, location: String) {
        self.feeds = feeds; self.analysis = analysis; self.location = location
    }

    /// The SQLite file `dyadwatch.sqlite` in `directory` (created, migrated).
    public static func sqlite(directory: URL) throws -> StateStores {
        let store = try FeedStore(directory: directory)
        return StateStores(feeds: store, analysis: try SQLiteAnalysisStore(store.writer), location: "sqlite:" + store.path)
    }
}
