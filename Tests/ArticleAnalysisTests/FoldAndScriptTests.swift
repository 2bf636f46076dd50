import XCTest
@testable import ArticleAnalysis

/// The folding pass (eight ASCII bytes at a time, other bytes one by one) against a plain
/// byte-by-byte fold, and the script counts it takes on the way against `LanguageGuess.count`:
/// every ASCII byte, mixed scripts, blocks that straddle multi-byte scalars and the end of the
/// counted prefix, and cut (invalid) UTF-8.
final class FoldAndScriptTests: XCTestCase {
    /// The fold as specified, one byte at a time.
    private func plainFold(_ bytes: [UInt8]) -> [UInt8] {
        var p = bytes
        var i = 0
        while i < p.count {
            let b = p[i]
            if b < 0x80 {
                p[i] = NormalizedText.asciiFold[Int(b)]
            } else if i + 1 < p.count {
                let c = p[i + 1]
                if b == 0xD0 && c >= 0x90 && c <= 0x9F { p[i + 1] = c + 0x20 }
                else if b == 0xD0 && c >= 0xA0 && c <= 0xAF { p[i] = 0xD1; p[i + 1] = c - 0x20 }
                else if b == 0xD0 && c == 0x81 { p[i + 1] = 0xB5 }
                else if b == 0xD1 && c == 0x91 { p[i] = 0xD0; p[i + 1] = 0xB5 }
                else if b == 0xC3 && c >= 0x80 && c <= 0x9E && c != 0x97 { p[i + 1] = c + 0x20 }
            }
            i += 1
        }
        return p
    }

    private func check(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) {
        var out: [UInt8] = []
        let counts = NormalizedText.fold(bytes, into: &out, counting: LanguageGuess.sampleBytes)
        XCTAssertEqual(out, plainFold(bytes), file: file, line: line)
        XCTAssertEqual(counts, LanguageGuess.count(bytes), file: file, line: line)
    }

    func testEveryASCIIByteInEveryLane() {
        for shift in 0..<8 {
            check(Array(repeating: UInt8(ascii: "x"), count: shift) + (0..<128).map { UInt8($0) })
        }
    }

    func testMixedScriptsMatchPlainFold() {
        let pieces = ["Sino-Russian", "ЁЛКА", "Ёлка ёж", "Россия", "CHINA", "中俄", "À LA CARTE ×", "\t\r\n", "x", "", "ab-CD", "ÞÆ"]
        var state: UInt64 = 99
        for _ in 0..<300 {
            var s = ""
            for _ in 0..<Int(state % 40) {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                s += pieces[Int(state >> 40) % pieces.count] + (state & 1 == 0 ? " " : "")
            }
            var bytes = Array(s.utf8)
            check(bytes)
            if !bytes.isEmpty { bytes.removeLast(); check(bytes) }    // possibly cut mid-scalar
        }
    }

    func testCountsOnlyTheSampledPrefix() {
        for pad in [LanguageGuess.sampleBytes - 9, LanguageGuess.sampleBytes - 1, LanguageGuess.sampleBytes] {
            check(Array(repeating: UInt8(ascii: " "), count: pad) + Array("Россия CHINA 中国 and more".utf8))
        }
        XCTAssertEqual(LanguageGuess.guess(LanguageGuess.count(Array("Китай и Россия".utf8)), hint: nil), "ru")
        XCTAssertEqual(LanguageGuess.guess(LanguageGuess.ScriptCounts(), hint: "EN-us"), "en")
    }
}
