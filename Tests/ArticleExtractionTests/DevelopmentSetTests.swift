import ArticleExtraction
import Foundation
import XCTest

/// The extractor on the shared development pages (../shared/eval/extraction), scored like the
/// shared scorer (4-token shingles, F1 of mean precision and mean recall). A floor check, far
/// below the measured figure (see ARCHITECTURE.md): it catches a broken scoring rule, it is not
/// the benchmark (scripts/bench-extract.sh is).
final class DevelopmentSetTests: XCTestCase {
    static let floorF1 = 0.9

    func testF1OnTheDevelopmentPagesStaysAboveTheFloor() throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let dir = repo.appendingPathComponent("../shared/eval/extraction").standardizedFileURL
        let truthURL = dir.appendingPathComponent("ground-truth.json")
        guard FileManager.default.fileExists(atPath: truthURL.path) else {
            throw XCTSkip("\(dir.path) is absent (../shared is not checked out here): development-set check skipped")
        }
        let truth = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: truthURL)) as? [String: [String: Any]])
        let extractor = ArticleExtractor()
        var precisions: [Double] = [], recalls: [Double] = []
        for key in truth.keys.sorted() {
            let gz = try Data(contentsOf: dir.appendingPathComponent("html/\(key).html.gz"))
            let html = try GzipFile.decompress(Array(gz))
            let page = extractor.extract(html: html, baseURL: truth[key]?["url"] as? String, httpCharset: nil)
            let expected = truth[key]?["articleBody"] as? String ?? ""
            let (tp, fp, fn) = Shingles.counts(truth: expected, predicted: page.text)
            if tp + fp > 0 { precisions.append(fp == 0 && fn == 0 ? 1 : tp / (tp + fp)) }
            if tp + fn > 0 { recalls.append(fp == 0 && fn == 0 ? 1 : tp / (tp + fn)) }
        }
        let p = precisions.reduce(0, +) / Double(max(1, precisions.count))
        let r = recalls.reduce(0, +) / Double(max(1, recalls.count))
        let f1 = p + r > 0 ? 2 * p * r / (p + r) : 0
        XCTAssertGreaterThanOrEqual(f1, Self.floorF1, "precision \(p) recall \(r)")
    }
}

/// The shared scorer's metric: \w+ tokens, multisets of 4-token shingles.
enum Shingles {
    static func counts(truth: String, predicted: String) -> (Double, Double, Double) {
        let t = shingles(truth), p = shingles(predicted)
        var tp = 0
        for (k, n) in t { tp += min(n, p[k] ?? 0) }
        let fp = p.values.reduce(0, +) - tp, fn = t.values.reduce(0, +) - tp
        let s = Double(tp + fp + fn)
        return s > 0 ? (Double(tp) / s, Double(fp) / s, Double(fn) / s) : (0, 0, 0)
    }

    private static func shingles(_ text: String) -> [[String]: Int] {
        var tokens: [String] = [], current = ""
        for ch in text.unicodeScalars {
            if ch.properties.isAlphabetic || ch.properties.numericType != nil || ch == "_" || ch.properties.generalCategory == .nonspacingMark {
                current.unicodeScalars.append(ch)
            } else if !current.isEmpty { tokens.append(current); current = "" }
        }
        if !current.isEmpty { tokens.append(current) }
        var out: [[String]: Int] = [:]
        if tokens.count < 4 {
            if !tokens.isEmpty { out[tokens] = 1 }
            return out
        }
        for i in 0...(tokens.count - 4) { out[Array(tokens[i..<(i + 4)]), default: 0] += 1 }
        return out
    }
}
