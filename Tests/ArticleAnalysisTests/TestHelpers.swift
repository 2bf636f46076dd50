import Foundation
import XCTest
import DyadCore
@testable import ArticleAnalysis

/// One analyzer for all tests (loading the data files is the slow part).
enum Shared {
    static let analyzer: Analyzer = {
        do { return try Analyzer() } catch { fatalError("bundled analysis data failed to load: \(error)") }
    }()

    /// `../shared` next to the repository, when present (see Tests/TestSupport SharedData).
    static var sharedRoot: URL? {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent() // Tests/ArticleAnalysisTests
        dir = dir.deletingLastPathComponent().deletingLastPathComponent()      // repo root
        let shared = dir.deletingLastPathComponent().appendingPathComponent("shared")
        return FileManager.default.fileExists(atPath: shared.path) ? shared : nil
    }

    static func analyze(_ title: String, _ text: String = "", id: String = "t") -> ArticleAnalysisResult {
        analyzer.analyze(Article(id: id, title: title, text: text))
    }
}

extension ArticleAnalysisResult {
    func entity(_ id: String) -> EntityMatch? { entities.first { $0.id == id } }
    var sides: Set<Side> { Set(entities.map(\.side)) }
}

/// Asserts that every mention's and evidence's offsets point at its text in `title + "\n" + text`.
func assertOffsetsConsistent(_ r: ArticleAnalysisResult, _ title: String, _ text: String,
                             file: StaticString = #filePath, line: UInt = #line) {
    let scalars = Array((title + "\n" + text).unicodeScalars)
    func slice(_ a: Int, _ b: Int) -> String? {
        guard a >= 0, b <= scalars.count, a <= b else { return nil }
        return String(String.UnicodeScalarView(scalars[a..<b]))
    }
    for e in r.entities {
        for m in e.mentions {
            XCTAssertEqual(slice(m.start, m.end), m.text, "mention offsets of \(e.id)", file: file, line: line)
        }
    }
    for ev in r.stance.evidence + r.frames.flatMap(\.evidence) {
        XCTAssertEqual(slice(ev.start, ev.end), ev.text, "evidence offsets of \(ev.cue)", file: file, line: line)
    }
}
