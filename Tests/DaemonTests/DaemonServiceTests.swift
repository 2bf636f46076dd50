import XCTest
import Logging
import TestSupport
@testable import Daemon

/// The service in-process with a fake backend and a test notify socket: READY after start,
/// RELOADING/READY around reloads, a bad reload keeps the old feeds, STOPPING and exit 0.
final class DaemonServiceTests: XCTestCase {
    var dir: TemporaryDirectory!
    var socket: NotifySocket!

    override func setUpWithError() throws {
        dir = try TemporaryDirectory()
        socket = try NotifySocket(path: dir.url.appendingPathComponent("notify").path)
    }

    override func tearDown() {
        socket.shutdown()
        dir.remove()
    }

    func configuration(_ ids: [String]) -> DaemonConfiguration {
        DaemonConfiguration(settings: DaemonSettings(concurrency: 4, perHostConcurrency: 2),
                            feeds: ids.map { DaemonFeed(id: $0, url: "http://\($0).test/feed.xml", interval: 60) }, source: ids)
    }

    func makeService(_ backend: FakeBackend, _ loader: FakeLoader, grace: TimeInterval = 3) -> DaemonService {
        var options = DaemonService.Options()
        options.installSignalHandlers = false
        options.stopGrace = grace
        options.idleTurnInterval = 0.05
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.path], unsetEnvironment: false)
        return DaemonService(configPath: "feeds.conf", loader: loader, backend: backend, notifier: notifier,
                             clock: ScaledClock(start: Date(timeIntervalSince1970: 1_800_000_000), factor: 600),
                             logOutput: LogOutput(stderr: false), logLevel: LogLevelBox(.info), options: options)
    }

    func testLifecycle() throws {
        let backend = FakeBackend()
        let loader = FakeLoader(configuration(["a", "b"]))
        let service = makeService(backend, loader)
        let exited = expectation(description: "exit")
        let status = LockedBox<Int32>(-1)
        try service.start(configuration(["a", "b"])) { code in status.value = code; exited.fulfill() }
        let ready = try XCTUnwrap(socket.wait { $0.hasPrefix("READY=1") })
        XCTAssertTrue(ready.contains("STATUS="), ready)
        XCTAssertTrue(eventually { backend.pollCount("a") >= 1 && backend.pollCount("b") >= 1 })

        // A configuration that does not validate: the old feeds keep being polled, files are still reopened.
        loader.fail("feeds.conf:7: error: feed[1].url: scheme \"ftp\" is not allowed")
        service.requestReload()
        XCTAssertNotNil(socket.wait { $0.hasPrefix("RELOADING=1") })
        XCTAssertTrue(eventually { backend.reopens == 1 })
        XCTAssertEqual(backend.reloads, 0)
        let polledB = backend.pollCount("b")
        XCTAssertTrue(eventually { backend.pollCount("b") > polledB + 1 })
        XCTAssertEqual(socket.count { $0.hasPrefix("READY=1") }, 2, "READY follows RELOADING even when the reload fails")

        // A valid one: feed c added, b removed.
        loader.set(configuration(["a", "c"]))
        service.requestReload()
        XCTAssertTrue(eventually { backend.pollCount("c") >= 1 })
        XCTAssertEqual(backend.reloads, 1)
        let afterReload = backend.pollCount("b")
        usleep(300_000)
        XCTAssertLessThanOrEqual(backend.pollCount("b"), afterReload + 1)

        service.requestStop(reason: "SIGTERM")
        wait(for: [exited], timeout: 5)
        XCTAssertEqual(status.value, 0)
        XCTAssertNotNil(socket.wait { $0 == "STOPPING=1" })
        XCTAssertEqual(backend.shutdowns, 1)
    }

    func testStopAbandonsAHungPollAfterTheGracePeriod() throws {
        let backend = FakeBackend()
        backend.hold("a")
        let service = makeService(backend, FakeLoader(configuration(["a"])), grace: 0.3)
        let exited = expectation(description: "exit")
        try service.start(configuration(["a"])) { _ in exited.fulfill() }
        XCTAssertTrue(eventually { backend.pollCount("a") == 1 })
        let started = Date()
        service.requestStop(reason: "SIGTERM")
        wait(for: [exited], timeout: 5)
        XCTAssertLessThan(Date().timeIntervalSince(started), 2)
        XCTAssertEqual(backend.shutdowns, 0, "the database is not closed under a poll still running")
        backend.release("a")
    }

    func testBackendRefusingTheReloadKeepsTheOldConfiguration() throws {
        let backend = FakeBackend()
        backend.rejectReload = true
        let loader = FakeLoader(configuration(["a"]))
        let service = makeService(backend, loader)
        try service.start(configuration(["a"])) { _ in }
        loader.set(configuration(["z"]))
        service.requestReload()
        XCTAssertTrue(eventually { self.socket.count { $0.hasPrefix("READY=1") } == 2 })
        usleep(200_000)
        XCTAssertEqual(backend.pollCount("z"), 0)
        service.requestStop()
    }
}

/// A value shared with an escaping callback.
final class LockedBox<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T
    init(_ value: T) { stored = value }
    var value: T {
        get { lock.lock(); defer { lock.unlock() }; return stored }
        set { lock.lock(); stored = newValue; lock.unlock() }
    }
}
