import DyadConfig
import FeedStorage
import Foundation
import Logging

/// The whole state on one PostgreSQL database (`[storage] url`): FeedStorage's feeds and entries,
/// Trends' tables, Alerts' outbox, and the cluster tables of several daemons.
public final class PostgresState: Sendable {
    public let client: PGClient
    public let feeds: PostgresFeedStore
    public let analysis: PostgresAnalysisStore

    /// Every stage's migrations, in the order they apply.
    static let migrations = FeedSchemaPG.migrations + TrendSchemaPG.migrations + OutboxSchemaPG.migrations + ClusterSchemaPG.migrations

    /// Connects and applies the migrations. `cluster` is this daemon's membership (leases,
    /// heartbeats, alert delivery); nil for processes that poll nothing.
    public init(_ storage: StorageConfig, cluster: ClusterMembership?, migrate: Bool = true,
                logger: Logger = Logger(label: "dyadwatch.postgres")) throws {
        client = try PGClient(storage, logger: logger)
        if migrate { try PGMigrator.migrate(client, Self.migrations) }
        feeds = PostgresFeedStore(client: client, cluster: cluster)
        analysis = PostgresAnalysisStore(client: client, delivery: cluster.map {
            PostgresOutbox.DeliveryLease(node: $0.node, seconds: $0.leaseSeconds)
        })
    }

    /// This daemon's membership from `[storage]`: its node name (default: host name and pid, so two
    /// daemons on one machine differ) and lease length.
    public static func membership(_ storage: StorageConfig) -> ClusterMembership {
        let info = ProcessInfo.processInfo
        return ClusterMembership(node: storage.node ?? "\(info.hostName)-\(info.processIdentifier)", leaseSeconds: storage.lease)
    }

    /// The membership of a one-shot `poll --once`: a node name of its own (`NODE/poll-PID`), so
    /// its feed leases never pass for a running daemon's, even when feeds.conf names the node.
    public static func pollMembership(_ storage: StorageConfig) -> ClusterMembership {
        let info = ProcessInfo.processInfo
        return ClusterMembership(node: "\(storage.node ?? info.hostName)/poll-\(info.processIdentifier)", leaseSeconds: storage.lease)
    }

    /// Whether the schema has been created (`status` does not migrate).
    public func isInitialized() throws -> Bool {
        !(try PGMigrator.applied(client)).isEmpty
    }
}
