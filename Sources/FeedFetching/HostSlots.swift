import Foundation

/// The per-host limit, the one rule for it: used by the fetcher (one cycle's transfers), the
/// daemon's scheduler (polls in flight) and, through `HostActivity`, the page queue: at most `perHost` transfers at once to one server (`host:port`), but a
/// transfer running longer than `slowAfter` stops holding its slot, up to `perHost` such slow
/// ones. So a slow or stalled server can never make the other feeds of its host wait for the
/// whole timeout — they wait `slowAfter` at most — while a server never sees more than
/// `2 × perHost` connections from us. Times are monotonic seconds (real time, also under a
/// simulated clock). Not thread-safe: each owner keeps it on its own thread or queue.
public struct HostSlots: Sendable {
    public var perHost: Int
    public var slowAfter: TimeInterval
    /// Start times of the transfers in flight, per key, by token.
    private var inFlight: [String: [Int: TimeInterval]] = [:]
    private var nextToken = 0

    /// Default `slowAfter`: a feed of a few hundred KB arrives well within it on any working server.
    public static let defaultSlowAfter: TimeInterval = 5

    public init(perHost: Int, slowAfter: TimeInterval = HostSlots.defaultSlowAfter) {
        self.perHost = max(1, perHost); self.slowAfter = slowAfter
    }

    /// The limit's key for a URL: lower-cased host and the port (the scheme's default when absent).
    public static func key(_ url: String) -> String {
        guard let c = URLComponents(string: url), let host = c.host?.lowercased(), !host.isEmpty else { return url.lowercased() }
        let port = c.port ?? (c.scheme?.lowercased() == "https" ? 443 : 80)
        return "\(host):\(port)"
    }

    /// Monotonic seconds since boot.
    public static func monotonicNow() -> TimeInterval { TimeInterval(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// Whether one more transfer to `key` may start at `now`.
    public func canStart(_ key: String, now: TimeInterval) -> Bool { canStart(key, now: now, perHost: perHost) }

    /// Whether one more transfer to `key` may start at `now` when `limit` are allowed at once.
    public func canStart(_ key: String, now: TimeInterval, perHost limit: Int) -> Bool {
        let limit = max(1, limit)
        guard let starts = inFlight[key] else { return true }
        let slow = starts.values.filter { now - $0 >= slowAfter }.count
        let holding = (starts.count - slow) + max(0, slow - limit)
        return holding < limit
    }

    /// Records a transfer to `key` starting at `now`; returns the token to release it with.
    public mutating func start(_ key: String, now: TimeInterval) -> Int {
        nextToken += 1
        inFlight[key, default: [:]][nextToken] = now
        return nextToken
    }

    public mutating func finish(_ key: String, token: Int) {
        inFlight[key]?[token] = nil
        if inFlight[key]?.isEmpty == true { inFlight[key] = nil }
    }

    /// Transfers in flight to `key`.
    public func count(_ key: String) -> Int { inFlight[key]?.count ?? 0 }

    /// The earliest moment after `now` a transfer in flight turns slow (and may free a slot);
    /// nil when none will.
    public func nextChange(after now: TimeInterval) -> TimeInterval? {
        inFlight.values.flatMap(\.values).map { $0 + slowAfter }.filter { $0 > now }.min()
    }

    /// The same for the transfers to `key` only.
    public func nextChange(_ key: String, after now: TimeInterval) -> TimeInterval? {
        inFlight[key]?.values.map { $0 + slowAfter }.filter { $0 > now }.min()
    }
}
