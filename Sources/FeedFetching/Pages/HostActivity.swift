import Foundation
import Synchronization

/// Transfers in flight per host, shared by feed polling and page fetching so that together they
/// respect `[daemon] per_host_concurrency` under the one per-host rule, `HostSlots` (a transfer
/// turned slow stops holding its slot). Feed polls always enter (they never wait for pages); the
/// page queue starts a page only while `canStart` allows it, and learns when a host may have
/// room again: each `leave` is told to the `onLeave` observers, and `secondsUntilChange` says
/// when a transfer in flight turns slow. Keys are `HostSlots.key` (`host:port`).
public final class HostActivity: Sendable {
    private let slots: Mutex<HostSlots>
    private let now: @Sendable () -> TimeInterval
    private let leaveObservers = Mutex<[@Sendable (String) -> Void]>([])

    /// `now` gives monotonic seconds (injected by tests).
    public init(slowAfter: TimeInterval = HostSlots.defaultSlowAfter,
                now: @escaping @Sendable () -> TimeInterval = HostSlots.monotonicNow) {
        // `perHost` is given by each `canStart` caller (a reload may change it).
        slots = Mutex(HostSlots(perHost: 1, slowAfter: slowAfter))
        self.now = now
    }

    /// Records a transfer to `host` starting now; returns the token `leave` takes.
    public func enter(_ host: String) -> Int { slots.withLock { $0.start(host, now: now()) } }

    public func leave(_ host: String, token: Int) {
        slots.withLock { $0.finish(host, token: token) }
        for observer in leaveObservers.withLock({ $0 }) { observer(host) }
    }

    /// Calls `observer` with the host after every `leave` (on the leaving thread: keep it short).
    public func onLeave(_ observer: @escaping @Sendable (String) -> Void) { leaveObservers.withLock { $0.append(observer) } }

    /// Seconds until a transfer to `host` in flight turns slow (and may free a slot); nil when none will.
    public func secondsUntilChange(_ host: String) -> TimeInterval? {
        let t = now()
        return slots.withLock { $0.nextChange(host, after: t) }.map { max(0, $0 - t) }
    }

    /// Whether one more transfer to `host` may start now when `perHost` are allowed at once.
    public func canStart(_ host: String, perHost: Int) -> Bool {
        slots.withLock { $0.canStart(host, now: now(), perHost: perHost) }
    }

    /// Transfers to `host` in flight now.
    public func count(_ host: String) -> Int { slots.withLock { $0.count(host) } }
}
