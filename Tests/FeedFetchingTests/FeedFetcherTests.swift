import DyadCore
import FeedFetching
import Foundation
import TestSupport
import XCTest

/// The fetcher against a loopback server: every HTTP behaviour the issue lists, one test each.
final class FeedFetcherTests: XCTestCase {
    static let feed = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title><item><guid>1</guid><title>One</title></item></channel></rss>"

    func policy(maxBody: Int64 = 1 << 20, timeout: TimeInterval = 10, lowSpeedTime: TimeInterval = 30,
                lowSpeedLimit: Int64 = 100, concurrency: Int = 8, perHost: Int = 2) -> FetchPolicy {
        FetchPolicy(concurrency: concurrency, perHostConcurrency: perHost, connectTimeout: 5, timeout: timeout,
                    lowSpeedLimit: lowSpeedLimit, lowSpeedTime: lowSpeedTime, maxBody: maxBody, maxRedirects: 5,
                    userAgent: "dyadwatch-test/1.0 (+https://example.invalid/bot)")
    }

    func fetchOne(_ url: String, policy: FetchPolicy? = nil, etag: String? = nil, lastModified: String? = nil,
                  clock: any WallClock = SystemClock()) -> FetchResult {
        let fetcher = FeedFetcher(policy: policy ?? self.policy(), clock: clock)
        let results = fetcher.fetch([FetchRequest(id: "f", url: url, etag: etag, lastModified: lastModified)])
        XCTAssertEqual(results.count, 1)
        return results[0]
    }

