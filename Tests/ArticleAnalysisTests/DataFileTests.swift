import Foundation
import XCTest
import DyadCore
@testable import ArticleAnalysis

/// Data files: users extend them through an extra directory; mistakes are reported by file:line.
final class DataFileTests: XCTestCase {
    private func tempDir() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("dyadwatch-analysis-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func testBundledDataLoads() {
        let s = Shared.analyzer.dataSummary
        XCTAssertGreaterThan(s.entities, 150)
        XCTAssertGreaterThan(s.cues, 1000)
    }

    func testExtraDirectoryAddsEntitiesAndCues() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        try """
        # local additions
        entity li_hui | Li Hui | china | person
        alias li_hui | en | li hui; special envoy li
        alias russia | en | rossiya
        """.write(to: dir.appendingPathComponent("gazetteer-local.txt"), atomically: false, encoding: .utf8)
        try """
        stance en | -1.0 | frenemies
        """.write(to: dir.appendingPathComponent("lexicon-local.txt"), atomically: false, encoding: .utf8)
        let a = try Analyzer(extraDataDirectory: dir)
        let r = a.analyze(Article(id: "1", title: "Li Hui and Rossiya officials are frenemies", text: ""))
        XCTAssertEqual(r.entity("li_hui")?.side, .china)
        XCTAssertTrue(r.mentions(.russia))
        XCTAssertEqual(r.stance.label, .critical)
        XCTAssertEqual(r.stance.evidence.first?.cue, "frenemies")
    }

    func testBadLinesAreReportedWithFileAndLine() throws {
        let cases: [(String, String, String)] = [
            ("gazetteer-bad.txt", "# header\nentity x | X | nowhere | country\n", "unknown side"),
            ("gazetteer-bad.txt", "alias no_such_entity | en | foo\n", "unknown entity"),
            ("lexicon-bad.txt", "\n\nstance en | lots | foo\n", "weight"),
            ("lexicon-bad.txt", "mood en | 1 | foo\n", "unknown cue category"),
            ("lexicon-bad.txt", "stance xx | 1 | foo\n", "unknown language"),
            ("lexicon-bad.txt", "stance en | 1 | fo*o bar\n", "'*' must end a word"),
            ("lexicon-bad.txt", "stance en | 1 | foo{a|b\n", "unclosed"),
        ]
        for (name, content, expected) in cases {
            let dir = try tempDir()
            defer { try? FileManager.default.removeItem(at: dir) }
            try content.write(to: dir.appendingPathComponent(name), atomically: false, encoding: .utf8)
            XCTAssertThrowsError(try Analyzer(extraDataDirectory: dir), expected) { error in
                let text = String(describing: error)
                XCTAssertTrue(text.contains(name + ":"), text)
                XCTAssertTrue(text.contains(expected), "\(text) lacks \(expected)")
            }
        }
        let err = try? { () throws -> String in
            let dir = try tempDir()
            try "\n\nstance en | lots | foo\n".write(to: dir.appendingPathComponent("lexicon-bad.txt"), atomically: false, encoding: .utf8)
            do { _ = try Analyzer(extraDataDirectory: dir); return "" } catch { return String(describing: error) }
        }()
        XCTAssertTrue(err?.contains("lexicon-bad.txt:3:") ?? false, err ?? "")
    }

    func testMissingExtraDirectoryIsAnError() {
        XCTAssertThrowsError(try Analyzer(extraDataDirectory: URL(fileURLWithPath: "/nonexistent/dyadwatch-data")))
    }

    func testAlternationExpansion() throws {
        func expand(_ s: String) throws -> [String] {
            try PatternSyntax.expand(Array(s.utf8), URL(fileURLWithPath: "x"), 1).map { String(decoding: $0, as: UTF8.self) }
        }
        XCTAssertEqual(try expand("кита{й|я|ю}"), ["китай", "китая", "китаю"])
        XCTAssertEqual(try expand("a{b|}c{d|e}"), ["abcd", "abce", "acd", "ace"])
        XCTAssertEqual(try expand("no groups"), ["no groups"])
        XCTAssertThrowsError(try expand("a}b"))
    }
}
