import Foundation
import DyadCore

/// Process-level knobs read from the environment, for tests and the soak script only:
///   - `DYADWATCH_CLOCK_SCALE=X`: run the scheduler and the pipeline on a clock X times faster
///     than real time (a 30-minute interval passes in 10 s at X=180);
///   - `DYADWATCH_CLOCK_START=ISO-8601`: where that simulated clock starts (default: now);
///   - `DYADWATCH_CLOCK_FILE=PATH`: the time is whatever ISO-8601 instant PATH holds (`FileClock`),
///     so a driver can step several daemons through a history together (scripts/cluster-test.sh);
///   - `DYADWATCH_MAINTENANCE_INTERVAL=SECONDS`: how often buckets are judged without new
///     entries (and `STATUS=` refreshed); with the file clock, so each step is judged at once;
///   - `DYADWATCH_FAULT`: see `FaultInjection`.
public enum DaemonRuntime {
    public static let clockScaleKey = "DYADWATCH_CLOCK_SCALE"
    public static let clockStartKey = "DYADWATCH_CLOCK_START"
    public static let clockFileKey = "DYADWATCH_CLOCK_FILE"
    public static let maintenanceIntervalKey = "DYADWATCH_MAINTENANCE_INTERVAL"

    /// The maintenance interval asked for (0.05…3600 s), nil for the default.
    public static func maintenanceInterval(environment: [String: String] = ProcessInfo.processInfo.environment) -> TimeInterval? {
        guard let text = environment[maintenanceIntervalKey], let seconds = Double(text), (0.05...3_600).contains(seconds) else { return nil }
        return seconds
    }

    /// The clock the daemon runs on: real time, or the simulated one asked for.
    public static func clock(environment: [String: String] = ProcessInfo.processInfo.environment) -> any SchedulerClock {
        if let path = environment[clockFileKey], !path.isEmpty { return FileClock(path: path) }
        guard let text = environment[clockScaleKey], let factor = Double(text), factor > 1 else { return RealSchedulerClock() }
        let start = environment[clockStartKey].flatMap(ISO8601.date) ?? Date()
        return ScaledClock(start: start, factor: factor)
    }
}
