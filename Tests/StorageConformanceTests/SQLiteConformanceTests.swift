import Foundation
import StorageConformance
import XCTest

/// The storage conformance suite on the SQLite backend (the reference the PostgreSQL one is held to).
final class SQLiteConformanceTests: XCTestCase {
    var directory: URL!
    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("dyadwatch-conformance-\(UUID().uuidString)")
    }
    override func tearDown() { try? FileManager.default.removeItem(at: directory) }

    func make(_ name: String = "a") throws -> StorageUnderTest { try .sqlite(directory: directory.appendingPathComponent(name)) }

    func testRegistration() throws { try StorageConformance.registration(try make()) }
    func testEntries() throws { try StorageConformance.entries(try make()) }
    func testTrendTables() throws { try StorageConformance.trendTables(try make()) }
    func testRollback() throws { try StorageConformance.rollback(try make()) }
    func testOutbox() throws { try StorageConformance.outbox(try make()) }
    func testPageQueue() throws { try StorageConformance.pageQueue(try make()) }
    func testPageRetry() throws { try StorageConformance.pageRetry(try make()) }
    func testEntryWindow() throws { try StorageConformance.entryWindow(try make()) }
    func testUnanalyzedSweep() throws { try StorageConformance.unanalyzedSweep(try make()) }
    func testEngineSurvivesARestart() throws { try StorageConformance.engineAgreesWith(try make("ref"), try make("b")) }
}
