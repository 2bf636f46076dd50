import DyadCore
import FeedFetching
import FeedStorage
import Foundation
import Pipeline
import TestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Issue 12, items 1–6, against a misbehaving loopback server: each test checks what is stored
/// and the line an operator sees in the log.
final class HostileServerTests: XCTestCase {
    var h: PollHarness!

    override func setUpWithError() throws { h = try PollHarness() }
    override func tearDown() { h = nil }

    // MARK: 1. One scheduling policy

    func testRepeated429sWithoutRetryAfterBackOffExponentially() throws {
        h.routes.set("/limited", .status(429))
        try h.configure([("limited", "/limited", "")])
        let poller = h.poller(random: 0)
        var waits: [TimeInterval] = []
        for _ in 0..<4 {
            _ = try poller.pollOnce()
            let state = try h.state("limited")
            let due = try XCTUnwrap(state.nextDue)
            waits.append(due.timeIntervalSince(h.clock.now()))
            XCTAssertEqual(state.nextDueReason, "backoff")
            XCTAssertEqual(state.lastErrorClass, "rate_limited")
            h.clock.set(due)
        }
        XCTAssertEqual(waits, [1_800, 3_600, 7_200, 14_400], "the wait grows with every 429 in a row")
        XCTAssertEqual(h.server.requests(to: "/limited").count, 4)
        let lines = h.logged("limited", "poll failed")
        XCTAssertEqual(lines.count, 4)
        XCTAssertEqual(lines.last?.metadata["reason"], "backoff")
        XCTAssertEqual(lines.last?.metadata["error_class"], "rate_limited")
        XCTAssertEqual(lines.last?.metadata["failures"], "4")
    }

    func testRetryAfterDateAndTTLAreReasonsAndAllSkipsHeldFeedsUnlessForced() throws {
        let until = PollHarness.start + 7_200
        h.routes.set("/later", .status(503, headers: [("Retry-After", RSSFixture.rfc822(until))]))
        h.routes.set("/ttl", .ok(RSSFixture.document(ttlMinutes: 120, items: PollHarness.items(2))))
        h.routes.set("/plain", .ok(RSSFixture.document(items: PollHarness.items(1))))
        try h.configure([("later", "/later", ""), ("ttl", "/ttl", ""), ("plain", "/plain", "")])
        _ = try h.poller(random: 0).pollOnce()

        let later = try h.state("later")
        XCTAssertEqual(later.nextDue, until)
        XCTAssertEqual(later.nextDueReason, "retry-after")
        XCTAssertEqual(later.lastErrorClass, "http_5xx")
        XCTAssertEqual(h.logged("later", "poll failed").last?.metadata["reason"], "retry-after")
        XCTAssertEqual(try h.state("ttl").nextDueReason, "ttl")
        XCTAssertEqual(try h.state("ttl").nextDue, PollHarness.start + 7_200)
        XCTAssertEqual(try h.state("plain").nextDueReason, "interval")

        // A manual --all a minute later polls the healthy feeds, not the one the server holds off.
        h.clock.set(PollHarness.start + 60)
        let manual = try h.poller().pollOnce(all: true)
        XCTAssertEqual(Set(manual.feeds.map(\.feedID)), ["ttl", "plain"])
        XCTAssertEqual(manual.held, [HeldFeed(feedID: "later", reason: .retryAfter, until: until, lastError: "http_5xx: HTTP 503")])
        XCTAssertEqual(h.server.requests(to: "/later").count, 1)
        let line = manual.held[0].line(forced: false)
        XCTAssertTrue(line.hasPrefix("skipped  later  retry-after until \(ISO8601.string(until))"), line)

        // --force polls it anyway and says so.
        let forced = try h.poller().pollOnce(all: true, force: true)
        XCTAssertEqual(forced.forced.map(\.feedID), ["later"])
        XCTAssertTrue(forced.feeds.contains { $0.feedID == "later" })
        XCTAssertEqual(h.server.requests(to: "/later").count, 2)
        XCTAssertEqual(h.log.events(containing: "--force").first?.metadata["feed"], "later")
        XCTAssertTrue(forced.forced[0].line(forced: true).hasPrefix("forced   later  polled despite retry-after"))
    }

    // MARK: 2. Bounded work per poll

