import Foundation
import DyadCore

/// The article analyzer: entities, China–Russia dyad, stance, tone and frames, each with evidence.
/// Loads its gazetteers and lexicons once; `analyze` is pure and safe to call from many threads.
public final class Analyzer: Sendable {
    let data: AnalysisData
    /// Optional trained stance layer (`[analysis] model`); nil = the rules alone.
    public let model: StanceModel?

    /// Loads the bundled data files, then `gazetteer-*.txt` / `lexicon-*.txt` from
    /// `extraDataDirectory` (feeds.conf `[analysis] data_dir`), which may add entities, aliases and
    /// cues or redefine an entity. Throws `AnalysisDataError` (file:line) on a bad line.
    public init(extraDataDirectory: URL? = nil, model: StanceModel? = nil) throws {
        self.model = model
        guard let bundled = Analyzer.bundledDataDirectory else {
            throw AnalysisDataError(file: "Resources", line: 0, message: "bundled analysis data not found")
        }
        var dirs = [bundled]
        if let extra = extraDataDirectory {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: extra.path, isDirectory: &isDir), isDir.boolValue else {
                throw AnalysisDataError(file: extra.path, line: 0, message: "analysis data_dir is not a directory")
            }
            dirs.append(extra)
        }
        data = try AnalysisData.load(directories: dirs)
    }

    /// Where the bundled data files live.
    public static var bundledDataDirectory: URL? { BundledDataLocation.directory }

    /// Number of entities and cues loaded (for `analyze --stats` and logs).
    public var dataSummary: (entities: Int, cues: Int) { (data.entities.count, data.cues.count) }

    /// Analyzes one article. Total: any input gives a result (empty text gives an empty result).
    public func analyze(_ article: Article) -> ArticleAnalysisResult {
        let scan = ArticleScan(data: data)
        scan.load(title: article.title, text: article.text)
        return result(of: scan, id: article.id, languageHint: article.language)
    }

    /// A fresh scan for this analyzer's data, for a worker that analyzes article after article
    /// (`ArticleScan.load`, then `result(of:)`), reusing its buffers.
    func makeScan() -> ArticleScan { ArticleScan(data: data) }

    /// The analysis of the article loaded into `scan`.
    func result(of scan: ArticleScan, id: String, languageHint: String?) -> ArticleAnalysisResult {
        let p = parts(of: scan, languageHint: languageHint)
        return ArticleAnalysisResult(id: id, language: p.language, entities: scan.entityMatches(), dyad: p.dyad,
                                     stance: p.stance, tone: p.tone, frames: p.frames)
    }

    /// The analysis of the article loaded into `scan`, but for the id and the entities, which a
    /// writer takes from the input line and the scan itself (`ResultJSONWriter.append(_:id:entitiesOf:)`).
    func parts(of scan: ArticleScan, languageHint: String?) -> AnalysisParts {
        let dyad = DyadDetector.detect(scan)
        var stance = StanceScorer.score(scan, dyad: dyad)
        if let model, dyad.result.isDyad {
            stance = Analyzer.apply(model, to: stance, features: StanceFeatures.extract(scan, dyad: dyad, stance: stance))
        }
        return AnalysisParts(language: LanguageGuess.guess(scan.text.scripts, hint: languageHint),
                             dyad: dyad.result, stance: stance, tone: ToneScorer.score(scan),
                             frames: FrameScorer.score(scan, dyad: dyad))
    }
}

/// `ArticleAnalysisResult` without its id and entities (see `Analyzer.parts`).
struct AnalysisParts {
    var language: String
    var dyad: DyadResult
    var stance: StanceResult
    var tone: ToneResult
    var frames: [FrameScore]
}

extension Analyzer {
    /// Evidence items naming the model features that decided the label.
    static let modelEvidence = 5

    /// The model decides label, score (P(supportive) − P(critical)) and confidence (the winning
    /// probability); the rule evidence stays, followed by the features that weighed most.
    static func apply(_ model: StanceModel, to rules: StanceResult, features: [String: Double]) -> StanceResult {
        let p = model.probabilities(features)
        let best = p.indices.max { p[$0] < p[$1] } ?? 1
        var evidence = rules.evidence
        for (name, weight) in model.strongest(features, forClass: best, limit: modelEvidence) {
            evidence.append(Evidence(text: name, cue: "model", weight: (weight * 1000).rounded() / 1000, start: -1, end: -1))
        }
        return StanceResult(label: StanceModel.classes[best], score: ((p[0] - p[2]) * 1000).rounded() / 1000,
                            confidence: (p[best] * 1000).rounded() / 1000, evidence: evidence)
    }

