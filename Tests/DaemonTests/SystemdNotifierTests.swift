import XCTest
import TestSupport
@testable import Daemon

/// The notify protocol without libsystemd: path and abstract sockets, watchdog settings.
final class SystemdNotifierTests: XCTestCase {
    func testSendsToAPathSocket() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let socket = try NotifySocket(path: dir.url.appendingPathComponent("notify").path)
        defer { socket.shutdown() }
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.path], unsetEnvironment: false)
        XCTAssertTrue(notifier.send("READY=1\nSTATUS=3 feeds"))
        XCTAssertEqual(socket.wait { $0.hasPrefix("READY=1") }, "READY=1\nSTATUS=3 feeds")
    }

    func testSendsToAnAbstractSocket() throws {
        let name = "@dyadwatch-test-\(UUID().uuidString)"
        let socket = try NotifySocket(path: name)
        defer { socket.shutdown() }
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": name], unsetEnvironment: false)
        notifier.reloading()
        let message = try XCTUnwrap(socket.wait { $0.hasPrefix("RELOADING=1") })
        XCTAssertTrue(message.contains("\nMONOTONIC_USEC="), message)
    }

    func testWithoutASocketNothingIsSent() {
        let notifier = SystemdNotifier(environment: [:], unsetEnvironment: false)
        XCTAssertFalse(notifier.isEnabled)
        XCTAssertFalse(notifier.send("READY=1"))
    }

    func testWatchdogIntervalHonoursWatchdogPID() {
        XCTAssertEqual(SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "30000000"], pid: 42), 30)
        XCTAssertEqual(SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "42"], pid: 42), 30)
        XCTAssertNil(SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "7"], pid: 42))
        XCTAssertNil(SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "0"], pid: 42))
    }
}
