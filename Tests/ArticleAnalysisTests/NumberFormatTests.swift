import Foundation
import XCTest
@testable import ArticleAnalysis

/// `ResultJSONWriter.integer` / `number` write the digits themselves (two per step, integral test
/// by truncation): the same bytes as the encoder, and as the writer's earlier formatting, on many
/// random values of every magnitude the analyzer can emit.
final class NumberFormatTests: XCTestCase {
    private func written(_ body: (inout ResultJSONWriter) -> Void) -> String {
        var w = ResultJSONWriter(capacity: 16)
        body(&w)
        return String(decoding: w.bytes, as: UTF8.self)
    }

    func testIntegersAsDescription() {
        var rng = SystemRandomNumberGenerator()
        var values: [Int] = [0, 1, 9, 10, 99, 100, 101, 999, 1000, 65_535, -1, -9, -10, -99, -100, Int.max, Int.min, Int.min + 1]
        for digits in 1...18 {
            let bound = Int(pow(10.0, Double(digits)))
            for _ in 0..<200 { values.append(Int.random(in: -bound...bound, using: &rng)) }
        }
        for v in values { XCTAssertEqual(written { $0.integer(v) }, v.description, "\(v)") }
    }

    /// The formatting before digit pairs and truncation, kept here as the reference.
    private func reference(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        if v == v.rounded() && abs(v) < 1e15 {
            if v == 0 && v.sign == .minus { return "-0" }
            return Int(v).description
        }
        let thousandths = (v * 1000).rounded()
        if abs(thousandths) < 1e12 && thousandths / 1000 == v {
            var t = Int(thousandths)
            var s = ""
            if t < 0 { s = "-"; t = -t }
            s += (t / 1000).description + "."
            var frac = t % 1000, digits = 3
            while frac % 10 == 0 { frac /= 10; digits -= 1 }
            return s + String(repeating: "0", count: digits - frac.description.count) + frac.description
        }
        return v.description
    }

    func testNumbersAsBeforeAndAsTheEncoder() throws {
        var rng = SystemRandomNumberGenerator()
        var values: [Double] = [0, -0.0, 1, -1, 0.5, 0.001, -0.009, 0.1, 0.12, 0.123, 1e-7, 1e15, 1e15 + 1, -1e15, 1e300,
                                .nan, .infinity, -.infinity, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 0.30000000000000004,
                                // halfway thousandths and rounding edges (the writer rounds without libm)
                                0.0005, -0.0005, 0.0015, -0.0025, 2.0005, 0.4995, -0.4995, 0.49999999999999994, 999_999_999.999,
                                1_000_000_000, 999_999_999_999.5, 4e12 + 0.5, 2.5e-4, -1e-3, 1e-3, 0.999, -0.999, 0.0001]
        for _ in 0..<3_000 {
            let raw = Double.random(in: -10...10, using: &rng)
            values.append(raw)
            values.append((raw * 1000).rounded() / 1000)            // every score and weight the analyzer emits
            values.append((raw * 1000).rounded(.towardZero))
            values.append(Double.random(in: -1e13...1e13, using: &rng).rounded() / 1000)
        }
        for v in values {
            let w = written { $0.number(v) }
            XCTAssertEqual(w, reference(v), "\(v)")
            // Beyond 1e15 (never a score) integral values keep `description`'s ".0", as before.
            if v.isFinite && abs(v) < 1e15 {
                let encoded = String(decoding: try JSONEncoder().encode([v]), as: UTF8.self)
                XCTAssertEqual("[" + w + "]", encoded, "\(v)")
            }
        }
    }
}