    func testMaxItemsKeepsTheNewestAndLogsOneLine() throws {
        // Oldest first in the document: "newest" must come from the dates, not the order.
        let items = Array(PollHarness.items(40).reversed())
        h.routes.set("/big", .ok(RSSFixture.document(items: items)))
        try h.configure([("big", "/big", "max_items = 10")])
        let report = try h.report(try h.pollAll(), "big")
        XCTAssertEqual(report.result, .fetched)
        XCTAssertEqual(report.newCount, 10)
        XCTAssertEqual(report.problems, ["too_many_items"])
        let stored = try h.store.entries(of: "big").map(\.guid)
        XCTAssertEqual(Set(stored), Set((1...10).map { "urn:test:\($0)" }), "the ten newest by date")
        XCTAssertEqual(try h.state("big").lastProblems, "too_many_items")
        let lines = h.logged("big", "max_items")
        XCTAssertEqual(lines.count, 1)
        XCTAssertEqual(lines[0].level, .warning)
        XCTAssertEqual(lines[0].metadata["items"], "40")
        XCTAssertEqual(lines[0].metadata["kept"], "10")
        XCTAssertEqual(lines[0].metadata["dropped"], "30")
    }

    func testMaxItemsDefaultsToOneThousandFromDaemon() throws {
        try h.configure([("a", "/a", "")])
        XCTAssertEqual(h.configuration.daemon.maxItems, 1_000)
        try h.configure([("a", "/a", "")], daemon: "max_items = 5")
        XCTAssertEqual(h.configuration.feeds[0].effectiveMaxItems(h.configuration.daemon), 5)
    }

    // MARK: 3. Truncated documents

    func testTruncatedBodyStoresOnlyFinishedItemsAndIsOKWithAProblem() throws {
        let full = RSSFixture.document(items: PollHarness.items(3))
        let cut = String(full[..<full.range(of: "<title>Story 3")!.upperBound])   // ends inside item 3's title
        h.routes.set("/cut", .unsized(Array(cut.utf8)))
        try h.configure([("cut", "/cut", "")])
        let report = try h.report(try h.pollAll(), "cut")
        XCTAssertEqual(report.result, .fetched)
        XCTAssertEqual(report.problems, ["truncated"])
        XCTAssertEqual(try h.store.entries(of: "cut").map(\.title), ["Story 1", "Story 2"])
        let state = try h.state("cut")
        XCTAssertEqual(state.consecutiveFailures, 0)
        XCTAssertEqual(state.lastProblems, "truncated")
        let line = try XCTUnwrap(h.logged("cut", "truncated").first)
        XCTAssertEqual(line.level, .warning)
        XCTAssertEqual(line.metadata["unfinished"], "1")
        XCTAssertEqual(line.metadata["kept"], "2")
    }

    // MARK: 4. Duplicate GUIDs in one document

    func testDuplicateGUIDsAreKeptOnceAndLoggedOncePerPoll() throws {
        var items = (1...20).map { RSSFixture.Item(guid: "urn:same", title: "Robust \($0)", link: "https://example.org/r\($0)") }
        items += PollHarness.items(2)
        h.routes.set("/dups", .ok(RSSFixture.document(items: items)))
        try h.configure([("dups", "/dups", "")])
        let report = try h.report(try h.pollAll(), "dups")
        XCTAssertEqual(report.newCount, 3)
        XCTAssertEqual(report.problems, ["duplicate_ids"])
        XCTAssertEqual(try h.store.entries(of: "dups").map(\.title), ["Robust 1", "Story 1", "Story 2"], "the first of each id is kept")
        XCTAssertEqual(try h.state("dups").lastProblems, "duplicate_ids")
        var lines = h.logged("dups", "repeat the id")
        XCTAssertEqual(lines.count, 1)
        XCTAssertEqual(lines[0].metadata["duplicates"], "19")
        XCTAssertTrue(lines[0].metadata["hint"]?.contains("dedup_key = \"link\"") ?? false)
        _ = try h.pollAll()
        lines = h.logged("dups", "repeat the id")
        XCTAssertEqual(lines.count, 2, "once per poll")
    }

    // MARK: 5. Fixed error classes

