@testable import Daemon
import XCTest
import Synchronization

/// The service's state machine: which signal does what in which state.
final class DaemonLifecycleTests: XCTestCase {
    func testStartReloadStopFinish() {
        var life = DaemonLifecycle()
        XCTAssertEqual(life.state, .starting)
        XCTAssertFalse(life.beginReload(), "no reload before start-up finished")
        XCTAssertEqual(life.beginStop(), .ignore, "a stop during start-up is not a stop of a running service")
        let exits = ExitRecorder()
        life.started { exits.record($0) }
        XCTAssertEqual(life.state, .running)
        XCTAssertTrue(life.beginReload())
        XCTAssertEqual(life.state, .reloading)
        XCTAssertFalse(life.beginReload(), "one reload at a time")
        life.endReload()
        XCTAssertEqual(life.state, .running)
        XCTAssertEqual(life.beginStop(), .begin)
        XCTAssertFalse(life.beginReload(), "SIGHUP while stopping is ignored")
        XCTAssertEqual(life.beginStop(), .exitNow, "a second stop signal exits at once")
        life.finish()?(0)
        XCTAssertNil(life.finish(), "the exit status is reported once")
        XCTAssertEqual(life.state, .stopped)
        XCTAssertEqual(life.beginStop(), .ignore)
        XCTAssertEqual(exits.statuses, [0])
    }

    func testStopDuringAReloadStops() {
        var life = DaemonLifecycle()
        life.started { _ in }
        XCTAssertTrue(life.beginReload())
        XCTAssertEqual(life.beginStop(), .begin)
        life.endReload()
        XCTAssertEqual(life.state, .stopping, "the end of the reload does not undo the stop")
    }
}

private final class ExitRecorder: Sendable {
    private let box = Mutex<[Int32]>([])
    func record(_ status: Int32) { box.withLock { $0.append(status) } }
    var statuses: [Int32] { box.withLock { $0 } }
}
