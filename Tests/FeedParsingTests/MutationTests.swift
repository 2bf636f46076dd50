import XCTest
import DyadCore
@testable import FeedParsing

/// Deterministic mutation testing: thousands of damaged variants of real fixtures (cut, bytes
/// flipped, markup characters injected, encodings mislabelled) must all parse without crashing
/// or hanging, and every result must be encodable as a JSON line.
final class MutationTests: XCTestCase {
    /// A small deterministic generator (SplitMix64), so failures reproduce.
    private struct SplitMix64 {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(1, n))) }
    }

    /// Variants made from each fixture.
    private let variantsPerFixture = 150
    private let injected: [[UInt8]] = ["<", ">", "&", "&#", "]]>", "<![CDATA[", "<!--", "\"", "\u{0}", "&nbsp;", "<item>", "</channel>",
                                       "<!DOCTYPE x [<!ENTITY a \"&a;\">]>", "\u{FEFF}", "\r\n"].map { Array($0.utf8) }

    func testDamagedDocumentsNeverCrash() throws {
        let fixtures = ["sample-rss2.xml", "formats/atom10.xml", "formats/rss10.xml", "formats/atom03.xml",
                        "formats/jsonfeed11.json", "encodings/windows-1251.xml", "encodings/utf-16be.xml", "encodings/gb2312.xml"]
        var rng = SplitMix64(state: 20_220_224)
        let parser = FeedParser()
        var parsed = 0
        for name in fixtures {
            let original = [UInt8](try Fixture.data(name))
            for _ in 0..<variantsPerFixture {
                var bytes = original
                for _ in 0...rng.below(4) {
                    switch rng.below(4) {
                    case 0: bytes = Array(bytes.prefix(rng.below(bytes.count + 1)))
                    case 1: if !bytes.isEmpty { bytes[rng.below(bytes.count)] = UInt8(truncatingIfNeeded: rng.next()) }
                    case 2: bytes.insert(contentsOf: injected[rng.below(injected.count)], at: rng.below(bytes.count + 1))
                    default: if !bytes.isEmpty { bytes.remove(at: rng.below(bytes.count)) }
                    }
                }
                let charset: String? = rng.below(5) == 0 ? ["koi8-r", "utf-16", "big5", "nonsense"][rng.below(4)] : nil
                let f = parser.parse(Data(bytes), documentURL: "http://example.com/feed", httpCharset: charset)
                XCTAssertFalse(ParsedFeedJSON.encode(f).isEmpty)
                if !f.wellFormed { XCTAssertFalse(f.problems.isEmpty, "ill-formed result without problems") }
                parsed += 1
            }
        }
        XCTAssertEqual(parsed, fixtures.count * variantsPerFixture)
    }
}
