import XCTest
import Alerts
import DyadConfig
import DyadCore
import FeedStorage
import Pipeline
import Synchronization
import TestSupport
import Trends

/// The daemon's analysis queue: a poll hands over its stored entries and returns without waiting
/// for analysis; entries a crash (or an overflow, or a dead node) left unanalyzed are found again
/// in storage; whoever gets there first, each entry's analysis is stored and aggregated once.
final class AnalysisQueueTests: XCTestCase {
    var temp: TemporaryDirectory!
    override func setUpWithError() throws { temp = try TemporaryDirectory() }
    override func tearDown() { temp.remove() }

    let feed = FeedIdentity(id: "alpha", outlet: "Alpha News", group: "cn-state", language: "en", dedupRule: nil)
    let t0 = Date(timeIntervalSince1970: 1_641_196_800) // 2022-01-03T08:00:00Z

    /// Counts analyzer calls (computations, not stored results).
    final class Counter: Sendable {
        let calls = Atomic<Int>(0)
        var value: Int { calls.load(ordering: .relaxed) }
        func analyze(_ a: Article) -> ArticleAnalysisResult {
            calls.add(1, ordering: .relaxed)
            return KeywordAnalyzer.analyze(a)
        }
    }

    /// A gate the fake worker waits at: polls must not.
    final class Gate: Sendable {
        let semaphore = DispatchSemaphore(value: 0)
        let entered = DispatchSemaphore(value: 0)
        func pass() { entered.signal(); semaphore.wait() }
        func open(_ n: Int = 64) { for _ in 0..<n { semaphore.signal() } }
    }

    func makeStore() throws -> FeedStore {
        let store = try FeedStore(directory: temp.url)
        try store.register([FeedConfig(id: "alpha", name: "Alpha", url: "https://example.invalid/alpha", outlet: "Alpha News", group: "cn-state")])
        return store
    }

    func makeSink(_ store: FeedStore, _ counter: Counter) throws -> AnalysisSink {
        AnalysisSink(store: try SQLiteAnalysisStore(store.writer), engine: TrendEngine(), analyze: { counter.analyze($0) },
                     delivery: AlertDelivery(logDirectory: temp.url.appendingPathComponent("logs"), hook: nil),
                     trendFiles: nil)
    }

    func makeQueue(_ store: FeedStore, _ sink: AnalysisSink, settings: AnalysisQueue.Settings = .init()) -> AnalysisQueue {
        AnalysisQueue(worker: .sink({ sink }, feeds: store, identity: { [feed] in $0 == feed.id ? feed : nil }),
                      settings: settings, clock: ManualClock(t0.addingTimeInterval(600)))
    }

    func entries(_ range: Range<Int>) -> [FeedEntry] {
        range.map { i in
            FeedEntry(id: "g\(i)", title: "China and Russia pledge cooperation \(i)", link: "https://example.invalid/\(i)",
                      published: t0.addingTimeInterval(-3_600), text: "China and Russia pledge cooperation")
        }
    }

    /// Waits (bounded) until the queue has nothing left to do.
    func drain(_ queue: AnalysisQueue) {
        let done = expectation(description: "analysis queue idle")
        queue.whenIdle { done.fulfill() }
        wait(for: [done], timeout: 20)
    }

    /// Stored analyses and the day's aggregate count of entries.
    func stored(_ sink: AnalysisSink, ids: [Int64]) throws -> (analyses: Int, dayEntries: Int) {
        try sink.store.read { db in
            let analyses = try db.trends.analyzedRevisions(entryIDs: ids).count
            let day = try sink.engine.snapshot(db.trends, now: t0, hoursFrom: .max, daysFrom: 0).daily
                .first { $0.0.scope == Scope.all }?.1.entries ?? 0
            return (analyses, day)
        }
    }

