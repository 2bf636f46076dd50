import Alerts
import FeedStorage
import Foundation

/// One storage backend as the conformance suite sees it: the stages' stores on a fresh, empty
/// database, and a way to open the same database again (a restarted process).
public struct StorageUnderTest {
    public var name: String
    public var feeds: any FeedStoring
    public var analysis: any AnalysisStore
    public var reopen: () throws -> StorageUnderTest
    /// The stores of another daemon on the same state: on PostgreSQL another node (its own page
    /// claims); on SQLite, which has one daemon per file, the next process to open it.
    public var otherDaemon: () throws -> any FeedStoring
    /// Ends every page claim as a dead daemon's would end (PostgreSQL: they expire; SQLite has none).
    public var expirePageClaims: () throws -> Void
    /// The database's plan for the analysis sweep's query (`unanalyzedEntries`), after the
    /// table's statistics are brought up to date; nil where the backend cannot show one.
    public var sweepPlan: (() throws -> String)?

    public init(name: String, feeds: any FeedStoring, analysis: any AnalysisStore, reopen: @escaping () throws -> StorageUnderTest,
                otherDaemon: (() throws -> any FeedStoring)? = nil, expirePageClaims: @escaping () throws -> Void = {},
                sweepPlan: (() throws -> String)? = nil) {
        self.name = name; self.feeds = feeds; self.analysis = analysis; self.reopen = reopen
        self.otherDaemon = otherDaemon ?? { try reopen().feeds }
        self.expirePageClaims = expirePageClaims
        self.sweepPlan = sweepPlan
    }

    /// The SQLite backend on a file in `directory`.
    public static func sqlite(directory: URL) throws -> StorageUnderTest {
        let store = try FeedStore(directory: directory)
        return StorageUnderTest(name: "sqlite", feeds: store, analysis: try SQLiteAnalysisStore(store.writer),
                                reopen: { try sqlite(directory: directory) },
                                sweepPlan: { try store.unanalyzedQueryPlan() })
    }
}
