import DyadConfig
import Foundation
import TestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Issue 12 on the real binary: no feeds.conf text kills `check-config` or a running daemon's reload.
extension DaemonBinaryTests {
    /// Runs `dyadwatch check-config` on `text`: (exit status, whether it died of a signal, output).
    func checkConfig(_ text: String) throws -> (status: Int32, signaled: Bool, output: String) {
        let file = dir.url.appendingPathComponent("check.conf")
        try Data(text.utf8).write(to: file)
        let process = Process()
        process.executableURL = try DaemonProcess.binary()
        process.arguments = ["check-config", "--config", file.path]
        process.environment = ProcessInfo.processInfo.environment.merging(["SWIFT_BACKTRACE": "enable=no"]) { _, new in new }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, process.terminationReason == .uncaughtSignal, String(decoding: data, as: UTF8.self))
    }

    func testCheckConfigReportsHalfTypedHeadersAsSyntaxErrorsWithTheirLine() throws {
        for (text, line) in ConfigMutator.halfTypedHeaders {
            let result = try checkConfig(text)
            XCTAssertFalse(result.signaled, result.output)
            XCTAssertEqual(result.status, 2, result.output)
            XCTAssertTrue(result.output.contains("check.conf:\(line): error: TOML syntax error"), result.output)
        }
    }

    func testCheckConfigNeverDiesOfASignalOnFuzzedFiles() throws {
        let shipped = try ConfigMutator.shippedConfiguration()
        var mutator = ConfigMutator(seed: 2026)
        var outcomes: [Int32: Int] = [:]
        for i in 0..<200 {
            let text = mutator.mutate(shipped)
            let result = try checkConfig(text)
            XCTAssertFalse(result.signaled, "input \(i) killed check-config: \(result.output)")
            XCTAssertTrue(result.status == 0 || result.status == 2, "input \(i): status \(result.status): \(result.output)")
            outcomes[result.status, default: 0] += 1
        }
        XCTAssertGreaterThan(outcomes[2, default: 0], 50, "\(outcomes)")
    }

    /// When the parser itself dies (here a stand-in that aborts on a marker line), the caller gets a
    /// syntax error naming the first line that makes it crash.
    func testAParserCrashInTheChildBecomesASyntaxErrorWithALine() throws {
        let script = #"input=$(cat); case "$input" in *BOOM*) kill -ABRT $$ ;; esac; printf '{"diagnostics":[]}'"#
        let loader = ChildProcessConfigurationLoader(executable: "/bin/sh", arguments: ["-c", script, "sh"])
        let base = URL(fileURLWithPath: "/tmp")
        XCTAssertEqual(loader.check(text: "a = 1\nb = 2\n", file: "x.conf", baseDirectory: base).diagnostics, [])
        let crashed = loader.check(text: "a = 1\nb = 2\nBOOM\nc = 3\n", file: "x.conf", baseDirectory: base)
        let error = try XCTUnwrap(crashed.errors.first)
        XCTAssertEqual(error.line, 3, error.message)
        XCTAssertTrue(error.message.contains("crashed (signal \(SIGABRT))"), error.message)
        XCTAssertTrue(loader.check(text: String(repeating: "x", count: 1 << 20), file: "x.conf", baseDirectory: base).errors.isEmpty,
                      "a megabyte through the pipes both ways")
    }

    /// Waits for the outcome of the reload started after log line `skip`: "reloaded" or "reload failed".
    func waitForReloadOutcome(_ daemon: DaemonProcess, after skip: Int, timeout: TimeInterval = 15) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            if let line = daemon.logLines.dropFirst(skip).first(where: { $0.contains("msg=reloaded") || $0.contains("reload failed") }) {
                return line
            }
            usleep(10_000)
        } while daemon.process.isRunning && Date() < deadline
        return nil
    }

    func testSIGHUPAfterHalfTypedOrFuzzedEditsKeepsTheDaemonRunning() throws {
        serve("alpha", items: 1)
        try writeConfig(["alpha"])
        let original = try String(contentsOf: configURL, encoding: .utf8)
        let daemon = try start()
        XCTAssertNotNil(daemon.waitForLog("msg=\"poll ok\"", "feed=alpha"), daemon.log)

        for (text, line) in ConfigMutator.halfTypedHeaders {
            try text.write(to: configURL, atomically: false, encoding: .utf8)
            let before = daemon.logLines.count
            daemon.signal(SIGHUP)
            let outcome = try XCTUnwrap(waitForReloadOutcome(daemon, after: before), daemon.log)
            XCTAssertTrue(outcome.contains("reload failed") && outcome.contains("feeds.conf:\(line):"), outcome)
            XCTAssertTrue(daemon.process.isRunning)
        }
        // Still polling alpha on the configuration it started with.
        let afterNamed = daemon.logLines.count
        XCTAssertNotNil(daemon.waitForLog("msg=\"poll ok\"", "feed=alpha", after: afterNamed), daemon.log)

        var mutator = ConfigMutator(seed: 7)
        var failed = 0
        for i in 0..<100 {
            try mutator.mutate(original).write(to: configURL, atomically: false, encoding: .utf8)
            let before = daemon.logLines.count
            daemon.signal(SIGHUP)
            let outcome = try XCTUnwrap(waitForReloadOutcome(daemon, after: before), "reload \(i): \(daemon.log.suffix(2000))")
            if outcome.contains("reload failed") { failed += 1 }
            XCTAssertTrue(daemon.process.isRunning, "reload \(i) killed the daemon")
        }
        XCTAssertGreaterThan(failed, 20)

        try original.write(to: configURL, atomically: false, encoding: .utf8)
        let before = daemon.logLines.count
        daemon.signal(SIGHUP)
        XCTAssertTrue(waitForReloadOutcome(daemon, after: before)?.contains("msg=reloaded") ?? false, daemon.log)
        XCTAssertNotNil(daemon.waitForLog("msg=\"poll ok\"", "feed=alpha", after: before), daemon.log)
        daemon.signal(SIGTERM)
        XCTAssertEqual(daemon.waitForExit(timeout: 10), 0)
    }
}
