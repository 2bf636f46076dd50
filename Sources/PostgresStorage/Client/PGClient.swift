import DyadConfig
import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import Synchronization

/// Connections to one PostgreSQL database, kept in a small pool and lent out for one transaction
/// at a time. Synchronous on purpose: the pipeline's stages are synchronous and run on Dispatch
/// threads, never on SwiftNIO's event loops.
public final class PGClient: Sendable {
    /// Connections kept open between transactions.
    static let maxIdle = 8

    let configuration: PostgresConnection.Configuration
    /// `postgresql://user@host:port/db`, never with a password.
    public let location: String
    let logger: Logger
    private let idle = Mutex<[PostgresConnection]>([])
    private let nextID = Atomic<Int>(1)

    /// Reads the password from `password_file`, else `$PGPASSWORD`, else the URL; sets up TLS.
    public init(_ storage: StorageConfig, environment: [String: String] = ProcessInfo.processInfo.environment,
                logger: Logger = Logger(label: "dyadwatch.postgres")) throws {
        guard let url = storage.url else { throw PGClientError.noURL }
        var password = url.password
        if let env = environment["PGPASSWORD"], !env.isEmpty { password = env }
        if let file = storage.passwordFile {
            guard let text = try? String(contentsOf: file, encoding: .utf8) else { throw PGClientError.unreadablePasswordFile(file.path) }
            password = text.trimmingCharacters(in: .newlines)
        }
        let tls: PostgresConnection.Configuration.TLS
        switch storage.tls {
        case .disable:
            tls = .disable
        case .prefer:
            var c = TLSConfiguration.makeClientConfiguration()
            c.certificateVerification = .none
            tls = .prefer(try NIOSSLContext(configuration: c))
        case .require:
            var c = TLSConfiguration.makeClientConfiguration()
            if let ca = storage.tlsCAFile { c.trustRoots = .file(ca.path) }
            tls = .require(try NIOSSLContext(configuration: c))
        }
        configuration = PostgresConnection.Configuration(host: url.host, port: url.port, username: url.user, password: password,
                                                          database: url.database, tls: tls)
        location = url.redacted
        self.logger = logger
    }

    deinit { close() }

    public enum Isolation: String, Sendable {
        case readCommitted = "READ COMMITTED", repeatableRead = "REPEATABLE READ"
    }

    /// Runs `body` in one transaction; rolls back when it throws.
    public func transaction<T>(isolation: Isolation = .readCommitted, _ body: (PGConnection) throws -> T) throws -> T {
        try withConnection { c in
            try c.execute("BEGIN ISOLATION LEVEL " + isolation.rawValue)
            do {
                let result = try body(c)
                try c.execute("COMMIT")
                return result
            } catch {
                _ = try? c.execute("ROLLBACK")
                throw error
            }
        }
    }

    /// Lends a connection for `body` (autocommit); a broken connection is dropped, not pooled.
    public func withConnection<T>(_ body: (PGConnection) throws -> T) throws -> T {
        let connection = try checkout()
        defer { checkin(connection) }
        return try body(PGConnection(connection: connection, logger: logger))
    }

    private func checkout() throws -> PostgresConnection {
        while let c = idle.withLock({ $0.popLast() }) {
            if !c.isClosed { return c }
        }
        let id = nextID.add(1, ordering: .relaxed).oldValue
        do {
            return try PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration,
                                                  id: id, logger: logger).wait()
        } catch {
            throw PGClientError.connect(location, String(describing: error))
        }
    }

    private func checkin(_ c: PostgresConnection) {
        guard !c.isClosed else { return }
        let keep = idle.withLock { pool -> Bool in
            guard pool.count < Self.maxIdle else { return false }
            pool.append(c)
            return true
        }
        if !keep { _ = try? c.close().wait() }
    }

    /// Closes the pooled connections (at shutdown).
    public func close() {
        for c in idle.withLock({ pool -> [PostgresConnection] in defer { pool.removeAll() }; return pool }) {
            _ = try? c.close().wait()
        }
    }
}

public enum PGClientError: Error, CustomStringConvertible {
    case noURL
    case unreadablePasswordFile(String)
    case connect(String, String)

    public var description: String {
        switch self {
        case .noURL: return "[storage] has no url"
        case .unreadablePasswordFile(let p): return "cannot read the password file \(p)"
        case .connect(let where_, let why): return "cannot connect to \(where_): \(why)"
        }
    }
}
