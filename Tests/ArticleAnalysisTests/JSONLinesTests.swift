import XCTest
import DyadCore
@testable import ArticleAnalysis

/// `analyze --jsonl` input and output on bytes: the reader, the writer (same bytes as the shared
/// JSON encoder), RFC 3339 dates, and the parallel batch keeping input order.
final class JSONLinesTests: XCTestCase {
    func read(_ line: String) -> Result<Article, JSONLineReader.Failure> {
        Array(line.utf8).withUnsafeBufferPointer { JSONLineReader.article($0, fallbackID: "fallback") }
    }

    func testReaderTakesKnownMembersAndSkipsOthers() throws {
        let line = #"{"extra": {"a": [1, 2, {"b": null}], "c": "x\"y"}, "id": 42, "title": "Putin \"meets\" Xi\n\u00e9\ud83d\ude00", "text": "a\/b\\c", "outlet": "TASS", "published": "2022-02-04T10:30:00+03:00", "flag": true}"#
        let a = try read(line).get()
        XCTAssertEqual(a.id, "42")
        XCTAssertEqual(a.title, "Putin \"meets\" Xi\né😀")
        XCTAssertEqual(a.text, "a/b\\c")
        XCTAssertEqual(a.outlet, "TASS")
        XCTAssertEqual(a.published, Date(timeIntervalSince1970: 1_643_959_800))
    }

