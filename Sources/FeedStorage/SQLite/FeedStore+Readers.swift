import DyadCore
import Foundation
import GRDB

// Direct SQLite readers (`articles`, `report`, the HTTP endpoint): they open the file read-only
// and read through GRDB; on a PostgreSQL state they have no equivalent yet.

extension FeedStore {
    /// Longest a reader waits for the daemon's write lock.
    public static let readOnlyBusyTimeout: TimeInterval = 5

    /// A read-only connection to an existing state database, without migrations (so a reader
    /// running as another user never creates or changes files); nil when there is no database yet.
    public static func openReadOnly(path: String) throws -> DatabaseQueue? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        var options = GRDB.Configuration()
        options.readonly = true
        options.busyMode = .timeout(readOnlyBusyTimeout)
        return try DatabaseQueue(path: path, configuration: options)
    }

    /// `openReadOnly` for the database in a state directory.
    public static func openReadOnly(directory: URL) throws -> DatabaseQueue? {
        try openReadOnly(path: directory.appendingPathComponent(fileName).path)
    }
}

extension StoredEntry {
    /// Entries whose time (publication, else first sight) lies in `[from, to)`, newest first,
    /// optionally of one feed; at most `limit`.
    public static func fetch(_ db: Database, from: Date, to: Date, feedID: String?, limit: Int) throws -> [StoredEntry] {
        var sql = "SELECT * FROM entries WHERE COALESCE(published, first_seen) >= ? AND COALESCE(published, first_seen) < ?"
        var arguments: StatementArguments = [from, to]
        if let feedID { sql += " AND feed_id = ?"; arguments += [feedID] }
        sql += " ORDER BY COALESCE(published, first_seen) DESC, id DESC LIMIT ?"
        arguments += [limit]
        return try StoredEntry.fetchAll(db, sql: sql, arguments: arguments)
    }
}
