import FeedStorage
import Foundation
import XCTest

extension StorageConformance {
    /// The analysis sweep's reads: `unanalyzedEntries` lists only entries not marked analyzed at
    /// their revision, by id in bounded pages; a mark is never lowered; a changed entry (a new
    /// revision) is listed again; marks survive a restart; the query reads the partial index.
    public static func unanalyzedSweep(_ s: StorageUnderTest, file: StaticString = #filePath, line: UInt = #line) throws {
        _ = try s.feeds.register([feed])
        let count = 1_200
        let entries = (0..<count).map { entry("e\($0)", "Entry \($0)", published: t0.addingTimeInterval(Double($0))) }
        XCTAssertEqual(try s.feeds.ingest(identity, entries: entries, now: t0).newCount, count, file: file, line: line)
        let all = try s.feeds.entryRevisions(after: 0, limit: count + 1)

        func sweep(pageSize: Int) throws -> [[EntryRevision]] {
            var pages: [[EntryRevision]] = [], after: Int64 = 0
            while true {
                let page = try s.feeds.unanalyzedEntries(after: after, limit: pageSize)
                guard let last = page.last else { return pages }
                XCTAssertLessThanOrEqual(page.count, pageSize, file: file, line: line)
                pages.append(page); after = last.id
            }
        }
        // Nothing marked yet: every entry, in pages of at most 500, ascending, none twice.
        let fresh = try sweep(pageSize: 500)
        XCTAssertEqual(fresh.map(\.count), [500, 500, 200], file: file, line: line)
        XCTAssertEqual(fresh.flatMap { $0 }, all, file: file, line: line)

        // All but every 100th analyzed: only those 12 are listed, in pages of 5.
        let left = all.enumerated().filter { $0.offset % 100 == 0 }.map(\.element)
        try s.feeds.markAnalyzed(all.enumerated().filter { $0.offset % 100 != 0 }.map(\.element))
        let pages = try sweep(pageSize: 5)
        XCTAssertEqual(pages.map(\.count), [5, 5, 2], file: file, line: line)
        XCTAssertEqual(pages.flatMap { $0 }, left, file: file, line: line)

        // A changed entry is a candidate again until marked at its new revision; a stale mark
        // (an older revision) neither lowers the mark nor clears the candidate.
        let changed = try XCTUnwrap(try s.feeds.ingest(identity, entries: [entry("e1", "Entry 1, changed", published: t0.addingTimeInterval(1))],
                                                       now: t0.addingTimeInterval(60)).accepted.first, file: file, line: line)
        XCTAssertEqual(changed.revision, 2, file: file, line: line)
        XCTAssertEqual(try sweep(pageSize: 500).flatMap { $0 }.map(\.id), (left.map(\.id) + [changed.entryID]).sorted(), file: file, line: line)
        try s.feeds.markAnalyzed([EntryRevision(id: changed.entryID, revision: 1)])
        XCTAssertTrue(try s.feeds.unanalyzedEntries(after: 0, limit: 500).contains(EntryRevision(id: changed.entryID, revision: 2)), file: file, line: line)
        try s.feeds.markAnalyzed([EntryRevision(id: changed.entryID, revision: 2), EntryRevision(id: left[0].id, revision: 1)])
        try s.feeds.markAnalyzed([EntryRevision(id: left[0].id, revision: 0)])
        XCTAssertEqual(try sweep(pageSize: 500).flatMap { $0 }, Array(left.dropFirst()), file: file, line: line)

        // Marks are stored state: another process sees the same candidates.
        XCTAssertEqual(try s.reopen().feeds.unanalyzedEntries(after: 0, limit: 500), Array(left.dropFirst()), file: file, line: line)

        // The sweep's query reads the partial index of unanalyzed entries, not the table.
        let plan = try XCTUnwrap(s.sweepPlan, "\(s.name) shows no plan", file: file, line: line)()
        XCTAssertTrue(plan.contains("entries_unanalyzed"), "\(s.name) plan: \(plan)", file: file, line: line)
        XCTAssertFalse(plan.contains("Seq Scan"), "\(s.name) plan: \(plan)", file: file, line: line)
    }
}
