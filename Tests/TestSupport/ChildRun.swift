import Foundation
import Synchronization

/// One run of a command to its end, with what it printed on stdout and stderr. Both pipes are
/// drained at the same time (stderr on a thread of its own), so a command that writes more than a
/// pipe holds (64 KiB on Linux) to either stream cannot block on a full pipe while the test waits
/// on the other one.
public struct ChildRun: Sendable {
    public let status: Int32
    /// Whether it was ended by a signal (`status` is then the signal number).
    public let signaled: Bool
    public let stdout: Data
    public let stderr: Data

    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }

    /// Runs `executable` with `arguments`; `environment` (nil: this process's) and `input` (bytes
    /// written to its stdin, then closed; nil: /dev/null).
    public static func run(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil,
                           input: Data? = nil) throws -> ChildRun {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let stdin = input.map { _ in Pipe() }
        process.standardInput = stdin ?? FileHandle.nullDevice
        try process.run()
        // stderr (and stdin) on threads of their own while this one reads stdout.
        let errors = Collected()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { errors.set(err.fileHandleForReading.readDataToEndOfFile()) }
        if let stdin, let input {
            DispatchQueue.global().async(group: group) {
                try? stdin.fileHandleForWriting.write(contentsOf: input)
                try? stdin.fileHandleForWriting.close()
            }
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return ChildRun(status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal,
                        stdout: stdout, stderr: errors.data)
    }
}

/// Bytes handed from the reading thread to the caller.
private final class Collected: Sendable {
    private let bytes = Mutex(Data())
    func set(_ data: Data) { bytes.withLock { $0 = data } }
    var data: Data { bytes.withLock { $0 } }
}
