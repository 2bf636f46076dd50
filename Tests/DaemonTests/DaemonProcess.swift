import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The real `dyadwatch` binary started as a child process, its stderr captured to a file so tests
/// can wait for log lines, signal it, and collect its exit status.
final class DaemonProcess: @unchecked Sendable {
    let process = Process()
    let logURL: URL
    private let logHandle: FileHandle

    /// The built binary next to the test bundle (`swift build --build-tests` builds it: the test
    /// target depends on the executable).
    static func binary() throws -> URL {
        var candidates: [URL] = []
        let bundleDir = Bundle.main.bundleURL.deletingLastPathComponent()
        candidates.append(bundleDir.appendingPathComponent("dyadwatch"))
        for bundle in Bundle.allBundles { candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("dyadwatch")) }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/dyadwatch"))
        for url in candidates where FileManager.default.isExecutableFile(atPath: url.path) { return url }
        throw XCTSkip("the dyadwatch binary was not found next to the tests (\(candidates.map(\.path)))")
    }

    init(arguments: [String], environment extra: [String: String], logURL: URL) throws {
        self.logURL = logURL
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        logHandle = try FileHandle(forWritingTo: logURL)
        process.executableURL = try DaemonProcess.binary()
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        for key in ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "DYADWATCH_FAULT", "DYADWATCH_CLOCK_SCALE", "JOURNAL_STREAM", "DYADWATCH_CONFIG"] {
            environment.removeValue(forKey: key)
        }
        environment.merge(extra) { _, new in new }
        process.environment = environment
        process.standardError = logHandle
        process.standardOutput = logHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    var pid: pid_t { process.processIdentifier }
    var log: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }
    var logLines: [String] { log.split(separator: "\n").map(String.init) }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// Waits for a log line containing every fragment; returns it, or nil on timeout.
    @discardableResult
    func waitForLog(_ fragments: String..., after skip: Int = 0, timeout: TimeInterval = 15) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            if let line = logLines.dropFirst(skip).first(where: { line in fragments.allSatisfy { line.contains($0) } }) { return line }
            if !process.isRunning { break }
            usleep(20_000)
        } while Date() < deadline
        return logLines.dropFirst(skip).first(where: { line in fragments.allSatisfy { line.contains($0) } })
    }

    /// Waits for exit; the status, or nil when still running after `timeout`.
    func waitForExit(timeout: TimeInterval) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// Makes sure the child is gone (SIGKILL) — for teardown after a failed assertion.
    func terminate() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
        try? logHandle.close()
    }
}
