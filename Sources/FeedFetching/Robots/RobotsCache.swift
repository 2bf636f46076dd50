import DyadCore
import Foundation
import Synchronization

/// robots.txt per origin (`scheme://host:port`), fetched on first use and trusted until its
/// expiry. How a response becomes rules follows RFC 9309: 2xx is parsed; 4xx (401 and 403
/// included) means "no robots.txt", everything allowed; 5xx or no answer means complete
/// disallow, retried after `retryAfterUnreachable` (at most the expiry).
public final class RobotsCache: Sendable {
    public typealias Fetch = @Sendable (_ robotsURL: String) -> FetchResult

    private struct Entry { var rules: RobotsRules; var expires: Date }
    private let entries = Mutex<[String: Entry]>([:])
    private let agent: String
    private let expiry: TimeInterval
    private let clock: any WallClock
    private let fetch: Fetch
    /// Origins remembered at most; the oldest-expiring are dropped beyond it.
    static let capacity = 10_000
    /// How soon an unreachable robots.txt is asked for again.
    public static let retryAfterUnreachable: TimeInterval = 3_600

    /// `agent` is the product token matched against `user-agent` lines (`dyadwatch`).
    public init(agent: String, expiry: TimeInterval, clock: any WallClock, fetch: @escaping Fetch) {
        self.agent = agent; self.expiry = expiry; self.clock = clock; self.fetch = fetch
    }

    /// The rules for `url`'s origin, fetching robots.txt when unknown or expired; nil when `url`
    /// has no http(s) origin.
    public func rules(for url: String) -> RobotsRules? {
        guard let origin = Self.origin(of: url) else { return nil }
        let now = clock.now()
        if let cached = entries.withLock({ $0[origin] }), cached.expires > now { return cached.rules }
        let result = fetch(origin + "/robots.txt")
        let rules: RobotsRules
        var lifetime = expiry
        switch result.outcome {
        case .document(let data):
            rules = RobotsRules(parsing: [UInt8](data.prefix(RobotsRules.parseLimit)), agent: agent)
        case .notModified:
            rules = .allowAll
        case .failed(.httpStatus(let status)) where (400..<500).contains(status):
            rules = .allowAll
        case .failed:
            rules = .unreachable
            lifetime = min(expiry, Self.retryAfterUnreachable)
        }
        entries.withLock { table in
            if table.count >= Self.capacity {
                for key in table.filter({ $0.value.expires <= now }).map(\.key) { table[key] = nil }
                if table.count >= Self.capacity, let oldest = table.min(by: { $0.value.expires < $1.value.expires })?.key {
                    table[oldest] = nil
                }
            }
            table[origin] = Entry(rules: rules, expires: now.addingTimeInterval(lifetime))
        }
        return rules
    }

    /// `scheme://host[:port]` with scheme and host lower-cased and the default port dropped.
    public static func origin(of url: String) -> String? {
        guard let c = URLComponents(string: url), let scheme = c.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = c.host?.lowercased(), !host.isEmpty else { return nil }
        let defaultPort = scheme == "http" ? 80 : 443
        let port = c.port.flatMap { $0 == defaultPort ? nil : ":\($0)" } ?? ""
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "\(scheme)://\(hostPart)\(port)"
    }

    /// The request target robots rules are matched against: the path (at least `/`) and the query.
    public static func pathAndQuery(of url: String) -> String {
        guard let c = URLComponents(string: url) else { return "/" }
        let path = c.percentEncodedPath.isEmpty ? "/" : c.percentEncodedPath
        return c.percentEncodedQuery.map { "\(path)?\($0)" } ?? path
    }
}
