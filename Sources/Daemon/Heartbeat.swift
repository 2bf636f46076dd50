import Foundation
import Synchronization

/// The time of the scheduler loop's last turn, on the monotonic clock. The watchdog pinger reads it
/// to decide whether the scheduler is still making progress.
public final class Heartbeat: Sendable {
    private let last = Atomic<UInt64>(DispatchTime.now().uptimeNanoseconds)

    public init() {}

    public func beat() { last.store(DispatchTime.now().uptimeNanoseconds, ordering: .relaxed) }

    /// Seconds since the last beat.
    public var age: TimeInterval {
        Double(DispatchTime.now().uptimeNanoseconds &- last.load(ordering: .relaxed)) / 1e9
    }
}

/// Sends `WATCHDOG=1` every third of systemd's watchdog interval, but only while the scheduler's
/// heartbeat is younger than half of it: a wedged scheduler stops the pings and systemd restarts
/// the service (`Restart=on-failure`).
final class WatchdogPinger: Sendable {
    private let queue = DispatchQueue(label: "dyadwatch.watchdog")
    private let timer = Mutex<(any DispatchSourceTimer)?>(nil)
    /// Whether the last check found the scheduler stalled (so each change is reported once).
    private let stalled = Mutex(false)
    private let interval: TimeInterval
    private let heartbeat: Heartbeat
    private let notifier: SystemdNotifier
    private let onStall: @Sendable (TimeInterval) -> Void
    private let onRecover: @Sendable () -> Void

    /// Pings per watchdog interval: three leaves room for one late ping.
    static let pingsPerInterval = 3.0
    /// Fraction of the watchdog interval after which a silent scheduler counts as stalled.
    static let stallFraction = 0.5

    init(interval: TimeInterval, heartbeat: Heartbeat, notifier: SystemdNotifier,
         onStall: @escaping @Sendable (TimeInterval) -> Void, onRecover: @escaping @Sendable () -> Void) {
        self.interval = interval; self.heartbeat = heartbeat; self.notifier = notifier
        self.onStall = onStall; self.onRecover = onRecover
    }

    /// Longest time the scheduler may go without a turn while the watchdog is on.
    static func heartbeatLimit(for interval: TimeInterval) -> TimeInterval { interval * stallFraction }

    func start() {
        let period = interval / WatchdogPinger.pingsPerInterval
        timer.withLock { slot in
            slot?.cancel()
            let timer = DispatchSource.makeTimerSource(queue: queue)
            timer.schedule(deadline: .now(), repeating: period, leeway: .milliseconds(Int(period * 100)))  // 10 % leeway
            timer.setEventHandler { [weak self] in self?.check() }
            timer.resume()
            slot = timer
        }
    }

    func stop() { timer.withLock { $0?.cancel(); $0 = nil } }

    private func check() {
        let age = heartbeat.age
        let healthy = age <= WatchdogPinger.heartbeatLimit(for: interval)
        if healthy { notifier.watchdog() }
        // Only a change is reported: true → false recovers, false → true stalls.
        let changed = stalled.withLock { wasStalled in
            defer { wasStalled = !healthy }
            return wasStalled == healthy
        }
        guard changed else { return }
        if healthy { onRecover() } else { onStall(age) }
    }
}
