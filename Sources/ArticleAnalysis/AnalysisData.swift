import Foundation
import DyadCore

/// A data-file problem, reported with the file and line so users extending the lists can fix it.
public struct AnalysisDataError: Error, CustomStringConvertible, Sendable {
    public let file: String
    public let line: Int
    public let message: String
    public var description: String { "\(file):\(line): \(message)" }
}

/// One gazetteer entity (from an `entity` line).
struct EntityInfo: Sendable {
    var id: String
    var name: String
    var side: Side
    var type: EntityType
}

/// What a lexicon cue does. Scoring cues carry signed weights; modifiers carry multipliers.
enum CueCategory: Hashable, Sendable {
    /// Evaluates the China–Russia relationship: + supportive, − critical.
    case stance
    /// An evaluation one holder makes of an object ("praises", "hails", "voices support for",
    /// "高度评价"): supportive like `stance`, but only when a partner holds it — a third party's
    /// praise ("receives praise from the Philippine FM") is not a verdict on the ties.
    case appraisal
    /// Claims one side helps/arms/backs the other; positive unless denied (then distancing, critical).
    case aid
    /// Arms and materiel passing between the two (weapons, drone parts, dual-use goods): says nothing
    /// on its own (a transaction), critical when denied, rebutted or presented as an accusation.
    case arms
    /// General sentiment toward the nearest actor.
    case tone
    /// Evidence for a frame.
    case frame(Frame)
    /// Flips the sign of a cue that follows closely ("not", "не", "不").
    case negator
    /// Multiplies a cue that follows closely ("very", "очень", "非常").
    case intensifier
    /// Damps every cue of its sentence ("may", "reportedly", "возможно", "可能").
    case hedge
    /// Splits a sentence: cues before it count less, after it more ("but", "однако", "但是").
    case contrast
    /// Opens a concessive clause ("although", "despite", "хотя", "虽然"): cues after it count less.
    case concession
    /// Rejection of a claim ("denies", "rebuffs", "отрицает", "否认"): turns `aid` cues critical.
    case denial
    /// Dismissal of critics ("smear", "hype", "клевета", "抹黑"): turns critical cues about the
    /// relationship into a defence of it.
    case rebuttal
    /// Opens a background clause ("amid X", "на фоне X"): actors named after it are not parties.
    case backdrop
    /// Talks about a relationship without naming both actors ("the two countries", "两国").
    case relation
    /// A third party accusing or warning ("accuses", "обвиняет", "指责"): turns `aid` cues critical.
    case accusation
    /// A locative word right before a city ("в Москве", "在莫斯科"): the city is a place, not the government.
    case locative
    /// A refusal or distancing verb ("refuses to", "отказался", "拒绝"): flips the cue it governs
    /// ("refuses to supply" → critical, "refuses to condemn" → supportive); alone, it is critical.
    case refusal
    /// A speech verb of reproach ("warns", "критикуют", "批评"): when its speaker is a third party
    /// (attribution) and the sentence has no evaluative cue of its own, the ties are portrayed as a threat.
    case reproach
    /// An envoy's posting ("ambassador to", "посол КНР в", "驻"): the country named right after it is
    /// where the envoy serves, not a party to the pair ("Chinese ambassador to Russia attends…").
    case posting

    /// Parses the category column of a lexicon line.
    init?(_ text: String) {
        switch text {
        case "stance": self = .stance
        case "appraisal": self = .appraisal
        case "aid": self = .aid
        case "arms": self = .arms
        case "tone": self = .tone
        case "negator": self = .negator
        case "intensifier": self = .intensifier
        case "hedge": self = .hedge
        case "contrast": self = .contrast
        case "concession": self = .concession
        case "denial": self = .denial
        case "rebuttal": self = .rebuttal
        case "relation": self = .relation
        case "backdrop": self = .backdrop
        case "accusation": self = .accusation
        case "locative": self = .locative
        case "refusal": self = .refusal
        case "reproach": self = .reproach
        case "posting": self = .posting
        default:
            guard text.hasPrefix("frame."), let f = Frame(rawValue: String(text.dropFirst(6))) else { return nil }
            self = .frame(f)
        }
    }
}

/// One lexicon cue as written in its data file.
struct CueInfo: Sendable {
    var category: CueCategory
    var weight: Double
    var language: String
    /// The phrase as written in the data file (before alternation expansion), shown as `cue`.
    var phrase: String
}

