import Alerts
import DyadConfig
import DyadCore
import FeedStorage
import Foundation
import XCTest

/// The page queue of full-text feeds and the entry listing of `articles`, the same on every backend.
extension StorageConformance {
    static let herald = FeedConfig(id: "herald", name: "Herald", url: "https://example.invalid/herald", outlet: "Herald", group: "western")
    static func heraldIdentity(backlog: Int, limit: Int) -> FeedIdentity {
        var identity = FeedIdentity(herald)
        identity.pages = PageRequestLimits(firstPollBacklog: backlog, queueLimit: limit)
        return identity
    }

    static func dated(_ guid: String, hoursAgo: Double, link: Bool = true) -> FeedEntry {
        FeedEntry(id: guid, title: "Story \(guid)", link: link ? "https://example.invalid/story/\(guid)" : nil,
                  published: t0.addingTimeInterval(-hoursAgo * 3_600), text: "Feed text of \(guid).")
    }

    /// Admission (first-poll backlog, queue limit, links), the queue's order, recording outcomes
    /// once, the extracted text beside the feed text, and the counts `status` shows.
    public static func pageQueue(_ s: StorageUnderTest, file: StaticString = #filePath, line: UInt = #line) throws {
        let identity = heraldIdentity(backlog: 2, limit: 3)
        var st = try XCTUnwrap(try s.feeds.register([herald]).first)
        st.lastStatus = 200
        // First poll: only the newest two (by date, whatever the document order) are queued.
        let first = try s.feeds.commitPoll(identity, state: st, entries: [dated("a", hoursAgo: 5), dated("b", hoursAgo: 1),
                                                                           dated("c", hoursAgo: 9), dated("d", hoursAgo: 2)], now: t0)
        XCTAssertEqual(first.newCount, 4, file: file, line: line)
        var stored = try s.feeds.entries(of: "herald")
        XCTAssertEqual(stored.map(\.fulltextStatus), [nil, "pending", nil, "pending"], file: file, line: line)
        // Later polls: every new entry, while there is room (3 pending at most); no link: bad_scheme.
        let second = try s.feeds.commitPoll(identity, state: st, entries: [dated("e", hoursAgo: 0.5, link: false), dated("f", hoursAgo: 0.4),
                                                                            dated("g", hoursAgo: 0.3), dated("h", hoursAgo: 0.2)], now: t0)
        XCTAssertEqual(second.queueFullCount, 2, file: file, line: line)
        stored = try s.feeds.entries(of: "herald")
        XCTAssertEqual(stored.suffix(4).map(\.fulltextStatus), ["bad_scheme", "pending", "queue_full", "queue_full"], file: file, line: line)
        // Other feeds never queue.
        try s.feeds.register([feed])
        _ = try s.feeds.commitPoll(StorageConformance.identity, state: try XCTUnwrap(try s.feeds.state(of: "alpha")), entries: [entry("x", "X")], now: t0)
        XCTAssertNil(try s.feeds.entries(of: "alpha").first?.fulltextStatus, file: file, line: line)

        let jobs = try s.feeds.pendingPages(limit: 10)
        XCTAssertEqual(jobs.map(\.entryID), [stored[1].id!, stored[3].id!, stored[5].id!], "oldest entry first", file: file, line: line)
        XCTAssertEqual(jobs[0], PageJob(entryID: stored[1].id!, feedID: "herald", link: "https://example.invalid/story/b"), file: file, line: line)
        XCTAssertEqual(try s.feeds.pendingPages(limit: 1, excluding: [jobs[0].entryID]).map(\.entryID), [jobs[1].entryID], file: file, line: line)

        // Extracted: the feed text stays, the page's is added, the revision goes up, analysis again.
        XCTAssertTrue(try s.feeds.claimPage(jobs[0], seconds: 60), file: file, line: line)
        let t1 = t0.addingTimeInterval(60)
        let update = try XCTUnwrap(try s.feeds.recordPage(jobs[0], status: .extracted, text: "The page's main text.", feed: identity, now: t1),
                                   file: file, line: line)
        XCTAssertTrue(update.isUpdate, file: file, line: line)
        XCTAssertEqual(update.revision, 2, file: file, line: line)
        XCTAssertEqual(update.text, "The page's main text.", file: file, line: line)
        XCTAssertNil(try s.feeds.recordPage(jobs[0], status: .timeout, text: nil, feed: identity, now: t1), "decided once", file: file, line: line)
        XCTAssertNil(try s.feeds.recordPage(jobs[1], status: .tooShort, text: "short", feed: identity, now: t1), "nothing to analyze again",
                     file: file, line: line)
        let after = try s.feeds.entries(ids: [jobs[0].entryID, jobs[1].entryID])
        XCTAssertEqual(after[0].text, "Feed text of b.", file: file, line: line)
        XCTAssertEqual(after[0].fulltext, "The page's main text.", file: file, line: line)
        XCTAssertEqual(after[0].fulltextStatus, "extracted", file: file, line: line)
        XCTAssertEqual(after[0].fulltextAt, t1, file: file, line: line)
        XCTAssertEqual(after[0].revision, 2, file: file, line: line)
        XCTAssertNil(after[1].fulltext, file: file, line: line)
        XCTAssertEqual(after[1].revision, 1, file: file, line: line)
        XCTAssertEqual(try s.feeds.pendingPages(limit: 10).map(\.entryID), [jobs[2].entryID], file: file, line: line)

        let counts = try s.feeds.fulltextCounts()
        XCTAssertEqual(counts.byStatus, [.extracted: 1, .tooShort: 1, .pending: 1, .queueFull: 2, .badScheme: 1], file: file, line: line)
        XCTAssertEqual([counts.fetched, counts.failed, counts.total], [2, 3, 6], file: file, line: line)

        // A later change of the feed's text keeps the page's text.
        let changed = FeedEntry(id: "b", title: "Story b, updated", link: "https://example.invalid/story/b",
                                published: t0.addingTimeInterval(-3_600), text: "New feed text of b.")
        let third = try s.feeds.commitPoll(identity, state: st, entries: [changed], now: t1)
        XCTAssertEqual(third.accepted.first?.text, "The page's main text.", file: file, line: line)
        XCTAssertEqual(try s.feeds.entries(ids: [jobs[0].entryID]).first?.fulltext, "The page's main text.", file: file, line: line)
        // A restarted process sees the same queue.
        XCTAssertEqual(try s.reopen().feeds.pendingPages(limit: 10), [jobs[2]], file: file, line: line)
    }

