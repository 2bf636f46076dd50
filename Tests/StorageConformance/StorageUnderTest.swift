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

    public init(name: String, feeds: any FeedStoring, analysis: any AnalysisStore, reopen: @escaping () throws -> StorageUnderTest) {
        self.name = name; self.feeds = feeds; self.analysis = analysis; self.reopen = reopen
    }

    /// The SQLite backend on a file in `directory`.
    public static func sqlite(directory: URL) throws -> StorageUnderTest {
        let store = try FeedStore(directory: directory)
        return StorageUnderTest(name: "sqlite", feeds: store, analysis: try SQLiteAnalysisStore(store.writer),
                                reopen: { try sqlite(directory: directory) })
    }
}
