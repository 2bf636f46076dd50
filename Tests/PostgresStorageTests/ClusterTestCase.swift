import Foundation
import PostgresStorage
import StorageConformance
import XCTest

/// The set-up of the tests of several daemons on one database: a fresh database on the test
/// server per test (skipped, saying why, without one), dropped afterwards; a fixed poll time; and
/// the nodes `a` and `b` as their daemons open the state.
class ClusterTestCase: XCTestCase {
    var db: TestServer.Database?
    let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    override func setUpWithError() throws { db = try TestServer.database() }
    override func tearDown() { db?.drop() }

    /// Daemons `a` and `b` on the test database.
    func twoNodes() throws -> (a: PostgresState, b: PostgresState) {
        let database = try XCTUnwrap(db)
        return (try database.open(node: "a"), try database.open(node: "b"))
    }
}
