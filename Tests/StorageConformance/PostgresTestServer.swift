import DyadConfig
import Foundation
import PostgresStorage
import XCTest

/// The PostgreSQL server of the tests: `$DYADWATCH_TEST_PG` (scripts/test.sh starts a throw-away
/// one on loopback; without it the tests that need it skip, saying why). Each test gets its own
/// database, dropped afterwards.
public enum TestServer {
    public static func url() throws -> StorageConfig.PostgresURL {
        let env = ProcessInfo.processInfo.environment
        guard let s = env["DYADWATCH_TEST_PG"], !s.isEmpty else {
            throw XCTSkip("PostgreSQL tests skipped: \(env["DYADWATCH_TEST_PG_UNAVAILABLE"] ?? "DYADWATCH_TEST_PG is not set (scripts/test.sh starts a server)")")
        }
        guard case .success(let url) = StorageConfig.PostgresURL.parse(s) else { throw XCTSkip("DYADWATCH_TEST_PG is not a postgresql:// URL") }
        return url
    }

    /// A fresh database on the test server; `drop` removes it.
    public struct Database {
        public var storage: StorageConfig
        public var name: String
        let admin: PGClient

        public func drop() {
            admin.close()
            _ = try? admin.withConnection { c in
                try c.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [.text(name)])
                try c.execute("DROP DATABASE IF EXISTS \(name)")
            }
        }

        /// `postgresql://user@host:port/name` of this database (for a feeds.conf).
        public var url: String { storage.url?.redacted ?? "" }

        /// The stores as daemon `node` would open them (nil: no cluster membership).
        public func open(node: String? = nil, lease: Double = 60) throws -> PostgresState {
            try PostgresState(storage, cluster: node.map { ClusterMembership(node: $0, leaseSeconds: lease) })
        }
    }

    public static func database() throws -> Database {
        let base = try url()
        let admin = try PGClient(StorageConfig(url: base, tls: .disable))
        let name = "dw_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        _ = try admin.withConnection { c in try c.execute("CREATE DATABASE \(name)") }
        var url = base
        url.database = String(name)
        return Database(storage: StorageConfig(url: url, tls: .disable), name: String(name), admin: admin)
    }
}
