import XCTest
import Logging
import TestSupport
@testable import Daemon

/// One line per event with key=value metadata; quoting; reopen after rotation.
final class KeyValueLogHandlerTests: XCTestCase {
    func testLineHasLeadingKeysInOrderAndQuotesValues() {
        let line = KeyValueLogHandler.format(level: .warning, message: "poll failed; backing off", label: "dyadwatch",
                                             metadata: ["error": "connect refused", "feed": "xinhua-en", "status": "-",
                                                        "url": "http://x/a b", "ms": "12", "zeta": "1", "alpha": "q\"x"],
                                             time: nil)
        XCTAssertEqual(line, "level=warning msg=\"poll failed; backing off\" feed=xinhua-en url=\"http://x/a b\" status=- ms=12 error=\"connect refused\" alpha=\"q\\\"x\" zeta=1\n")
    }

    func testNewlinesNeverSplitALine() {
        let line = KeyValueLogHandler.format(level: .error, message: "bad\nthing", label: "x", metadata: ["error": "a\nb"], time: nil)
        XCTAssertEqual(line.filter { $0 == "\n" }.count, 1)
        XCTAssertTrue(line.contains("component=x"))
    }

    func testTimestampWhenNotUnderJournald() {
        let line = KeyValueLogHandler.format(level: .info, message: "m", label: "dyadwatch", metadata: [:],
                                             time: Date(timeIntervalSince1970: 1_800_000_000.25))
        XCTAssertTrue(line.hasPrefix("2027-01-15T08:00:00.250Z level=info"), line)
    }

    func testLevelIsSharedAndChangeable() {
        let box = LogLevelBox(.info)
        let output = LogOutput(stderr: false)
        var handler = KeyValueLogHandler(label: "t", output: output, level: box, timestamps: false)
        box.level = .error
        XCTAssertEqual(handler.logLevel, .error, "follows the process-wide level")
        handler.logLevel = .debug
        XCTAssertEqual(handler.logLevel, .debug)
        XCTAssertEqual(box.level, .error, "one logger's own level does not change the others'")
        box.level = .info
        XCTAssertEqual(handler.logLevel, .debug)
        XCTAssertEqual(DaemonLogging.level("warn"), .warning)
        XCTAssertNil(DaemonLogging.level("loud"))
    }

    func testReopenFollowsLogrotate() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.url.appendingPathComponent("daemon.log").path
        let output = LogOutput(stderr: false, filePath: path)
        output.write("one\n")
        try FileManager.default.moveItem(atPath: path, toPath: path + ".1")
        output.write("two\n")
        output.reopen()
        output.write("three\n")
        XCTAssertEqual(try String(contentsOfFile: path + ".1", encoding: .utf8), "one\ntwo\n")
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "three\n")
    }
}
