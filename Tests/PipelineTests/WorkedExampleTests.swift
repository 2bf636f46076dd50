import Foundation
import TestSupport
import XCTest

/// The worked example of issue 14 (`WorkedExample/`, written by `make_example.py`): three outlets
/// in two groups, 19 daily snapshots and an archive of 95 saved article pages whose bodies carry
/// the stance (the feed items carry a neutral one-line summary). The Western outlets turn critical
/// on 2022-03-15. `dyadwatch replay --pages` (a separate process, as a user runs it) must raise a
/// `stance_shift` alert for `group:western` for 2022-03-15 or 03-16, nothing before, and quote
/// body sentences of the pages as evidence.
final class WorkedExampleTests: XCTestCase {
    static let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("WorkedExample")
    static let turn = "2022-03-15"

    func alerts(_ out: URL) throws -> [[String: Any]] {
        let text = try String(contentsOf: out.appendingPathComponent("logs/alerts.jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    /// Text of the `<p>` body paragraphs of every page in the archive (plain and gzipped), and the headlines.
    func archive() throws -> (paragraphs: [String], headlines: Set<String>) {
        let pages = Self.example.appendingPathComponent("pages")
        var paragraphs: [String] = [], headlines = Set<String>()
        for line in try String(contentsOf: pages.appendingPathComponent("index.tsv"), encoding: .utf8).split(separator: "\n")
            where !line.hasPrefix("#") {
            let path = String(line.split(separator: "\t")[1])
            var data = try Data(contentsOf: pages.appendingPathComponent(path))
            if path.hasSuffix(".gz") { data = try gunzip(data) }
            let html = String(decoding: data, as: UTF8.self)
            for part in html.components(separatedBy: "<p>").dropFirst() {
                paragraphs.append(String(part.prefix { $0 != "<" }).replacingOccurrences(of: "&amp;", with: "&"))
            }
            if let h = html.components(separatedBy: "<h1 class=\"headline\">").dropFirst().first {
                headlines.insert(String(h.prefix { $0 != "<" }))
            }
        }
        return (paragraphs, headlines)
    }

    func gunzip(_ data: Data) throws -> Data {
        try ChildRun.run(URL(fileURLWithPath: "/bin/gzip"), ["-dc"], input: data).stdout
    }

    func testStanceTurnOfOneGroupIsFoundFromArticleBodies() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let out = dir.url.appendingPathComponent("out")
        let run = try CommandLineTests.run(["replay", "--feeds", Self.example.appendingPathComponent("feeds").path,
                               "--pages", Self.example.appendingPathComponent("pages").path,
                               "--config", Self.example.appendingPathComponent("worked-example.conf").path,
                               "--out", out.path])
        XCTAssertEqual(run.status, 0, run.stderr)
        let all = try alerts(out)
        let log = (try? String(contentsOf: out.appendingPathComponent("logs/alerts.log"), encoding: .utf8)) ?? ""
        func day(_ a: [String: Any]) -> String { String((a["bucket"] as? String ?? "").prefix(10)) }

        // Nothing fires before the turn.
        XCTAssertEqual(all.filter { day($0) < Self.turn }.count, 0, log)
        // A stance shift names the Western group within two days of the turn, towards critical.
        let stance = all.filter { $0["detector"] as? String == "stance_shift" }
        let western = try XCTUnwrap(stance.first { $0["scope"] as? String == "group:western" }, log)
        XCTAssertTrue([Self.turn, "2022-03-16"].contains(day(western)), log)
        XCTAssertLessThan(western["current"] as? Double ?? 0, western["baseline"] as? Double ?? 0)
        XCTAssertFalse(stance.contains { $0["scope"] as? String == "group:eastern" }, log)

        // Its evidence quotes body sentences of the saved pages (not headlines).
        let (paragraphs, headlines) = try archive()
        let evidence = western["evidence"] as? [[String: Any]] ?? []
        XCTAssertFalse(evidence.isEmpty)
        for e in evidence {
            XCTAssertEqual(e["group"] as? String, "western")
            let quotes = (e["quotes"] as? [[String: Any]] ?? []).compactMap { $0["sentence"] as? String }
            XCTAssertFalse(quotes.isEmpty, "no quote for \(e["title"] ?? "")")
            for q in quotes {
                XCTAssertTrue(paragraphs.contains { $0.contains(q) }, "not a body sentence: \(q)")
                XCTAssertFalse(headlines.contains(q))
            }
        }
        XCTAssertTrue(log.contains("stance_shift scope=group:western"), log)
        XCTAssertTrue(log.contains(" quote: \""), log)

        // The same snapshots without the pages: headlines and summaries do not carry the turn.
        let plainOut = dir.url.appendingPathComponent("plain")
        let plain = try CommandLineTests.run(["replay", "--feeds", Self.example.appendingPathComponent("feeds").path,
                                              "--config", Self.example.appendingPathComponent("worked-example.conf").path,
                                              "--out", plainOut.path])
        XCTAssertEqual(plain.status, 0, plain.stderr)
        let plainAlerts = (try? alerts(plainOut)) ?? []
        XCTAssertFalse(plainAlerts.contains { $0["detector"] as? String == "stance_shift" }, "\(plainAlerts)")
    }
}
