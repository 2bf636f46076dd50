import Foundation
import DyadCore

/// A tiny deterministic stand-in for the article analyzer, so replay tests check the pipeline
/// (and their golden files do not change whenever the real lexicons are tuned).
enum KeywordAnalyzer {
    static let china = ["China", "Chinese", "Beijing"]
    static let russia = ["Russia", "Russian", "Moscow"]
    static let supportive = ["cooperation", "pledge", "joint"]
    static let critical = ["troop", "warns"]
    static let frames: [(Frame, [String])] = [(.military, ["drill", "troop", "naval"]), (.energy, ["gas", "energy"]),
                                              (.economy, ["deal", "markets", "grain"])]

    static func analyze(_ a: Article) -> ArticleAnalysisResult {
        let text = a.title + "\n" + a.text
        func has(_ words: [String]) -> String? { words.first { text.range(of: $0, options: .caseInsensitive) != nil } }
        var entities: [EntityMatch] = []
        if let w = has(china) { entities.append(EntityMatch(id: "CN", name: "China", side: .china, type: .country, mentions: [Mention(start: 0, end: w.count, text: w)])) }
        if let w = has(russia) { entities.append(EntityMatch(id: "RU", name: "Russia", side: .russia, type: .country, mentions: [Mention(start: 0, end: w.count, text: w)])) }
        if let w = has(["gas deal"]) { entities.append(EntityMatch(id: "GAZ", name: "Gazprom", side: .other, type: .organization, mentions: [Mention(start: 0, end: w.count, text: w)])) }
        let dyad = entities.contains { $0.side == .china } && entities.contains { $0.side == .russia }
        var evidence: [Evidence] = []
        var score = 0.0
        if let w = has(supportive) { score += 0.5; evidence.append(Evidence(text: a.title, cue: w, weight: 0.5, start: 0, end: w.count)) }
        if let w = has(critical) { score -= 0.5; evidence.append(Evidence(text: a.title, cue: w, weight: -0.5, start: 0, end: w.count)) }
        let label: StanceLabel = score > 0.2 ? .supportive : score < -0.2 ? .critical : .neutral
        let frameScores = frames.compactMap { f, words in
            has(words).map { FrameScore(id: f, score: 1, evidence: [Evidence(text: a.title, cue: $0, weight: 1, start: 0, end: $0.count)]) }
        }
        return ArticleAnalysisResult(id: a.id, language: a.language ?? "en", entities: entities,
                                     dyad: DyadResult(isDyad: dyad, relevance: dyad ? 0.9 : 0, sentences: dyad ? [a.title] : []),
                                     stance: StanceResult(label: label, score: score, confidence: 0.8, evidence: evidence),
                                     tone: ToneResult(china: entities.contains { $0.side == .china } ? score : nil,
                                                      russia: entities.contains { $0.side == .russia } ? score : nil),
                                     frames: frameScores)
    }
}
