import Foundation
import XCTest
import DyadCore
@testable import Trends

/// Contributions and aggregates are stored as `JSONWriter` writes them: the same bytes as
/// `DyadJSON.encoder()`, so rows written before and after read back alike.
final class TrendJSONTests: XCTestCase {
    private let encoder = DyadJSON.encoder()

    private func assertSameAsEncoder<T: Codable & JSONWritable & Equatable>(_ v: T, file: StaticString = #filePath, line: UInt = #line) throws {
        let expected = String(decoding: try encoder.encode(v), as: UTF8.self)
        let stored = try TrendCoding.encode(v)
        XCTAssertEqual(stored, expected, file: file, line: line)
        XCTAssertEqual(try TrendCoding.decode(T.self, stored), v, file: file, line: line)
    }

    func testContributionsWithAndWithoutOptionals() throws {
        var c = Make.contribution(7, day: 3, dyad: true, stance: -0.35, frames: ["military", "ukraine_war"], actors: ["NATO", "Ukraine", "UN", "Émile"])
        c.quotes = [StanceQuote(sentence: "He said \"no\".\n/ok\\", cue: "no limits", weight: -0.7)]
        c.toneChina = 0.1; c.toneRussia = -1; c.toneUS = 2.5e-07; c.weight = 0.30000000000000004
        try assertSameAsEncoder(c)
        var bare = Make.contribution(8, day: 0)
        bare.link = nil; bare.quotes = nil; bare.weight = nil; bare.toneChina = nil; bare.toneRussia = nil; bare.toneUS = nil
        try assertSameAsEncoder(bare)
        bare.quotes = []
        try assertSameAsEncoder(bare)
    }

    func testAggregatesSortTheirMapsLikeTheEncoder() throws {
        var a = Aggregate()
        for (i, actors) in [["UN", "Ukraine", "Zelensky"], ["_x", "a10", "a9", "É", "Joe Biden"]].enumerated() {
            a.apply(Make.contribution(Int64(i), day: 0, dyad: true, stance: 0.45 * Double(i) - 0.2,
                                      frames: ["economy", "ukraine_war", "energy"], actors: actors), sign: 1)
        }
        a.toneChinaSum = 1e-05; a.toneChinaN = 12; a.toneUSSum = -1.5e+300; a.stanceWW = 123456789012345680000.0
        try assertSameAsEncoder(a)
        try assertSameAsEncoder(Aggregate())
    }

    func testANonFiniteValueStillFailsToEncode() {
        var a = Aggregate()
        a.stanceW = .infinity
        XCTAssertThrowsError(try TrendCoding.encode(a))
    }
}

/// Aggregates read back through `JSONReader` exactly as the decoder reads them, whatever the
/// spacing (PostgreSQL re-serializes `jsonb`); anything unexpected goes to the decoder.
final class TrendJSONReaderTests: XCTestCase {
    private func sample() -> Aggregate {
        var a = Aggregate()
        for (i, actors) in [["UN", "Ukraine"], ["Jo \"Q\" \\ /é😀\n"]].enumerated() {
            a.apply(Make.contribution(Int64(i), day: 0, dyad: true, stance: 0.3 * Double(i) - 0.1, frames: ["energy"], actors: actors), sign: 1)
        }
        a.toneUSSum = -1.5e+300; a.toneChinaSum = 1e-05; a.toneChinaN = -3
        return a
    }

    func testStoredFormAndSpacedFormReadBack() throws {
        let a = sample()
        let stored = try TrendCoding.encode(a)
        XCTAssertEqual(JSONReader.read(Aggregate.self, from: stored), a)
        // jsonb::text style: a space after each colon and comma, keys in another order.
        let spaced = #"{"frames": {"energy": 1}, "actors": {"Jo \"Q\" \\ \/\u00e9\ud83d\ude00\n": 1, "UN": 1, "Ukraine": 1}, "china": 2, "critical": 0, "dyad": 2, "entries": 2, "neutral": 1, "russia": 2, "stanceW": 1.6, "stanceWS": 0.16000000000000003, "stanceWSS": 0.04000000000000001, "stanceWW": 1.2800000000000002, "supportive": 1, "toneChinaN": -3, "toneChinaSum": 1e-05, "toneRussiaN": 0, "toneRussiaSum": 0, "toneUSN": 0, "toneUSSum": -1.5e+300}"#
        let viaDecoder = try DyadJSON.decoder().decode(Aggregate.self, from: Data(spaced.utf8))
        XCTAssertEqual(JSONReader.read(Aggregate.self, from: spaced), viaDecoder)
        XCTAssertEqual(try TrendCoding.decode(Aggregate.self, spaced), viaDecoder)
    }

    func testUnexpectedTextIsLeftToTheDecoder() throws {
        let a = sample()
        let stored = try TrendCoding.encode(a)
        let edited = [stored.replacingOccurrences(of: "\"china\":\(a.china)", with: "\"china\":\(a.china).0"),  // a fraction in a count
                      stored.replacingOccurrences(of: "\"neutral\":\(a.neutral),", with: ""),                   // a missing key
                      stored.replacingOccurrences(of: "{\"actors\"", with: "{\"extra\":[1,{}],\"actors\"")]    // an unknown key
        for odd in edited { XCTAssertNotEqual(odd, stored, "the edit must change the stored text") }
        for odd in edited + [stored + " x", "", "{", "[]"] {
            XCTAssertNil(JSONReader.read(Aggregate.self, from: odd), odd)
            let decoded = try? DyadJSON.decoder().decode(Aggregate.self, from: Data(odd.utf8))
            XCTAssertEqual(try? TrendCoding.decode(Aggregate.self, odd), decoded, odd)
        }
    }
}