    func testReaderFallsBackAndRejectsClearly() throws {
        XCTAssertEqual(try read(#"{"title": "x"}"#).get().id, "fallback")
        XCTAssertEqual(try read(#"{"id": null, "title": null}"#).get().title, "")
        for bad in [#"{"id": "x""#, #"["id"]"#, #"{"id": "x",}"#, #"{"id": tru}"#, #"{"id": "x"} trailing"#, "", #"{"title": "unterminated}"#,
                    String(repeating: "[", count: 100)] {
            guard case .failure(.syntax(let message)) = read(bad) else { return XCTFail("accepted: \(bad)") }
            XCTAssertTrue(message.contains("byte") || message.contains("string"), message)
        }
        // A lone surrogate escape becomes U+FFFD, never a crash.
        XCTAssertEqual(try read(#"{"title": "\ud800x"}"#).get().title, "\u{FFFD}x")
    }

    func testRFC3339OnBytes() {
        XCTAssertEqual(RFC3339.date("1970-01-01T00:00:00Z"), Date(timeIntervalSince1970: 0))
        XCTAssertEqual(RFC3339.date("2024-02-29T23:59:59.5z"), Date(timeIntervalSince1970: 1_709_251_199.5))
        XCTAssertEqual(RFC3339.date("2022-03-01 12:00:00-05:30"), Date(timeIntervalSince1970: 1_646_155_800))
        for bad in ["2023-02-29T00:00:00Z", "2022-13-01T00:00:00Z", "2022-03-01T24:00:00Z", "2022-03-01T00:00:00", "yesterday", "2022-03-01T00:00:00+0300"] {
            XCTAssertNil(RFC3339.date(bad), bad)
        }
        XCTAssertEqual(ISO8601.date("2022-02-04T07:30:00Z"), Date(timeIntervalSince1970: 1_643_959_800))
    }

    /// The byte writer gives exactly what the shared `Encodable` path gives.
    func testWriterMatchesTheEncoder() throws {
        let encoder = DyadJSON.encoder()
        let articles = [
            Article(id: "en\"1", title: "China, Russia vow to deepen no-limits partnership", text: "Tabs\tand \u{1}control / slashes."),
            Article(id: "ru", title: "", text: "Россия и Китай не близкие партнеры. Москва критикует Вашингтон."),
            Article(id: "zh", title: "中俄关系处于历史最高水平", text: "两国元首举行会谈。"),
            Article(id: "empty", title: "", text: ""),
            Article(id: "body", title: "Talks", text: "China and Russia deepen their strategic partnership. Critics warn of an axis."),
        ]
        for a in articles {
            let r = Shared.analyzer.analyze(a)
            var w = ResultJSONWriter()
            w.append(r)
            let expected = try encoder.encode(r) + Data([0x0A])
            XCTAssertEqual(String(decoding: w.bytes, as: UTF8.self), String(decoding: expected, as: UTF8.self))
        }
    }

    /// The batch path (fields as bytes, a reused scan, entities written from the scan) gives the
    /// same bytes as analysing the `Article` the line reader makes and writing its result.
    func testBatchPathMatchesTheResultPath() throws {
        let lines = [
            #"{"id": 7, "title": "China, Russia vow to deepen \"no-limits\" partnership", "text": "Tabs\tand \u0001control / slashes. Putin met Xi in Moscow.", "outlet": "TASS"}"#,
            #"{"id": "ru", "text": "Россия и Китай не близкие партнеры. Москва критикует Вашингтон.", "published": "2022-02-04T10:30:00Z"}"#,
            #"{"id": "zh", "title": "中俄关系处于历史最高水平", "text": "两国元首举行会谈。", "language": "zh"}"#,
            #"{"title": "\ud800 lone surrogate: Beijing and Moscow", "text": null}"#,
            #"{"id": "e", "title": "", "text": ""}"#,
        ]
        let scan = Shared.analyzer.makeScan()
        var fields = JSONLineReader.LineFields()
        for line in lines + lines {     // twice: the reused scan must not carry anything over
            let bytes = Array(line.utf8)
            let article = try read(line).get()
            var expected = ResultJSONWriter()
            expected.append(Shared.analyzer.analyze(article))
            bytes.withUnsafeBufferPointer { line in
                XCTAssertNil(JSONLineReader.read(line, into: &fields))
                XCTAssertEqual(fields.withTitle(in: line) { Array($0) }, Array(article.title.utf8))
                XCTAssertEqual(fields.withText(in: line) { Array($0) }, Array(article.text.utf8))
                fields.withTitle(in: line) { t in fields.withText(in: line) { scan.load(title: t, text: $0) } }
            }
            var got = ResultJSONWriter()
            let parts = Shared.analyzer.parts(of: scan, languageHint: fields.language)
            bytes.withUnsafeBufferPointer { line in
                if fields.withID(in: line, { got.append(parts, id: $0, entitiesOf: scan) }) == nil {
                    var id = "fallback"
                    id.withUTF8 { got.append(parts, id: $0, entitiesOf: scan) }
                }
            }
            XCTAssertEqual(String(decoding: got.bytes, as: UTF8.self), String(decoding: expected.bytes, as: UTF8.self))
        }
    }

    /// The id is written from the line's bytes: the same as the String the line reader makes, for
    /// plain, escaped, numeric, invalid-UTF-8, empty, null, non-scalar, duplicate and missing ids
    /// (the batch's fallback is `name:line`).
    func testIDsFromTheLineAsTheReaderTakesThem() throws {
        let ids: [[UInt8]] = [
            Array(#""plain-1""#.utf8), Array(#""esc\"a\\b\/c\n\u00e9\ud83d\ude00\ud800""#.utf8), Array("42".utf8), Array("-1.5e3".utf8),
            Array(#""""#.utf8), Array("null".utf8), Array("true".utf8), Array(#"["x"]"#.utf8), Array(#"{"a": "b"}"#.utf8),
            Array(#""ctl\u0001\u001f""#.utf8), Array(#""中俄 Россия""#.utf8), [0x22, 0x61, 0xFF, 0xC3, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22],
            [0x22] + Array(String(repeating: "x", count: 40).utf8) + [0x22],
        ]
        var lines: [[UInt8]] = ids.map { Array(#"{"id": "#.utf8) + $0 + Array(#", "title": "China and Russia hold talks"}"#.utf8) }
        lines.append(Array(#"{"title": "No id at all"}"#.utf8))
        lines.append(Array(#"{"id": "first", "title": "dup", "id": null}"#.utf8))
        lines.append(Array(#"{"id": null, "title": "dup", "id": "second"}"#.utf8))
        var input: [UInt8] = []
        var expected: [[UInt8]] = []
        for (k, line) in lines.enumerated() {
            input += line + [0x0A]
            let article = try line.withUnsafeBufferPointer { JSONLineReader.article($0, fallbackID: "in.jsonl:\(k + 1)") }.get()
            var w = ResultJSONWriter()
            w.append(Shared.analyzer.analyze(article))
            expected.append(w.bytes)
        }
        for workers in [1, 3] {
            var out: [UInt8] = []
            JSONLinesBatch(analyzer: Shared.analyzer, workers: workers).run(input, name: "/some/dir/in.jsonl", output: { out += $0 },
                                                                           failure: { XCTFail("\($0)") })
            XCTAssertEqual(out.split(separator: 0x0A).map { Array($0) + [0x0A] }, expected)
        }
    }

    /// Invalid UTF-8 in a line is repaired exactly as `String(decoding:)` repairs it.
    func testInvalidUTF8IsRepairedAsStringDoes() {
        var fields = JSONLineReader.LineFields()
        let samples: [[UInt8]] = [[0xFF], [0xC3], [0xE4, 0xB8], [0xED, 0xA0, 0x80], [0xF0, 0x9F, 0x98], [0xF4, 0x90, 0x80, 0x80],
                                  [0xC0, 0xAF], [0xE0, 0x80, 0xAF], Array("ok é 中 😀".utf8)]
        for raw in samples {
            let line = Array(#"{"title": "a"#.utf8) + raw + Array(#"b"}"#.utf8)
            let title = line.withUnsafeBufferPointer { line in
                XCTAssertNil(JSONLineReader.read(line, into: &fields))
                return fields.withTitle(in: line) { Array($0) }
            }
            XCTAssertEqual(title, Array(String(decoding: [0x61] + raw + [0x62], as: UTF8.self).utf8), "\(raw)")
            let valid = raw.withUnsafeBufferPointer { UTF8Validation.isValid($0) }
            XCTAssertEqual(valid, String(validating: raw, as: UTF8.self) != nil, "\(raw)")
        }
    }

    func testNumbersAsTheEncoderWritesThem() throws {
        for v in [0.0, 1, -1, 0.5, -0.25, 0.001, -0.009, 0.12, 0.123, 12.5, 1e-7, 123456.789, -0.0] {
            var w = ResultJSONWriter()
            w.number(v)
            let expected = try JSONEncoder().encode([v])
            XCTAssertEqual("[" + String(decoding: w.bytes, as: UTF8.self) + "]", String(decoding: expected, as: UTF8.self), "\(v)")
        }
    }

    /// Many lines over several workers come out in input order, failures reported by line number.
    func testBatchKeepsOrderAndReportsBadLines() throws {
        var input = ""
        for i in 0..<5_000 {
            input += i == 17 ? "{broken\n" : "{\"id\": \"\(i)\", \"title\": \"China and Russia hold talks \(i)\"}\n"
            if i == 100 { input += "   \n" }
        }
        var out: [UInt8] = []
        var failures: [JSONLinesBatch.LineFailure] = []
        let n = JSONLinesBatch(analyzer: Shared.analyzer, workers: 3).run(Array(input.utf8), name: "in.jsonl", output: { out += $0 }, failure: { failures.append($0) })
        XCTAssertEqual(n, 4_999)
        XCTAssertEqual(failures.map(\.line), [18])
        let ids = try String(decoding: out, as: UTF8.self).split(separator: "\n").map {
            try JSONDecoder().decode(ArticleAnalysisResult.self, from: Data($0.utf8)).id
        }
        XCTAssertEqual(ids, (0..<5_000).filter { $0 != 17 }.map(String.init))
    }
}
