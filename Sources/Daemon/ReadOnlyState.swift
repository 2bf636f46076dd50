import DyadConfig
import FeedStorage
import Foundation
import Pipeline
import PostgresStorage
import Synchronization

/// The state as the processes that only read it see it (`articles`, `report`, the HTTP endpoint),
/// whichever backend feeds.conf names: never migrates, never creates files, never joins the
/// cluster. The SQLite file is opened read-only afresh for each `open` (nil until a daemon has
/// created it); the PostgreSQL database through one pool of connections kept for the reader's
/// lifetime (nil until a daemon has created the schema).
public final class ReadOnlyState: Sendable {
    public let configuration: DyadConfig.Configuration
    private let postgres = Mutex<PostgresState?>(nil)

    public init(configuration: DyadConfig.Configuration) { self.configuration = configuration }

    var storage: StorageConfig { configuration.section(StorageConfig.self) }
    var sqlitePath: String { configuration.daemon.stateDir.appendingPathComponent(FeedStore.fileName).path }

    /// The stores, read-only; nil when there is no state yet.
    public func open() throws -> StateStores? {
        guard storage.url != nil else { return try StatusReader.sqliteState(configuration) }
        let state = try postgresState()
        guard try state.isInitialized() else { return nil }
        return StateOpening.stores(state, leasing: false)
    }

    /// Nil when the daemon could write its state now; else the one-line reason (`/healthz`).
    public func writeProblem() -> String? {
        guard storage.url != nil else { return FeedStore.writeProblem(path: sqlitePath) }
        do { return try postgresState().writeProblem() } catch { return "state database unreachable: \(error)" }
    }

    /// Size of the state database (the SQLite file and its WAL, or the PostgreSQL database).
    public func databaseBytes() throws -> Int64 {
        guard storage.url != nil else { return FeedStore.databaseBytes(path: sqlitePath) }
        return try postgresState().databaseBytes()
    }

    /// Closes the PostgreSQL connections.
    public func close() {
        postgres.withLock { $0?.client.close(); $0 = nil }
    }

    private func postgresState() throws -> PostgresState {
        try postgres.withLock { cached in
            if let cached { return cached }
            let state = try PostgresState(storage, cluster: nil, migrate: false)
            cached = state
            return state
        }
    }
}
