import DyadCore
import Foundation
import GRDB

// Readers of the SQLite file (`articles`, `report`, `status`, the HTTP endpoint): a read-only
// connection without migrations, and the entry listing.

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

    public func entries(in window: EntryWindow, after: EntryPosition?, limit: Int) throws -> EntryPage {
        try writer.read { db in
            guard try db.tableExists(StoredEntry.databaseTableName) else { return EntryPage(entries: [], next: nil) }
            let time = "COALESCE(published, first_seen)"
            var sql = "SELECT *, \(time) AS sort_key FROM entries WHERE \(time) >= ? AND \(time) < ?"
            var arguments: StatementArguments = [window.from, window.to]
            if let feedID = window.feedID { sql += " AND feed_id = ?"; arguments += [feedID] }
            if let after {
                sql += " AND (\(time) < ? OR (\(time) = ? AND id < ?))"
                arguments += [after.sortKey, after.sortKey, after.id]
            }
            sql += " ORDER BY \(time) DESC, id DESC LIMIT ?"
            arguments += [max(1, limit)]
            var entries: [StoredEntry] = []
            var last: EntryPosition? = nil
            for row in try Row.fetchAll(db, sql: sql, arguments: arguments) {
                let entry = try StoredEntry(row: row)
                entries.append(entry)
                last = EntryPosition(sortKey: row["sort_key"], id: entry.id ?? 0)
            }
            return EntryPage(entries: entries, next: entries.count < max(1, limit) ? nil : last)
        }
    }
}