    func testOKReturnsBodyValidatorsAndSendsUserAgent() throws {
        let server = try LoopbackHTTPServer(routes: ["/feed": .ok(Self.feed, headers: [
            ("ETag", "\"v1\""), ("Last-Modified", "Wed, 21 Oct 2026 07:28:00 GMT"), ("Cache-Control", "public, max-age=900"),
        ])])
        defer { server.stop() }
        let r = fetchOne(server.url("/feed"))
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.outcome, .document(Data(Self.feed.utf8)))
        XCTAssertEqual(r.etag, "\"v1\"")
        XCTAssertEqual(r.lastModified, "Wed, 21 Oct 2026 07:28:00 GMT")
        XCTAssertEqual(r.maxAge, 900)
        XCTAssertEqual(r.charset, "utf-8")
        XCTAssertEqual(r.bytes, Int64(Self.feed.utf8.count))
        XCTAssertNil(r.permanentURL)
        let request = try XCTUnwrap(server.requests.first)
        XCTAssertEqual(request.headers["user-agent"], "dyadwatch-test/1.0 (+https://example.invalid/bot)")
        XCTAssertNil(request.headers["if-none-match"], "no validators on a first fetch")
        XCTAssertTrue(request.headers["accept-encoding"]?.contains("gzip") ?? false)
    }

    func testConditionalGetSendsValidatorsAndGets304() throws {
        let server = try LoopbackHTTPServer { request in
            request.headers["if-none-match"] == "\"v1\"" ? .status(304, headers: [("ETag", "\"v1\"")]) : .ok(Self.feed)
        }
        defer { server.stop() }
        let r = fetchOne(server.url("/feed"), etag: "\"v1\"", lastModified: "Wed, 21 Oct 2026 07:28:00 GMT")
        XCTAssertEqual(r.status, 304)
        XCTAssertEqual(r.outcome, .notModified)
        XCTAssertEqual(r.bytes, 0)
        let request = try XCTUnwrap(server.requests.first)
        XCTAssertEqual(request.headers["if-none-match"], "\"v1\"")
        XCTAssertEqual(request.headers["if-modified-since"], "Wed, 21 Oct 2026 07:28:00 GMT")
    }

    func testPermanentRedirectChainGivesNewURL() throws {
        let server = try LoopbackHTTPServer(routes: [
            "/old": .redirect(301, to: "/older"), "/older": .redirect(308, to: "/new"), "/new": .ok(Self.feed),
        ])
        defer { server.stop() }
        let r = fetchOne(server.url("/old"))
        XCTAssertEqual(r.outcome, .document(Data(Self.feed.utf8)))
        XCTAssertEqual(r.redirects.map(\.status), [301, 308])
        XCTAssertEqual(r.permanentURL, server.url("/new"))
        XCTAssertEqual(r.finalURL, server.url("/new"))
    }

    func testTemporaryRedirectDoesNotMoveTheFeed() throws {
        let server = try LoopbackHTTPServer(routes: [
            "/a": .redirect(302, to: "/b"), "/b": .redirect(307, to: "/c"), "/c": .ok(Self.feed),
        ])
        defer { server.stop() }
        let r = fetchOne(server.url("/a"))
        XCTAssertTrue(r.isSuccess)
        XCTAssertEqual(r.redirects.map(\.status), [302, 307])
        XCTAssertNil(r.permanentURL)
    }

    func testPermanentThenTemporaryMovesOnlyToThePermanentTarget() throws {
        let server = try LoopbackHTTPServer(routes: [
            "/a": .redirect(301, to: "/b"), "/b": .redirect(302, to: "/c"), "/c": .ok(Self.feed),
        ])
        defer { server.stop() }
        let r = fetchOne(server.url("/a"))
        XCTAssertEqual(r.permanentURL, server.url("/b"))
    }

    func testRedirectLoopIsDetected() throws {
        let server = try LoopbackHTTPServer(routes: ["/a": .redirect(302, to: "/b"), "/b": .redirect(302, to: "/a")])
        defer { server.stop() }
        let r = fetchOne(server.url("/a"))
        XCTAssertEqual(r.failure, .redirectLoop(url: server.url("/a")))
        XCTAssertEqual(server.requests.count, 2, "the loop is caught before fetching /a again")
    }

    func testMoreThanFiveRedirectsFail() throws {
        let server = try LoopbackHTTPServer { request in
            let n = Int(request.path.dropFirst()) ?? 0
            return n < 10 ? .redirect(302, to: "/\(n + 1)") : .ok(Self.feed)
        }
        defer { server.stop() }
        let r = fetchOne(server.url("/0"))
        XCTAssertEqual(r.failure, .tooManyRedirects(limit: 5))
        XCTAssertEqual(server.requests.count, 6, "the first request and five followed hops")
    }

    func testRedirectToFileSchemeIsRefused() throws {
        let server = try LoopbackHTTPServer(routes: ["/a": .redirect(301, to: "file:///etc/passwd")])
        defer { server.stop() }
        let r = fetchOne(server.url("/a"))
        XCTAssertEqual(r.failure, .forbiddenRedirect(url: "file:///etc/passwd"))
        XCTAssertNil(r.permanentURL)
    }

    func testNonHTTPFirstURLIsRefusedWithoutARequest() {
        let r = fetchOne("file:///etc/passwd")
        XCTAssertEqual(r.failure, .invalidURL("file:///etc/passwd"))
    }

    func testGzipAndDeflateAreDecoded() throws {
        let server = try LoopbackHTTPServer(routes: [
            "/gz": .gzip(Self.feed),
            "/deflate": .encoded(Gzip.zlib(Array(Self.feed.utf8)), encoding: "deflate"),
        ])
        defer { server.stop() }
        XCTAssertEqual(fetchOne(server.url("/gz")).outcome, .document(Data(Self.feed.utf8)))
        XCTAssertEqual(fetchOne(server.url("/deflate")).outcome, .document(Data(Self.feed.utf8)))
    }

    func testGzipBombIsCutAtTheDecompressedCap() throws {
        let cap: Int64 = 256 << 10
        let bomb = Gzip.gzipBomb(decompressedSize: 16 << 20)
        XCTAssertLessThan(Int64(bomb.count), cap, "the wire size is under the cap; only decompression exceeds it")
        let server = try LoopbackHTTPServer(routes: ["/bomb": .encoded(bomb, encoding: "gzip")])
        defer { server.stop() }
        let r = fetchOne(server.url("/bomb"), policy: policy(maxBody: cap))
        XCTAssertEqual(r.failure, .bodyTooLarge(limit: cap))
        XCTAssertLessThanOrEqual(r.bytes, cap + 64 * 1024, "stopped within one decompression chunk of the cap")
    }

    func testOversizedBodyWithDeclaredLengthIsRefused() throws {
        let big = String(repeating: "x", count: 300_000)
        let server = try LoopbackHTTPServer(routes: ["/big": .ok(big)])
        defer { server.stop() }
        let r = fetchOne(server.url("/big"), policy: policy(maxBody: 100_000))
        XCTAssertEqual(r.failure, .bodyTooLarge(limit: 100_000))
    }

    func testOversizedBodyWithoutLengthIsCutWhileStreaming() throws {
        let server = try LoopbackHTTPServer(routes: ["/big": .unsized([UInt8](repeating: 65, count: 400_000))])
        defer { server.stop() }
        let r = fetchOne(server.url("/big"), policy: policy(maxBody: 100_000))
        XCTAssertEqual(r.failure, .bodyTooLarge(limit: 100_000))
        XCTAssertLessThan(r.bytes, 400_000)
    }

    func testSlowDripIsAbortedAsStalled() throws {
        let server = try LoopbackHTTPServer(routes: ["/slow": .drip(String(repeating: "x", count: 2_000), chunkSize: 5, interval: 0.1)])
        defer { server.stop() }
        let start = Date()
        let r = fetchOne(server.url("/slow"), policy: policy(timeout: 20, lowSpeedTime: 1, lowSpeedLimit: 1_000))
        guard case .stalled = r.failure else { return XCTFail("expected a stall, got \(r.outcome)") }
        XCTAssertLessThan(Date().timeIntervalSince(start), 10, "cut by the low-speed limit, not the total timeout")
    }

    func testTotalTimeoutAbortsATransferThatKeepsTrickling() throws {
        let server = try LoopbackHTTPServer(routes: ["/slow": .drip(String(repeating: "x", count: 100_000), chunkSize: 2_000, interval: 0.1)])
        defer { server.stop() }
        let r = fetchOne(server.url("/slow"), policy: policy(timeout: 1, lowSpeedTime: 30, lowSpeedLimit: 1))
        guard case .timedOut = r.failure else { return XCTFail("expected a timeout, got \(r.outcome)") }
    }

    func testConnectionRefused() throws {
        let port = try RefusedPort.make()
        let r = fetchOne("http://127.0.0.1:\(port)/feed")
        guard case .connectionRefused = r.failure else { return XCTFail("expected refused, got \(r.outcome)") }
        XCTAssertNil(r.status)
    }

    func testAbruptCloseMidBodyIsATransportError() throws {
        let server = try LoopbackHTTPServer(routes: ["/cut": .truncated(Self.feed, sentBytes: 20), "/none": .closeImmediately])
        defer { server.stop() }
        guard case .transport = fetchOne(server.url("/cut")).failure else { return XCTFail("expected a transport error") }
        guard case .transport = fetchOne(server.url("/none")).failure else { return XCTFail("expected a transport error") }
    }

    func testErrorStatuses() throws {
        let server = try LoopbackHTTPServer(routes: [
            "/404": .status(404), "/410": .status(410), "/500": .status(500, body: "oops"),
        ])
        defer { server.stop() }
        XCTAssertEqual(fetchOne(server.url("/404")).failure, .httpStatus(404))
        XCTAssertEqual(fetchOne(server.url("/410")).failure, .httpStatus(410))
        XCTAssertEqual(fetchOne(server.url("/500")).failure, .httpStatus(500))
    }

    func testRetryAfterSecondsAndDate() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let later = HTTPDateFormat.string(now.addingTimeInterval(7_200))
        let server = try LoopbackHTTPServer(routes: [
            "/429": .status(429, headers: [("Retry-After", "120")]),
            "/503": .status(503, headers: [("Retry-After", later)]),
        ])
        defer { server.stop() }
        let clock = ManualClock(now)
        let r429 = fetchOne(server.url("/429"), clock: clock)
        XCTAssertEqual(r429.failure, .httpStatus(429))
        XCTAssertEqual(r429.retryAfter, 120)
        let r503 = fetchOne(server.url("/503"), clock: clock)
        XCTAssertEqual(r503.failure, .httpStatus(503))
        XCTAssertEqual(r503.retryAfter ?? 0, 7_200, accuracy: 1)
    }

    func testPerHostConcurrencyIsRespectedAndResultsKeepRequestOrder() throws {
        let gauge = ConcurrencyGauge()
        let server = try LoopbackHTTPServer { request in
            gauge.enter(); defer { gauge.leave() }
            Thread.sleep(forTimeInterval: 0.1)
            return .ok(Self.feed)
        }
        defer { server.stop() }
        let fetcher = FeedFetcher(policy: policy(concurrency: 8, perHost: 2))
        let requests = (0..<6).map { FetchRequest(id: "f\($0)", url: server.url("/f\($0)")) }
        let results = fetcher.fetch(requests)
        XCTAssertEqual(results.map(\.id), requests.map(\.id))
        XCTAssertTrue(results.allSatisfy(\.isSuccess))
        XCTAssertLessThanOrEqual(gauge.maximum, 2, "never more than two at a time to one host")
        XCTAssertEqual(gauge.maximum, 2, "and two at a time indeed (transfers overlap)")
    }

    func testSlowFeedDoesNotBlockOthers() throws {
        let server = try LoopbackHTTPServer(routes: [
            "/slow": .drip(String(repeating: "x", count: 300), chunkSize: 100, interval: 0.5),
            "/fast": .ok(Self.feed),
        ])
        defer { server.stop() }
        let fetcher = FeedFetcher(policy: policy(concurrency: 4, perHost: 2))
        let box = OrderBox()
        _ = fetcher.fetch([FetchRequest(id: "slow", url: server.url("/slow")), FetchRequest(id: "fast", url: server.url("/fast"))]) {
            box.append($0.id)
        }
        XCTAssertEqual(box.ids, ["fast", "slow"])
    }
}

