import DyadConfig
import Foundation
import StorageConformance
@testable import PostgresStorage
import XCTest

/// `/healthz`'s storage check on PostgreSQL: a writable database is healthy; read-only sessions
/// and an unreachable server each give their one-line reason.
final class HealthTests: XCTestCase {
    var db: TestServer.Database?
    override func setUpWithError() throws { db = try TestServer.database() }
    override func tearDown() { db?.drop() }

    func testWritableReadOnlyAndUnreachable() throws {
        let database = try XCTUnwrap(db)
        let state = try database.open()
        XCTAssertNil(state.writeProblem())
        XCTAssertGreaterThan(try state.databaseBytes(), 0)
        _ = try state.client.withConnection { c in try c.execute("ALTER DATABASE \(database.name) SET default_transaction_read_only = on") }
        state.client.close()
        let reader = try PostgresState(database.storage, cluster: nil, migrate: false)
        defer { reader.client.close() }
        XCTAssertEqual(reader.writeProblem(), "state database sessions are read-only: \(database.url)")

        // Nothing listens on the port: unreachable, with the reason.
        var closed = database.storage
        closed.url?.port = try freePort()
        let nowhere = try PostgresState(closed, cluster: nil, migrate: false)
        let problem = try XCTUnwrap(nowhere.writeProblem())
        XCTAssertTrue(problem.hasPrefix("state database unreachable: "), problem)
        XCTAssertFalse(problem.contains("\n"), "one line")
    }

    func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}
