import Foundation

/// Runs the optional `on_alert` command (`/bin/sh -c COMMAND`) with the alert's JSON on stdin,
/// killing it when it overruns its time limit. Its output is discarded; its failure is reported.
public struct HookRunner: Sendable {
    public var command: String
    public var timeout: TimeInterval
    /// Grace between SIGTERM and SIGKILL for a command that overran.
    static let killGrace: TimeInterval = 2

    public init(command: String, timeout: TimeInterval) { self.command = command; self.timeout = timeout }

    public enum Outcome: Equatable, Sendable {
        case succeeded
        case failed(String)
    }

    public func run(stdin payload: Data) -> Outcome {
        // A command that exits without reading stdin must not kill us with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        do { try process.run() } catch { return .failed("cannot start: \(error)") }
        let writer = input.fileHandleForWriting
        DispatchQueue.global().async {
            try? writer.write(contentsOf: payload)
            try? writer.close()
        }
        if done.wait(timeout: .now() + timeout) == .timedOut {
            let pid = process.processIdentifier
            Self.signalGroup(pid, SIGTERM)
            if done.wait(timeout: .now() + Self.killGrace) == .timedOut {
                Self.signalGroup(pid, SIGKILL)
                done.wait()
            }
            return .failed("timed out after \(String(format: "%.1f", timeout)) s")
        }
        if process.terminationReason == .uncaughtSignal { return .failed("killed by signal \(process.terminationStatus)") }
        return process.terminationStatus == 0 ? .succeeded : .failed("exit status \(process.terminationStatus)")
    }

    /// Signals the command's whole process group (the shell and what it started; Foundation
    /// starts each child in its own group), or the process alone when it has no group of its own.
    static func signalGroup(_ pid: pid_t, _ sig: Int32) {
        if getpgid(pid) == pid { kill(-pid, sig) } else { kill(pid, sig) }
    }
}
