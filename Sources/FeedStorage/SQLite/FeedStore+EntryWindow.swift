import DyadCore
import Foundation
import GRDB

// The entry listing of `articles` on the SQLite file (readers open it read-only, without
// migrations: `FeedStore(readOnlyPath:busyTimeout:)`).

extension FeedStore {
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
