import Foundation
import DyadCore

/// A trained stance layer: multinomial logistic regression over `StanceFeatures`, stored as
/// readable JSON (one weight per class for each named feature). Loaded through
/// `[analysis] model = "PATH"` or `analyze --model`; `dyadwatch train` writes it.
public struct StanceModel: Codable, Sendable, Equatable {
    public static let formatName = "dyadwatch-stance-model"
    public static let classes: [StanceLabel] = [.supportive, .neutral, .critical]

    public var format: String = StanceModel.formatName
    public var version: Int = 1
    /// Class order of `bias` and of every weight vector.
    public var classes: [String] = StanceModel.classes.map(\.rawValue)
    public var bias: [Double]
    public var weights: [String: [Double]]
    /// How it was made: items, folds, regularisation, cross-validated scores (informational).
    public var training: [String: Double] = [:]

    public init(bias: [Double], weights: [String: [Double]], training: [String: Double] = [:]) {
        self.bias = bias
        self.weights = weights
        self.training = training
    }

    /// A model-file problem with the path and what is wrong.
    public struct LoadError: Error, CustomStringConvertible {
        public let path: String
        public let message: String
        public var description: String { "\(path): \(message)" }
    }

    public static func load(_ url: URL) throws -> StanceModel {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw LoadError(path: url.path, message: "cannot read the model file")
        }
        let model: StanceModel
        do { model = try JSONDecoder().decode(StanceModel.self, from: data) } catch {
            throw LoadError(path: url.path, message: "not a stance model (\(error))")
        }
        guard model.format == formatName, model.version == 1 else {
            throw LoadError(path: url.path, message: "format '\(model.format)' version \(model.version) is not \(formatName) version 1")
        }
        guard model.classes == classes.map(\.rawValue), model.bias.count == 3, model.weights.values.allSatisfy({ $0.count == 3 }),
              model.bias.allSatisfy(\.isFinite), model.weights.values.allSatisfy({ $0.allSatisfy(\.isFinite) }) else {
            throw LoadError(path: url.path, message: "classes must be supportive, neutral, critical with 3 finite weights each")
        }
        return model
    }

    /// Writes the model through `AtomicFile`: a full disk or an unwritable directory throws a
    /// `POSIXFailure` naming the file and the system's reason, and leaves any previous model whole.
    public func write(to url: URL) throws {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        try AtomicFile.write(try e.encode(self), to: url)
    }

    /// Class probabilities (softmax) for a feature vector, in `classes` order.
    public func probabilities(_ features: [String: Double]) -> [Double] {
        var z = bias
        for (name, value) in features {
            guard let w = weights[name] else { continue }
            for c in 0..<3 { z[c] += w[c] * value }
        }
        return StanceModel.softmax(z)
    }

    static func softmax(_ z: [Double]) -> [Double] {
        let m = z.max() ?? 0
        let e = z.map { exp($0 - m) }
        let s = e.reduce(0, +)
        return e.map { $0 / s }
    }

    /// The features that moved the predicted class most, for evidence ("w:axis +0.84").
    func strongest(_ features: [String: Double], forClass c: Int, limit: Int) -> [(String, Double)] {
        features.compactMap { name, value -> (String, Double)? in
            guard let w = weights[name] else { return nil }
            let contribution = (w[c] - (w[0] + w[1] + w[2]) / 3) * value
            return contribution > 0 ? (name, contribution) : nil
        }
        .sorted { $0.1 > $1.1 }
        .prefix(limit).map { $0 }
    }
}
