import DyadConfig
import FeedStorage
import Foundation
import Logging
import Pipeline
import PostgresStorage

/// Opens the state named by feeds.conf: the SQLite file in `state_dir`, or the PostgreSQL
/// database of `[storage] url` (shared by several daemons: each claims feeds by lease).
public enum StateOpening {
    /// For a daemon: migrations applied; on PostgreSQL this process joins the cluster.
    public static func open(_ configuration: DyadConfig.Configuration) throws -> StateStores {
        try open(configuration, membership: PostgresState.membership)
    }

    /// For `poll --once`: as `open`, but on PostgreSQL under a node name of its own
    /// (`PostgresState.pollMembership`), so its feed leases never pass for a daemon's.
    public static func openForPoll(_ configuration: DyadConfig.Configuration) throws -> StateStores {
        try open(configuration, membership: PostgresState.pollMembership)
    }

    static func open(_ configuration: DyadConfig.Configuration, membership: (StorageConfig) -> ClusterMembership) throws -> StateStores {
        let storage = configuration.section(StorageConfig.self)
        guard storage.url != nil else { return try StateStores.sqlite(directory: configuration.daemon.stateDir) }
        let state = try PostgresState(storage, cluster: membership(storage))
        return stores(state, leasing: true)
    }

    /// For `status`: read-only, no migrations; nil when there is no state yet.
    public static func openForStatus(_ configuration: DyadConfig.Configuration) throws -> StateStores? {
        let storage = configuration.section(StorageConfig.self)
        guard storage.url != nil else { return try StatusReader.sqliteState(configuration) }
        let state = try PostgresState(storage, cluster: nil, migrate: false)
        guard try state.isInitialized() else { return nil }
        return stores(state, leasing: true)
    }

    static func stores(_ state: PostgresState, leasing: Bool) -> StateStores {
        StateStores(feeds: state.feeds, analysis: state.analysis, location: state.client.location,
                    leasing: leasing ? state.feeds : nil, close: { state.client.close() })
    }
}