    func testAcceptReturnsWhileAnalysisIsBusy() throws {
        let gate = Gate()
        let processed = Mutex<[Int64]>([])
        let queue = AnalysisQueue(worker: AnalysisQueue.Worker(
            process: { entries, _ in gate.pass(); processed.withLock { $0 += entries.map(\.entryID) } },
            tick: { _ in }, recover: { _, _ in 0 }), clock: ManualClock(t0))
        func accepted(_ id: Int64) -> AcceptedEntry {
            AcceptedEntry(entryID: id, feedID: "alpha", outlet: "Alpha", group: "cn-state", language: "en", dedupKey: "k\(id)",
                          title: "t", link: nil, text: "t", published: nil, firstSeen: t0, isUpdate: false, revision: 1)
        }
        queue.accept([accepted(1)], at: t0)
        XCTAssertEqual(gate.entered.wait(timeout: .now() + 10), .success, "the worker took the first batch")
        // The worker is stuck in analysis: further polls hand over their entries and go on.
        for id in 2...50 { queue.accept([accepted(Int64(id))], at: t0) }
        XCTAssertEqual(queue.counts.pending, 50)
        XCTAssertEqual(processed.withLock { $0 }, [], "nothing finished: every accept above returned while analysis was blocked")
        queue.tick(at: t0)
        gate.open()
        drain(queue)
        XCTAssertEqual(processed.withLock { $0 }, (1...50).map(Int64.init), "analyzed in arrival order")
        XCTAssertEqual(queue.counts.processed, 50)
        XCTAssertEqual(queue.counts.pending, 0)
    }

    func testEntriesQueuedWhenTheProcessDiesAreAnalyzedOnceAtTheNextStart() throws {
        let store = try makeStore()
        let counter = Counter()
        let first = try store.ingest(feed, entries: entries(0..<6), now: t0)
        // The first process: its worker is stuck in analysis when the process dies (nothing written).
        let gate = Gate()
        let dying = AnalysisQueue(worker: AnalysisQueue.Worker(process: { _, _ in gate.pass(); throw CocoaError(.userCancelled) },
                                                               tick: { _ in }, recover: { _, _ in 0 }),
                                  clock: ManualClock(t0))
        dying.accept(first.accepted, at: t0)
        XCTAssertEqual(gate.entered.wait(timeout: .now() + 10), .success)

        // The next start: the first sweep finds the six stored entries without analysis.
        let sink = try makeSink(store, counter)
        let queue = makeQueue(store, sink)
        queue.start()
        drain(queue)
        let ids = first.accepted.map(\.entryID)
        XCTAssertEqual(queue.counts.recovered, 6)
        XCTAssertEqual(counter.value, 6)
        XCTAssertEqual(try stored(sink, ids: ids).analyses, 6)
        XCTAssertEqual(try stored(sink, ids: ids).dayEntries, 6)

        // Handing the same entries over again (a replayed hand-over) and sweeping changes nothing.
        queue.accept(first.accepted, at: t0)
        queue.requestSweep()
        drain(queue)
        XCTAssertEqual(counter.value, 6, "nothing analyzed twice")
        XCTAssertEqual(try stored(sink, ids: ids).dayEntries, 6)
        gate.open()
        _ = dying.stop()
    }

    func testTwoNodesOnOneStateStoreEachAnalysisOnce() throws {
        let store = try makeStore()
        let counter = Counter()
        let batch = try store.ingest(feed, entries: entries(0..<40), now: t0)
        // Two daemons get the same entries at once (one from its poll, the other from a sweep):
        // each computes, but the write transaction re-checks, so each entry is stored once.
        let a = makeQueue(store, try makeSink(store, counter)), b = makeQueue(store, try makeSink(store, counter))
        a.accept(batch.accepted, at: t0)
        b.accept(batch.accepted, at: t0)
        b.requestSweep()
        drain(a); drain(b)
        let sink = try makeSink(store, counter)
        let ids = batch.accepted.map(\.entryID)
        XCTAssertEqual(try stored(sink, ids: ids).analyses, 40)
        XCTAssertEqual(try stored(sink, ids: ids).dayEntries, 40, "each entry aggregated once")
        XCTAssertEqual(a.counts.processed + b.counts.processed, 80)
    }

