import Foundation

/// `[storage]`: where the state lives. Without a `url`, the embedded SQLite file in `state_dir`;
/// with one, a PostgreSQL database that several daemons may share (docs/storage.md).
///
///     [storage]
///     url = "postgresql://dyadwatch@db.example.org:5432/dyadwatch"
///     password_file = "/etc/dyadwatch/pg-password"   # else $PGPASSWORD; never logged
///     tls = "require"                                # disable | prefer | require
///     tls_ca_file = "/etc/ssl/certs/db-ca.pem"       # verify the server against this CA
///     node = "host-a"                                # this daemon's name in leases (default: host name)
///     lease = "2m"                                   # how long a claimed feed stays claimed
public struct StorageConfig: ConfigSection, Equatable {
    public static let tableName = "storage"

    public enum Defaults {
        public static let lease: TimeInterval = 120
        public static let port = 5432
    }

    /// How to talk TLS to the server.
    public enum TLSMode: String, Sendable, Equatable, Codable, CaseIterable {
        /// Plain TCP (loopback, or a trusted network).
        case disable
        /// TLS when the server offers it, without verifying the certificate.
        case prefer
        /// TLS, and the certificate must verify (against `tls_ca_file` or the system's roots).
        case require
    }

    /// A parsed `postgresql://user[:password]@host[:port]/database` URL.
    public struct PostgresURL: Sendable, Equatable, Codable {
        public var user: String
        /// A password written in the URL (discouraged: prefer `password_file` or `$PGPASSWORD`).
        public var password: String?
        public var host: String
        public var port: Int
        public var database: String

        /// The URL without any password: safe for log lines and `status`.
        public var redacted: String { "postgresql://\(user)@\(host):\(port)/\(database)" }

        /// Parses the URL; nil with a reason when it is not one dyadwatch can use.
        public static func parse(_ s: String) -> Result<PostgresURL, URLProblem> {
            guard let c = URLComponents(string: s), let scheme = c.scheme?.lowercased() else { return .failure(.init("is not a URL")) }
            guard scheme == "postgresql" || scheme == "postgres" else {
                return .failure(.init("must start with postgresql:// (SQLite needs no url: leave [storage] out)"))
            }
            guard let host = c.host, !host.isEmpty else { return .failure(.init("names no host")) }
            guard let user = c.user, !user.isEmpty else { return .failure(.init("names no user (postgresql://USER@host/db)")) }
            let database = String(c.path.drop(while: { $0 == "/" }))
            guard !database.isEmpty, !database.contains("/") else { return .failure(.init("names no database (postgresql://user@host/DATABASE)")) }
            if let port = c.port, !(1...65_535).contains(port) { return .failure(.init("port \(port) is out of range")) }
            if let items = c.queryItems, !items.isEmpty {
                return .failure(.init("query parameters are not read; use the keys of [storage] (tls, tls_ca_file, password_file)"))
            }
            return .success(PostgresURL(user: user.removingPercentEncoding ?? user, password: c.password?.removingPercentEncoding,
                                        host: host, port: c.port ?? Defaults.port, database: database.removingPercentEncoding ?? database))
        }
    }

    public struct URLProblem: Error, Equatable { public var message: String; init(_ m: String) { message = m } }

    /// nil: SQLite in `state_dir`.
    public var url: PostgresURL?
    public var passwordFile: URL?
    public var tls: TLSMode
    public var tlsCAFile: URL?
    /// This daemon's name in feed leases and `status` (several daemons need distinct names).
    public var node: String?
    /// How long a feed claimed for a poll stays claimed if its daemon dies.
    public var lease: TimeInterval

    public init(from r: TableReader) {
        url = nil
        if let s = r.string("url") {
            switch PostgresURL.parse(s) {
            case .success(let u):
                url = u
                if u.password != nil { r.warning("url", "holds a password; prefer password_file or $PGPASSWORD (it is never logged)") }
            case .failure(let p): r.error("url", p.message)
            }
        }
        passwordFile = r.path("password_file")
        let mode = r.string("tls") ?? TLSMode.prefer.rawValue
        tls = TLSMode(rawValue: mode) ?? .prefer
        if TLSMode(rawValue: mode) == nil {
            r.error("tls", "must be one of \(TLSMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        tlsCAFile = r.path("tls_ca_file")
        node = r.string("node")
        if let n = node, n.isEmpty || n.count > 64 || n.contains(where: { $0.isWhitespace || $0.isNewline }) {
            r.error("node", "must be 1–64 characters without spaces"); node = nil
        }
        lease = r.duration("lease", in: 10...3_600) ?? Defaults.lease
        if url == nil {
            for key in ["password_file", "tls_ca_file", "node"] where r.has(key) {
                r.warning(key, "has no effect without url (the state is the SQLite file in state_dir)")
            }
        }
    }

    /// The `[storage]` of a file without one: SQLite.
    public static var sqlite: StorageConfig { StorageConfig(url: nil) }

    /// A `[storage]` built in code (tests, `migrate --to-postgres URL`).
    public init(url: PostgresURL?, passwordFile: URL? = nil, tls: TLSMode = .prefer, tlsCAFile: URL? = nil,
                node: String? = nil, lease: TimeInterval = Defaults.lease) {
        self.url = url; self.passwordFile = passwordFile; self.tls = tls; self.tlsCAFile = tlsCAFile
        self.node = node; self.lease = lease
    }
}
