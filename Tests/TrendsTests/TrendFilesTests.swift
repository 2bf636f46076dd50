import XCTest
import GRDB
import DyadCore
@testable import Trends
@testable import Alerts

/// Trend files are complete at every moment: written to a temp file and renamed over the old one.
final class TrendFilesTests: XCTestCase {
    var db: TestDatabase!
    override func setUpWithError() throws { db = try TestDatabase() }
    override func tearDown() { db.remove() }

    func snapshot(_ pool: DatabasePool, entries: Int) throws -> TrendSnapshot {
        let engine = TrendEngine()
        let now = Make.date(day: 3, hour: 6)
        try pool.write { x in
            try engine.ingest(x, (0..<entries).map { Make.contribution(Int64($0), day: $0 % 3, hour: $0 % 24, dyad: $0 % 2 == 0,
                                                                       stance: 0.3, frames: ["energy"], actors: ["OPEC, \"plus\""]) })
            _ = try engine.close(x, now: now)
        }
        let w = TrendFiles.window(now: now)
        return try pool.read { try engine.snapshot($0, now: now, hoursFrom: w.hoursFrom, daysFrom: w.daysFrom) }
    }

    func testFilesHaveTheDocumentedHeaderAndOneRowPerBucketAndScope() throws {
        let pool = try db.open()
        let dir = db.directory.appendingPathComponent("trends")
        try TrendFiles(directory: dir).write(try snapshot(pool, entries: 30), recentAlerts: [AlertDeliveryTests.alert(1)])
        let daily = try String(contentsOf: dir.appendingPathComponent("daily.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(String(daily[0]), TrendFiles.header)
        XCTAssertEqual(daily.count, 1 + 3 * 3) // 3 days × (all, group, outlet)
        XCTAssertTrue(daily[1].hasPrefix("2021-12-27T00:00:00Z,all,1,10,"))
        XCTAssertTrue(daily[1].hasSuffix(",\"OPEC, \"\"plus\"\":5\""), String(daily[1]))
        let latest = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("latest.json"))) as! [String: Any]
        XCTAssertNotNil(latest["baselines"]); XCTAssertEqual((latest["recentAlerts"] as! [Any]).count, 1)
        XCTAssertNotNil((latest["currentDay"] as! [String: Any])["all"])
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".") }
        XCTAssertEqual(leftovers, [], "no temporary files left behind")
    }

    func testRewriteIsAtomicForReaders() throws {
        let dir = db.directory.appendingPathComponent("t")
        let url = dir.appendingPathComponent("daily.csv")
        try AtomicFile.write(Data("old,content\n".utf8), to: url)
        // A reader that opened the old file keeps reading the complete old version…
        let reader = try FileHandle(forReadingFrom: url)
        let big = Data(repeating: UInt8(ascii: "x"), count: 1 << 20)
        try AtomicFile.write(big, to: url)
        XCTAssertEqual(try reader.readToEnd(), Data("old,content\n".utf8))
        try reader.close()
        // …and a new reader sees the complete new version.
        XCTAssertEqual(try Data(contentsOf: url), big)
    }

    func testFailedWriteLeavesTheOldFileIntact() throws {
        let dir = db.directory.appendingPathComponent("ro")
        let url = dir.appendingPathComponent("latest.json")
        try AtomicFile.write(Data("{}".utf8), to: url)
        // Make the temp path impossible: a directory named like the temp file.
        try FileManager.default.createDirectory(at: dir.appendingPathComponent(".latest.json.tmp-\(getpid())"), withIntermediateDirectories: true)
        XCTAssertThrowsError(try AtomicFile.write(Data("{\"new\":1}".utf8), to: url))
        XCTAssertEqual(try Data(contentsOf: url), Data("{}".utf8))
    }
    func testStreamingFromTheDatabaseWritesTheSameBytesAsTheSnapshot() throws {
        let pool = try db.open()
        let engine = TrendEngine()
        let now = Make.date(day: 3, hour: 6)
        let snap = try snapshot(pool, entries: 90)
        let a = db.directory.appendingPathComponent("from-snapshot"), b = db.directory.appendingPathComponent("streamed")
        try TrendFiles(directory: a).write(snap, recentAlerts: [AlertDeliveryTests.alert(1)])
        try pool.read { try TrendFiles(directory: b).write(from: SQLiteTrendTables($0), engine: engine, now: now, recentAlerts: [AlertDeliveryTests.alert(1)]) }
        for name in [TrendFiles.hourlyName, TrendFiles.dailyName, TrendFiles.latestName] {
            let x = try Data(contentsOf: a.appendingPathComponent(name)), y = try Data(contentsOf: b.appendingPathComponent(name))
            XCTAssertGreaterThan(x.count, TrendFiles.header.utf8.count, name)
            XCTAssertEqual(x, y, name)
        }
    }

    func testStreamedWriteLargerThanTheBufferIsComplete() throws {
        let url = db.directory.appendingPathComponent("s/big.csv")
        let line = String(repeating: "y", count: 99) + "\n"
        let lines = 3 * StreamSink.capacity / line.utf8.count + 7
        try AtomicFile.write(to: url) { sink in for _ in 0..<lines { try sink.write(line) } }
        XCTAssertEqual(try Data(contentsOf: url), Data(String(repeating: line, count: lines).utf8))
    }

    func testFailingProducerLeavesTheOldFileAndNoTemporaryFile() throws {
        struct Boom: Error {}
        let dir = db.directory.appendingPathComponent("p")
        let url = dir.appendingPathComponent("hourly.csv")
        try AtomicFile.write(Data("old\n".utf8), to: url)
        XCTAssertThrowsError(try AtomicFile.write(to: url) { sink in
            try sink.write(String(repeating: "z", count: 2 * StreamSink.capacity))
            throw Boom()
        })
        XCTAssertEqual(try Data(contentsOf: url), Data("old\n".utf8))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".") }, [])
    }
}
