import DyadConfig
import DyadCore
import FeedStorage
import Logging
import Foundation
import Pipeline
import TestSupport
import XCTest

/// One poll cycle end to end against a loopback server: what is stored, scheduled and reported.
final class PollTests: XCTestCase {
    var h: PollHarness!
    override func setUpWithError() throws { h = try PollHarness() }
    override func tearDown() { h = nil }

    func testFirstPollStoresEntriesAndA304PollYieldsNothing() throws {
        let doc = RSSFixture.document(items: PollHarness.items(3))
        h.routes.set("/a") { request in
            request.headers["if-none-match"] == "\"v1\"" ? .status(304) : .ok(doc, headers: [("ETag", "\"v1\"")])
        }
        try h.configure([("a", "/a", "")])
        let first = try h.report(try h.pollAll(), "a")
        XCTAssertEqual(first.result, .fetched)
        XCTAssertEqual(first.newCount, 3)
        XCTAssertEqual(h.sink.all.count, 3)
        XCTAssertEqual(Set(h.sink.all.map(\.feedID)), ["a"])
        XCTAssertEqual(try h.state("a").etag, "\"v1\"")

        let second = try h.report(try h.pollAll(), "a")
        XCTAssertEqual(second.result, .notModified)
        XCTAssertEqual(second.status, 304)
        XCTAssertEqual(second.newCount, 0)
        XCTAssertEqual(h.sink.all.count, 3, "nothing handed on after a 304")
        XCTAssertEqual(h.server.requests(to: "/a").last?.headers["if-none-match"], "\"v1\"")
    }

    func testUnchangedFeedServedInFullYieldsZeroNew() throws {
        h.routes.set("/a", .ok(RSSFixture.document(items: PollHarness.items(4))))
        try h.configure([("a", "/a", "")])
        XCTAssertEqual(try h.report(try h.pollAll(), "a").newCount, 4)
        let second = try h.report(try h.pollAll(), "a")
        XCTAssertEqual(second.result, .fetched)
        XCTAssertEqual(second.newCount, 0)
        XCTAssertEqual(second.updatedCount, 0)
        XCTAssertEqual(try h.store.entryCount(of: "a"), 4)
    }

    func testRestartOnTheSameStateDirectoryYieldsZeroNew() throws {
        h.routes.set("/a", .ok(RSSFixture.document(items: PollHarness.items(5))))
        try h.configure([("a", "/a", "")])
        XCTAssertEqual(try h.report(try h.pollAll(), "a").newCount, 5)
        try h.reopenStore()
        let after = try h.report(try h.pollAll(), "a")
        XCTAssertEqual(after.newCount, 0)
        XCTAssertEqual(try h.store.entryCount(), 5)
    }

    func testChangedItemIsAnUpdateNotANewEntry() throws {
        h.routes.set("/a", .ok(RSSFixture.document(items: PollHarness.items(3))))
        try h.configure([("a", "/a", "")])
        _ = try h.pollAll()
        var items = PollHarness.items(3)
        items[0].description = "Body of story 1, with a correction."
        h.routes.set("/a", .ok(RSSFixture.document(items: items)))
        let report = try h.report(try h.pollAll(), "a")
        XCTAssertEqual(report.newCount, 0)
        XCTAssertEqual(report.updatedCount, 1)
        let last = try XCTUnwrap(h.sink.all.last)
        XCTAssertTrue(last.isUpdate)
        XCTAssertEqual(last.dedupKey, "id:urn:test:1")
        XCTAssertEqual(try h.store.entryCount(), 3)
    }

