import Foundation

/// `[http]`: the daemon's optional HTTP endpoint (`/metrics`, `/healthz`, the trend page, JSON).
/// Off unless `listen` is written; a bare port listens on loopback only, and any other address
/// must be spelled out.
///
///     [http]
///     listen = "127.0.0.1:9464"     # or "9464" (loopback), "[::1]:9464", "0.0.0.0:9464" (all interfaces)
public struct HTTPConfig: ConfigSection, Equatable {
    public static let tableName = "http"
    public static let defaultHost = "127.0.0.1"

    /// Where to listen; nil = no endpoint.
    public var listen: ListenAddress?

    /// A numeric IP address and a port.
    public struct ListenAddress: Sendable, Equatable, Codable, CustomStringConvertible {
        public var host: String
        public var port: UInt16
        /// `host` must be a numeric address; port 0 lets the kernel pick one (tests).
        public init(host: String, port: UInt16) { self.host = host; self.port = port }
        public var isIPv6: Bool { host.contains(":") }
        public var isLoopback: Bool { host == "::1" || host.hasPrefix("127.") }
        public var description: String { isIPv6 ? "[\(host)]:\(port)" : "\(host):\(port)" }

        /// `PORT`, `IPV4:PORT` or `[IPV6]:PORT`; nil with a reason otherwise. Host names are refused
        /// (they would be resolved at start, possibly to a public address).
        public static func parse(_ text: String) -> Result<ListenAddress, ListenError> {
            let t = text.trimmingCharacters(in: .whitespaces)
            var host = defaultHost
            var portText = t
            if t.hasPrefix("[") {
                guard let close = t.firstIndex(of: "]"), t[t.index(after: close)...].hasPrefix(":") else { return .failure(.syntax) }
                host = String(t[t.index(after: t.startIndex)..<close])
                portText = String(t[t.index(close, offsetBy: 2)...])
                var a = in6_addr()
                guard inet_pton(AF_INET6, host, &a) == 1 else { return .failure(.badHost(host)) }
            } else if let colon = t.lastIndex(of: ":") {
                host = String(t[..<colon])
                portText = String(t[t.index(after: colon)...])
                var a = in_addr()
                guard !host.contains(":"), inet_pton(AF_INET, host, &a) == 1 else { return .failure(.badHost(host)) }
            }
            guard let port = UInt16(portText), port > 0 else { return .failure(.badPort(portText)) }
            return .success(ListenAddress(host: host, port: port))
        }
    }

    public enum ListenError: Error, Equatable, CustomStringConvertible {
        case syntax, badHost(String), badPort(String)
        public var description: String {
            switch self {
            case .syntax: return "expected \"PORT\", \"IPV4:PORT\" or \"[IPV6]:PORT\", e.g. \"127.0.0.1:9464\""
            case .badHost(let h): return "\"\(h)\" is not a numeric IP address (host names are not accepted; loopback is 127.0.0.1 or [::1])"
            case .badPort(let p): return "bad port \"\(p)\" (1 … 65535)"
            }
        }
    }

    public init(from r: TableReader) {
        guard let text = r.string("listen") else { listen = nil; return }
        switch ListenAddress.parse(text) {
        case .success(let a):
            listen = a
            if !a.isLoopback {
                r.warning("listen", "\(a) is reachable from other machines: metrics, health and the trend page have no authentication")
            }
        case .failure(let e):
            listen = nil
            r.error("listen", e.description)
        }
    }
}
