import DyadCore
import Foundation
import Alerts
import Trends

/// The trend page as a file: `index.html` in the trends directory, rewritten atomically together
/// with the trend files, and on demand by `dyadwatch report`.
public enum TrendPage {
    public static let fileName = "index.html"

    /// Renders the page for `query` from the trends tables and the outbox (inside the caller's
    /// read transaction, whichever backend).
    public static func html(_ db: AnalysisTables, engine: TrendEngine, now: Date, query: TrendPageQuery) throws -> String {
        TrendPageRenderer().render(try query.load(db, engine: engine, now: now))
    }

    /// The page before there is any state database.
    public static func emptyHTML(scope: String, now: Date) -> String {
        TrendPageRenderer().render(.empty(scope: scope, now: now))
    }

    /// Writes `index.html` into `directory` (temporary file + rename): the trend files' window.
    public static func write(_ db: AnalysisTables, engine: TrendEngine, now: Date, directory: URL) throws {
        let page = try html(db, engine: engine, now: now, query: .trendFilesWindow(now: now))
        try AtomicFile.write(Data(page.utf8), to: directory.appendingPathComponent(fileName))
    }
}
