import Foundation
import DyadCore

/// Process-level knobs read from the environment, for tests and the soak script only:
///   - `DYADWATCH_CLOCK_SCALE=X`: run the scheduler and the pipeline on a clock X times faster
///     than real time (a 30-minute interval passes in 10 s at X=180);
///   - `DYADWATCH_CLOCK_START=ISO-8601`: where that simulated clock starts (default: now);
///   - `DYADWATCH_FAULT`: see `FaultInjection`.
public enum DaemonRuntime {
    public static let clockScaleKey = "DYADWATCH_CLOCK_SCALE"
    public static let clockStartKey = "DYADWATCH_CLOCK_START"

    /// The clock the daemon runs on: real time, or the simulated one asked for.
    public static func clock(environment: [String: String] = ProcessInfo.processInfo.environment) -> any SchedulerClock {
        guard let text = environment[clockScaleKey], let factor = Double(text), factor > 1 else { return RealSchedulerClock() }
        let start = environment[clockStartKey].flatMap(ISO8601.date) ?? Date()
        return ScaledClock(start: start, factor: factor)
    }
}