    func testPermanentRedirectMovesTheStoredURL() throws {
        h.routes.set("/old", .redirect(301, to: "/mid"))
        h.routes.set("/mid", .redirect(308, to: "/new"))
        h.routes.set("/new", .ok(RSSFixture.document(items: PollHarness.items(1))))
        try h.configure([("a", "/old", "")])
        let report = try h.report(try h.pollAll(), "a")
        XCTAssertEqual(report.movedTo, h.server.url("/new"))
        XCTAssertEqual(try h.state("a").url, h.server.url("/new"))
        _ = try h.pollAll()
        XCTAssertEqual(h.server.requests(to: "/old").count, 1, "the second poll goes straight to the new URL")
        XCTAssertEqual(h.server.requests(to: "/new").count, 2)
    }

    func testTemporaryRedirectKeepsTheStoredURL() throws {
        h.routes.set("/a", .redirect(302, to: "/b"))
        h.routes.set("/b", .redirect(307, to: "/c"))
        h.routes.set("/c", .ok(RSSFixture.document(items: PollHarness.items(1))))
        try h.configure([("a", "/a", "")])
        let report = try h.report(try h.pollAll(), "a")
        XCTAssertEqual(report.result, .fetched)
        XCTAssertNil(report.movedTo)
        XCTAssertEqual(try h.state("a").url, h.server.url("/a"))
        _ = try h.pollAll()
        XCTAssertEqual(h.server.requests(to: "/a").count, 2)
    }

    func testGoneDisablesTheFeedWithAReason() throws {
        h.routes.set("/gone", .status(410))
        h.routes.set("/ok", .ok(RSSFixture.document(items: PollHarness.items(1))))
        try h.configure([("gone", "/gone", ""), ("ok", "/ok", "")])
        let report = try h.report(try h.pollAll(), "gone")
        XCTAssertEqual(report.result, .disabled)
        let state = try h.state("gone")
        XCTAssertNotNil(state.disabledReason)
        XCTAssertTrue(state.disabledReason?.contains("410") ?? false)
        XCTAssertNil(state.nextDue)
        let again = try h.pollAll()
        XCTAssertNil(again.feeds.first { $0.feedID == "gone" }, "a gone feed is not polled, even with --all")
        XCTAssertEqual(h.server.requests(to: "/gone").count, 1)

        // Editing its URL in feeds.conf brings it back.
        h.routes.set("/gone2", .ok(RSSFixture.document(items: PollHarness.items(1))))
        try h.configure([("gone", "/gone2", ""), ("ok", "/ok", "")])
        XCTAssertEqual(try h.report(try h.pollAll(), "gone").result, .fetched)
    }

    func testTooManyRequestsHonoursRetryAfter() throws {
        h.routes.set("/busy", .status(429, headers: [("Retry-After", "5400")]))
        h.routes.set("/unavailable", .status(503, headers: [("Retry-After", "600")]))
        try h.configure([("busy", "/busy", ""), ("unavailable", "/unavailable", "")])
        _ = try h.pollAll()
        let busy = try h.state("busy")
        XCTAssertEqual(busy.nextDue, PollHarness.start + 5_400)
        XCTAssertEqual(busy.consecutiveFailures, 1)
        XCTAssertEqual(busy.lastError, "HTTP 429")
        XCTAssertEqual(busy.lastStatus, 429)
        XCTAssertEqual(busy.nextDueReason, "retry-after")
        // A Retry-After shorter than the backoff is a lower bound, not an invitation: the backoff wins.
        let unavailable = try h.state("unavailable")
        XCTAssertEqual(unavailable.nextDue, PollHarness.start + 1_800)
        XCTAssertEqual(unavailable.nextDueReason, "backoff")
    }

