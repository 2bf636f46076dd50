import XCTest
import DyadConfig
import TestSupport
@testable import HTTPEndpoint
#if canImport(Glibc)
import Glibc
#endif

/// The server on 127.0.0.1 with a trivial handler: good requests answered, every bad,
/// oversized or slow one answered 4xx or closed, and the server still serving afterwards.
final class EndpointServerTests: XCTestCase {
    var server: EndpointServer!
    var port: UInt16 { server.address.port }

    override func setUp() async throws {
        server = try await EndpointServer.start(address: .init(host: "127.0.0.1", port: 0), handler: { request in
            request.path == "/hello" ? .text(.ok, "hello \(request.query["name"] ?? "")") : .text(.notFound, "no")
        }, logger: .init(label: "test"))
    }

    override func tearDown() async throws { await server.stop() }

    func testAnswersAGoodRequest() throws {
        let r = try RawHTTP.get(port: port, "/hello?name=a%20b")
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.body, "hello a b\n")
        XCTAssertEqual(r.headers["connection"], "close")
        XCTAssertEqual(r.headers["content-length"], "10")
        XCTAssertEqual(r.headers["x-content-type-options"], "nosniff")
        // The absolute form (RFC 9112 §3.2.2, which servers must accept) is routed by its path.
        XCTAssertEqual(try RawHTTP.exchange(port: port, Data("GET http://127.0.0.1/hello HTTP/1.1\r\n\r\n".utf8)).status, 200)
        let head = try RawHTTP.get(port: port, "/hello", method: "HEAD")
        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(head.headers["content-length"], "7")
        XCTAssertEqual(head.body, "")
    }

    /// NIO's parser answers 400 to everything it cannot parse, including heads over the limits;
    /// the server adds 414 (long target) and 413 (any body).
    func testBadRequestsGet4xxAndTheServerKeepsServing() throws {
        let cases: [(String, Data, Int)] = [
            ("garbage", Data("GARBAGE\r\n\r\n".utf8), 400),
            ("binary", Data([0xFF, 0x00, 0xFE, 0x0D, 0x0A, 0x0D, 0x0A]), 400),
            ("no version", Data("GET /hello\r\n\r\n".utf8), 400),
            ("asterisk target", Data("OPTIONS * HTTP/1.1\r\n\r\n".utf8), 400),
            ("bad header", Data("GET /hello HTTP/1.1\r\nno colon here\r\n\r\n".utf8), 400),
            ("HTTP/2 preface", Data("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8), 400),
            ("long target", Data("GET /\(String(repeating: "a", count: 5_000)) HTTP/1.1\r\n\r\n".utf8), 414),
            ("huge head", Data("GET /hello HTTP/1.1\r\nX: \(String(repeating: "b", count: 1_000_000))\r\n\r\n".utf8), 400),
            ("many headers", Data(("GET /hello HTTP/1.1\r\n" + (0..<100).map { "X-\($0): y\r\n" }.joined() + "\r\n").utf8), 400),
            ("endless head", Data(String(repeating: "GET /hello HTTP/1.1 ", count: 100_000).utf8), 400),
            ("body", Data("POST /hello HTTP/1.1\r\nContent-Length: 99999999\r\n\r\nxxxx".utf8), 413),
            ("chunked", Data("GET /hello HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n".utf8), 413),
            ("bad length", Data("GET /hello HTTP/1.1\r\nContent-Length: -1\r\n\r\n".utf8), 400),
        ]
        for (name, bytes, status) in cases {
            let r = try RawHTTP.exchange(port: port, bytes)
            XCTAssertEqual(r.status, status, "\(name): \(r.body)")
            XCTAssertEqual(try RawHTTP.get(port: port, "/hello").status, 200, "still serving after \(name)")
        }
    }

    func testASilentClientIsDisconnectedAndOthersAreServedMeanwhile() throws {
        // A half-sent request: the connection is closed after the idle timeout; others are served meanwhile.
        let started = Date()
        let port = self.port
        let silent = Thread { _ = try? RawHTTP.exchange(port: port, Data("GET /hel".utf8), timeout: 20) }
        silent.start()
        XCTAssertEqual(try RawHTTP.get(port: port, "/hello").status, 200)
        let slow = try RawHTTP.exchange(port: port, Data("GET /hel".utf8), timeout: 20)
        XCTAssertNil(slow.status, "closed without an answer")
        XCTAssertEqual(slow.raw.count, 0)
        let waited = Date().timeIntervalSince(started)
        XCTAssertLessThan(waited, 5 + 5, "closed after the idle timeout, not the client's 20 s")
    }

    func testABusyPortIsAClearStartFailure() async throws {
        do {
            _ = try await EndpointServer.start(address: server.address, handler: { _ in .text(.ok, "") }, logger: .init(label: "test"))
            XCTFail("a second server bound the same port")
        } catch let failure as StartFailure {
            XCTAssertTrue(failure.description.hasPrefix("http_listen_failed: cannot listen on 127.0.0.1:\(port): "), failure.description)
            XCTAssertTrue(failure.description.localizedCaseInsensitiveContains("in use"), failure.description)
        }
        XCTAssertEqual(try RawHTTP.get(port: port, "/hello").status, 200, "the first server is unaffected")
    }

    func testStoppingClosesTheListener() async throws {
        await server.stop()
        XCTAssertThrowsError(try RawHTTP.get(port: port, "/hello"), "connection refused after stop")
        server = try await EndpointServer.start(address: .init(host: "127.0.0.1", port: 0), handler: { _ in .text(.ok, "") },
                                                logger: .init(label: "test"))  // for tearDown
    }

    func testRequestTargetSplitting() {
        let r = RouteRequest(method: "GET", target: "/a?x=1&y=%2F&z=a+b&flag")
        XCTAssertEqual(r.path, "/a")
        XCTAssertEqual(r.query, ["x": "1", "y": "/", "z": "a b", "flag": ""])
        XCTAssertEqual(RouteRequest(method: "GET", target: "/plain"), RouteRequest(method: "GET", path: "/plain"))
    }

    func testListenAddressValidation() {
        XCTAssertEqual(try? HTTPConfig.ListenAddress.parse("9464").get(), .init(host: "127.0.0.1", port: 9464))
        XCTAssertEqual(try? HTTPConfig.ListenAddress.parse("[::1]:80").get(), .init(host: "::1", port: 80))
        XCTAssertEqual(try? HTTPConfig.ListenAddress.parse("0.0.0.0:9464").get().isLoopback, false)
        XCTAssertEqual(try? HTTPConfig.ListenAddress.parse("127.0.0.1:9464").get().isLoopback, true)
        for bad in ["localhost:9464", "127.0.0.1:0", "127.0.0.1:70000", "1.2.3:80", "[::1]80", "", "host", ":"] {
            XCTAssertNil(try? HTTPConfig.ListenAddress.parse(bad).get(), bad)
        }
    }
}

/// Mutated and random requests against the running server: each gets an HTTP answer (2xx for
/// what parses as a good request, 4xx otherwise) or a closed connection, never a crash, and the
/// server answers a good request afterwards.
final class EndpointServerFuzzTests: XCTestCase {
    func testMutatedAndRandomRequestsNeverBreakTheServer() async throws {
        let server = try await EndpointServer.start(address: .init(host: "127.0.0.1", port: 0), handler: { request in
            request.path == "/metrics" ? .text(.ok, "ok") : .text(.notFound, "no")
        }, logger: .init(label: "test"))
        let port = server.address.port
        var rng = SystemRandomNumberGenerator()
        let seeds = ["GET /metrics HTTP/1.1\r\nHost: 127.0.0.1:9464\r\nAccept: */*\r\n\r\n",
                     "HEAD /?since=7d&scope=group%3Acn-state HTTP/1.0\r\nContent-Length: 0\r\n\r\n",
                     "POST /api/alerts HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"].map { Array($0.utf8) }
        var answered = 0
        for i in 0..<400 {
            var bytes = seeds[i % seeds.count]
            if i % 5 == 4 {
                bytes = (0..<Int.random(in: 1...300, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) } + [0x0D, 0x0A, 0x0D, 0x0A]
            } else {
                for _ in 0..<Int.random(in: 1...6, using: &rng) {
                    let at = Int.random(in: 0...bytes.count, using: &rng)
                    switch Int.random(in: 0..<4, using: &rng) {
                    case 0 where at < bytes.count: bytes[at] = UInt8.random(in: 0...255, using: &rng)
                    case 1 where at < bytes.count: bytes.remove(at: at)
                    case 2: bytes.insert([0x0D, 0x0A, 0x3A, 0x20, 0x3F, 0x26, 0x3D, 0x25, 0x00][Int.random(in: 0..<9, using: &rng)], at: at)
                    default: bytes.insert(contentsOf: bytes[at...].prefix(20), at: at)
                    }
                }
            }
            let r = try RawHTTP.exchange(port: port, Data(bytes), timeout: 8, halfClose: true)
            if let status = r.status {
                answered += 1
                XCTAssertTrue((200..<300).contains(status) || (400..<500).contains(status), "status \(status) for \(bytes)")
            }
        }
        XCTAssertGreaterThan(answered, 200, "most mutations get an answer")
        XCTAssertEqual(try RawHTTP.get(port: port, "/metrics").status, 200)
        await server.stop()
    }
}
