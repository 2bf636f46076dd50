import XCTest
import DyadConfig
import TestSupport
@testable import HTTPEndpoint

/// The listener on 127.0.0.1 with a trivial handler: good requests answered, every bad,
/// oversized or slow one answered 4xx, and the listener still serving afterwards.
final class HTTPListenerTests: XCTestCase {
    var listener: HTTPListener!
    var port: UInt16 { listener.address.port }

    override func setUpWithError() throws {
        listener = try HTTPListener(address: .init(host: "127.0.0.1", port: 0), handler: { request in
            request.path == "/hello" ? .text(.ok, "hello \(request.query["name"] ?? "")") : .text(.notFound, "no")
        }, onError: { _ in })
    }

    override func tearDown() { listener.stop() }

    func testAnswersAGoodRequest() throws {
        let r = try RawHTTP.get(port: port, "/hello?name=a%20b")
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.body, "hello a b\n")
        XCTAssertEqual(r.headers["connection"], "close")
        XCTAssertEqual(r.headers["content-length"], "10")
        let head = try RawHTTP.get(port: port, "/hello", method: "HEAD")
        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(head.body, "")
    }

    func testBadRequestsGet4xxAndTheListenerKeepsServing() throws {
        let cases: [(String, Data, Int)] = [
            ("garbage", Data("GARBAGE\r\n\r\n".utf8), 400),
            ("binary", Data([0xFF, 0x00, 0xFE, 0x0D, 0x0A, 0x0D, 0x0A]), 400),
            ("no version", Data("GET /hello\r\n\r\n".utf8), 400),
            ("absolute target", Data("GET http://evil/ HTTP/1.1\r\n\r\n".utf8), 400),
            ("bad header", Data("GET /hello HTTP/1.1\r\nno colon here\r\n\r\n".utf8), 400),
            ("HTTP/2 preface", Data("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8), 400),
            ("long target", Data("GET /\(String(repeating: "a", count: 5_000)) HTTP/1.1\r\n\r\n".utf8), 414),
            ("huge head", Data("GET /hello HTTP/1.1\r\nX: \(String(repeating: "b", count: 1_000_000))\r\n\r\n".utf8), 431),
            ("endless head", Data(String(repeating: "GET /hello HTTP/1.1 ", count: 100_000).utf8), 431),
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

    func testAClientThatSendsNothingGetsATimeoutNotAStuckThread() throws {
        // A silent connection: answered 408 after the read timeout; others are served meanwhile.
        let started = Date()
        let port = self.port
        let silent = Thread { _ = try? RawHTTP.exchange(port: port, Data("GET /hel".utf8), timeout: 20) }
        silent.start()
        XCTAssertEqual(try RawHTTP.get(port: port, "/hello").status, 200)
        let slow = try RawHTTP.exchange(port: port, Data("GET /hel".utf8), timeout: 20)
        XCTAssertEqual(slow.status, 408)
        XCTAssertLessThan(Date().timeIntervalSince(started), HTTPListener.requestDeadline + 5)
    }

    func testRequestHeadParsing() {
        let ok = try? HTTPRequestHead.parse(Array("GET /a?x=1&y=%2F HTTP/1.0\r\nHost: h\r\n".utf8)).get()
        XCTAssertEqual(ok?.path, "/a")
        XCTAssertEqual(ok?.query, ["x": "1", "y": "/"])
        XCTAssertEqual(ok?.headers["host"], "h")
        XCTAssertEqual(HTTPRequestHead.parse(Array("get / HTTP/1.1".utf8)), .failure(.malformed("bad method")))
        XCTAssertEqual(HTTPRequestHead.parse(Array("GET / HTTP/1.1\r\n : x".utf8)), .failure(.malformed("bad header line")))
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

/// The request-head parser on mutated and random input: it answers, it never traps.
final class HTTPRequestHeadFuzzTests: XCTestCase {
    func testMutatedAndRandomHeadsNeverTrap() {
        var rng = SystemRandomNumberGenerator()
        let seeds = ["GET /metrics HTTP/1.1\r\nHost: 127.0.0.1:9464\r\nAccept: */*\r\n",
                     "HEAD /?since=7d&scope=group%3Acn-state HTTP/1.0\r\nContent-Length: 0\r\n",
                     "POST /api/alerts HTTP/1.1\r\nTransfer-Encoding: chunked\r\n"].map { Array($0.utf8) }
        var parsed = 0, refused = 0
        for i in 0..<20_000 {
            var bytes = seeds[i % seeds.count]
            if i % 5 == 4 {
                bytes = (0..<Int.random(in: 0...300, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
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
            switch HTTPRequestHead.parse(bytes) {
            case .success(let head): parsed += 1; XCTAssertTrue(head.path.hasPrefix("/"))
            case .failure(let f): refused += 1; XCTAssertTrue((400..<500).contains(f.status.rawValue))
            }
        }
        XCTAssertGreaterThan(parsed, 0)
        XCTAssertGreaterThan(refused, 0)
    }
}