    /// A training example: the features of a gold item labelled with `label`. An item the detector
    /// does not take for a dyad is read through every sentence naming China or Russia.
    public func trainingExample(_ article: Article, label: StanceLabel) -> StanceTrainer.Example {
        let text = NormalizedText(title: article.title, text: article.text)
        let scan = ArticleScan(text: text, data: data)
        var dyad = DyadDetector.detect(scan)
        let rules = StanceScorer.score(scan, dyad: dyad)
        if !dyad.result.isDyad {
            dyad.result.isDyad = true
            dyad.sentenceWeights = scan.sentences.map { $0.sides.contains(.china) || $0.sides.contains(.russia) ? 1 : 0 }
        }
        let stance = StanceScorer.score(scan, dyad: dyad)
        return StanceTrainer.Example(id: article.id, features: StanceFeatures.extract(scan, dyad: dyad, stance: stance),
                                     label: label, ruleLabel: rules.label)
    }
}

/// Caps that keep output and memory bounded on huge inputs (documented in ARCHITECTURE.md).
enum Limits {
    /// Pattern hits kept per article (12 bytes each); beyond this the rest of a huge text is not scored.
    static let maxHits = 2_000_000
    /// Mentions listed per entity.
    static let maxMentionsPerEntity = 500
    /// Evidence items listed for stance.
    static let maxStanceEvidence = 40
    /// Evidence items listed per frame.
    static let maxFrameEvidence = 10
    /// Dyad sentences listed.
    static let maxDyadSentences = 20
    /// Characters kept of a listed sentence.
    static let maxSentenceScalars = 400
}

/// Guesses the language from the script of the letters (en/ru/zh), falling back to the feed's hint.
enum LanguageGuess {
    /// Weight of one CJK character against one Latin/Cyrillic letter (a CJK character is about a word).
    static let cjkWeight = 3
    /// Bytes sampled from the start of the text (the script is clear after a few sentences; keeps it O(1)).
    static let sampleBytes = 1_024

    /// Byte → one-hot script bit: 1 ASCII letter, 2 Cyrillic lead byte (0xD0–0xD3), 4 lead byte
    /// of a CJK character (0xE3–0xE9). A table lookup and three adds per byte, no branches.
    static let scriptBits: [UInt8] = (0..<256).map { (b: Int) -> UInt8 in
        if (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) { return 1 }
        if (0xD0...0xD3).contains(b) { return 2 }
        if (0xE3...0xE9).contains(b) { return 4 }
        return 0
    }

    /// Letters counted by script (ASCII letters, Cyrillic lead bytes, CJK lead bytes).
    struct ScriptCounts: Equatable {
        var latin = 0, cyrillic = 0, cjk = 0
    }

    /// The letters of the first `sampleBytes` bytes by script, byte by byte: the plain form of
    /// what `NormalizedText.load` counts while folding (`NormalizedText.scripts`; tests hold them equal).
    static func count(_ bytes: [UInt8]) -> ScriptCounts {
        var counts = ScriptCounts()
        for b in bytes.prefix(sampleBytes) {
            let bit = scriptBits[Int(b)]
            counts.latin += Int(bit & 1)
            counts.cyrillic += Int((bit >> 1) & 1)
            counts.cjk += Int(bit >> 2)
        }
        return counts
    }

    /// The language from letter counts, else from the feed's hint.
    static func guess(_ counts: ScriptCounts, hint: String?) -> String {
        let latin = counts.latin, cyrillic = counts.cyrillic, cjk = counts.cjk * cjkWeight
        if latin == 0 && cyrillic == 0 && cjk == 0 { return hint.map { String($0.prefix(2)).lowercased() } ?? "und" }
        if cjk >= latin && cjk >= cyrillic { return "zh" }
        if cyrillic >= latin { return "ru" }
        return "en"
    }
}
