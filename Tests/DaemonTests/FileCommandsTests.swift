import Foundation
import TestSupport
import XCTest

/// `dyadwatch parse` and `extract` share one file loop (`FileBatch`): every file gets its output
/// in input order, an unreadable one a `cannot read file` problem, and the exit status is 1.
final class FileCommandsTests: XCTestCase {
    var dir: TemporaryDirectory!

    override func setUpWithError() throws { dir = try TemporaryDirectory(prefix: "dyadwatch-files") }
    override func tearDown() { dir.remove() }

    private func run(_ arguments: [String]) throws -> (status: Int32, lines: [String]) {
        let run = try BinaryRun.run(arguments)
        return (run.status, run.stdout.split(separator: "\n").map(String.init))
    }

    private func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let url = dir.url.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    func testParseKeepsOrderAndReportsUnreadableFiles() throws {
        let feed = try write("a.xml", Array("<rss><channel><title>T</title><item><title>x</title></item></channel></rss>".utf8))
        let missing = dir.url.appendingPathComponent("missing.xml").path
        let result = try run(["parse", "--jsonl", feed, missing, dir.url.path])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.lines.count, 3)
        XCTAssertTrue(result.lines[0].contains("\"format\":\"rss2.0\""), result.lines[0])
        XCTAssertTrue(result.lines[1].contains("cannot read file: no such file"), result.lines[1])
        XCTAssertTrue(result.lines[2].contains("cannot read file: is a directory"), result.lines[2])
    }

    func testExtractReportsABadGzipAsUnreadable() throws {
        let page = try write("p.html", Array("<html><body><article><p>\(String(repeating: "Word ", count: 60))</p></article></body></html>".utf8))
        let bad = try write("bad.html.gz", [0x1F, 0x8B, 0x08, 0x00, 0x01, 0x02])
        let result = try run(["extract", "--jsonl", page, bad])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.lines.count, 2)
        XCTAssertTrue(result.lines[0].contains("\"verdict\":\"extracted\""), result.lines[0])
        XCTAssertTrue(result.lines[1].contains("cannot read file: "), result.lines[1])
        XCTAssertFalse(result.lines[1].contains("no such file"), "the gzip failure is named, not a file-system reason")
    }
}