    func testEveryFailureHasItsFixedClassBytesAndTimeInStateAndLog() throws {
        let refused = try RefusedPort.make()
        let notTLS = try GreetingServer(greeting: "HTTP/1.1 400 Bad Request\r\n\r\nthis is not TLS\r\n")
        defer { notTLS.stop() }
        h.routes.set("/404", .status(404))
        h.routes.set("/500", .status(500))
        h.routes.set("/410", .status(410))
        h.routes.set("/429", .status(429))
        h.routes.set("/html", .ok("<!DOCTYPE html><html><body>Sign in</body></html>", contentType: "text/html"))
        h.routes.set("/empty", .ok("  \n"))
        h.routes.set("/garbage", .ok("<?xml version=\"1.0\"?>\n<"))
        h.routes.set("/json", .ok("{\"hello\": 1}", contentType: "application/json"))
        h.routes.set("/big", .unsized(Array(repeating: UInt8(ascii: "x"), count: 300 * 1024)))   // no Content-Length: cut while streaming
        h.routes.set("/loop", .redirect(302, to: "/loop"))
        for i in 0..<8 { h.routes.set("/hop\(i)", .redirect(302, to: "/hop\(i + 1)")) }
        h.routes.set("/file", .redirect(302, to: "file:///etc/passwd"))
        h.routes.set("/drip", .drip(String(repeating: "y", count: 4_000), chunkSize: 10, interval: 0.2))
        h.routes.set("/badgzip", .encoded(Array("definitely not gzip".utf8), encoding: "gzip"))
        let expected: [(String, String, FeedErrorClass)] = [
            ("c404", "/404", .http4xx), ("c500", "/500", .http5xx), ("c410", "/410", .gone), ("c429", "/429", .rateLimited),
            ("html", "/html", .notAFeed), ("empty", "/empty", .empty), ("garbage", "/garbage", .parseError),
            ("json", "/json", .notAFeed), ("big", "/big", .tooLarge), ("loop", "/loop", .redirectLoop),
            ("hops", "/hop0", .tooManyRedirects), ("file", "/file", .badScheme), ("drip", "/drip", .stalled),
            ("badgzip", "/badgzip", .encodingError),
            ("refused", "http://127.0.0.1:\(refused)/feed.xml", .connect),
            ("tls", "https://127.0.0.1:\(notTLS.port)/feed.xml", .tls),
        ]
        try h.configure(expected.map { ($0.0, $0.1, "") })
        let cycle = try h.pollAll()
        for (id, _, errorClass) in expected {
            let report = try h.report(cycle, id)
            XCTAssertEqual(report.errorClass, errorClass, "\(id): \(report.error ?? "-")")
            XCTAssertEqual(try h.state(id).lastErrorClass, errorClass.rawValue, id)
            let message = errorClass == .gone ? "gone" : "poll failed"
            let line = try XCTUnwrap(h.logged(id, message).last, "no log line for \(id)")
            XCTAssertEqual(line.metadata["error_class"], errorClass.rawValue, id)
            XCTAssertNotNil(line.metadata["bytes"].flatMap(Int.init), "\(id): bytes in the line")
            XCTAssertNotNil(line.metadata["ms"].flatMap(Int.init), "\(id): elapsed time in the line")
            XCTAssertTrue(report.line().contains("error[\(errorClass.rawValue)]"), report.line())
        }
        XCTAssertGreaterThan(h.logged("big", "poll failed").last?.metadata["bytes"].flatMap(Int.init) ?? 0, 256 * 1024,
                             "bytes read before the cut")
    }

    // MARK: 6. Fairness

    func testSlowServersOfAHostDoNotHoldItsFastFeedForTheirWholeTransfer() throws {
        // Each slow feed drips 2 KB every 0.5 s (above the 1000 B/s stall limit) for 9 s; two
        // slots per host. The fast feed of the same server must not wait for them to finish.
        let slow = LoopbackResponse.drip(RSSFixture.document(items: PollHarness.items(1)).padding(toLength: 36_000, withPad: " ", startingAt: 0),
                                         chunkSize: 2_000, interval: 0.5)
        for i in 1...3 { h.routes.set("/slow\(i)", slow) }
        h.routes.set("/fast", .ok(RSSFixture.document(items: PollHarness.items(2))))
        try h.configure([("slow1", "/slow1", ""), ("slow2", "/slow2", ""), ("slow3", "/slow3", ""), ("fast", "/fast", "")])
        let started = Date()
        let cycle = try h.pollAll()
        let fast = try h.report(cycle, "fast")
        XCTAssertEqual(fast.result, .fetched)
        XCTAssertEqual(try h.store.entryCount(of: "fast"), 2)
        let waited = try XCTUnwrap(h.sink.arrival("fast")).timeIntervalSince(started)
        XCTAssertLessThan(waited, HostSlots.defaultSlowAfter + 3, "the fast feed waited about HostSlots.defaultSlowAfter, not for the slow ones")
        XCTAssertLessThan(fast.durationMs, 2_000, "its own transfer was quick (the wait is not counted in its time)")
        XCTAssertGreaterThanOrEqual(try h.report(cycle, "slow1").durationMs, 8_000, "the slow feeds were really slow")
    }
}

/// A TCP server on 127.0.0.1 that writes `greeting` to every connection at once, without reading
/// (a plain-text server where the client expects a TLS handshake), then closes it.
final class GreetingServer: @unchecked Sendable {
    let port: Int
    private let fd: Int32

    init(greeting: String) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else { close(fd); throw LoopbackError.socket("bind/listen: errno \(errno)") }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        port = Int(UInt16(bigEndian: actual.sin_port))
        self.fd = fd
        let listener = fd
        let bytes = Array(greeting.utf8)
        Thread.detachNewThread {
            while true {
                let client = accept(listener, nil, nil)
                if client < 0 { return }
                _ = bytes.withUnsafeBufferPointer { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                shutdown(client, Int32(SHUT_WR))
                usleep(100_000)
                close(client)
            }
        }
    }

    func stop() { shutdown(fd, Int32(SHUT_RDWR)); close(fd) }
}
