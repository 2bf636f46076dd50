import Foundation

/// Where the service is in its life.
public enum DaemonState: String, Sendable {
    /// Loading state and schedule; signals wait until it is running.
    case starting
    /// Polling on the configuration it has.
    case running
    /// Loading and applying a new configuration (SIGHUP); back to `running` either way.
    case reloading
    /// No new polls; polls in flight get the grace period (SIGTERM/SIGINT).
    case stopping
    /// The exit status has been reported; nothing more happens.
    case stopped
}

/// The service's state and the only ways it may change. `DaemonService` keeps it in a `Mutex`,
/// so the state cannot be read or changed except through these transitions, under the lock.
/// The exit handler lives here too: it is handed out exactly once, by `finish()`.
struct DaemonLifecycle: Sendable {
    private(set) var state: DaemonState = .starting
    private var exitHandler: (@Sendable (Int32) -> Void)?

    /// starting → running; `onExit` will receive the exit status.
    mutating func started(onExit: @escaping @Sendable (Int32) -> Void) {
        precondition(state == .starting, "started twice")
        state = .running
        exitHandler = onExit
    }

    /// running → reloading. False in any other state: a SIGHUP while stopping is ignored.
    mutating func beginReload() -> Bool {
        guard state == .running else { return false }
        state = .reloading
        return true
    }

    /// reloading → running (whether the new configuration was taken or not).
    mutating func endReload() {
        if state == .reloading { state = .running }
    }

    enum StopRequest: Equatable { case begin, exitNow, ignore }

    /// running/reloading → stopping (`.begin`); a second stop signal while stopping → `.exitNow`;
    /// nothing to stop before start-up finished or after the exit → `.ignore`.
    mutating func beginStop() -> StopRequest {
        switch state {
        case .running, .reloading:
            state = .stopping
            return .begin
        case .stopping: return .exitNow
        case .starting, .stopped: return .ignore
        }
    }

    /// → stopped; the exit handler, exactly once (nil when already stopped or never started).
    mutating func finish() -> (@Sendable (Int32) -> Void)? {
        guard state != .stopped else { return nil }
        state = .stopped
        defer { exitHandler = nil }
        return exitHandler
    }
}