    func testAnOverflowLeavesEntriesToTheSweepNotToMemory() throws {
        let store = try makeStore()
        let counter = Counter()
        let sink = try makeSink(store, counter)
        var settings = AnalysisQueue.Settings()
        settings.limit = 10
        // The worker is held in its first batch while 30 entries arrive in batches of 5.
        var ids: [Int64] = []
        let gate = Gate()
        let feed = self.feed
        let slow = AnalysisQueue(worker: AnalysisQueue.Worker(
            process: { e, now in gate.pass(); _ = try sink.process(e, at: now) }, tick: { _ in },
            recover: { now, select in try sink.recoverUnanalyzed(from: store, identity: { $0 == feed.id ? feed : nil },
                                                                 at: now, select: select) }),
            settings: settings, clock: ManualClock(t0))
        for k in 0..<6 {
            let r = try store.ingest(feed, entries: entries(k * 5..<(k + 1) * 5), now: t0)
            ids += r.accepted.map(\.entryID)
            slow.accept(r.accepted, at: t0)
            if k == 0 { XCTAssertEqual(gate.entered.wait(timeout: .now() + 10), .success) }
        }
        XCTAssertLessThanOrEqual(slow.counts.pending, 10, "memory holds at most the limit")
        XCTAssertGreaterThan(slow.counts.overflowed, 0)
        gate.open(100)
        drain(slow)
        XCTAssertEqual(try stored(sink, ids: ids).analyses, 30, "the overflow was analyzed from storage")
        XCTAssertEqual(counter.value, 30, "and nothing twice")
        XCTAssertEqual(try stored(sink, ids: ids).dayEntries, 30)
    }

    func testTheStaleSweepTakesOnlyEntriesLeftUnanalyzedSinceTheLastSweep() throws {
        let store = try makeStore()
        let counter = Counter()
        let sink = try makeSink(store, counter)
        var settings = AnalysisQueue.Settings()
        settings.staleSweepInterval = 3_600   // driven by hand below
        let queue = makeQueue(store, sink, settings: settings)
        // Stored by another node that died before analyzing them.
        let orphans = try store.ingest(feed, entries: entries(0..<3), now: t0)
        queue.requestStaleSweep()
        drain(queue)
        XCTAssertEqual(counter.value, 0, "first sighting: maybe still in the other node's queue")
        let fresh = try store.ingest(feed, entries: entries(3..<5), now: t0)
        queue.requestStaleSweep()
        drain(queue)
        XCTAssertEqual(try stored(sink, ids: orphans.accepted.map(\.entryID)).analyses, 3, "seen twice: taken")
        XCTAssertEqual(try stored(sink, ids: fresh.accepted.map(\.entryID)).analyses, 0, "seen once: left")
        queue.requestStaleSweep()
        drain(queue)
        XCTAssertEqual(counter.value, 5)
        _ = queue.stop()
    }

    func testStopLeavesQueuedEntriesInStorage() throws {
        let gate = Gate()
        let queue = AnalysisQueue(worker: AnalysisQueue.Worker(process: { _, _ in gate.pass() }, tick: { _ in },
                                                               recover: { _, _ in 0 }), clock: ManualClock(t0))
        func accepted(_ id: Int64) -> AcceptedEntry {
            AcceptedEntry(entryID: id, feedID: "alpha", outlet: "Alpha", group: "cn-state", language: "en", dedupKey: "k\(id)",
                          title: "t", link: nil, text: "t", published: nil, firstSeen: t0, isUpdate: false, revision: 1)
        }
        queue.accept([accepted(1)], at: t0)
        XCTAssertEqual(gate.entered.wait(timeout: .now() + 10), .success)
        queue.accept([accepted(2), accepted(3)], at: t0)
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { gate.open() }
        XCTAssertEqual(queue.stop(), 3, "the batch in progress and the queued entries are left for the next start's sweep")
        queue.accept([accepted(4)], at: t0)
        XCTAssertEqual(queue.counts.pending, 0, "a stopped queue takes nothing")
    }
}
