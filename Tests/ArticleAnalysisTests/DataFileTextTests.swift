import Foundation
import XCTest
@testable import ArticleAnalysis

/// The data-file line syntax on bytes: trimming as `CharacterSet.whitespaces` /
/// `.whitespacesAndNewlines` trim, `|` fields outside `{…}`, comments, line numbers.
final class DataFileTextTests: XCTestCase {
    private func trimmed(_ s: String, newlines: Bool = false) -> String {
        var s = s
        return s.withUTF8 { b in DataFileText.string(b, DataFileText.trimmed(b, 0..<b.count, newlines: newlines)) }
    }

    /// The trimming on scalars the loader used before (White_Space property; without `newlines`,
    /// not the line and paragraph separators), kept here as the reference.
    private func reference(_ s: String, newlines: Bool) -> String {
        func isSpace(_ c: Unicode.Scalar) -> Bool {
            guard c.properties.isWhitespace else { return false }
            if newlines { return true }
            switch c.value {
            case 0x0A...0x0D, 0x85, 0x2028, 0x2029: return false
            default: return true
            }
        }
        let u = s.unicodeScalars
        guard let first = u.firstIndex(where: { !isSpace($0) }) else { return "" }
        return String(Substring(u[first...u.lastIndex(where: { !isSpace($0) })!]))
    }

    func testTrimmingAsBefore() {
        let samples = ["", " ", "a", " a ", "\ta b\t", "\u{3000}中俄\u{3000}", "\u{A0}x\u{2009}", "\u{85}x\u{85}", "\u{2028}x\u{2029}",
                       "\r\nkey | v\r\n", "\u{B}x\u{C}", "é ", " \u{301}", "\u{1F}x", "😀 ", " \u{200B}x", "\u{FEFF}x", "\u{1680}x\u{205F}"]
        for s in samples {
            XCTAssertEqual(trimmed(s), reference(s, newlines: false), s.debugDescription)
            XCTAssertEqual(trimmed(s, newlines: true), reference(s, newlines: true), s.debugDescription)
        }
    }

    private func lines(_ text: String) throws -> [(Int, [String], String)] {
        var text = text
        var out: [(Int, [String], String)] = []
        try text.withUTF8 { b in
            try DataFileText.forEachLine(b, malformed: { AnalysisDataError(file: "f", line: $0, message: "malformed") }) { out.append(($0, $1, $2)) }
        }
        return out
    }

    func testLinesFieldsAndComments() throws {
        let got = try lines("# comment\n\nalias a, b | en | x{y|z}; w \n  \tstance en | -1 | q\r\n\u{3000}city beijing")
        XCTAssertEqual(got.map(\.0), [3, 4, 5])
        XCTAssertEqual(got.map(\.2), ["alias", "stance", "city"])
        XCTAssertEqual(got[0].1, ["a, b", "en", "x{y|z}; w"])
        XCTAssertEqual(got[1].1, ["en", "-1", "q"])
        XCTAssertEqual(got[2].1, ["beijing"])
        XCTAssertThrowsError(try lines("ok line\nnokeyword\n")) { error in
            XCTAssertEqual((error as? AnalysisDataError)?.line, 2)
        }
    }

    func testListsKeepBlankItemsAndDropEmptyOnes() {
        XCTAssertEqual(AnalysisData.list("a, b,,c", separator: ","), ["a", "b", "c"])
        XCTAssertEqual(AnalysisData.list("a, ,b", separator: ","), ["a", "", "b"])
        XCTAssertEqual(AnalysisData.withoutMarks("=Xi*"), "Xi")
        XCTAssertEqual(AnalysisData.withoutMarks("=*"), "")
    }

    func testApostropheVariants() {
        let v = PatternSyntax.apostropheVariants(Array("people's".utf8)).map { String(decoding: $0, as: UTF8.self) }
        XCTAssertEqual(v, ["people's", "people\u{2019}s"])
        XCTAssertEqual(PatternSyntax.apostropheVariants(Array("plain".utf8)).count, 1)
    }
}
