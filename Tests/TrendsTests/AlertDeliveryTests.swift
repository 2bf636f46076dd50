import XCTest
import GRDB
import DyadCore
@testable import Trends
@testable import Alerts

/// The outbox: alerts reach alerts.log and alerts.jsonl exactly once, across crashes, failed
/// writes and restarts; the on_alert command gets the JSON and is bounded in time.
final class AlertDeliveryTests: XCTestCase {
    var db: TestDatabase!
    override func setUpWithError() throws { db = try TestDatabase() }
    override func tearDown() { db.remove() }

    static func alert(_ n: Int) -> AlertRecord {
        AlertRecord(id: AlertRecord.makeID(detector: "volume_surge", scope: "all", metric: "count:russia", granularity: .day, bucket: Int64(n)),
                    detectedAt: Make.date(day: n, hour: 1), detector: "volume_surge", scope: "all", granularity: .day,
                    bucket: Make.date(day: n - 1), bucketEnd: Make.date(day: n), metric: "count:russia", baseline: 2.5, current: 19,
                    statistic: "p", statisticValue: 3.2e-9, score: 8.5, severity: .critical,
                    summary: "russia articles 19 vs 2.5 expected (×7.6)",
                    evidence: [AlertEvidence(entryID: 4, feedID: "gt", outlet: "Global Times", group: "cn-state",
                                             title: "Russia, China\nhold talks", link: "https://example.invalid/4",
                                             time: Make.date(day: n - 1, hour: 9), stance: 0.4, frames: ["diplomacy"], cues: ["hold talks"])])
    }

    func lines(_ url: URL) -> [String] {
        ((try? String(contentsOf: url, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    func testAlertLineFormat() {
        let line = AlertLine.format(Self.alert(3))
        XCTAssertEqual(line, "2021-12-30T01:00:00Z CRITICAL volume_surge scope=all bucket=2021-12-29 count:russia 2.5 → 19.0 (p=3.2e-09) | russia articles 19 vs 2.5 expected (×7.6) | \"Russia, China hold talks\" <https://example.invalid/4> id=\(Self.alert(3).id)")
    }

    func testDeliversOnceAndSurvivesACrashBetweenAppendAndMark() throws {
        let pool = try db.open()
        let logs = db.directory.appendingPathComponent("logs")
        _ = try pool.write { try AlertOutbox.enqueue($0, [Self.alert(1), Self.alert(2)]) }
        // Simulated crash: alert 1 was appended to alerts.log but the outbox was not updated.
        try AtomicFile.append(Data((AlertLine.format(Self.alert(1)) + "\n").utf8), to: logs.appendingPathComponent("alerts.log"))
        let delivery = AlertDelivery(logDirectory: logs, hook: nil)
        XCTAssertEqual(delivery.deliverPending(pool).delivered, 2)
        XCTAssertEqual(delivery.deliverPending(pool).delivered, 0)
        let log = lines(delivery.logURL), jsonl = lines(delivery.jsonlURL)
        XCTAssertEqual(log.count, 2)
        XCTAssertEqual(jsonl.count, 2)
        XCTAssertTrue(log[0].hasSuffix("id=" + Self.alert(1).id))
        let decoded = try DyadJSON.decoder().decode(AlertRecord.self, from: Data(jsonl[1].utf8))
        XCTAssertEqual(decoded, Self.alert(2))
        // A restarted process with the same state delivers nothing again.
        let again = AlertDelivery(logDirectory: logs, hook: nil)
        XCTAssertEqual(again.deliverPending(try db.open()).delivered, 0)
        XCTAssertEqual(lines(again.logURL).count, 2)
    }

    func testFailedWriteIsRetriedLater() throws {
        let pool = try db.open()
        let logs = db.directory.appendingPathComponent("logs")
        // The log directory cannot be created: a plain file sits where it should be.
        _ = FileManager.default.createFile(atPath: logs.path, contents: Data("x".utf8))
        _ = try pool.write { try AlertOutbox.enqueue($0, [Self.alert(1)]) }
        let delivery = AlertDelivery(logDirectory: logs, hook: nil)
        let failed = delivery.deliverPending(pool)
        XCTAssertEqual(failed.failed, 1)
        XCTAssertEqual(try pool.read { try AlertOutbox.pending($0).count }, 1)
        try FileManager.default.removeItem(at: logs)
        XCTAssertEqual(delivery.deliverPending(pool).delivered, 1)
        XCTAssertEqual(lines(delivery.logURL).count, 1)
        XCTAssertEqual(try pool.read { try AlertOutbox.pending($0).count }, 0)
    }

    func testOnAlertCommandGetsJSONOnStdin() throws {
        let pool = try db.open()
        let out = db.directory.appendingPathComponent("hook-out.json")
        let delivery = AlertDelivery(logDirectory: db.directory, hook: HookRunner(command: "cat > '\(out.path)'", timeout: 10))
        _ = try pool.write { try AlertOutbox.enqueue($0, [Self.alert(1)]) }
        XCTAssertEqual(delivery.deliverPending(pool).delivered, 1)
        let got = try DyadJSON.decoder().decode(AlertRecord.self, from: Data(contentsOf: out))
        XCTAssertEqual(got.id, Self.alert(1).id)
    }

    func testOnAlertFailureAndTimeoutAreBoundedAndLogged() throws {
        XCTAssertEqual(HookRunner(command: "exit 3", timeout: 5).run(stdin: Data("{}".utf8)), .failed("exit status 3"))
        let start = Date()
        let slow = HookRunner(command: "sleep 30", timeout: 0.3).run(stdin: Data("{}".utf8))
        XCTAssertEqual(slow, .failed("timed out after 0.3 s"))
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)
        // A failing command is retried a bounded number of times, then given up (the alert stays in the logs).
        let pool = try db.open()
        let delivery = AlertDelivery(logDirectory: db.directory, hook: HookRunner(command: "exit 1", timeout: 5))
        _ = try pool.write { try AlertOutbox.enqueue($0, [Self.alert(1)]) }
        for _ in 0..<AlertDelivery.maxHookAttempts { delivery.deliverPending(pool) }
        XCTAssertEqual(try pool.read { try AlertOutbox.pending($0).count }, 0)
        XCTAssertEqual(lines(delivery.logURL).count, 1)
    }
}
