import Synchronization

/// Transfers in flight per host, shared by feed polling and page fetching so that together they
/// respect `[daemon] per_host_concurrency`. Feed polls always enter (they never wait for pages);
/// the page queue starts a page only while the host's total is below the limit. Keys are
/// `HostSlots.key` (`host:port`), as for the fetcher's own per-host limit.
public final class HostActivity: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    public init() {}

    public func enter(_ host: String) { counts.withLock { $0[host, default: 0] += 1 } }

    public func leave(_ host: String) {
        counts.withLock { table in
            let n = (table[host] ?? 1) - 1
            table[host] = n > 0 ? n : nil
        }
    }

    /// Transfers to `host` in flight now.
    public func count(_ host: String) -> Int { counts.withLock { $0[host] ?? 0 } }
}
