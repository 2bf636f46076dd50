import Foundation
import PostgresStorage
import StorageConformance
import XCTest

/// The set-up of a test that needs one PostgreSQL database and a scratch directory (for a SQLite
/// state to compare with or import from): a fresh database on the test server per test (skipped,
/// saying why, without one) and a directory name of its own, both removed afterwards.
class PostgresDatabaseTestCase: XCTestCase {
    var db: TestServer.Database?
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("dyadwatch-pg-\(UUID().uuidString)")
        db = try TestServer.database()
    }

    override func tearDown() {
        db?.drop()
        try? FileManager.default.removeItem(at: directory)
    }
}
