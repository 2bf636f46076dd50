import Foundation

/// An article handed to the analyzer: a feed entry's title and plain text plus where it came from.
public struct Article: Codable, Sendable, Equatable {
    public var id: String
    public var title: String
    public var text: String
    public var outlet: String?
    /// ISO 639-1 hint from the feed (`en`, `ru`, `zh`); the analyzer detects the script anyway.
    public var language: String?
    public var published: Date?
    public init(id: String, title: String, text: String, outlet: String? = nil, language: String? = nil, published: Date? = nil) {
        self.id = id; self.title = title; self.text = text; self.outlet = outlet
        self.language = language; self.published = published
    }
}

/// Which side of the China–Russia story an actor belongs to.
public enum Side: String, Codable, Sendable, CaseIterable { case china, russia, us, west, ukraine, other }

/// What kind of thing an entity is.
public enum EntityType: String, Codable, Sendable, CaseIterable { case country, person, organization, place, initiative, event }

/// One occurrence of an entity; offsets count Unicode scalars in `title + "\n" + text`.
public struct Mention: Codable, Sendable, Equatable, Hashable {
    public var start: Int
    public var end: Int
    public var text: String
    public init(start: Int, end: Int, text: String) { self.start = start; self.end = end; self.text = text }
}

/// An actor, place or framework found in an article, with all its mentions.
public struct EntityMatch: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var side: Side
    public var type: EntityType
    public var mentions: [Mention]
    public init(id: String, name: String, side: Side, type: EntityType, mentions: [Mention]) {
        self.id = id; self.name = name; self.side = side; self.type = type; self.mentions = mentions
    }
}

/// Whether the article is about China and Russia together, and where it says so.
public struct DyadResult: Codable, Sendable, Equatable {
    public var isDyad: Bool
    /// 0…1: how central the China–Russia relationship is to the article.
    public var relevance: Double
    public var sentences: [String]
    public init(isDyad: Bool, relevance: Double, sentences: [String]) {
        self.isDyad = isDyad; self.relevance = relevance; self.sentences = sentences
    }
}

/// A phrase that moved a score, with its weight and offsets (Unicode scalars).
public struct Evidence: Codable, Sendable, Equatable {
    public var text: String
    public var cue: String
    public var weight: Double
    public var start: Int
    public var end: Int
    /// The body sentence holding the phrase (stance evidence; nil for a headline cue and for
    /// frame evidence), what an alert quotes.
    public var sentence: String?
    public init(text: String, cue: String, weight: Double, start: Int, end: Int, sentence: String? = nil) {
        self.text = text; self.cue = cue; self.weight = weight; self.start = start; self.end = end; self.sentence = sentence
    }
}

public enum StanceLabel: String, Codable, Sendable, CaseIterable { case supportive, neutral, critical }

/// Stance toward the China–Russia relationship.
public struct StanceResult: Codable, Sendable, Equatable {
    public var label: StanceLabel
    /// -1 (critical) … +1 (supportive).
    public var score: Double
    public var confidence: Double
    public var evidence: [Evidence]
    public init(label: StanceLabel, score: Double, confidence: Double, evidence: [Evidence]) {
        self.label = label; self.score = score; self.confidence = confidence; self.evidence = evidence
    }
}

/// Tone toward each side, -1 … +1; nil when the side is not mentioned.
public struct ToneResult: Codable, Sendable, Equatable {
    public var china: Double?
    public var russia: Double?
    public var us: Double?
    public init(china: Double? = nil, russia: Double? = nil, us: Double? = nil) {
        self.china = china; self.russia = russia; self.us = us
    }
}

/// The framing categories of the guidelines.
public enum Frame: String, Codable, Sendable, CaseIterable {
    case military, economy, energy, diplomacy
    case ukraineWar = "ukraine_war"
    case sanctions, multipolarity, technology, territory, other
}

public struct FrameScore: Codable, Sendable, Equatable {
    public var id: Frame
    public var score: Double
    public var evidence: [Evidence]
    public init(id: Frame, score: Double, evidence: [Evidence]) { self.id = id; self.score = score; self.evidence = evidence }
}

/// Everything the analyzer says about one article (the `analyze --jsonl` schema).
public struct ArticleAnalysisResult: Codable, Sendable, Equatable {
    public var id: String
    public var language: String
    public var entities: [EntityMatch]
    public var dyad: DyadResult
    public var stance: StanceResult
    public var tone: ToneResult
    public var frames: [FrameScore]
    public init(id: String, language: String, entities: [EntityMatch], dyad: DyadResult, stance: StanceResult,
                tone: ToneResult, frames: [FrameScore]) {
        self.id = id; self.language = language; self.entities = entities; self.dyad = dyad
        self.stance = stance; self.tone = tone; self.frames = frames
    }
    /// True when any China-side (resp. Russia-side) entity other than a place was found.
    public func mentions(_ side: Side) -> Bool {
        entities.contains { $0.side == side && $0.type != .place }
    }
}
