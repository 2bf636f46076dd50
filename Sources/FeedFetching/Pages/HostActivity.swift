import Foundation
import Synchronization

/// Transfers in flight per host, shared by feed polling and page fetching so that together they
/// respect `[daemon] per_host_concurrency` under the one per-host rule, `HostSlots` (a transfer
/// turned slow stops holding its slot). Feed polls always enter (they never wait for pages); the
/// page queue starts a page only while `canStart` allows it. Keys are `HostSlots.key` (`host:port`).
public final class HostActivity: Sendable {
    private let slots: Mutex<HostSlots>
    private let now: @Sendable () -> TimeInterval

    /// `now` gives monotonic seconds (injected by tests).
    public init(slowAfter: TimeInterval = HostSlots.defaultSlowAfter,
                now: @escaping @Sendable () -> TimeInterval = HostSlots.monotonicNow) {
        // `perHost` is given by each `canStart` caller (a reload may change it).
        slots = Mutex(HostSlots(perHost: 1, slowAfter: slowAfter))
        self.now = now
    }

    /// Records a transfer to `host` starting now; returns the token `leave` takes.
    public func enter(_ host: String) -> Int { slots.withLock { $0.start(host, now: now()) } }

    public func leave(_ host: String, token: Int) { slots.withLock { $0.finish(host, token: token) } }

    /// Whether one more transfer to `host` may start now when `perHost` are allowed at once.
    public func canStart(_ host: String, perHost: Int) -> Bool {
        slots.withLock { $0.canStart(host, now: now(), perHost: perHost) }
    }

    /// Transfers to `host` in flight now.
    public func count(_ host: String) -> Int { slots.withLock { $0.count(host) } }
}