/// What a compiled pattern stands for: one or more entities (e.g. 中俄 → china, russia) or a cue.
struct PatternTarget: Sendable {
    var entities: [Int]
    var cue: Int?
}

/// Gazetteer and lexicon, compiled into one pattern trie. A class so that each article's scan
/// holds one reference instead of copying (and retaining) a dozen tables. Filled by `load` and
/// never mutated afterwards, hence safe to share between threads.
final class AnalysisData: @unchecked Sendable {
    static let languages: Set<String> = ["en", "ru", "zh", "any"]

    private(set) var entities: [EntityInfo] = []
    private(set) var cues: [CueInfo] = []
    private(set) var targets: [PatternTarget] = []
    private(set) var trie = PatternTrie()
    /// Per pattern: index into `targets` and overlap layer (precomputed for the hot path).
    private(set) var patternTarget: [Int32] = []
    private(set) var patternLayer: [UInt8] = []
    /// Per cue: category and weight (precomputed: `CueInfo` carries a String, costly to copy).
    private(set) var cueCategory: [CueCategory] = []
    private(set) var cueWeight: [Double] = []
    /// Per entity: side and whether it is an actor (not a place), so hits carry them without
    /// copying `EntityInfo` (two Strings) on the hot path.
    private(set) var entitySide: [Side] = []
    private(set) var entityIsActor: [Bool] = []
    /// Entities that are cities as well as seats of government (`city` lines).
    private(set) var cityEntities: Set<Int> = []
    private(set) var entityIsCity: [Bool] = []
    /// Per target: its cue (or -1) and its entities as a range of `targetEntityList` (no nested arrays to retain).
    private(set) var targetCue: [Int32] = []
    private(set) var targetEntityRange: [Range<Int>] = []
    private(set) var targetEntityList: [Int] = []
    /// Per entity: its result object around the mentions as JSON (`ResultJSONWriter.entityEnvelope`),
    /// ranges of one byte array, so `analyze --jsonl` copies bytes instead of escaping Strings.
    private(set) var entityJSON: [UInt8] = []
    private(set) var entityJSONHead: [Range<Int>] = []
    private(set) var entityJSONTail: [Range<Int>] = []
    /// The per-hit tables above as pointers for the hot loops (set once loading is complete).
    private(set) var tables = AnalysisTables()

    deinit { tables.deallocate() }

