import Foundation
import DyadCore

/// The clock the scheduler plans with. Besides "now" it says how much real time passes while the
/// clock advances, so Dispatch timers (which run on real time) can be armed for a simulated clock.
public protocol SchedulerClock: WallClock {
    /// Real seconds during which this clock advances by `seconds`.
    func realSeconds(for seconds: TimeInterval) -> TimeInterval
}

/// The system clock: one second is one second.
public struct RealSchedulerClock: SchedulerClock {
    public init() {}
    public func now() -> Date { Date() }
    public func realSeconds(for seconds: TimeInterval) -> TimeInterval { seconds }
}

/// A clock running `factor` times faster than real time from `start`: the soak test simulates
/// hours of polling in minutes with it. Monotonic underneath, so wall-clock steps do not affect it.
public struct ScaledClock: SchedulerClock {
    public let start: Date
    public let factor: Double
    private let origin: UInt64

    public init(start: Date, factor: Double) {
        self.start = start; self.factor = max(1, factor)
        origin = DispatchTime.now().uptimeNanoseconds
    }

    public func now() -> Date {
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - origin) / 1e9
        return start.addingTimeInterval(elapsed * factor)
    }

    public func realSeconds(for seconds: TimeInterval) -> TimeInterval { seconds / factor }
}
