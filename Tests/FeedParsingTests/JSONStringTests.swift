import DyadCore
import Foundation
import XCTest

/// `DyadCore.JSONString`, the one JSON string escaper (`JSONWriter` and `parse --jsonl`), writes
/// what `JSONEncoder` with `.withoutEscapingSlashes` writes.
final class JSONStringTests: XCTestCase {
    func testEscapesAsJSONEncoderDoes() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        var samples = ["", "plain", "a/b", "quote \" and \\ backslash", "tab\tnew\nline\r\u{8}\u{C}",
                       "\u{0}\u{1}\u{1F}\u{7F}", "Россия и Китай — 中俄关系 🇨🇳", String(repeating: "ab\"", count: 9)]
        // Every control character at every offset of an eight-byte word (the fast path's edges).
        for c in 0..<0x20 { for offset in 0..<9 { samples.append(String(repeating: "x", count: offset) + String(UnicodeScalar(UInt8(c))) + "yyyyyyyy") } }
        for s in samples {
            var out: [UInt8] = []
            JSONString.append(s, to: &out)
            XCTAssertEqual(String(decoding: out, as: UTF8.self), String(decoding: try encoder.encode(s), as: UTF8.self), "\(s.debugDescription)")
            var w = JSONWriter()
            w.string(s)
            XCTAssertEqual(w.bytes, out, "JSONWriter writes strings with JSONString")
        }
    }

    /// Into a `ByteSink` (short runs copied without memmove): every length from 0 to 40, plain and
    /// with a byte to escape at every offset, gives the encoder's bytes.
    func testByteSinkRunsOfEveryLength() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        var samples: [String] = []
        for length in 0...40 {
            let plain = String((0..<length).map { Character(UnicodeScalar(UInt8(0x61 + $0 % 26))) })
            samples.append(plain)
            for k in 0..<length {
                for special in ["\"", "\n", "\u{1}"] {
                    var chars = Array(plain)
                    chars[k] = Character(special)
                    samples.append(String(chars))
                }
            }
            samples.append(plain + "é中😀")
        }
        var sink = ByteSink(capacity: 1)
        var expected: [UInt8] = []
        for s in samples {
            JSONString.append(s, to: &sink)
            sink.append(0x0A)
            expected += try encoder.encode(s) + [0x0A]
        }
        XCTAssertEqual(sink.withBytes { Array($0) }, expected)
    }
}
