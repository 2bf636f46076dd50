import XCTest
import DyadCore
@testable import ArticleAnalysis

/// The optional trained layer: fit on small synthetic data, write, load, apply; bad files refused.
final class StanceModelTests: XCTestCase {
    /// Synthetic items whose label depends on a word the rules do not know ("glorp" = critical,
    /// "zibble" = supportive), so only a fitted model can get them right.
    static func examples() -> [(Article, StanceLabel)] {
        var out: [(Article, StanceLabel)] = []
        let actors = [("China", "Russia"), ("Beijing", "Moscow"), ("Xi", "Putin"), ("Chinese", "Russian")]
        for (k, (a, b)) in actors.enumerated() {
            for n in 0..<5 {
                out.append((Article(id: "c\(k)-\(n)", title: "\(a) and \(b) glorp talks \(n)", text: ""), .critical))
                out.append((Article(id: "s\(k)-\(n)", title: "\(a) and \(b) zibble meeting \(n)", text: ""), .supportive))
                out.append((Article(id: "n\(k)-\(n)", title: "\(a) and \(b) hold meeting \(n)", text: ""), .neutral))
            }
        }
        return out
    }

    func testTrainWriteLoadRoundTrip() throws {
        let examples = Self.examples().map { Shared.analyzer.trainingExample($0.0, label: $0.1) }
        var trainer = StanceTrainer()
        trainer.epochs = 200
        let folds = trainer.crossValidate(examples, folds: 3)
        XCTAssertEqual(folds.count, 3)
        XCTAssertGreaterThan(folds.map(\.macroF1).reduce(0, +) / 3, 0.8, "the cross-validated model learns the synthetic words")
        XCTAssertLessThan(folds.map(\.ruleMacroF1).reduce(0, +) / 3, 0.6, "the rules alone cannot")
        let model = trainer.fit(examples)
        XCTAssertNotNil(model.weights["w:glorp"])

        let url = FileManager.default.temporaryDirectory.appendingPathComponent("stance-model-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try model.write(to: url)
        let loaded = try StanceModel.load(url)
        XCTAssertEqual(loaded, model)

        let analyzer = try Analyzer(model: loaded)
        let critical = analyzer.analyze(Article(id: "x", title: "Moscow and Beijing glorp again", text: ""))
        XCTAssertEqual(critical.stance.label, .critical)
        XCTAssertTrue(critical.stance.evidence.contains { $0.cue == "model" && $0.text == "w:glorp" })
        XCTAssertEqual(analyzer.analyze(Article(id: "y", title: "Putin and Xi zibble in Beijing", text: "")).stance.label, .supportive)
        // Not a dyad: the model is not consulted.
        XCTAssertEqual(analyzer.analyze(Article(id: "z", title: "Weather glorp", text: "")).stance.confidence, 0)
    }

    func testBadModelFilesAreRefused() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stance-bad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases = ["not json", #"{"format":"other","version":1,"classes":["supportive","neutral","critical"],"bias":[0,0,0],"weights":{}}"#,
                     #"{"format":"dyadwatch-stance-model","version":1,"classes":["supportive","neutral","critical"],"bias":[0,0],"weights":{}}"#,
                     #"{"format":"dyadwatch-stance-model","version":1,"classes":["neutral","supportive","critical"],"bias":[0,0,0],"weights":{}}"#]
        for (k, text) in cases.enumerated() {
            let url = dir.appendingPathComponent("m\(k).json")
            try Data(text.utf8).write(to: url)
            XCTAssertThrowsError(try StanceModel.load(url)) { XCTAssertTrue(String(describing: $0).contains(url.path)) }
        }
        XCTAssertThrowsError(try StanceModel.load(dir.appendingPathComponent("missing.json")))
    }
}