/// Counts simultaneous requests at the server.
final class ConcurrencyGauge: @unchecked Sendable {
    private let lock = NSLock()
    private var current = 0
    private(set) var maximum = 0
    func enter() { lock.lock(); current += 1; maximum = max(maximum, current); lock.unlock() }
    func leave() { lock.lock(); current -= 1; lock.unlock() }
}

final class OrderBox: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var ids: [String] = []
    func append(_ id: String) { lock.lock(); ids.append(id); lock.unlock() }
}

/// IMF-fixdate for test headers.
enum HTTPDateFormat {
    static func string(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return f.string(from: date)
    }
}

/// The global limit holds across hosts; the per-host limit holds per host.
final class ConcurrencyLimitTests: XCTestCase {
    func testGlobalLimitAcrossHostsAndPerHostLimit() throws {
        let total = ConcurrencyGauge()
        let gauges = [ConcurrencyGauge(), ConcurrencyGauge(), ConcurrencyGauge()]
        let servers = try (0..<3).map { i in
            try LoopbackHTTPServer(address: "127.0.0.\(i + 1)") { _ in
                total.enter(); gauges[i].enter()
                defer { gauges[i].leave(); total.leave() }
                Thread.sleep(forTimeInterval: 0.2)  // long enough for the limits to be reached under load
                return .ok(FeedFetcherTests.feed)
            }
        }
        defer { servers.forEach { $0.stop() } }
        let policy = FetchPolicy(concurrency: 3, perHostConcurrency: 2, connectTimeout: 5, timeout: 10,
                                 userAgent: "dyadwatch-test/1.0")
        let requests = (0..<12).map { FetchRequest(id: "f\($0)", url: servers[$0 % 3].url("/f\($0)")) }
        let results = FeedFetcher(policy: policy).fetch(requests)
        XCTAssertTrue(results.allSatisfy(\.isSuccess))
        XCTAssertLessThanOrEqual(total.maximum, 3, "never more than `concurrency` in flight")
        XCTAssertGreaterThanOrEqual(total.maximum, 2, "transfers to different hosts overlap")
        XCTAssertTrue(gauges.allSatisfy { $0.maximum <= 2 }, "never more than `per_host_concurrency` to one host")
    }
}