    func testServerErrorsBackOffExponentiallyAndAreVisible() throws {
        h.routes.set("/err", .status(500))
        try h.configure([("err", "/err", "")])
        let poller = h.poller(random: 0)
        _ = try poller.pollOnce()
        XCTAssertEqual(try h.state("err").nextDue, PollHarness.start + 1_800)
        h.clock.set(PollHarness.start + 1_800)
        _ = try poller.pollOnce()
        var state = try h.state("err")
        XCTAssertEqual(state.consecutiveFailures, 2)
        XCTAssertEqual(state.nextDue, PollHarness.start + 1_800 + 3_600)
        h.clock.set(PollHarness.start + 5_400)
        _ = try poller.pollOnce()
        state = try h.state("err")
        XCTAssertEqual(state.consecutiveFailures, 3)
        XCTAssertEqual(state.nextDue, PollHarness.start + 5_400 + 7_200)
        XCTAssertEqual(state.lastError, "HTTP 500")

        h.routes.set("/err", .ok(RSSFixture.document(items: PollHarness.items(1))))
        h.clock.set(PollHarness.start + 12_600)
        _ = try poller.pollOnce()
        state = try h.state("err")
        XCTAssertEqual(state.consecutiveFailures, 0, "a success resets the failure count")
        XCTAssertNil(state.lastError)
    }

    func testHTMLInsteadOfAFeedAndEmptyBodyAreFailures() throws {
        h.routes.set("/html", .ok("<!DOCTYPE html><html><head><title>Login</title></head><body><p>Please sign in</p></body></html>",
                                  contentType: "text/html", headers: [("ETag", "\"page\"")]))
        h.routes.set("/empty", .ok("", headers: [("ETag", "\"e\"")]))
        try h.configure([("html", "/html", ""), ("empty", "/empty", "")])
        let cycle = try h.pollAll()
        let html = try h.report(cycle, "html")
        XCTAssertEqual(html.result, .failed)
        XCTAssertTrue(html.error?.contains("HTML") ?? false, html.error ?? "")
        let empty = try h.report(cycle, "empty")
        XCTAssertEqual(empty.result, .failed)
        XCTAssertEqual(empty.error, "empty body")
        XCTAssertEqual(try h.store.entryCount(), 0)
        XCTAssertNil(try h.state("html").etag, "validators of a non-feed are not kept")
        XCTAssertEqual(try h.state("empty").consecutiveFailures, 1)
    }

    func testTransportFailuresAreRecordedAndDoNotStopOthers() throws {
        let refused = try RefusedPort.make()
        h.routes.set("/ok", .ok(RSSFixture.document(items: PollHarness.items(2))))
        h.routes.set("/404", .status(404))
        h.routes.set("/bomb", .encoded(Gzip.gzipBomb(decompressedSize: 4 << 20), encoding: "gzip"))
        h.routes.set("/big", .ok(String(repeating: "x", count: 300 << 10)))
        h.routes.set("/drip", .drip(String(repeating: "x", count: 5_000), chunkSize: 5, interval: 0.1))
        h.routes.set("/file", .redirect(302, to: "file:///etc/passwd"))
        h.routes.set("/loop", .redirect(301, to: "/loop2"))
        h.routes.set("/loop2", .redirect(301, to: "/loop"))
        try h.configure([
            ("ok", "/ok", ""), ("refused", "http://127.0.0.1:\(refused)/feed", ""), ("notfound", "/404", ""),
            ("bomb", "/bomb", ""), ("big", "/big", ""), ("drip", "/drip", ""), ("file", "/file", ""), ("loop", "/loop", ""),
        ])
        let cycle = try h.pollAll()
        XCTAssertEqual(try h.report(cycle, "ok").newCount, 2)
        let expectations: [(String, String)] = [
            ("refused", "connection failed"), ("notfound", "HTTP 404"), ("bomb", "larger than 262144"),
            ("big", "larger than 262144"), ("drip", "stalled"), ("file", "non-http(s)"), ("loop", "redirect loop"),
        ]
        for (id, fragment) in expectations {
            let report = try h.report(cycle, id)
            XCTAssertEqual(report.result, .failed, id)
            XCTAssertTrue(report.error?.contains(fragment) ?? false, "\(id): \(report.error ?? "nil")")
            let state = try h.state(id)
            XCTAssertEqual(state.consecutiveFailures, 1, id)
            XCTAssertEqual(state.lastError, report.error, id)
            XCTAssertNotNil(state.nextDue, id)
        }
        XCTAssertEqual(try h.state("loop").url, h.server.url("/loop"), "a failed chain does not move the feed")
    }

