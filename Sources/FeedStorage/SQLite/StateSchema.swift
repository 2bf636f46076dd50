import GRDB

/// Schema of the fetch/dedup tables. Migrations are append-only; names are prefixed `fetch-`.
/// Other modules keep their own migrators on the same file (`trends-…`, `alerts-…`).
enum StateSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("fetch-v1") { db in
            try db.create(table: "feeds") { t in
                t.primaryKey("id", .text)
                t.column("configured_url", .text).notNull()
                t.column("url", .text).notNull()
                t.column("etag", .text)
                t.column("last_modified", .text)
                t.column("last_status", .integer)
                t.column("last_error", .text)
                t.column("last_attempt", .datetime)
                t.column("last_success", .datetime)
                t.column("consecutive_failures", .integer).notNull().defaults(to: 0)
                t.column("next_due", .datetime)
                t.column("disabled_reason", .text)
                t.column("newest_item", .datetime)
                t.column("ttl_floor", .double)
                t.column("last_bytes", .integer)
                t.column("last_duration_ms", .integer)
            }
            try db.create(table: "entries") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("feed_id", .text).notNull().references("feeds", onDelete: .cascade)
                t.column("dedup_key", .text).notNull()
                t.column("first_seen", .datetime).notNull()
                t.column("updated_at", .datetime).notNull()
                t.column("revision", .integer).notNull().defaults(to: 1)
                t.column("guid", .text)
                t.column("title", .text).notNull()
                t.column("link", .text)
                t.column("published", .datetime)
                t.column("entry_updated", .datetime)
                t.column("author", .text)
                t.column("summary", .text)
                t.column("text", .text).notNull()
                t.column("language", .text)
                t.column("categories", .text)
                t.column("content_hash", .text).notNull()
                t.uniqueKey(["feed_id", "dedup_key"])
            }
            try db.create(index: "entries_first_seen", on: "entries", columns: ["first_seen"])
            try db.create(index: "entries_published", on: "entries", columns: ["published"])
        }
        migrator.registerMigration("fetch-v2") { db in
            // Fixed error class, the reason of the next due time, non-fatal problems of the last poll.
            try db.alter(table: "feeds") { t in
                t.add(column: "last_error_class", .text)
                t.add(column: "next_due_reason", .text)
                t.add(column: "last_problems", .text)
            }
        }
        migrator.registerMigration("fetch-v2-fulltext") { db in
            // The extracted main text of the entry's page, next to the feed's own text; the
            // page's status (`FulltextStatus`) and when it was decided. Pending entries are the
            // durable page queue.
            try db.alter(table: "entries") { t in
                t.add(column: "fulltext", .text)
                t.add(column: "fulltext_status", .text)
                t.add(column: "fulltext_at", .datetime)
            }
            try db.execute(sql: "CREATE INDEX entries_fulltext_pending ON entries(id) WHERE fulltext_status = 'pending'")
        }
        migrator.registerMigration("fetch-v6-page-retry") { db in
            // A page that failed for a transient reason stays pending: attempts made, when it is
            // asked for again, and the class of its last failure (`PageRetryPolicy`).
            try db.alter(table: "entries") { t in
                t.add(column: "page_attempts", .integer).notNull().defaults(to: 0)
                t.add(column: "page_next_attempt", .datetime)
                t.add(column: "page_last_error", .text)
            }
        }
        migrator.registerMigration("fetch-v7-analysis-mark") { db in
            // The revision an entry was last analyzed at (NULL: never), set after its analysis is
            // committed; the partial index holds only the entries still to analyze, so the
            // analysis sweep reads those, not the whole table. Existing entries start unmarked:
            // the first sweep checks each once against the trends tables and marks it.
            try db.alter(table: "entries") { t in t.add(column: "analyzed_revision", .integer) }
            try db.execute(sql: "CREATE INDEX entries_unanalyzed ON entries(id) WHERE \(unanalyzed)")
        }
        return migrator
    }

    /// An entry not marked analyzed at its revision: the partial index's predicate, which a query
    /// must repeat word for word for the planner to use the index (same text on PostgreSQL).
    static let unanalyzed = "(analyzed_revision IS NULL OR analyzed_revision < revision)"
}
