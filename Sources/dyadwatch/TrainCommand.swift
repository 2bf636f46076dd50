import ArgumentParser
import ArticleAnalysis
import DyadCore
import Foundation

/// `dyadwatch train --gold FILE... --out MODEL`: fits the optional stance layer (multinomial logistic
/// regression over the analyzer's own cue, structure and n-gram features) on gold-format JSON lines,
/// prints k-fold cross-validated scores beside the untrained rules' scores, and writes the model as
/// JSON for `[analysis] model = "PATH"`.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Fit a stance model on labelled items and print cross-validated scores.",
        discussion: """
        Gold lines: {"id","title","text","labels":{"dyad":true,"stance":"supportive|neutral|critical"}} \
        (the format of shared/eval/gold). Only items labelled dyad with a stance are used.
        """)

    @Option(name: .long, parsing: .upToNextOption, help: "Gold JSON-lines files.")
    var gold: [String]

    @Option(name: .long, help: "Where to write the model (JSON).")
    var out: String

    @Option(name: .long, help: "Cross-validation folds.")
    var folds = 5

    @Option(name: .long, help: "L2 regularisation strength.")
    var l2 = 0.01

    @Option(name: .long, help: "Gradient-descent passes over the data.")
    var epochs = 300

    @Option(name: .long, help: "Extra gazetteer/lexicon directory ([analysis] data_dir), as for analyze.")
    var dataDir: String?

    struct GoldRecord: Decodable {
        struct Labels: Decodable {
            var dyad: Bool?
            var stance: String?
        }
        var id: String
        var title: String?
        var text: String?
        var labels: Labels?
    }

    func validate() throws {
        guard folds >= 2 else { throw ValidationError("--folds must be at least 2") }
        guard l2 >= 0, l2.isFinite else { throw ValidationError("--l2 must be a non-negative number") }
        guard epochs >= 1 else { throw ValidationError("--epochs must be at least 1") }
    }

    func run() throws {
        let analyzer = try AnalyzeCommand.makeAnalyzer(dataDir: dataDir.map { URL(fileURLWithPath: $0) }, model: nil)
        var examples: [StanceTrainer.Example] = []
        var skipped = 0
        let decoder = JSONDecoder()
        for path in gold {
            guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read \(path)") }
            for (n, line) in data.split(separator: 0x0A).enumerated() where !line.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) {
                let record: GoldRecord
                do { record = try decoder.decode(GoldRecord.self, from: Data(line)) } catch {
                    throw ValidationError("\(path):\(n + 1): not a gold record (\(error))")
                }
                guard record.labels?.dyad == true, let raw = record.labels?.stance else { skipped += 1; continue }
                guard let label = StanceLabel(rawValue: raw) else {
                    throw ValidationError("\(path):\(n + 1): stance '\(raw)' is not supportive, neutral or critical")
                }
                let article = Article(id: record.id, title: record.title ?? "", text: record.text ?? "")
                examples.append(analyzer.trainingExample(article, label: label))
            }
        }
        let counts = StanceModel.classes.map { c in examples.filter { $0.label == c }.count }
        print("items: \(examples.count) (supportive \(counts[0]), neutral \(counts[1]), critical \(counts[2])); \(skipped) without a dyad stance skipped")
        guard examples.count >= folds, counts.filter({ $0 > 0 }).count >= 2 else {
            throw ValidationError("need at least \(folds) labelled dyad items in two classes or more")
        }
        var trainer = StanceTrainer()
        trainer.l2 = l2
        trainer.epochs = epochs
        let scores = trainer.crossValidate(examples, folds: folds)
        print("fold  items  macroF1  accuracy  rules-macroF1")
        for s in scores {
            print(String(format: "%4d  %5d  %7.3f  %8.3f  %13.3f", s.fold, s.items, s.macroF1, s.accuracy, s.ruleMacroF1))
        }
        let mean = { (f: (StanceTrainer.FoldScore) -> Double) in scores.map(f).reduce(0, +) / Double(max(1, scores.count)) }
        let cvF1 = mean(\.macroF1), ruleF1 = mean(\.ruleMacroF1)
        print(String(format: "cross-validated macro-F1 %.3f (accuracy %.3f); untrained rules on the same folds %.3f", cvF1, mean(\.accuracy), ruleF1))
        var model = trainer.fit(examples)
        model.training["cvMacroF1"] = (cvF1 * 1000).rounded() / 1000
        model.training["rulesMacroF1"] = (ruleF1 * 1000).rounded() / 1000
        model.training["folds"] = Double(folds)
        try model.write(to: URL(fileURLWithPath: out))
        print("wrote \(out): \(model.weights.count) features")
        if cvF1 < ruleF1 {
            print("note: the model scores below the untrained rules on these folds; more labelled items may help")
        }
    }
}