    func testGzipFeedIsStored() throws {
        h.routes.set("/gz", .gzip(RSSFixture.document(items: PollHarness.items(2))))
        try h.configure([("gz", "/gz", "")])
        XCTAssertEqual(try h.report(try h.pollAll(), "gz").newCount, 2)
    }

    func testOnlyDueFeedsArePolledAndTTLIsAFloor() throws {
        h.routes.set("/a", .ok(RSSFixture.document(items: PollHarness.items(1))))
        h.routes.set("/slow", .ok(RSSFixture.document(ttlMinutes: 180, items: PollHarness.items(1))))
        h.routes.set("/cached", .ok(RSSFixture.document(items: PollHarness.items(1)), headers: [("Cache-Control", "max-age=7200")]))
        try h.configure([("a", "/a", ""), ("slow", "/slow", ""), ("cached", "/cached", ""), ("off", "/off", "enabled = false")])
        let poller = h.poller(random: 0)
        let first = try poller.pollOnce()
        XCTAssertEqual(Set(first.feeds.map(\.feedID)), ["a", "slow", "cached"], "never-polled feeds are due; disabled ones never")
        XCTAssertEqual(try h.state("a").nextDue, PollHarness.start + 1_800)
        XCTAssertEqual(try h.state("slow").nextDue, PollHarness.start + 3 * 3_600, "<ttl> raises the interval")
        XCTAssertEqual(try h.state("cached").nextDue, PollHarness.start + 7_200, "max-age raises the interval")
        XCTAssertEqual(try poller.pollOnce().feeds.count, 0, "nothing is due yet")
        h.clock.set(PollHarness.start + 1_800)
        XCTAssertEqual(try poller.pollOnce().feeds.map(\.feedID), ["a"])
        XCTAssertEqual(try poller.nextDueDate(), PollHarness.start + 3_600, "the earliest next poll: a, again")
    }

    func testStaleFeedIsFlagged() throws {
        h.routes.set("/old", .ok(RSSFixture.document(items: PollHarness.items(2, daysOld: 30))))
        h.routes.set("/fresh", .ok(RSSFixture.document(items: PollHarness.items(2))))
        h.routes.set("/old2", .ok(RSSFixture.document(items: PollHarness.items(2, daysOld: 30))))
        try h.configure([("old", "/old", ""), ("fresh", "/fresh", ""), ("lenient", "/old2", "stale_after = \"60d\"")])
        let cycle = try h.pollAll()
        XCTAssertTrue(try h.report(cycle, "old").stale)
        XCTAssertTrue(try h.report(cycle, "old").line().contains("STALE"))
        XCTAssertFalse(try h.report(cycle, "fresh").stale)
        XCTAssertFalse(try h.report(cycle, "lenient").stale, "per-feed stale_after")
    }
}

/// The sink runs after the commit: its failure is reported, the entries stay stored.
final class SinkFailureTests: XCTestCase {
    struct FailingSink: EntrySink {
        struct Broken: Error {}
        func accept(_ entries: [AcceptedEntry], at now: Date) throws { throw Broken() }
    }

    func testSinkFailureIsReportedAndEntriesStayStored() throws {
        let h = try PollHarness()
        h.routes.set("/a", .ok(RSSFixture.document(items: PollHarness.items(2))))
        try h.configure([("a", "/a", "")])
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        let poller = FeedPoller(configuration: h.configuration, store: h.store, sink: FailingSink(), clock: h.clock,
                                logger: quiet, random: { 0 })
        let report = try h.report(try poller.pollOnce(all: true), "a")
        XCTAssertEqual(report.newCount, 2)
        XCTAssertTrue(report.error?.contains("analysis") ?? false)
        XCTAssertEqual(try h.store.entryCount(of: "a"), 2)
    }
}