    /// `articles`' listing: the window by publication (else first sight), newest first with ties
    /// by id, one feed or all, a page at a time without gaps or repeats.
    public static func entryWindow(_ s: StorageUnderTest, file: StaticString = #filePath, line: UInt = #line) throws {
        let alpha = try XCTUnwrap(try s.feeds.register([feed, herald]).first)
        let beta = try XCTUnwrap(try s.feeds.state(of: "herald"))
        let same = t0.addingTimeInterval(-7_200)
        let alphaEntries = [entry("a1", "A1", published: same), entry("a2", "A2", published: same),
                            entry("a3", "A3", published: t0.addingTimeInterval(-100 * 86_400)),
                            FeedEntry(id: "a4", title: "A4 undated", text: "t")]  // undated: its first sight, t0
        _ = try s.feeds.commitPoll(identity, state: alpha, entries: alphaEntries, now: t0)
        _ = try s.feeds.commitPoll(FeedIdentity(herald), state: beta,
                                   entries: [entry("b1", "B1", published: same), entry("b2", "B2", published: t0.addingTimeInterval(-60))], now: t0)
        let ids = Dictionary(try (s.feeds.entries(of: "alpha") + s.feeds.entries(of: "herald")).map { ($0.title, $0.id!) },
                             uniquingKeysWith: { a, _ in a })
        func list(_ window: EntryWindow, pageSize: Int) throws -> [String] {
            var titles: [String] = []
            var after: EntryPosition? = nil
            var pages = 0
            repeat {
                let page = try s.feeds.entries(in: window, after: after, limit: pageSize)
                XCTAssertLessThanOrEqual(page.entries.count, pageSize, file: file, line: line)
                titles += page.entries.map(\.title)
                after = page.next
                pages += 1
            } while after != nil && pages < 100
            return titles
        }
        let window = EntryWindow(from: t0.addingTimeInterval(-30 * 86_400), to: t0.addingTimeInterval(1))
        let expected = ["A4 undated", "B2"] + ["A1", "A2", "B1"].sorted { ids[$0]! > ids[$1]! }
        XCTAssertEqual(try list(window, pageSize: 100), expected, file: file, line: line)
        for size in [1, 2, 3] { XCTAssertEqual(try list(window, pageSize: size), expected, "pages of \(size)", file: file, line: line) }
        var alphaOnly = window
        alphaOnly.feedID = "alpha"
        XCTAssertEqual(try list(alphaOnly, pageSize: 1), expected.filter { $0.hasPrefix("A") }, file: file, line: line)
        XCTAssertEqual(try list(EntryWindow(from: same, to: t0), pageSize: 2), expected.filter { $0 != "A4 undated" },
                       "from inclusive, to exclusive", file: file, line: line)
        XCTAssertEqual(try s.feeds.entries(in: EntryWindow(from: t0.addingTimeInterval(10), to: t0.addingTimeInterval(20)), after: nil, limit: 5).entries,
                       [], file: file, line: line)
    }
}
