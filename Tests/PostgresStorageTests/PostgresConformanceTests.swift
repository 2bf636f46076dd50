import Foundation
import PostgresStorage
import StorageConformance
import XCTest

/// The storage conformance suite on PostgreSQL (the same checks as on SQLite), and the engine held
/// to the SQLite reference run.
final class PostgresConformanceTests: PostgresDatabaseTestCase {
    func make() throws -> StorageUnderTest {
        let database = try XCTUnwrap(db)
        let state = try database.open()
        return StorageUnderTest(name: "postgresql", feeds: state.feeds, analysis: state.analysis, reopen: { try self.make() },
                                otherDaemon: { try database.open(node: "other-\(UUID().uuidString.prefix(8))").feeds },
                                expirePageClaims: {
                                    _ = try state.client.withConnection { c in
                                        try c.execute("UPDATE entries SET page_lease_until = now() - interval '1 second' WHERE page_lease_until IS NOT NULL")
                                    }
                                },
                                sweepPlan: {
                                    _ = try state.client.withConnection { try $0.execute("ANALYZE entries") }
                                    return try state.feeds.unanalyzedQueryPlan()
                                })
    }

    func testRegistration() throws { try StorageConformance.registration(try make()) }
    func testEntries() throws { try StorageConformance.entries(try make()) }
    func testTrendTables() throws { try StorageConformance.trendTables(try make()) }
    func testRollback() throws { try StorageConformance.rollback(try make()) }
    func testOutbox() throws { try StorageConformance.outbox(try make()) }
    func testPageQueue() throws { try StorageConformance.pageQueue(try make()) }
    func testPageRetry() throws { try StorageConformance.pageRetry(try make()) }
    func testEntryWindow() throws { try StorageConformance.entryWindow(try make()) }
    func testUnanalyzedSweep() throws { try StorageConformance.unanalyzedSweep(try make()) }
    func testEngineAgreesWithSQLite() throws {
        try StorageConformance.engineAgreesWith(try .sqlite(directory: directory), try make())
    }

    func testMigrationsApplyOnceWhenRunAgain() throws {
        let database = try XCTUnwrap(db)
        _ = try database.open()
        let again = try database.open()
        XCTAssertTrue(try again.isInitialized())
    }
}
