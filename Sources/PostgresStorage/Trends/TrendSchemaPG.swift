/// The trends tables on PostgreSQL: Trends' SQLite schema (`trends-v1` … `trends-v3`) in one step,
/// analyses as `jsonb` so that analysts can query them (`result->'stance'->>'label'`).
enum TrendSchemaPG {
    static let migrations: [PGMigration] = [
        PGMigration("trends-v3", [
            """
            CREATE TABLE trends_analysis (
              entry_id bigint PRIMARY KEY,
              result jsonb NOT NULL,
              revision bigint NOT NULL DEFAULT 0,
              dyad boolean NOT NULL DEFAULT false,
              first_seen timestamptz)
            """,
            "CREATE INDEX trends_analysis_first_seen ON trends_analysis (first_seen)",
            """
            CREATE TABLE trends_entry (
              entry_id bigint PRIMARY KEY,
              hour bigint NOT NULL,
              day bigint NOT NULL,
              contribution text NOT NULL)
            """,
            "CREATE INDEX trends_entry_hour ON trends_entry (hour)",
            "CREATE INDEX trends_entry_day ON trends_entry (day)",
            """
            CREATE TABLE trends_bucket (
              granularity text NOT NULL,
              start bigint NOT NULL,
              scope text NOT NULL,
              data text NOT NULL,
              PRIMARY KEY (granularity, start, scope))
            """,
            "CREATE TABLE trends_state (key text PRIMARY KEY, value text NOT NULL)",
        ]),
    ]
}