    /// Loads every `gazetteer-*.txt` and `lexicon-*.txt` in the given directories (in order).
    /// Entities are collected from all files first so aliases may refer to entities of any file.
    static func load(directories: [URL]) throws -> AnalysisData {
        var files: [(URL, String)] = []
        for dir in directories {
            let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
            for name in names where name.hasSuffix(".txt") && (name.hasPrefix("gazetteer-") || name.hasPrefix("lexicon-")) {
                let url = dir.appendingPathComponent(name)
                guard let data = FileManager.default.contents(atPath: url.path) else {
                    throw AnalysisDataError(file: url.path, line: 0, message: "cannot read file")
                }
                guard let text = String(data: data, encoding: .utf8) else {
                    throw AnalysisDataError(file: url.path, line: 0, message: "not valid UTF-8")
                }
                files.append((url, text))
            }
        }
        let d = AnalysisData()
        var index: [String: Int] = [:]
        // Pass 1: entities.
        for (url, text) in files where url.lastPathComponent.hasPrefix("gazetteer-") {
            try forEachLine(text, url) { line, fields, keyword in
                guard keyword == "entity" else { return }
                guard fields.count == 4 else { throw err(url, line, "entity needs 4 fields: id | name | side | type") }
                let id = fields[0]
                guard !id.isEmpty, id.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }) else {
                    throw err(url, line, "entity id '\(id)' must be lower-case ASCII letters, digits or _")
                }
                guard let side = Side(rawValue: fields[2]) else { throw err(url, line, "unknown side '\(fields[2])'") }
                guard let type = EntityType(rawValue: fields[3]) else { throw err(url, line, "unknown type '\(fields[3])'") }
                if let existing = index[id] {
                    d.entities[existing] = EntityInfo(id: id, name: fields[1], side: side, type: type)
                } else {
                    index[id] = d.entities.count
                    d.entities.append(EntityInfo(id: id, name: fields[1], side: side, type: type))
                }
            }
        }
        // Pass 2: aliases and cues. Their patterns go to the trie on a second thread, file by file.
        let build = BackgroundTrieBuild()
        defer { build.cancel() }
        for (url, text) in files {
            let isGazetteer = url.lastPathComponent.hasPrefix("gazetteer-")
            var batch: [BackgroundTrieBuild.Item] = []
            try forEachLine(text, url) { line, fields, keyword in
                if batch.count >= BackgroundTrieBuild.batchSize {
                    build.add(batch)
                    batch.removeAll()
                }
                if isGazetteer {
                    if keyword == "entity" { return }
                    if keyword == "block" {
                        // Words that contain a name without naming the actor (俄语 "Russian language",
                        // 北京时间 "Beijing time"): matched in the entity layer, they hide the shorter name.
                        guard fields.count == 2 else { throw err(url, line, "block needs 2 fields: language | patterns") }
                        guard languages.contains(fields[0]) else { throw err(url, line, "unknown language '\(fields[0])'") }
                        try d.addPatterns(fields[1], target: PatternTarget(entities: [], cue: nil), url, line, into: &batch)
                        return
                    }
                    if keyword == "city" {
                        // Seats of government that are also cities: a mention used as a place
                        // (after a locative cue, or as a dateline) is not the government.
                        guard fields.count == 1 else { throw err(url, line, "city needs: entity, entity, ...") }
                        for id in AnalysisData.list(fields[0], separator: ",") {
                            guard let i = index[id] else { throw err(url, line, "unknown entity '\(id)'") }
                            d.cityEntities.insert(i)
                        }
                        return
                    }
                    guard keyword == "alias" else { throw err(url, line, "expected 'entity', 'alias', 'block' or 'city', got '\(keyword)'") }
                    guard fields.count == 3 else { throw err(url, line, "alias needs 3 fields: ids | language | patterns") }
                    var ids: [Int] = []
                    for id in AnalysisData.list(fields[0], separator: ",") {
                        guard let i = index[id] else { throw err(url, line, "unknown entity '\(id)'") }
                        ids.append(i)
                    }
                    guard languages.contains(fields[1]) else { throw err(url, line, "unknown language '\(fields[1])'") }
                    let target = PatternTarget(entities: ids, cue: nil)
                    try d.addPatterns(fields[2], target: target, url, line, into: &batch)
                } else {
                    guard let category = CueCategory(keyword) else { throw err(url, line, "unknown cue category '\(keyword)'") }
                    guard fields.count == 3 else { throw err(url, line, "cue needs: category | language | weight | patterns") }
                    guard languages.contains(fields[0]) else { throw err(url, line, "unknown language '\(fields[0])'") }
                    guard let weight = Double(fields[1]), weight.isFinite, abs(weight) <= 10 else {
                        throw err(url, line, "weight '\(fields[1])' is not a number in -10…10")
                    }
                    for p in AnalysisData.list(fields[2], separator: ";") where !p.isEmpty {
                        let cueIndex = d.cues.count
                        d.cues.append(CueInfo(category: category, weight: weight, language: fields[0], phrase: AnalysisData.withoutMarks(p)))
                        try d.addPatterns(p, target: PatternTarget(entities: [], cue: cueIndex), url, line, into: &batch)
                    }
                }
            }
            build.add(batch)
        }
        // The tables that do not depend on the trie, while the builder thread freezes it.
        d.cueCategory = d.cues.map(\.category)
        d.cueWeight = d.cues.map(\.weight)
        d.entitySide = d.entities.map(\.side)
        d.entityIsActor = d.entities.map { $0.type != .place }
        d.entityIsCity = d.entities.indices.map { d.cityEntities.contains($0) }
        for e in d.entities {
            let (head, tail) = ResultJSONWriter.entityEnvelope(id: e.id, name: e.name, side: e.side, type: e.type)
            d.entityJSONHead.append(d.entityJSON.count..<(d.entityJSON.count + head.count))
            d.entityJSON.append(contentsOf: head)
            d.entityJSONTail.append(d.entityJSON.count..<(d.entityJSON.count + tail.count))
            d.entityJSON.append(contentsOf: tail)
        }
        for t in d.targets {
            d.targetCue.append(t.cue.map { Int32($0) } ?? -1)
            d.targetEntityRange.append(d.targetEntityList.count..<(d.targetEntityList.count + t.entities.count))
            d.targetEntityList.append(contentsOf: t.entities)
        }
        d.trie = build.finish()
        d.patternTarget = d.trie.patterns.map { $0.payload }
        d.patternLayer = d.trie.patterns.map { UInt8(ArticleScan.layer(d.targets[Int($0.payload)], d)) }
        d.tables = AnalysisTables(d)
        return d
    }

    /// Splits a data file into (line number, fields after the keyword, keyword); skips comments.
    /// Lines look like `keyword field | field | ...` (the keyword is the first word).
    private static func forEachLine(_ text: String, _ url: URL, _ body: (Int, [String], String) throws -> Void) throws {
        var text = text
        try text.withUTF8 { bytes in
            try DataFileText.forEachLine(bytes, malformed: { err(url, $0, "expected 'keyword field | field ...'") }, body)
        }
    }

    /// The items of a `separator`-separated field, trimmed (an item of only white space is
    /// kept, empty; nothing between two separators is no item).
    static func list(_ field: String, separator: Character) -> [String] {
        var field = field
        return field.withUTF8 { b in
            DataFileText.split(b, 0..<b.count, on: separator.asciiValue!).compactMap { r in
                r.isEmpty ? nil : DataFileText.string(b, DataFileText.trimmed(b, r))
            }
        }
    }

    /// A cue phrase as shown in results: without the `=` and `*` pattern marks at its ends.
    static func withoutMarks(_ phrase: String) -> String {
        func isMark(_ b: UInt8) -> Bool { b == UInt8(ascii: "=") || b == UInt8(ascii: "*") }
        let u = Array(phrase.utf8)
        guard let first = u.firstIndex(where: { !isMark($0) }) else { return "" }
        let last = u.lastIndex(where: { !isMark($0) })!
        return String(decoding: u[first...last], as: UTF8.self)
    }

    private static func err(_ url: URL, _ line: Int, _ message: String) -> AnalysisDataError {
        AnalysisDataError(file: url.path, line: line, message: message)
    }

    /// Adds every pattern of a `;`-separated list. Syntax: `=` prefix = case-sensitive; `*` suffix =
    /// stem (any word ending); `{a|b|}` = alternative endings; `'` also matches `’`.
    /// The compiled patterns go to `batch`, for the trie.
    private func addPatterns(_ list: String, target: PatternTarget, _ url: URL, _ line: Int,
                             into batch: inout [BackgroundTrieBuild.Item]) throws {
        let targetIndex = Int32(targets.count)
        targets.append(target)
        var added = 0
        for item in AnalysisData.list(list, separator: ";") where !item.isEmpty {
            var p = Array(item.utf8)
            let caseSensitive = p.first == UInt8(ascii: "=")
            if caseSensitive { p.removeFirst() }
            let stem = p.last == UInt8(ascii: "*")
            if stem { p.removeLast() }
            for e in try PatternSyntax.expand(p, url, line) {
                for bytes in PatternSyntax.apostropheVariants(e) {
                    var folded = NormalizedText.fold(bytes)
                    // `word*` inside a phrase: the wildcard byte, which must be followed by a space.
                    for k in folded.indices where folded[k] == UInt8(ascii: "*") {
                        guard k > 0, k + 1 < folded.count, folded[k + 1] == 0x20 else {
                            throw AnalysisDataError(file: url.path, line: line, message: "'*' must end a word: '\(String(decoding: e, as: UTF8.self))'")
                        }
                        folded[k] = PatternTrie.wildcard
                    }
                    guard let last = folded.last else { continue }
                    let lastIsWord = ByteClass.isWordLead[Int(last)] || (last & 0xC0 == 0x80 && AnalysisData.lastScalarIsWord(folded))
                    batch.append(BackgroundTrieBuild.Item(folded: folded, pattern: PatternTrie.Pattern(
                        payload: targetIndex, rightBoundary: !stem && lastIsWord, stem: stem && lastIsWord, exact: caseSensitive ? bytes : nil)))
                    added += 1
                }
            }
        }
        if added == 0 { throw AnalysisDataError(file: url.path, line: line, message: "no patterns") }
    }

    private static func lastScalarIsWord(_ bytes: [UInt8]) -> Bool {
        var j = bytes.count - 1
        while j > 0 && bytes[j] & 0xC0 == 0x80 { j -= 1 }
        return ByteClass.isWordLead[Int(bytes[j])]
    }
}
