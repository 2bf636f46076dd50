import XCTest
import DyadCore
@testable import FeedParsing

/// Runs the parser over the evaluation data in ../shared (skipped visibly when absent).
final class SharedCorpusTests: XCTestCase {
    private struct Index: Decodable {
        struct Outlet: Decodable { let snapshots: [Snapshot] }
        struct Snapshot: Decodable { let file: String; let items: Int }
        let outlets: [String: Outlet]
    }

    /// Every headlines-2022 snapshot parses well-formed with the item count its index records.
    func testHeadlinesCorpusParsesWithExactItemCounts() throws {
        guard let shared = Fixture.shared else { throw XCTSkip("../shared not present") }
        let feeds = shared.appendingPathComponent("corpus/headlines-2022/feeds")
        let index = try JSONDecoder().decode(Index.self, from: Data(contentsOf: feeds.appendingPathComponent("index.json")))
        let parser = FeedParser()
        var checked = 0
        for (outlet, info) in index.outlets {
            for snap in info.snapshots {
                let f = parser.parse(try Data(contentsOf: feeds.appendingPathComponent(snap.file)))
                XCTAssertTrue(f.wellFormed, "\(snap.file): \(f.problems)")
                XCTAssertEqual(f.format, .rss20, snap.file)
                XCTAssertEqual(f.entries.count, snap.items, "\(outlet) \(snap.file)")
                XCTAssertTrue(f.entries.allSatisfy { $0.title != nil && $0.published != nil }, snap.file)
                checked += 1
            }
        }
        let onDisk = try FileManager.default.subpathsOfDirectory(atPath: feeds.path).filter { $0.hasSuffix(".xml") }.count
        XCTAssertEqual(checked, onDisk, "index.json and the files on disk disagree")
    }

    /// feedparser's test cases: none may crash or hang, and well-formed ones must come out well-formed.
    func testFeedparserCasesAllParse() throws {
        guard let shared = Fixture.shared else { throw XCTSkip("../shared not present") }
        let cases = shared.appendingPathComponent("eval/feedparser-cases")
        let files = try FileManager.default.subpathsOfDirectory(atPath: cases.path).filter { $0.hasSuffix(".xml") }.sorted()
        XCTAssertGreaterThan(files.count, 100)
        let parser = FeedParser()
        var wellformedTotal = 0, wellformedOK = 0
        for file in files {
            let f = parser.parse(try Data(contentsOf: cases.appendingPathComponent(file)))
            if file.hasPrefix("wellformed/") {
                wellformedTotal += 1
                if f.wellFormed { wellformedOK += 1 }
            }
        }
        XCTAssertGreaterThanOrEqual(Double(wellformedOK) / Double(max(1, wellformedTotal)), 0.95)
    }
}
