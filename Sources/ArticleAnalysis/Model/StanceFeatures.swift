import DyadCore

/// The features a trained stance model reads, named so a model file can be read by a person:
/// the rule scorer's own verdict (`rule:*`), each cue that fired with its signed weight
/// (`cue:<phrase>`), structure counts (`struct:*`), and word n-grams of the sentences about the pair
/// (`w:<word>`, `b:<word word>`; CJK as character bigrams). Computed only when a model is loaded
/// or trained: the default analyzer never builds these strings.
enum StanceFeatures {
    /// Most n-gram features taken per article (bounds work on huge bodies).
    static let maxNgrams = 400

    static func extract(_ scan: ArticleScan, dyad: DyadDetector.Outcome, stance: StanceResult) -> [String: Double] {
        var f: [String: Double] = ["bias:rules": 1]
        f["rule:score"] = stance.score
        f["rule:" + stance.label.rawValue] = 1
        var pos = 0.0, neg = 0.0
        for e in stance.evidence {
            if e.weight > 0 { pos += e.weight } else { neg -= e.weight }
            f["cue:" + e.cue.lowercased(), default: 0] += e.weight
        }
        f["rule:positive"] = pos
        f["rule:negative"] = neg
        var ngrams = 0
        for (k, s) in scan.sentences.enumerated() where dyad.weight(of: k) > 0 {
            if scan.isQuestion(k) { f["struct:question", default: 0] += 1 }
            for c in scan.cues[s.cues] {
                switch scan.category(c) {
                case .negator where scan.weight(c) != 0: f["struct:negation", default: 0] += 1
                case .refusal: f["struct:refusal", default: 0] += 1
                case .denial: f["struct:denial", default: 0] += 1
                case .rebuttal: f["struct:rebuttal", default: 0] += 1
                case .accusation: f["struct:accusation", default: 0] += 1
                case .reproach: f["struct:reproach", default: 0] += 1
                case .hedge: f["struct:hedge", default: 0] += 1
                case .contrast: f["struct:contrast", default: 0] += 1
                case .concession: f["struct:concession", default: 0] += 1
                default: break
                }
            }
            for token in tokens(scan, s) where ngrams < maxNgrams {
                f[token] = 1
                ngrams += 1
            }
        }
        return f
    }

    /// Unigrams and bigrams of folded words (Latin/Cyrillic), character bigrams for CJK runs.
    static func tokens(_ scan: ArticleScan, _ s: SentenceInfo) -> [String] {
        let f = scan.text.folded
        var words: [String] = []
        var out: [String] = []
        var i = s.start
        func isLetterStart(_ b: UInt8) -> Bool { (b >= 0x61 && b <= 0x7A) || b == 0xD0 || b == 0xD1 || (b >= 0x30 && b <= 0x39) }
        while i < s.end {
            let b = f[i]
            if isLetterStart(b) {
                var j = i
                while j < s.end, isLetterStart(f[j]) || (f[j] & 0xC0 == 0x80 && j > i) || f[j] == 0x27 { j += 1 }
                words.append(String(decoding: f[i..<j], as: UTF8.self))
                i = j
            } else if b >= 0xE4 && b <= 0xE9 {
                // CJK run: character bigrams.
                var chars: [Range<Int>] = []
                var j = i
                while j + 2 < s.end + 1 && f[j] >= 0xE4 && f[j] <= 0xE9 { chars.append(j..<(j + 3)); j += 3 }
                for k in 0..<chars.count {
                    let end = k + 1 < chars.count ? chars[k + 1].upperBound : chars[k].upperBound
                    out.append("c:" + String(decoding: f[chars[k].lowerBound..<end], as: UTF8.self))
                }
                i = max(j, i + 1)
            } else {
                i += 1
            }
        }
        for (k, w) in words.enumerated() {
            out.append("w:" + w)
            if k + 1 < words.count { out.append("b:" + w + " " + words[k + 1]) }
        }
        return out
    }
}
