import Foundation
import DyadCore

/// Fits `StanceModel` by multinomial logistic regression (full-batch gradient descent with L2 on
/// the weights) and scores it by k-fold cross-validation. Deterministic: folds come from a stable
/// hash of the item ids, so the same gold files give the same model and scores.
public struct StanceTrainer {
    public struct Example {
        public var id: String
        public var features: [String: Double]
        public var label: StanceLabel
        /// What the untrained rules said, for comparison in the report.
        public var ruleLabel: StanceLabel
        public init(id: String, features: [String: Double], label: StanceLabel, ruleLabel: StanceLabel) {
            self.id = id; self.features = features; self.label = label; self.ruleLabel = ruleLabel
        }
    }

    public var l2 = 0.01
    public var epochs = 300
    public var learningRate = 0.5
    /// Features seen in fewer training items are dropped (noise, and keeps the file small).
    public var minCount = 2

    public init() {}

    public func fit(_ examples: [Example]) -> StanceModel {
        var counts: [String: Int] = [:]
        for e in examples { for name in e.features.keys { counts[name, default: 0] += 1 } }
        let names = counts.filter { $0.value >= minCount || $0.key.hasPrefix("rule:") || $0.key.hasPrefix("bias:") }.keys.sorted()
        var index: [String: Int] = [:]
        for (i, n) in names.enumerated() { index[n] = i }
        let rows: [[(Int, Double)]] = examples.map { e in e.features.compactMap { k, v in index[k].map { ($0, v) } } }
        let y = examples.map { StanceModel.classes.firstIndex(of: $0.label)! }
        var w = [[Double]](repeating: [0, 0, 0], count: names.count)
        var b = [0.0, 0.0, 0.0]
        let n = Double(max(1, examples.count))
        // Class weights: rare classes (critical) count as much as common ones in the loss.
        var classCount = [0.0, 0.0, 0.0]
        for c in y { classCount[c] += 1 }
        let classWeight = classCount.map { $0 > 0 ? n / (3 * $0) : 0 }
        // AdaGrad keeps the step size sane for features of very different scales.
        var gw2 = [[Double]](repeating: [1e-8, 1e-8, 1e-8], count: names.count)
        var gb2 = [1e-8, 1e-8, 1e-8]
        for _ in 0..<epochs {
            var gw = [[Double]](repeating: [0, 0, 0], count: names.count)
            var gb = [0.0, 0.0, 0.0]
            for (r, row) in rows.enumerated() {
                var z = b
                for (j, v) in row { for c in 0..<3 { z[c] += w[j][c] * v } }
                let p = StanceModel.softmax(z)
                for c in 0..<3 {
                    let g = (p[c] - (y[r] == c ? 1 : 0)) * classWeight[y[r]] / n
                    gb[c] += g
                    for (j, v) in row { gw[j][c] += g * v }
                }
            }
            for c in 0..<3 {
                gb2[c] += gb[c] * gb[c]
                b[c] -= learningRate * gb[c] / gb2[c].squareRoot()
            }
            for j in 0..<names.count {
                for c in 0..<3 {
                    let g = gw[j][c] + l2 * w[j][c]
                    gw2[j][c] += g * g
                    w[j][c] -= learningRate * g / gw2[j][c].squareRoot()
                }
            }
        }
        var weights: [String: [Double]] = [:]
        for (j, name) in names.enumerated() where w[j].contains(where: { abs($0) >= 1e-4 }) {
            weights[name] = w[j].map { ($0 * 10_000).rounded() / 10_000 }
        }
        return StanceModel(bias: b.map { ($0 * 10_000).rounded() / 10_000 }, weights: weights,
                           training: ["items": n, "l2": l2, "epochs": Double(epochs), "features": Double(weights.count)])
    }

    /// Scores of one cross-validation fold.
    public struct FoldScore {
        public var fold: Int
        public var items: Int
        public var macroF1: Double
        public var accuracy: Double
        public var ruleMacroF1: Double
    }

    /// k-fold cross-validation: each fold is predicted by a model fitted on the others.
    public func crossValidate(_ examples: [Example], folds k: Int) -> [FoldScore] {
        let assignment = examples.map { Int(StanceTrainer.stableHash($0.id) % UInt64(max(1, k))) }
        var scores: [FoldScore] = []
        for fold in 0..<k {
            let train = examples.indices.filter { assignment[$0] != fold }.map { examples[$0] }
            let test = examples.indices.filter { assignment[$0] == fold }.map { examples[$0] }
            guard !test.isEmpty, !train.isEmpty else { continue }
            let model = fit(train)
            let predicted = test.map { StanceModel.classes[argmax(model.probabilities($0.features))] }
            let gold = test.map(\.label)
            scores.append(FoldScore(fold: fold + 1, items: test.count,
                                    macroF1: StanceTrainer.macroF1(gold, predicted),
                                    accuracy: Double(zip(gold, predicted).filter { $0 == $1 }.count) / Double(test.count),
                                    ruleMacroF1: StanceTrainer.macroF1(gold, test.map(\.ruleLabel))))
        }
        return scores
    }

    func argmax(_ p: [Double]) -> Int { p.indices.max { p[$0] < p[$1] } ?? 1 }

    /// Macro-F1 over the classes present in the gold labels (as the project's evaluation script).
    public static func macroF1(_ gold: [StanceLabel], _ predicted: [StanceLabel]) -> Double {
        var f1s: [Double] = []
        for c in StanceModel.classes where gold.contains(c) {
            let tp = Double(zip(gold, predicted).filter { $0 == c && $1 == c }.count)
            let fp = Double(zip(gold, predicted).filter { $0 != c && $1 == c }.count)
            let fn = Double(zip(gold, predicted).filter { $0 == c && $1 != c }.count)
            let p = tp + fp > 0 ? tp / (tp + fp) : 1, r = tp + fn > 0 ? tp / (tp + fn) : 1
            f1s.append(p + r > 0 ? 2 * p * r / (p + r) : 0)
        }
        return f1s.isEmpty ? 0 : f1s.reduce(0, +) / Double(f1s.count)
    }

    /// FNV-1a over the UTF-8 bytes: stable across runs and platforms (Swift's `hashValue` is seeded).
    static func stableHash(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }
}
