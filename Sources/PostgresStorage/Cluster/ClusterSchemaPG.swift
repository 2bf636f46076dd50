/// Tables of several daemons sharing one database: who is alive, and named leases (alert delivery).
/// Feed leases live in the feeds table itself (`fetch-v2-leases`).
enum ClusterSchemaPG {
    static let migrations: [PGMigration] = [
        PGMigration("cluster-v1", [
            """
            CREATE TABLE cluster_nodes (
              node text PRIMARY KEY,
              host text NOT NULL,
              pid bigint NOT NULL,
              started_at timestamptz NOT NULL,
              heartbeat timestamptz NOT NULL,
              polls bigint NOT NULL DEFAULT 0)
            """,
            """
            CREATE TABLE cluster_leases (
              name text PRIMARY KEY,
              owner text NOT NULL,
              until timestamptz NOT NULL)
            """,
        ]),
    ]
}
